#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

#include <QMap>
#include <QString>

#include "common/protocol/errorcode.h"
#include "server/core/histogram.h"

namespace orchard {

/** How a connection ended, for orchard_connections_total{outcome} (docs/operations.md). */
enum class ConnectionOutcome {
    Served,       ///< a session ended normally: the client went offline or hung up between requests
    Busy,         ///< turned away with BUSY: the line was full, or the server out of descriptors
    Timeout,      ///< a session's idle or read timeout
    Unauthorized, ///< no valid access token
    BadHeader,    ///< framing lost: BAD_HEADER
    TooLarge,     ///< a message over the limit: TOO_LARGE
    Vanished,     ///< the client left mid-message, or stopped taking our replies
    LeftWaiting,  ///< the client hung up while waiting in line
    TlsFailed,    ///< the TLS handshake failed or was not completed in time
    Shutdown,     ///< closed by the server's shutdown
    Error,        ///< the server could not take the connection (a socket error)
};

/**
 * The counters and histograms of /metrics that sessions and the server add to as things
 * happen, from any thread, without a lock (docs/operations.md says what each means).
 *
 * Updated where the measurement is made, on the worker, not through ServerEvents: its
 * queue delays predictions by up to 50 ms and runs in the server's thread, and a scrape
 * must see a prediction as soon as its reply has left. A prediction costs the worker five
 * relaxed atomic adds. The gauges (workers, sessions, the line) are not kept here: the
 * server's own thread reads them from OrchardServer when a scrape comes.
 */
class ServerMetrics
{
public:
    static constexpr int kOutcomeCount = static_cast<int>(ConnectionOutcome::Error) + 1;
    /** ErrorCode::UnknownModel is the last code. */
    static constexpr int kErrorCodeCount = static_cast<int>(ErrorCode::UnknownModel) + 1;

    ServerMetrics();

    /** A prediction answered: code OK, and both its durations. */
    void countPrediction(double requestSeconds, double inferenceSeconds);
    /** A SERVER_ERROR a session sent, of this code. */
    void countError(ErrorCode code);
    /** An image request that got an error: its duration (countError() counts the reply). */
    void observeFailedRequest(double requestSeconds) { m_requestDuration.observe(requestSeconds); }
    /** A worker took a connection after it waited this long since it was accepted. */
    void observeQueueWait(double seconds) { m_queueWait.observe(seconds); }
    void countConnections(ConnectionOutcome outcome, int connections = 1);
    /**
     * The batcher ran one forward pass of model over images images (any thread). One
     * short lock per pass, not per image: the per-model map is small and scrapes are rare.
     */
    void countForwardPass(const QString &model, int images);
    /** orchard_inference_exec_total: forward passes per model name, all versions together. */
    QMap<QString, std::uint64_t> forwardPasses() const;
    /** orchard_inference_batch_size: images per forward pass (the histogram's unit is images). */
    const Histogram &batchSize() const { return m_batchSize; }
    /** orchard_inference_queue_seconds: how long images waited for their forward pass. */
    void observeBatchQueue(double seconds) { m_batchQueue.observe(seconds); }
    const Histogram &batchQueue() const { return m_batchQueue; }

    std::uint64_t predictions() const { return m_predictions.load(std::memory_order_relaxed); }
    std::uint64_t errors(ErrorCode code) const;
    std::uint64_t connections(ConnectionOutcome outcome) const;
    const Histogram &requestDuration() const { return m_requestDuration; }
    const Histogram &inferenceDuration() const { return m_inferenceDuration; }
    const Histogram &queueWait() const { return m_queueWait; }

    /** "served", "busy", "left_waiting"…: the label value. */
    static QString outcomeName(ConnectionOutcome outcome);

private:
    std::atomic<std::uint64_t> m_predictions { 0 };
    std::array<std::atomic<std::uint64_t>, kErrorCodeCount> m_errors {};
    std::array<std::atomic<std::uint64_t>, kOutcomeCount> m_connections {};
    Histogram m_requestDuration;
    Histogram m_inferenceDuration;
    Histogram m_queueWait;
    Histogram m_batchSize;
    Histogram m_batchQueue;
    mutable std::mutex m_passesMutex;
    QMap<QString, std::uint64_t> m_passes; ///< guarded by m_passesMutex
};

} // namespace orchard
