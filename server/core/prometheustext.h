#pragma once

#include <utility>
#include <vector>

#include <QByteArray>
#include <QString>

#include "server/core/histogram.h"

namespace orchard {

/**
 * Writes Prometheus' text exposition format, version 0.0.4: each metric family with its
 * HELP and TYPE lines, then its samples. Label values are escaped (\\, \", \n), so a
 * model name from a farm's own manifest cannot break the page.
 */
class PrometheusText
{
public:
    using Labels = std::vector<std::pair<QByteArray, QString>>;

    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    /** Starts a family: type is "counter", "gauge" or "histogram". */
    void family(const QByteArray &name, const char *type, const QString &help);
    void sample(const QByteArray &name, double value, const Labels &labels = {});
    /** A whole histogram family: its buckets, _sum and _count. */
    void histogram(const QByteArray &name, const QString &help, const Histogram::Snapshot &snapshot);

    const QByteArray &text() const { return m_text; }

    static QByteArray escapeLabelValue(const QString &value);
    /** Shortest text that reads back as the same double; +Inf, -Inf and NaN as Prometheus spells them. */
    static QByteArray formatValue(double value);

private:
    QByteArray m_text;
};

} // namespace orchard
