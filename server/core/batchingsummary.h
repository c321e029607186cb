#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace orchard {

/**
 * What the inference threads did lately, for the monitor's header: fed samples of
 * InferenceBatcher's running totals (passes, images, queue milliseconds) with the time each
 * was taken, it gives the average batch size and queue time over the last window only.
 *
 * Averages since start would hide what a lab watching the window wants to see: after an
 * hour of single requests, a burst of eight clients would barely move them. So it keeps the
 * samples of the last window and answers with the difference between the newest and the
 * one at (or just before) the window's start. Widget-free, so it is tested without a window.
 */
class BatchingSummary
{
public:
    static constexpr std::chrono::milliseconds kDefaultWindow { 5000 };

    /** InferenceBatcher's totals at one moment. */
    struct Counters
    {
        std::uint64_t passes = 0;
        std::uint64_t images = 0;
        double queueMilliseconds = 0.0;
    };

    enum class Activity {
        NothingYet, ///< no forward pass ever ran
        Idle, ///< passes ran, but none in the window
        Busy, ///< passes ran in the window: the averages mean something
    };

    /** The window's differences and their averages (0 unless Busy). */
    struct Recent
    {
        Activity activity = Activity::NothingYet;
        std::uint64_t passes = 0;
        std::uint64_t images = 0;
        double queueMilliseconds = 0.0;
        /** How long the differences span: up to the window, less just after start. */
        std::chrono::milliseconds span { 0 };
        double averageBatch = 0.0; ///< images ÷ passes
        double averageQueueMs = 0.0; ///< queue milliseconds ÷ images
    };

    explicit BatchingSummary(std::chrono::milliseconds window = kDefaultWindow);

    std::chrono::milliseconds window() const { return m_window; }

    /**
     * at: when the totals were read, on any monotonic clock (the monitor's uptime); not
     * earlier than the previous sample's.
     */
    void addSample(std::chrono::milliseconds at, Counters counters);
    Recent recent() const;

private:
    struct Sample
    {
        std::chrono::milliseconds at;
        Counters counters;
    };

    std::chrono::milliseconds m_window;
    std::deque<Sample> m_samples; ///< oldest first; the first at or before the window's start
};

} // namespace orchard
