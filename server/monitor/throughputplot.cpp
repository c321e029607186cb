#include "server/monitor/throughputplot.h"

#include <algorithm>
#include <cmath>
#include <deque>

#include <QEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include "server/core/serverstats.h"

namespace orchard {

namespace {

const QColor kP50Color(0x2e, 0x7d, 0x32);
const QColor kP95Color(0xc6, 0x28, 0x28);

/** The latency lines' pens: p95 dashed, so the two differ for whoever does not see the colours. */
QPen p50Pen()
{
    return QPen(kP50Color, 2);
}

QPen p95Pen()
{
    QPen pen(kP95Color, 2);
    pen.setStyle(Qt::DashLine);
    return pen;
}

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

using Samples = std::deque<ServerStats::Sample>;

/** Where the plot draws: the data area inside the axis labels, and where each second goes. */
struct PlotLayout
{
    QRectF area;
    int leftMargin = 0;  ///< the images/s labels
    int rightMargin = 0; ///< the latency labels
    int span = 60;       ///< seconds the time axis shows
    double step = 0;     ///< width of one second
    double firstX = 0;   ///< left edge of the oldest sample
    double imagesScale = 1;  ///< images/s at the top
    double latencyScale = 1; ///< ms at the top
};

PlotLayout layoutFor(const QSize &size, const QFontMetrics &metrics, const Samples &samples)
{
    PlotLayout layout;
    layout.leftMargin = metrics.horizontalAdvance(QStringLiteral("0000")) + 8;
    layout.rightMargin = metrics.horizontalAdvance(ThroughputPlot::tr("%1 ms").arg(QStringLiteral("0000"))) + 8;
    const int top = metrics.height() + 6;
    const int bottom = metrics.height() + 4;
    layout.area = QRectF(layout.leftMargin, top, size.width() - layout.leftMargin - layout.rightMargin,
                         size.height() - top - bottom);

    int maxImages = 1;
    double maxLatency = 1;
    for (const auto &sample : samples) {
        maxImages = std::max(maxImages, sample.images);
        maxLatency = std::max(maxLatency, sample.p95);
    }
    layout.imagesScale = niceCeiling(maxImages);
    layout.latencyScale = niceCeiling(maxLatency);
    // The time axis grows with the data, from one minute up to the whole history, so a
    // fresh server's first seconds are not squeezed into a sliver at the right edge.
    layout.span = std::clamp(static_cast<int>(samples.size()), 60, ServerStats::kHistorySeconds);
    layout.step = layout.area.width() / layout.span;
    layout.firstX = layout.area.right() - layout.step * samples.size();
    return layout;
}

/** Frame, grid, and the labels of both value axes. */
void drawAxes(QPainter &painter, const QPalette &palette, const QFontMetrics &metrics, const PlotLayout &layout)
{
    const QRectF &area = layout.area;
    painter.setPen(palette.color(QPalette::Mid));
    painter.drawRect(area);
    for (int i = 1; i < 4; ++i) {
        const double y = area.bottom() - area.height() * i / 4.0;
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    }
    const QLocale locale;
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(QRectF(0, area.top() - metrics.height() / 2.0, layout.leftMargin - 4, metrics.height()),
                     Qt::AlignRight, locale.toString(layout.imagesScale));
    painter.drawText(QRectF(0, area.bottom() - metrics.height() / 2.0, layout.leftMargin - 4, metrics.height()),
                     Qt::AlignRight, locale.toString(0));
    painter.drawText(QRectF(area.right() + 4, area.top() - metrics.height() / 2.0, layout.rightMargin,
                            metrics.height()),
                     Qt::AlignLeft, ThroughputPlot::tr("%1 ms").arg(locale.toString(layout.latencyScale)));
    painter.drawText(QRectF(area.left(), 0, area.width(), metrics.height() + 2), Qt::AlignLeft,
                     ThroughputPlot::tr("images/s (bars)"));
}

/**
 * Right-aligned above the plot: "latency (lines): ── p50 ‐ ‐ p95", each name after a
 * piece of its line and in its colour. Spaces are the painter's, not the translations'.
 */
void drawLegend(QPainter &painter, const QPalette &palette, const QFontMetrics &metrics, const QRectF &area)
{
    const double baseline = metrics.ascent() + 1;
    const double lineY = baseline - metrics.xHeight() / 2.0;
    const double gap = metrics.horizontalAdvance(QLatin1Char(' '));
    const double swatch = metrics.horizontalAdvance(QStringLiteral("MM"));
    double x = area.right();
    const auto item = [&](const QString &text, const QPen &pen) {
        x -= metrics.horizontalAdvance(text);
        painter.setPen(pen.color());
        painter.drawText(QPointF(x, baseline), text);
        x -= gap + swatch;
        painter.setPen(pen);
        painter.drawLine(QPointF(x, lineY), QPointF(x + swatch, lineY));
        x -= 2 * gap;
    };
    item(ThroughputPlot::tr("p95"), p95Pen());
    item(ThroughputPlot::tr("p50"), p50Pen());
    const QString latencyText = ThroughputPlot::tr("latency (lines):");
    x -= metrics.horizontalAdvance(latencyText) - gap;
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(QPointF(x, baseline), latencyText);
}

void drawTimeAxis(QPainter &painter, const QPalette &palette, const QFontMetrics &metrics, const PlotLayout &layout)
{
    const QRectF &area = layout.area;
    const int span = layout.span;
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), metrics.height()), Qt::AlignLeft,
                     span % 60 == 0 ? ThroughputPlot::tr("-%1 min").arg(QLocale().toString(span / 60))
                                    : ThroughputPlot::tr("-%1 s").arg(QLocale().toString(span)));
    painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), metrics.height()), Qt::AlignRight,
                     ThroughputPlot::tr("now"));
}

