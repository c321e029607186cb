#include "common/protocol/latencysummary.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace orchard {

double LatencySummary::percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    const double clamped = std::clamp(p, 0.0, 100.0);
    const auto rank = static_cast<size_t>(std::ceil(clamped / 100.0 * sorted.size()));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

LatencySummary LatencySummary::of(std::vector<double> samples)
{
    LatencySummary summary;
    if (samples.empty())
        return summary;
    std::sort(samples.begin(), samples.end());
    summary.count = static_cast<int>(samples.size());
    summary.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size();
    summary.p50 = percentile(samples, 50);
    summary.p95 = percentile(samples, 95);
    summary.p99 = percentile(samples, 99);
    summary.max = samples.back();
    return summary;
}

} // namespace orchard
