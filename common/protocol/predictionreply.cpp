#include "common/protocol/predictionreply.h"

#include <QJsonArray>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"

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
                        { QStringLiteral("infer"), timing.infer },
                        { QStringLiteral("total"), timing.total } } },
    };
    if (messageId)
        object.insert(QStringLiteral("msg_id"), *messageId);
    if (!advice.isEmpty())
        object.insert(QStringLiteral("advice"), advice);
    return object;
}

QByteArray PredictionReply::toBody() const
{
    return compactJson(toJson());
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
    reply.timing.infer = timing.value(QStringLiteral("infer")).toDouble();
    reply.timing.total = timing.value(QStringLiteral("total")).toDouble();
    return reply;
}

} // namespace orchard
