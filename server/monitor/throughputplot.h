#pragma once

#include <QWidget>

namespace orchard {

class ServerStats;

/**
 * Throughput (images/s, bars) and p50/p95 latency (lines) over the last minutes.
 *
 * A small painter-drawn widget rather than Qt Charts: one more dependency for two lines
 * and some bars was not worth it. Repaints when ServerStats closes a sample.
 */
class ThroughputPlot : public QWidget
{
    Q_OBJECT

public:
    explicit ThroughputPlot(const ServerStats *stats, QWidget *parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    const ServerStats *m_stats;
};

} // namespace orchard
