#include "common/protocol/predictionreply.h"

#include <QJsonArray>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"
#include "common/protocol/jsonwriter.h"

namespace orchard {

namespace {

// A top-k list and a detection, each written the same way at the top level and in every
// detection, and in both writers (toJson() and toBody() must give the same bytes).

QJsonArray topKJson(const QVector<LabelScore> &topK)
{
    QJsonArray top;
    for (const LabelScore &entry : topK) {
        top.append(QJsonObject { { QStringLiteral("label"), entry.label },
                                 { QStringLiteral("index"), entry.index },
                                 { QStringLiteral("score"), entry.score } });
    }
    return top;
}

void writeTopK(JsonWriter &json, const QVector<LabelScore> &topK)
{
    json.key("top_k").beginArray();
    for (const LabelScore &entry : topK)
        json.beginObject().key("index").value(entry.index).key("label").value(entry.label).key("score").value(entry.score).endObject();
    json.endArray();
}

QJsonObject detectionJson(const DetectionReport &detection)
{
    QJsonObject object {
        { QStringLiteral("box"),
          QJsonObject { { QStringLiteral("x"), detection.box.x },
                        { QStringLiteral("y"), detection.box.y },
                        { QStringLiteral("width"), detection.box.width },
                        { QStringLiteral("height"), detection.box.height } } },
        { QStringLiteral("label"), detection.label },
        { QStringLiteral("index"), detection.index },
        { QStringLiteral("confidence"), detection.confidence },
        { QStringLiteral("score"), detection.score },
        { QStringLiteral("top_k"), topKJson(detection.topK) },
        { QStringLiteral("uncertain"), detection.uncertain },
    };
    if (!detection.advice.isEmpty())
        object.insert(QStringLiteral("advice"), detection.advice);
    return object;
}

void writeDetection(JsonWriter &json, const DetectionReport &detection)
{
    json.beginObject();
    if (!detection.advice.isEmpty())
        json.key("advice").value(detection.advice);
    json.key("box").beginObject().key("height").value(detection.box.height).key("width").value(detection.box.width);
    json.key("x").value(detection.box.x).key("y").value(detection.box.y).endObject();
    json.key("confidence").value(detection.confidence);
    json.key("index").value(detection.index);
    json.key("label").value(detection.label);
    json.key("score").value(detection.score);
    writeTopK(json, detection.topK);
    json.key("uncertain").value(detection.uncertain);
    json.endObject();
}

QVector<LabelScore> topKFromJson(const QJsonValue &value)
{
    QVector<LabelScore> topK;
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonObject item = entry.toObject();
        topK.append({ item.value(QStringLiteral("label")).toString(), item.value(QStringLiteral("index")).toInt(),
                      item.value(QStringLiteral("score")).toDouble() });
    }
    return topK;
}

} // namespace

QString PredictionReply::nothingFound()
{
    return QStringLiteral("nothing found");
}

