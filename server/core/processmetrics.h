#pragma once

#include <QtGlobal>

namespace orchard {

/**
 * The standard process_* metrics of Prometheus' client libraries, read from /proc/self
 * when a scrape asks (Linux only; what cannot be read stays -1 and is left out).
 */
struct ProcessMetrics
{
    double cpuSeconds = -1;        ///< user + system CPU time
    qint64 residentBytes = -1;     ///< resident set size
    qint64 virtualBytes = -1;      ///< virtual memory size
    qint64 openDescriptors = -1;   ///< entries in /proc/self/fd
    qint64 maxDescriptors = -1;    ///< the soft RLIMIT_NOFILE
    double startTimeSeconds = -1;  ///< since the Unix epoch

    /** Reads this process's figures: a few small files and one directory listing. */
    static ProcessMetrics readSelf();
};

} // namespace orchard
