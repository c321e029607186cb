#include "server/core/prometheustext.h"

#include <cmath>

#include <QLocale>

namespace orchard {

void PrometheusText::family(const QByteArray &name, const char *type, const QString &help)
{
    QByteArray escapedHelp = help.toUtf8();
    escapedHelp.replace('\\', "\\\\").replace('\n', "\\n");
    m_text += "# HELP " + name + ' ' + escapedHelp + '\n';
    m_text += "# TYPE " + name + ' ' + type + '\n';
}

void PrometheusText::sample(const QByteArray &name, double value, const Labels &labels)
{
    m_text += name;
    if (!labels.empty()) {
        m_text += '{';
        for (size_t i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labels[i].first + "=\"" + escapeLabelValue(labels[i].second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

void PrometheusText::histogram(const QByteArray &name, const QString &help, const Histogram::Snapshot &snapshot)
{
    family(name, "histogram", help);
    const QByteArray bucket = name + "_bucket";
    for (size_t i = 0; i < snapshot.upperBounds.size(); ++i) {
        sample(bucket, static_cast<double>(snapshot.cumulativeCounts[i]),
               { { "le", QString::fromLatin1(formatValue(snapshot.upperBounds[i])) } });
    }
    sample(bucket, static_cast<double>(snapshot.count()), { { "le", QStringLiteral("+Inf") } });
    sample(name + "_sum", snapshot.sumSeconds);
    sample(name + "_count", static_cast<double>(snapshot.count()));
}

QByteArray PrometheusText::escapeLabelValue(const QString &value)
{
    QByteArray escaped = value.toUtf8();
    escaped.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return escaped;
}

QByteArray PrometheusText::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Counts are whole numbers far below 2^53: write them without an exponent.
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(static_cast<qint64>(value));
    // Plain decimals where they read well ("0.0002", as Prometheus' own clients write
    // bucket bounds), the exponent form beyond.
    const double magnitude = std::fabs(value);
    const char format = magnitude >= 1e-4 && magnitude < 1e15 ? 'f' : 'g';
    return QByteArray::number(value, format, QLocale::FloatingPointShortest);
}

} // namespace orchard
