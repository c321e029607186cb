#pragma once

#include <deque>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "common/protocol/latencysummary.h"

namespace orchard {

class ServerEvents;

/**
 * Throughput and latency over time, for the monitor's plot and header figures.
 *
 * Once a second it closes a sample: images served in that second and the p50/p95 of their
 * latencies. It keeps kHistorySeconds of samples. Lives in the GUI thread; fed by
 * ServerEvents' queued signals.
 */
class ServerStats : public QObject
{
    Q_OBJECT

public:
    static constexpr int kHistorySeconds = 300;

    struct Sample
    {
        qint64 secondsSinceStart = 0;
        int images = 0; ///< images served in that second = images/s
        double p50 = 0.0;
        double p95 = 0.0;
    };

    explicit ServerStats(ServerEvents *events, QObject *parent = nullptr);

    const std::deque<Sample> &samples() const { return m_samples; }
    qint64 totalImages() const { return m_totalImages; }
    qint64 totalErrors() const { return m_totalErrors; }
    qint64 totalSessions() const { return m_totalSessions; }
    /** Latencies of the last kRecentImages images. */
    LatencySummary recentLatency() const;

    /** Records a served image (also what the signal connection does). */
    void recordImage(double latencyMs);
    /** Closes the current one-second sample; the timer calls it, tests may too. */
    void closeSample();

signals:
    void sampleAdded();

private:
    static constexpr size_t kRecentImages = 1000;

    QElapsedTimer m_clock;
    QTimer m_tick;
    std::vector<double> m_currentSecond;
    std::deque<double> m_recent;
    std::deque<Sample> m_samples;
    qint64 m_totalImages = 0;
    qint64 m_totalErrors = 0;
    qint64 m_totalSessions = 0;
};

} // namespace orchard
