#include "server/core/serverconfig.h"

#include <algorithm>

#include <QThread>

namespace orchard {

int ServerConfig::defaultInferenceThreads(int intraOpThreads)
{
    // idealThreadCount() counts the cores this process may run on (its CPU affinity), so
    // a server pinned with taskset or a container's cpuset gets what it can use.
    return std::max(1, QThread::idealThreadCount() / std::max(1, intraOpThreads));
}

} // namespace orchard
