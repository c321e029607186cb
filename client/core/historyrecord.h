#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include "common/protocol/labelscore.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

/**
 * One diagnosis as the history keeps it: what was found, where (the file, the farmer's
 * field/plot tag), when, by which model, and how far it can be trusted (quality warnings,
 * "not sure"). The row type of HistoryStore, the History tab and `orchard-cli history`.
 */
struct HistoryRecord
{
    /** Which program made the diagnosis. */
    enum class Source { Desktop, Cli };

    qint64 id = 0; ///< 0 until stored
    QDateTime time; ///< when the answer came, UTC
    QString filePath; ///< absolute where known
    QByteArray thumbnail; ///< JPEG, at most kThumbnailSide on its longer side; may be empty
    QString model;
    std::optional<qint64> modelVersion;
    QString label;
    int index = 0;
    double confidence = 0.0;
    QVector<LabelScore> topK;
    QStringList qualityWarnings; ///< "blurry", "dark"…; empty when none or not said
    std::optional<double> sharpness; ///< absent when the server did not measure it
    std::optional<double> brightness;
    bool uncertain = false;
    /** Photos diagnosed together as one plant share this (a UUID); empty for a photo alone. */
    QString plantGroup;
    /** The plant's verdict in words ("4 of 5 photos: Scab"), for each photo of the group. */
    QString plantSummary;
    QString tag; ///< the field or plot, as the farmer names it
    QString note; ///< free text the farmer adds later
    Source source = Source::Desktop;

    static constexpr int kThumbnailSide = 96;

    /**
     * The record of one answered photo, made now. The thumbnail is the given image
     * scaled to kThumbnailSide and stored as JPEG (about 3 KB); a null image stores none.
     */
    static HistoryRecord ofReply(const QString &filePath, const PredictionReply &reply, const QImage &thumbnail,
                                 const QString &tag, Source source);

    /** The thumbnail as an image; null when there is none or it cannot be read. */
    QImage thumbnailImage() const;

    /**
     * One JSON object, as `orchard-cli history --json` prints it: id, time (ISO 8601 UTC),
     * file, label, index, confidence, top_k, quality_warnings, uncertain, model,
     * model_version, tag, note, plant_group, plant_summary, source. No thumbnail.
     */
    QJsonObject toJson() const;

    static QString sourceName(Source source);
    /** A top-k list as the reply's "top_k" array spells it: what toJson() and the store's column hold. */
    static QJsonArray topKJson(const QVector<LabelScore> &topK);
};

} // namespace orchard
