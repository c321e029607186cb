#include "server/core/processmetrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <QByteArray>
#include <QFile>
#include <QList>

namespace orchard {

namespace {

QByteArray readProcFile(const char *path)
{
    // /proc files report a size of 0: read until the end rather than by size.
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/** Seconds since the epoch at which the machine booted (/proc/stat's btime); -1 if unknown. */
qint64 bootTime()
{
    const QByteArray stat = readProcFile("/proc/stat");
    for (const QByteArray &line : stat.split('\n')) {
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

/** Entries in /proc/self/fd, less the one this listing itself holds open. */
qint64 countOpenDescriptors()
{
    // opendir/readdir rather than QDir: with ten thousand clients in line this is ten
    // thousand entries, and QDir would build a QFileInfo for each.
    DIR *directory = ::opendir("/proc/self/fd");
    if (!directory)
        return -1;
    qint64 count = 0;
    while (const dirent *entry = ::readdir(directory)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    ::closedir(directory);
    return count - 1;
}

void readStat(ProcessMetrics &metrics)
{
    // proc(5): "pid (comm) state ppid …"; comm may hold spaces and parentheses, so the
    // fields are counted from after the last ')'. Field 3 (state) is the first there.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype commEnd = stat.lastIndexOf(')');
    if (commEnd < 0)
        return;
    const QList<QByteArray> fields = stat.mid(commEnd + 2).split(' ');
    const auto field = [&fields](int number) { // 1-based, as proc(5) numbers them
        const qsizetype index = number - 3;
        return index < fields.size() ? fields.at(index).toLongLong() : -1;
    };
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    if (fields.size() < 22 || ticksPerSecond <= 0)
        return;
    metrics.cpuSeconds = static_cast<double>(field(14) + field(15)) / ticksPerSecond;
    metrics.virtualBytes = field(23);
    metrics.residentBytes = pageSize > 0 ? field(24) * pageSize : -1;
    const qint64 booted = bootTime();
    if (booted >= 0)
        metrics.startTimeSeconds = static_cast<double>(booted) + static_cast<double>(field(22)) / ticksPerSecond;
}

} // namespace

ProcessMetrics ProcessMetrics::readSelf()
{
    ProcessMetrics metrics;
    readStat(metrics);
    metrics.openDescriptors = countOpenDescriptors();
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        metrics.maxDescriptors = limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<qint64>(limit.rlim_cur);
    return metrics;
}

} // namespace orchard
