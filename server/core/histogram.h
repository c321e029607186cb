#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace orchard {

/**
 * A Prometheus histogram of durations that any thread may add to without a lock.
 *
 * Workers observe from the prediction path, which costs about 0.5 ms of CPU per small
 * image, so an observation is two relaxed atomic adds (its bucket, and the sum in whole
 * nanoseconds) after a scan of at most a few dozen bounds: tens of nanoseconds, and no
 * worker ever waits for another or for a scrape. Buckets are kept per bucket, not
 * cumulated, so an observation touches one counter; snapshot() cumulates them, and takes
 * the count from the buckets it read, so a scrape's `_count` always equals its `+Inf`
 * bucket even while workers add (its `_sum` may be a few observations ahead or behind).
 */
class Histogram
{
public:
    /** upperBounds: ascending, in seconds; the +Inf bucket is always there besides. */
    explicit Histogram(std::vector<double> upperBounds);

    Histogram(const Histogram &) = delete;
    Histogram &operator=(const Histogram &) = delete;

    /** Any thread. Negative or NaN durations count as 0. */
    void observe(double seconds);

    struct Snapshot
    {
        std::vector<double> upperBounds;
        /** How many observations were at most each bound; one more entry at the end: +Inf. */
        std::vector<std::uint64_t> cumulativeCounts;
        double sumSeconds = 0;
        std::uint64_t count() const { return cumulativeCounts.empty() ? 0 : cumulativeCounts.back(); }
    };
    Snapshot snapshot() const;

    /**
     * 0.2 ms to 10 s in 1-2-5 steps: a small image's forward pass is about 0.2 ms, a
     * farmer's 12-megapixel photo about 15-50 ms to decode and classify, and anything
     * over 10 s is stuck rather than slow.
     */
    static std::vector<double> latencyBuckets();
    /**
     * latencyBuckets() and on to 10 minutes: a connection can wait in line for as long as
     * the sessions ahead of it last (each holds its worker until the client leaves, up to
     * the idle timeout of 600 s).
     */
    static std::vector<double> waitBuckets();
    /**
     * Images per forward pass, not seconds: 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64 (the
     * default --max-batch is 8; a model's config.json may allow more). Observed as
     * observe(images); the sum is then in images.
     */
    static std::vector<double> batchSizeBuckets();

private:
    std::vector<double> m_upperBounds;
    /** m_upperBounds.size() + 1 counters, the last for +Inf. */
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_counts;
    std::atomic<std::uint64_t> m_sumNanoseconds { 0 };
};

} // namespace orchard
