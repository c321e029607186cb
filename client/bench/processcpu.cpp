#include "client/bench/processcpu.h"

#include <ctime>

#include <unistd.h>

#include <QByteArray>
#include <QFile>
#include <QList>

namespace orchard {

double processCpuMilliseconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

std::optional<double> processCpuMilliseconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = stat.readAll();
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
    const int close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    // fields[0] is stat(5)'s field 3 (state); utime and stime are fields 14 and 15.
    bool userOk = false, systemOk = false;
    const double ticks = fields.at(11).toDouble(&userOk) + fields.at(12).toDouble(&systemOk);
    if (!userOk || !systemOk)
        return std::nullopt;
    return ticks * 1000.0 / sysconf(_SC_CLK_TCK);
}

} // namespace orchard
