#include "server/core/servermetrics.h"

namespace orchard {

ServerMetrics::ServerMetrics()
    : m_requestDuration(Histogram::latencyBuckets())
    , m_inferenceDuration(Histogram::latencyBuckets())
    , m_queueWait(Histogram::waitBuckets())
    , m_batchSize(Histogram::batchSizeBuckets())
    , m_batchQueue(Histogram::latencyBuckets())
{
    for (auto &counter : m_errors)
        counter.store(0, std::memory_order_relaxed);
    for (auto &counter : m_connections)
        counter.store(0, std::memory_order_relaxed);
}

void ServerMetrics::countPrediction(double requestSeconds, double inferenceSeconds)
{
    m_predictions.fetch_add(1, std::memory_order_relaxed);
    m_requestDuration.observe(requestSeconds);
    m_inferenceDuration.observe(inferenceSeconds);
}

void ServerMetrics::countForwardPass(const QString &model, int images)
{
    m_batchSize.observe(images);
    const std::lock_guard<std::mutex> lock(m_passesMutex);
    ++m_passes[model];
}

QMap<QString, std::uint64_t> ServerMetrics::forwardPasses() const
{
    const std::lock_guard<std::mutex> lock(m_passesMutex);
    return m_passes;
}

void ServerMetrics::countError(ErrorCode code)
{
    const int index = static_cast<int>(code);
    if (index >= 0 && index < kErrorCodeCount)
        m_errors[static_cast<size_t>(index)].fetch_add(1, std::memory_order_relaxed);
}

void ServerMetrics::countConnections(ConnectionOutcome outcome, int connections)
{
    if (connections > 0)
        m_connections[static_cast<size_t>(outcome)].fetch_add(static_cast<std::uint64_t>(connections),
                                                              std::memory_order_relaxed);
}

std::uint64_t ServerMetrics::errors(ErrorCode code) const
{
    const int index = static_cast<int>(code);
    return index >= 0 && index < kErrorCodeCount ? m_errors[static_cast<size_t>(index)].load(std::memory_order_relaxed)
                                                 : 0;
}

std::uint64_t ServerMetrics::connections(ConnectionOutcome outcome) const
{
    return m_connections[static_cast<size_t>(outcome)].load(std::memory_order_relaxed);
}

QString ServerMetrics::outcomeName(ConnectionOutcome outcome)
{
    switch (outcome) {
    case ConnectionOutcome::Served:
        return QStringLiteral("served");
    case ConnectionOutcome::Busy:
        return QStringLiteral("busy");
    case ConnectionOutcome::Timeout:
        return QStringLiteral("timeout");
    case ConnectionOutcome::Unauthorized:
        return QStringLiteral("unauthorized");
    case ConnectionOutcome::BadHeader:
        return QStringLiteral("bad_header");
    case ConnectionOutcome::TooLarge:
        return QStringLiteral("too_large");
    case ConnectionOutcome::Vanished:
        return QStringLiteral("vanished");
    case ConnectionOutcome::LeftWaiting:
        return QStringLiteral("left_waiting");
    case ConnectionOutcome::TlsFailed:
        return QStringLiteral("tls_failed");
    case ConnectionOutcome::Shutdown:
        return QStringLiteral("shutdown");
    case ConnectionOutcome::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

} // namespace orchard
