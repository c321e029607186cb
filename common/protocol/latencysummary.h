#pragma once

#include <vector>

namespace orchard {

/**
 * Count, mean, percentiles and maximum of a set of latencies (or any samples).
 *
 * Percentiles use the nearest-rank method on the sorted samples: p-th percentile is the
 * smallest sample with at least p % of the samples at or below it, so it is always a
 * value that was really measured.
 */
struct LatencySummary
{
    int count = 0;
    double mean = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
    double p99 = 0.0;
    double max = 0.0;

    static LatencySummary of(std::vector<double> samples);
    /** Nearest-rank percentile of already sorted samples; 0 when there are none. */
    static double percentile(const std::vector<double> &sorted, double p);
};

} // namespace orchard