QJsonObject PredictionReply::toJson() const
{
    const QJsonArray top = topKJson(topK);
    QJsonObject timingObject { { QStringLiteral("wait"), timing.wait },
                               { QStringLiteral("decode"), timing.decode },
                               { QStringLiteral("preprocess"), timing.preprocess },
                               { QStringLiteral("queue"), timing.queue },
                               { QStringLiteral("infer"), timing.infer },
                               { QStringLiteral("total"), timing.total } };
    if (timing.detect)
        timingObject.insert(QStringLiteral("detect"), *timing.detect);
    if (timing.classify)
        timingObject.insert(QStringLiteral("classify"), *timing.classify);
    QJsonObject object {
        { QStringLiteral("name"), name },
        { QStringLiteral("model"), model },
        { QStringLiteral("label"), label },
        { QStringLiteral("index"), index },
        { QStringLiteral("confidence"), confidence },
        { QStringLiteral("top_k"), top },
        { QStringLiteral("image"),
          QJsonObject { { QStringLiteral("width"), imageWidth },
                        { QStringLiteral("height"), imageHeight } } },
        { QStringLiteral("timing_ms"), timingObject },
    };
    if (detections) {
        QJsonArray found;
        for (const DetectionReport &detection : *detections)
            found.append(detectionJson(detection));
        object.insert(QStringLiteral("detections"), found);
    }
    if (droppedDetections > 0)
        object.insert(QStringLiteral("detections_dropped"), droppedDetections);
    if (batchSize > 0)
        object.insert(QStringLiteral("batch_size"), batchSize);
    if (messageId)
        object.insert(QStringLiteral("msg_id"), *messageId);
    if (modelVersion)
        object.insert(QStringLiteral("model_version"), *modelVersion);
    if (!advice.isEmpty())
        object.insert(QStringLiteral("advice"), advice);
    if (quality)
        object.insert(QStringLiteral("quality"),
                      QJsonObject { { QStringLiteral("sharpness"), quality->sharpness },
                                    { QStringLiteral("brightness"), quality->brightness },
                                    { QStringLiteral("warnings"), QJsonArray::fromStringList(quality->warnings) } });
    object.insert(QStringLiteral("uncertain"), uncertain);
    return object;
}

QByteArray PredictionReply::toBody() const
{
    // The members of toJson(), written directly (JsonWriter says why), in QJsonObject's
    // sorted key order so that the bytes are the same: tests compare the two.
    JsonWriter json;
    json.beginObject();
    if (!advice.isEmpty())
        json.key("advice").value(advice);
    if (batchSize > 0)
        json.key("batch_size").value(batchSize);
    json.key("confidence").value(confidence);
    if (detections) {
        json.key("detections").beginArray();
        for (const DetectionReport &detection : *detections)
            writeDetection(json, detection);
        json.endArray();
    }
    if (droppedDetections > 0)
        json.key("detections_dropped").value(droppedDetections);
    json.key("image").beginObject().key("height").value(imageHeight).key("width").value(imageWidth).endObject();
    json.key("index").value(index);
    json.key("label").value(label);
    json.key("model").value(model);
    if (modelVersion)
        json.key("model_version").value(*modelVersion);
    if (messageId)
        json.key("msg_id").value(*messageId);
    json.key("name").value(name);
    if (quality) {
        json.key("quality").beginObject().key("brightness").value(quality->brightness);
        json.key("sharpness").value(quality->sharpness).key("warnings").beginArray();
        for (const QString &warning : quality->warnings)
            json.value(warning);
        json.endArray().endObject();
    }
    json.key("timing_ms").beginObject();
    if (timing.classify)
        json.key("classify").value(*timing.classify);
    json.key("decode").value(timing.decode);
    if (timing.detect)
        json.key("detect").value(*timing.detect);
    json.key("infer").value(timing.infer)
            .key("preprocess").value(timing.preprocess)
            .key("queue").value(timing.queue)
            .key("total").value(timing.total)
            .key("wait").value(timing.wait)
            .endObject();
    writeTopK(json, topK);
    json.key("uncertain").value(uncertain);
    json.endObject();
    return json.take();
}

