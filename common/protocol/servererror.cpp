#include "common/protocol/servererror.h"

#include <QJsonObject>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"

namespace orchard {

QByteArray serverErrorBody(const ProtocolError &error)
{
    QJsonObject object { { QStringLiteral("code"), errorCodeName(error.code) },
                         { QStringLiteral("message"), error.message } };
    if (error.messageId)
        object.insert(QStringLiteral("msg_id"), *error.messageId);
    return compactJson(object);
}

std::optional<ProtocolError> parseServerErrorBody(const QByteArray &body)
{
    Result<QJsonObject> parsed =
            parseJsonObject(body, ErrorCode::Internal, QStringLiteral("server error"));
    if (!parsed)
        return std::nullopt;
    ProtocolError error;
    error.code = errorCodeFromName(parsed->value(QStringLiteral("code")).toString())
                         .value_or(ErrorCode::Internal);
    error.message = parsed->value(QStringLiteral("message")).toString();
    const QJsonValue id = parsed->value(QStringLiteral("msg_id"));
    if (id.isDouble())
        error.messageId = id.toInteger();
    return error;
}

} // namespace orchard
