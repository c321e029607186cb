#include "server/core/batchingsummary.h"

#include <algorithm>

namespace orchard {

BatchingSummary::BatchingSummary(std::chrono::milliseconds window)
    : m_window(std::max(window, std::chrono::milliseconds(1)))
{
}

void BatchingSummary::addSample(std::chrono::milliseconds at, Counters counters)
{
    if (!m_samples.empty()) {
        const Sample &newest = m_samples.back();
        // Totals only grow; smaller ones come from another batcher, and a difference with
        // the old samples would be nonsense (a huge unsigned one), so start over from here.
        if (counters.passes < newest.counters.passes || counters.images < newest.counters.images)
            m_samples.clear();
        else
            at = std::max(at, newest.at);
    }
    m_samples.push_back({ at, counters });
    // Keep one sample at or before the window's start, so the differences cover the whole
    // window rather than only what lies after the oldest sample inside it.
    const std::chrono::milliseconds start = at - m_window;
    while (m_samples.size() >= 2 && m_samples[1].at <= start)
        m_samples.pop_front();
}

BatchingSummary::Recent BatchingSummary::recent() const
{
    Recent recent;
    if (m_samples.empty() || m_samples.back().counters.passes == 0)
        return recent;
    const Sample &oldest = m_samples.front();
    const Sample &newest = m_samples.back();
    recent.passes = newest.counters.passes - oldest.counters.passes;
    recent.images = newest.counters.images - oldest.counters.images;
    recent.queueMilliseconds =
            std::max(0.0, newest.counters.queueMilliseconds - oldest.counters.queueMilliseconds);
    recent.span = newest.at - oldest.at;
    if (recent.passes == 0 || recent.images == 0) {
        recent.activity = Activity::Idle;
        return recent;
    }
    recent.activity = Activity::Busy;
    recent.averageBatch = double(recent.images) / double(recent.passes);
    recent.averageQueueMs = recent.queueMilliseconds / double(recent.images);
    return recent;
}

} // namespace orchard
