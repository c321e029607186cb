#include "common/protocol/predictionreply.h"

#include <QJsonArray>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"
#include "common/protocol/jsonwriter.h"

namespace orchard {

QJsonObject PredictionReply::toJson() const
{
    QJsonArray top;
    for (const LabelScore &entry : topK) {
        top.append(QJsonObject { { QStringLiteral("label"), entry.label },
                                 { QStringLiteral("index"), entry.index },
                                 { QStringLiteral("score"), entry.score } });
    }
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
        { QStringLiteral("timing_ms"),
          QJsonObject { { QStringLiteral("wait"), timing.wait },
                        { QStringLiteral("decode"), timing.decode },
                        { QStringLiteral("preprocess"), timing.preprocess },
                        { QStringLiteral("queue"), timing.queue },
                        { QStringLiteral("infer"), timing.infer },
                        { QStringLiteral("total"), timing.total } } },
    };
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
    json.key("timing_ms")
            .beginObject()
            .key("decode").value(timing.decode)
            .key("infer").value(timing.infer)
            .key("preprocess").value(timing.preprocess)
            .key("queue").value(timing.queue)
            .key("total").value(timing.total)
            .key("wait").value(timing.wait)
            .endObject();
    json.key("top_k").beginArray();
    for (const LabelScore &entry : topK)
        json.beginObject().key("index").value(entry.index).key("label").value(entry.label).key("score").value(entry.score).endObject();
    json.endArray();
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
    const QJsonArray top = object.value(QStringLiteral("top_k")).toArray();
    for (const QJsonValue &entry : top) {
        const QJsonObject item = entry.toObject();
        reply.topK.append({ item.value(QStringLiteral("label")).toString(),
                            item.value(QStringLiteral("index")).toInt(),
                            item.value(QStringLiteral("score")).toDouble() });
    }
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
