#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace orchard {

class InferenceEngine;
class PipelineEngine;

/**
 * What a version folder's files were when it was loaded: their sizes and modification
 * times. --model-control poll reloads a version whose fingerprint changed (a model.pt
 * replaced in place) and does not retry one that failed until its files change.
 */
struct ModelFingerprint
{
    qint64 modelBytes = -1;
    QDateTime modelModified;
    qint64 manifestBytes = -1;
    QDateTime manifestModified;
    QDateTime cardModified;

    /** The fingerprint of the version folder's model.pt, model.json and README.md now. */
    static ModelFingerprint of(const QString &versionDirectory);
    bool operator==(const ModelFingerprint &other) const;
    bool operator!=(const ModelFingerprint &other) const { return !(*this == other); }
};

/**
 * One loaded, warmed version of one model, as requests use it.
 *
 * Immutable once made, but for its request counters. Sessions hold it through a
 * shared_ptr for exactly one request each, so a version taken out of the catalog is freed
 * when the last request that started on it has its reply: nothing waits for it, and
 * nothing it answers changes model half-way.
 */
class ServedModel
{
public:
    ServedModel(QString name, qint64 version, QString directory, std::shared_ptr<const InferenceEngine> engine,
                ModelFingerprint fingerprint, QString card, double loadMs, int maxBatchSize = 0,
                std::shared_ptr<const PipelineEngine> pipeline = nullptr);
    ~ServedModel();
    ServedModel(const ServedModel &) = delete;
    ServedModel &operator=(const ServedModel &) = delete;

    const QString &name() const { return m_name; }
    qint64 version() const { return m_version; }
    const QString &directory() const { return m_directory; }
    const InferenceEngine &engine() const { return *m_engine; }
    const std::shared_ptr<const InferenceEngine> &sharedEngine() const { return m_engine; }
    /**
     * A pipeline (model.json "kind": "pipeline"): what answers its requests. engine() is
     * then its classifier, whose labels, advice and manifest describe the answers. Null
     * for a plain model.
     */
    const PipelineEngine *pipeline() const { return m_pipeline.get(); }
    const ModelFingerprint &fingerprint() const { return m_fingerprint; }
    /** The model card (README.md), for the clients' tooltips; empty when there is none. */
    const QString &card() const { return m_card; }
    /** How long loading and warming it took. */
    double loadMs() const { return m_loadMs; }
    /** config.json's max_batch_size when the version was loaded; 0: the server's --max-batch. */
    int maxBatchSize() const { return m_maxBatchSize; }

    /** A request this version answered (any thread): its total milliseconds. */
    void countRequest(double totalMs) const;
    std::uint64_t requests() const { return m_requests.load(std::memory_order_relaxed); }
    /** Mean total milliseconds of the requests it answered; 0 before the first. */
    double meanMs() const;

private:
    QString m_name;
    qint64 m_version;
    QString m_directory;
    std::shared_ptr<const InferenceEngine> m_engine;
    std::shared_ptr<const PipelineEngine> m_pipeline;
    ModelFingerprint m_fingerprint;
    QString m_card;
    double m_loadMs;
    int m_maxBatchSize;
    mutable std::atomic<std::uint64_t> m_requests { 0 };
    mutable std::atomic<std::uint64_t> m_totalMicroseconds { 0 };
};

} // namespace orchard