Result<PredictionReply> PredictionReply::fromBody(const QByteArray &body)
{
    Result<QJsonObject> parsed =
            parseJsonObject(body, ErrorCode::Internal, QStringLiteral("prediction reply"));
    if (!parsed)
        return parsed.error();
    const QJsonObject &object = parsed.value();
    if (!object.value(QStringLiteral("label")).isString()
        || !object.value(QStringLiteral("confidence")).isDouble()) {
        return ProtocolError { ErrorCode::Internal,
                               QStringLiteral("The prediction reply has no label or confidence."),
                               std::nullopt };
    }

    PredictionReply reply;
    const QJsonValue id = object.value(QStringLiteral("msg_id"));
    if (id.isDouble())
        reply.messageId = id.toInteger();
    reply.name = object.value(QStringLiteral("name")).toString();
    reply.model = object.value(QStringLiteral("model")).toString();
    const QJsonValue version = object.value(QStringLiteral("model_version"));
    if (version.isDouble() && version.toInteger(0) > 0)
        reply.modelVersion = version.toInteger();
    reply.label = object.value(QStringLiteral("label")).toString();
    reply.index = object.value(QStringLiteral("index")).toInt();
    reply.confidence = object.value(QStringLiteral("confidence")).toDouble();
    reply.advice = object.value(QStringLiteral("advice")).toString();
    reply.topK = topKFromJson(object.value(QStringLiteral("top_k")));
    const QJsonObject image = object.value(QStringLiteral("image")).toObject();
    reply.imageWidth = image.value(QStringLiteral("width")).toInt();
    reply.imageHeight = image.value(QStringLiteral("height")).toInt();
    const QJsonObject timing = object.value(QStringLiteral("timing_ms")).toObject();
    reply.timing.wait = timing.value(QStringLiteral("wait")).toDouble();
    reply.timing.decode = timing.value(QStringLiteral("decode")).toDouble();
    reply.timing.preprocess = timing.value(QStringLiteral("preprocess")).toDouble();
    reply.timing.queue = timing.value(QStringLiteral("queue")).toDouble();
    reply.timing.infer = timing.value(QStringLiteral("infer")).toDouble();
    reply.batchSize = object.value(QStringLiteral("batch_size")).toInt(0);
    reply.timing.total = timing.value(QStringLiteral("total")).toDouble();
    if (timing.value(QStringLiteral("detect")).isDouble())
        reply.timing.detect = timing.value(QStringLiteral("detect")).toDouble();
    if (timing.value(QStringLiteral("classify")).isDouble())
        reply.timing.classify = timing.value(QStringLiteral("classify")).toDouble();
    const QJsonValue found = object.value(QStringLiteral("detections"));
    if (found.isArray()) {
        QVector<DetectionReport> detections;
        for (const QJsonValue &entry : found.toArray()) {
            const QJsonObject item = entry.toObject();
            const QJsonObject box = item.value(QStringLiteral("box")).toObject();
            if (!item.value(QStringLiteral("label")).isString() || !box.value(QStringLiteral("width")).isDouble()) {
                return ProtocolError { ErrorCode::Internal,
                                       QStringLiteral("A detection in the prediction reply has no label or box."),
                                       std::nullopt };
            }
            DetectionReport detection;
            detection.box = { box.value(QStringLiteral("x")).toInt(), box.value(QStringLiteral("y")).toInt(),
                              box.value(QStringLiteral("width")).toInt(), box.value(QStringLiteral("height")).toInt() };
            detection.label = item.value(QStringLiteral("label")).toString();
            detection.index = item.value(QStringLiteral("index")).toInt();
            detection.confidence = item.value(QStringLiteral("confidence")).toDouble();
            detection.score = item.value(QStringLiteral("score")).toDouble();
            detection.topK = topKFromJson(item.value(QStringLiteral("top_k")));
            detection.advice = item.value(QStringLiteral("advice")).toString();
            detection.uncertain = item.value(QStringLiteral("uncertain")).toBool(false);
            detections.append(detection);
        }
        reply.detections = detections;
    }
    reply.droppedDetections = object.value(QStringLiteral("detections_dropped")).toInt(0);
    // Both optional: a server before photo quality sends neither.
    const QJsonValue quality = object.value(QStringLiteral("quality"));
    if (quality.isObject()) {
        const QJsonObject fields = quality.toObject();
        PhotoQualityReport report;
        report.sharpness = fields.value(QStringLiteral("sharpness")).toDouble();
        report.brightness = fields.value(QStringLiteral("brightness")).toDouble();
        for (const QJsonValue &warning : fields.value(QStringLiteral("warnings")).toArray()) {
            if (warning.isString())
                report.warnings.append(warning.toString());
        }
        reply.quality = report;
    }
    reply.uncertain = object.value(QStringLiteral("uncertain")).toBool(false);
    return reply;
}

} // namespace orchard