void drawBars(QPainter &painter, const QPalette &palette, const PlotLayout &layout, const Samples &samples)
{
    QColor barColor = palette.color(QPalette::Highlight);
    barColor.setAlpha(140);
    int i = 0;
    for (const auto &sample : samples) {
        const double h = layout.area.height() * sample.images / layout.imagesScale;
        painter.fillRect(QRectF(layout.firstX + layout.step * i, layout.area.bottom() - h,
                                std::max(layout.step, 1.0), h),
                         barColor);
        ++i;
    }
}

/** One latency line; seconds without images break it. */
void drawLatency(QPainter &painter, const PlotLayout &layout, const Samples &samples,
                 double ServerStats::Sample::*field, const QPen &pen)
{
    QPainterPath path;
    bool started = false;
    int index = 0;
    for (const auto &sample : samples) {
        const double x = layout.firstX + layout.step * (index++ + 0.5);
        if (sample.images == 0) {
            started = false; // no images that second: no latency to draw
            continue;
        }
        const double y = layout.area.bottom()
                - layout.area.height() * std::min(sample.*field / layout.latencyScale, 1.0);
        if (started)
            path.lineTo(x, y);
        else
            path.moveTo(x, y);
        started = true;
    }
    painter.setPen(pen);
    painter.drawPath(path);
}

} // namespace

ThroughputPlot::ThroughputPlot(const ServerStats *stats, QWidget *parent)
    : QWidget(parent)
    , m_stats(stats)
{
    setObjectName(QStringLiteral("throughputPlot"));
    connect(stats, &ServerStats::sampleAdded, this, &ThroughputPlot::showLatestSample);
    retranslateUi();
}

void ThroughputPlot::retranslateUi()
{
    setToolTip(tr("Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis; "
                  "p95 dashed) over the last %n minute(s)",
                  nullptr, ServerStats::kHistorySeconds / 60));
    setAccessibleName(tr("Throughput and latency plot"));
    setAccessibleDescription(describeSamples());
    update(); // the axes' and the legend's words
}

void ThroughputPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ThroughputPlot::showLatestSample()
{
    setAccessibleDescription(describeSamples());
    update();
}

QString ThroughputPlot::describeSamples() const
{
    const Samples &samples = m_stats->samples();
    if (samples.empty())
        return tr("No figures yet: a bar is added every second.");
    const QLocale locale;
    const ServerStats::Sample &latest = samples.back();
    const QString latestText = latest.images == 0
            ? tr("Last second: no images served.")
            : tr("Last second: %n image(s) per second, latency p50 %1 ms, p95 %2 ms.", nullptr, latest.images)
                      .arg(locale.toString(latest.p50, 'f', 1), locale.toString(latest.p95, 'f', 1));
    int highest = 0;
    for (const auto &sample : samples)
        highest = std::max(highest, sample.images);
    const QString highestText = tr("Highest over the last %1 s: %n image(s) per second.", nullptr, highest)
                                        .arg(locale.toString(static_cast<int>(samples.size())));
    return latestText + QLatin1Char(' ') + highestText;
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
    const auto &samples = m_stats->samples();
    const PlotLayout layout = layoutFor(size(), metrics, samples);
    if (layout.area.width() < 20 || layout.area.height() < 20)
        return;
    drawAxes(painter, palette(), metrics, layout);
    drawLegend(painter, palette(), metrics, layout.area);
    drawTimeAxis(painter, palette(), metrics, layout);
    if (samples.empty())
        return;
    drawBars(painter, palette(), layout, samples);
    drawLatency(painter, layout, samples, &ServerStats::Sample::p50, p50Pen());
    drawLatency(painter, layout, samples, &ServerStats::Sample::p95, p95Pen());
}

} // namespace orchard
