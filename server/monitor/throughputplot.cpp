#include "throughputplot.h"

#include <algorithm>
#include <cmath>

#include <QPainter>
#include <QPainterPath>

#include "serverstats.h"

namespace orchard {

namespace {

const QColor kP50Color(0x2e, 0x7d, 0x32);
const QColor kP95Color(0xc6, 0x28, 0x28);

/** 1, 2, 5, 10, 20, 50… at or above value, so axis labels are round numbers. */
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : { 1.0, 2.0, 5.0, 10.0 }) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

ThroughputPlot::ThroughputPlot(const ServerStats *stats, QWidget *parent)
    : QWidget(parent)
    , m_stats(stats)
{
    connect(stats, &ServerStats::sampleAdded, this, qOverload<>(&QWidget::update));
    setToolTip(tr("Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis) "
                  "over the last %1 minutes").arg(ServerStats::kHistorySeconds / 60));
}

QSize ThroughputPlot::sizeHint() const
{
    return { 520, 200 };
}

QSize ThroughputPlot::minimumSizeHint() const
{
    return { 240, 120 };
}

void ThroughputPlot::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());

    const QFontMetrics metrics(font());
    const int left = metrics.horizontalAdvance(QStringLiteral("0000")) + 8;
    const int right = metrics.horizontalAdvance(QStringLiteral("0000 ms")) + 8;
    const int top = metrics.height() + 6;
    const int bottom = metrics.height() + 4;
    const QRectF area(left, top, width() - left - right, height() - top - bottom);
    if (area.width() < 20 || area.height() < 20)
        return;

    const auto &samples = m_stats->samples();
    int maxImages = 1;
    double maxLatency = 1;
    for (const auto &sample : samples) {
        maxImages = std::max(maxImages, sample.images);
        maxLatency = std::max(maxLatency, sample.p95);
    }
    const double imagesScale = niceCeiling(maxImages);
    const double latencyScale = niceCeiling(maxLatency);

    // Frame, grid and axis labels.
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
    for (int i = 1; i < 4; ++i) {
        const double y = area.bottom() - area.height() * i / 4.0;
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    }
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(0, area.top() - metrics.height() / 2.0, left - 4, metrics.height()),
                     Qt::AlignRight, QString::number(imagesScale));
    painter.drawText(QRectF(0, area.bottom() - metrics.height() / 2.0, left - 4, metrics.height()),
                     Qt::AlignRight, QStringLiteral("0"));
    painter.drawText(QRectF(area.right() + 4, area.top() - metrics.height() / 2.0, right, metrics.height()),
                     Qt::AlignLeft, QStringLiteral("%1 ms").arg(latencyScale));
    painter.drawText(QRectF(area.left(), 0, area.width(), metrics.height() + 2), Qt::AlignLeft,
                     tr("images/s (bars)"));
    // Legend, right-aligned: "latency p50 p95" with each name in its line's colour.
    const QString p95Text = tr("p95");
    const QString p50Text = tr("p50 ");
    const QString latencyText = tr("latency (lines): ");
    double x = area.right() - metrics.horizontalAdvance(p95Text);
    painter.setPen(kP95Color);
    painter.drawText(QPointF(x, metrics.ascent() + 1), p95Text);
    x -= metrics.horizontalAdvance(p50Text);
    painter.setPen(kP50Color);
    painter.drawText(QPointF(x, metrics.ascent() + 1), p50Text);
    x -= metrics.horizontalAdvance(latencyText);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QPointF(x, metrics.ascent() + 1), latencyText);
    // The time axis grows with the data, from one minute up to the whole history, so a
    // fresh server's first seconds are not squeezed into a sliver at the right edge.
    const int span = std::clamp(static_cast<int>(samples.size()), 60, ServerStats::kHistorySeconds);
    painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), metrics.height()),
                     Qt::AlignLeft, span % 60 == 0 ? tr("-%1 min").arg(span / 60) : tr("-%1 s").arg(span));
    painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), metrics.height()),
                     Qt::AlignRight, tr("now"));

    if (samples.empty())
        return;
    const double step = area.width() / span;
    const double firstX = area.right() - step * samples.size();

    QColor barColor = palette().color(QPalette::Highlight);
    barColor.setAlpha(140);
    int i = 0;
    for (const auto &sample : samples) {
        const double h = area.height() * sample.images / imagesScale;
        painter.fillRect(QRectF(firstX + step * i, area.bottom() - h, std::max(step, 1.0), h), barColor);
        ++i;
    }

    const auto drawLatency = [&](double ServerStats::Sample::*field, const QColor &color) {
        QPainterPath path;
        bool started = false;
        int index = 0;
        for (const auto &sample : samples) {
            const double x = firstX + step * (index++ + 0.5);
            if (sample.images == 0) {
                started = false; // no images that second: no latency to draw
                continue;
            }
            const double y = area.bottom() - area.height() * std::min(sample.*field / latencyScale, 1.0);
            if (started)
                path.lineTo(x, y);
            else
                path.moveTo(x, y);
            started = true;
        }
        painter.setPen(QPen(color, 2));
        painter.drawPath(path);
    };
    drawLatency(&ServerStats::Sample::p50, kP50Color);
    drawLatency(&ServerStats::Sample::p95, kP95Color);
}

} // namespace orchard
