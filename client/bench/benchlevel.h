#pragma once

#include <optional>
#include <vector>

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include "common/protocol/latencysummary.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

/** One load level's outcome: throughput, latencies, time queued for a worker, errors, bytes. */
struct BenchLevelResult
{
    QString target;          ///< "orchard", "legacy" (an original server) or "engine" (no network)
    int clients = 0;         ///< connections, or engine threads
    int requested = 0;       ///< requests the level set out to make (0: as many as the duration allowed)
    int completed = 0;       ///< answered with a diagnosis
    int failed = 0;          ///< requests or connections that ended in an error (sum of errorsByCode)
    QMap<QString, int> errorsByCode; ///< BAD_IMAGE, BUSY, CONNECTION_LOST, NO_WELCOME...
    int unserved = 0;        ///< clients that never got a worker before the level ended
    double seconds = 0.0;    ///< wall time, from the first connection to the last answer
    double imagesPerSecond = 0.0;
    LatencySummary latencyMs; ///< request sent → answer received, per request
    LatencySummary queuedMs;  ///< connect → welcome, per client that was served
    bool queueMeasured = false; ///< false for engines and for original servers (no welcome)
    qint64 bytesSent = 0;     ///< every byte the clients sent, headers included
    QString bodyForm;         ///< "binary", "base64" or "" (engine)
    /** CPU time this process used during the level (the clients, or the engine); < 0: unknown. */
    double processCpuMs = -1.0;
    /** CPU time the server process used during the level (`--server-pid`); < 0: unknown. */
    double serverCpuMs = -1.0;
    /**
     * Answers that said which batch they were in (a server with the batcher); 0 for the
     * seed design and older servers, which leave batch_size and the queue time out.
     */
    int serverReports = 0;
    StageTimings serverMeanMs;  ///< wait, queue and infer: means over those answers (the rest 0)
    double batchSizeMean = 0.0; ///< mean over those answers of their forward pass's size
    /** Images per forward pass: answers / Σ 1/size, as if every image of each pass was ours. */
    double batchSizePerPass = 0.0;
    int batchSizeMax = 0;

    double bytesPerImage() const { return completed > 0 ? double(bytesSent) / completed : 0.0; }
    QJsonObject toJson() const;
};

/**
 * Collects one level's samples as they come and turns them into a BenchLevelResult.
 *
 * Not thread-safe: the load generator records from its one event loop; the engine
 * benchmark gives each thread its own recorder and merges them at the end.
 */
class BenchRecorder
{
public:
    void recordAnswer(double latencyMs) { m_latencies.push_back(latencyMs); }
    void recordError(const QString &code) { ++m_errors[code]; }
    void recordQueueWait(double milliseconds) { m_queueWaits.push_back(milliseconds); }
    void recordUnserved() { ++m_unserved; }
    /** What the server said about one answer; ignored when it did not say its batch size. */
    void recordServerReport(const StageTimings &timing, int batchSize);
    void addBytesSent(qint64 bytes) { m_bytesSent += bytes; }
    void merge(const BenchRecorder &other);

    int answers() const { return static_cast<int>(m_latencies.size()); }
    int errors() const;

    /** Fills the measured fields of result (the caller sets target, clients, requested, bodyForm). */
    void summarise(double wallSeconds, BenchLevelResult &result) const;

private:
    std::vector<double> m_latencies;
    std::vector<double> m_queueWaits;
    QMap<QString, int> m_errors;
    qint64 m_bytesSent = 0;
    int m_unserved = 0;
    // Sums, not samples: the report gives means and the maximum only.
    int m_serverReports = 0;
    StageTimings m_serverSumMs;
    double m_batchSizeSum = 0.0;
    double m_inverseBatchSizeSum = 0.0;
    int m_batchSizeMax = 0;
};

/** "1,2,4,8,16" → {1, 2, 4, 8, 16}; nullopt (and why in error) unless every item is 1–maxLevel. */
std::optional<QVector<int>> parseLevels(const QString &text, int maxLevel, QString *error = nullptr);

} // namespace orchard
