#include "client/bench/benchlevel.h"

#include <algorithm>

#include <QStringList>

namespace orchard {

namespace {

QJsonObject summaryJson(const LatencySummary &summary)
{
    return QJsonObject {
        { QStringLiteral("count"), summary.count },
        { QStringLiteral("mean"), summary.mean },
        { QStringLiteral("p50"), summary.p50 },
        { QStringLiteral("p95"), summary.p95 },
        { QStringLiteral("p99"), summary.p99 },
        { QStringLiteral("max"), summary.max },
    };
}

} // namespace

QJsonObject BenchLevelResult::toJson() const
{
    QJsonObject errors;
    for (auto it = errorsByCode.cbegin(); it != errorsByCode.cend(); ++it)
        errors.insert(it.key(), it.value());
    QJsonObject object {
        { QStringLiteral("target"), target },
        { QStringLiteral("clients"), clients },
        { QStringLiteral("requested"), requested },
        { QStringLiteral("completed"), completed },
        { QStringLiteral("failed"), failed },
        { QStringLiteral("errors"), errors },
        { QStringLiteral("unserved"), unserved },
        { QStringLiteral("seconds"), seconds },
        { QStringLiteral("images_per_s"), imagesPerSecond },
        { QStringLiteral("latency_ms"), summaryJson(latencyMs) },
        { QStringLiteral("bytes_sent"), bytesSent },
        { QStringLiteral("bytes_per_image"), bytesPerImage() },
        { QStringLiteral("body"), bodyForm },
    };
    // Absent, not zero, where nothing could be measured: zero would read as "no wait".
    if (queueMeasured)
        object.insert(QStringLiteral("queued_ms"), summaryJson(queuedMs));
    QJsonObject cpu;
    if (processCpuMs >= 0 && completed > 0)
        cpu.insert(target == QLatin1String("engine") ? QStringLiteral("engine") : QStringLiteral("client"),
                   processCpuMs / completed);
    if (serverCpuMs >= 0 && completed > 0)
        cpu.insert(QStringLiteral("server"), serverCpuMs / completed);
    if (!cpu.isEmpty())
        object.insert(QStringLiteral("cpu_ms_per_image"), cpu);
    // Absent, not zero, from servers that do not say: zero would read as "never waited".
    if (serverReports > 0) {
        const QJsonObject serverMs {
            { QStringLiteral("wait"), serverMeanMs.wait },
            { QStringLiteral("queue"), serverMeanMs.queue },
            { QStringLiteral("infer"), serverMeanMs.infer },
        };
        const QJsonObject batchSize {
            { QStringLiteral("mean"), batchSizeMean },
            { QStringLiteral("per_pass"), batchSizePerPass },
            { QStringLiteral("max"), batchSizeMax },
        };
        object.insert(QStringLiteral("server_ms"), serverMs);
        object.insert(QStringLiteral("batch_size"), batchSize);
    }
    return object;
}

void BenchRecorder::recordServerReport(const StageTimings &timing, int batchSize)
{
    if (batchSize < 1)
        return;
    ++m_serverReports;
    m_serverSumMs.wait += timing.wait;
    m_serverSumMs.queue += timing.queue;
    m_serverSumMs.infer += timing.infer;
    m_batchSizeSum += batchSize;
    m_inverseBatchSizeSum += 1.0 / batchSize;
    m_batchSizeMax = std::max(m_batchSizeMax, batchSize);
}

void BenchRecorder::merge(const BenchRecorder &other)
{
    m_latencies.insert(m_latencies.end(), other.m_latencies.cbegin(), other.m_latencies.cend());
    m_queueWaits.insert(m_queueWaits.end(), other.m_queueWaits.cbegin(), other.m_queueWaits.cend());
    for (auto it = other.m_errors.cbegin(); it != other.m_errors.cend(); ++it)
        m_errors[it.key()] += it.value();
    m_bytesSent += other.m_bytesSent;
    m_unserved += other.m_unserved;
    m_serverReports += other.m_serverReports;
    m_serverSumMs.wait += other.m_serverSumMs.wait;
    m_serverSumMs.queue += other.m_serverSumMs.queue;
    m_serverSumMs.infer += other.m_serverSumMs.infer;
    m_batchSizeSum += other.m_batchSizeSum;
    m_inverseBatchSizeSum += other.m_inverseBatchSizeSum;
    m_batchSizeMax = std::max(m_batchSizeMax, other.m_batchSizeMax);
}

int BenchRecorder::errors() const
{
    int total = 0;
    for (const int count : m_errors)
        total += count;
    return total;
}

void BenchRecorder::summarise(double wallSeconds, BenchLevelResult &result) const
{
    result.completed = answers();
    result.errorsByCode = m_errors;
    result.failed = errors();
    result.unserved = m_unserved;
    result.seconds = wallSeconds;
    result.imagesPerSecond = wallSeconds > 0 ? result.completed / wallSeconds : 0.0;
    result.latencyMs = LatencySummary::of(m_latencies);
    result.queuedMs = LatencySummary::of(m_queueWaits);
    result.bytesSent = m_bytesSent;
    result.serverReports = m_serverReports;
    result.serverMeanMs = StageTimings();
    result.batchSizeMean = result.batchSizePerPass = 0.0;
    result.batchSizeMax = m_batchSizeMax;
    if (m_serverReports > 0) {
        result.serverMeanMs.wait = m_serverSumMs.wait / m_serverReports;
        result.serverMeanMs.queue = m_serverSumMs.queue / m_serverReports;
        result.serverMeanMs.infer = m_serverSumMs.infer / m_serverReports;
        result.batchSizeMean = m_batchSizeSum / m_serverReports;
        result.batchSizePerPass = m_serverReports / m_inverseBatchSizeSum;
    }
}

std::optional<QVector<int>> parseLevels(const QString &text, int maxLevel, QString *error)
{
    QVector<int> levels;
    const QStringList items = text.split(QLatin1Char(','));
    for (const QString &item : items) {
        bool ok = false;
        const int level = item.trimmed().toInt(&ok);
        if (!ok || level < 1 || level > maxLevel) {
            if (error) {
                *error = QStringLiteral("\"%1\" is not a whole number from 1 to %2 (write e.g. 1,2,4,8,16)")
                                 .arg(item.trimmed())
                                 .arg(maxLevel);
            }
            return std::nullopt;
        }
        levels.append(level);
    }
    return levels;
}

} // namespace orchard
