#pragma once

#include <QWidget>

namespace orchard {

class ServerStats;

/**
 * Throughput (images/s, bars) and p50/p95 latency (lines) over the last minutes.
 *
 * A small painter-drawn widget rather than Qt Charts: one more dependency for two lines
 * and some bars was not worth it. Repaints when ServerStats closes a sample.
 *
 * What it draws is also said in words, for screen readers: the accessible description
 * holds the latest second's throughput and latencies and the highest throughput shown.
 * The two latency lines differ in pattern (p95 dashed), not in colour only.
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
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /** A new sample: drawn, and said in the accessible description. */
    void showLatestSample();
    /** The figures the plot shows, in sentences of the current language. */
    QString describeSamples() const;

    const ServerStats *m_stats;
};

} // namespace orchard
