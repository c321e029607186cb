#pragma once

#include <optional>

#include <QtGlobal>

namespace orchard {

/**
 * CPU time (user + system) used so far, in milliseconds: by this process, or by another
 * process on this machine (Linux: /proc/PID/stat, 10 ms resolution; nullopt elsewhere or
 * when the process is gone). The benchmark reports CPU per image beside throughput,
 * because on a shared or small machine CPU time says what a request costs even when wall
 * time also says who else was running.
 */
double processCpuMilliseconds();
std::optional<double> processCpuMilliseconds(qint64 pid);

} // namespace orchard
