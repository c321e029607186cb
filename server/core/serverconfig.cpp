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

bool ServerConfig::isTrustedProxy(const QHostAddress &address) const
{
    if (!proxyProtocol)
        return false;
    // A dual-stack listener sees IPv4 balancers as ::ffff:a.b.c.d; the list names a.b.c.d.
    bool isMappedIpv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isMappedIpv4);
    const QHostAddress plain = isMappedIpv4 ? QHostAddress(ipv4) : address;
    return std::any_of(trustedProxies.cbegin(), trustedProxies.cend(),
                       [&plain](const QPair<QHostAddress, int> &subnet) { return plain.isInSubnet(subnet); });
}

} // namespace orchard
