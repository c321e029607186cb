#include "client/core/historyrecord.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonObject>
#include <QPainter>

namespace orchard {

namespace {

/** JPEG at this quality keeps a 96 px leaf recognisable in about 3 KB (PNG: about 20 KB). */
constexpr int kThumbnailJpegQuality = 80;

QByteArray encodeThumbnail(const QImage &image)
{
    if (image.isNull())
        return {};
    QImage scaled = image;
    if (image.width() > HistoryRecord::kThumbnailSide || image.height() > HistoryRecord::kThumbnailSide)
        scaled = image.scaled(HistoryRecord::kThumbnailSide, HistoryRecord::kThumbnailSide, Qt::KeepAspectRatio,
                              Qt::SmoothTransformation);
    // JPEG has no alpha: a transparent PNG's background becomes white rather than black.
    if (scaled.hasAlphaChannel()) {
        QImage opaque(scaled.size(), QImage::Format_RGB32);
        opaque.fill(Qt::white);
        QPainter(&opaque).drawImage(0, 0, scaled);
        scaled = opaque;
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!scaled.save(&buffer, "JPEG", kThumbnailJpegQuality))
        return {};
    return bytes;
}

} // namespace

HistoryRecord HistoryRecord::ofReply(const QString &filePath, const PredictionReply &reply, const QImage &thumbnail,
                                     const QString &tag, Source source)
{
    HistoryRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.filePath = filePath;
    record.thumbnail = encodeThumbnail(thumbnail);
    record.model = reply.model;
    record.modelVersion = reply.modelVersion;
    record.label = reply.label;
    record.index = reply.index;
    record.confidence = reply.confidence;
    record.topK = reply.topK;
    if (reply.quality) {
        record.qualityWarnings = reply.quality->warnings;
        record.sharpness = reply.quality->sharpness;
        record.brightness = reply.quality->brightness;
    }
    record.uncertain = reply.uncertain;
    record.tag = tag.trimmed();
    record.source = source;
    return record;
}

QImage HistoryRecord::thumbnailImage() const
{
    QImage image;
    if (!thumbnail.isEmpty())
        image.loadFromData(thumbnail, "JPEG");
    return image;
}

QJsonObject HistoryRecord::toJson() const
{
    QJsonObject json{
        {QStringLiteral("id"), id},
        {QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("file"), filePath},
        {QStringLiteral("label"), label},
        {QStringLiteral("index"), index},
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("top_k"), topKJson(topK)},
        {QStringLiteral("quality_warnings"), QJsonArray::fromStringList(qualityWarnings)},
        {QStringLiteral("uncertain"), uncertain},
        {QStringLiteral("model"), model},
        {QStringLiteral("tag"), tag},
        {QStringLiteral("note"), note},
        {QStringLiteral("plant_group"), plantGroup},
        {QStringLiteral("plant_summary"), plantSummary},
        {QStringLiteral("source"), sourceName(source)},
    };
    json.insert(QStringLiteral("model_version"), modelVersion ? QJsonValue(*modelVersion) : QJsonValue());
    return json;
}

QJsonArray HistoryRecord::topKJson(const QVector<LabelScore> &topK)
{
    QJsonArray array;
    for (const LabelScore &score : topK)
        array.append(QJsonObject{{QStringLiteral("label"), score.label},
                                 {QStringLiteral("index"), score.index},
                                 {QStringLiteral("score"), score.score}});
    return array;
}

QString HistoryRecord::sourceName(Source source)
{
    return source == Source::Cli ? QStringLiteral("cli") : QStringLiteral("desktop");
}

} // namespace orchard
