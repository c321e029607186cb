#include "server/core/servedmodel.h"

#include "common/inference/pipelineengine.h"

#include <QDir>
#include <QFileInfo>

#include "common/inference/inferenceengine.h"

namespace orchard {

ModelFingerprint ModelFingerprint::of(const QString &versionDirectory)
{
    const QDir folder(versionDirectory);
    const QFileInfo model(folder.filePath(QStringLiteral("model.pt")));
    const QFileInfo manifest(folder.filePath(QStringLiteral("model.json")));
    const QFileInfo card(folder.filePath(QStringLiteral("README.md")));
    ModelFingerprint fingerprint;
    if (model.exists()) {
        fingerprint.modelBytes = model.size();
        fingerprint.modelModified = model.lastModified();
    }
    if (manifest.exists()) {
        fingerprint.manifestBytes = manifest.size();
        fingerprint.manifestModified = manifest.lastModified();
    }
    if (card.exists())
        fingerprint.cardModified = card.lastModified();
    return fingerprint;
}

bool ModelFingerprint::operator==(const ModelFingerprint &other) const
{
    return modelBytes == other.modelBytes && modelModified == other.modelModified
            && manifestBytes == other.manifestBytes && manifestModified == other.manifestModified
            && cardModified == other.cardModified;
}

ServedModel::ServedModel(QString name, qint64 version, QString directory,
                         std::shared_ptr<const InferenceEngine> engine, ModelFingerprint fingerprint, QString card,
                         double loadMs, int maxBatchSize, std::shared_ptr<const PipelineEngine> pipeline)
    : m_name(std::move(name))
    , m_version(version)
    , m_directory(std::move(directory))
    , m_engine(std::move(engine))
    , m_pipeline(std::move(pipeline))
    , m_fingerprint(std::move(fingerprint))
    , m_card(std::move(card))
    , m_loadMs(loadMs)
    , m_maxBatchSize(maxBatchSize)
{
}

ServedModel::~ServedModel() = default;

void ServedModel::countRequest(double totalMs) const
{
    m_requests.fetch_add(1, std::memory_order_relaxed);
    m_totalMicroseconds.fetch_add(static_cast<std::uint64_t>(std::max(0.0, totalMs) * 1000.0),
                                  std::memory_order_relaxed);
}

double ServedModel::meanMs() const
{
    const std::uint64_t requests = m_requests.load(std::memory_order_relaxed);
    if (requests == 0)
        return 0.0;
    return static_cast<double>(m_totalMicroseconds.load(std::memory_order_relaxed)) / 1000.0
            / static_cast<double>(requests);
}

} // namespace orchard
