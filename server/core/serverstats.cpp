#include "server/core/serverstats.h"

#include "server/core/serverevents.h"

namespace orchard {

ServerStats::ServerStats(ServerEvents *events, QObject *parent) : QObject(parent)
{
    m_clock.start();
    connect(events, &ServerEvents::predictionServed, this,
            [this](quint64, const QString &, double, double latencyMs) { recordImage(latencyMs); });
    connect(events, &ServerEvents::requestFailed, this, [this] { ++m_totalErrors; });
    connect(events, &ServerEvents::sessionStarted, this, [this] { ++m_totalSessions; });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ServerStats::closeSample);
    m_tick.start();
}

void ServerStats::recordImage(double latencyMs)
{
    ++m_totalImages;
    m_currentSecond.push_back(latencyMs);
    m_recent.push_back(latencyMs);
    if (m_recent.size() > kRecentImages)
        m_recent.pop_front();
}

LatencySummary ServerStats::recentLatency() const
{
    return LatencySummary::of({ m_recent.begin(), m_recent.end() });
}

void ServerStats::closeSample()
{
    const LatencySummary second = LatencySummary::of(std::move(m_currentSecond));
    m_currentSecond.clear();
    m_samples.push_back({ m_clock.elapsed() / 1000, second.count, second.p50, second.p95 });
    if (m_samples.size() > kHistorySeconds)
        m_samples.pop_front();
    emit sampleAdded();
}

} // namespace orchard
