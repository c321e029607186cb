#include "server/core/histogram.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace orchard {

Histogram::Histogram(std::vector<double> upperBounds)
    : m_upperBounds(std::move(upperBounds))
    , m_counts(std::make_unique<std::atomic<std::uint64_t>[]>(m_upperBounds.size() + 1))
{
    for (size_t i = 0; i <= m_upperBounds.size(); ++i)
        m_counts[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double seconds)
{
    if (!(seconds > 0)) // negative, zero or NaN
        seconds = 0;
    // A linear scan: with 15-20 bounds and most observations in the first few, it beats a
    // binary search's unpredictable branches.
    size_t bucket = 0;
    while (bucket < m_upperBounds.size() && seconds > m_upperBounds[bucket])
        ++bucket;
    m_counts[bucket].fetch_add(1, std::memory_order_relaxed);
    // Whole nanoseconds: an integer add is one instruction, and 2^64 ns is 584 years.
    m_sumNanoseconds.fetch_add(static_cast<std::uint64_t>(std::llround(std::min(seconds, 1e9) * 1e9)),
                               std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snapshot;
    snapshot.upperBounds = m_upperBounds;
    snapshot.cumulativeCounts.reserve(m_upperBounds.size() + 1);
    std::uint64_t total = 0;
    for (size_t i = 0; i <= m_upperBounds.size(); ++i) {
        total += m_counts[i].load(std::memory_order_relaxed);
        snapshot.cumulativeCounts.push_back(total);
    }
    snapshot.sumSeconds = static_cast<double>(m_sumNanoseconds.load(std::memory_order_relaxed)) / 1e9;
    return snapshot;
}

std::vector<double> Histogram::latencyBuckets()
{
    return { 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10 };
}

std::vector<double> Histogram::batchSizeBuckets()
{
    return { 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64 };
}

std::vector<double> Histogram::waitBuckets()
{
    std::vector<double> bounds = latencyBuckets();
    bounds.insert(bounds.end(), { 30, 60, 120, 300, 600 });
    return bounds;
}

} // namespace orchard
