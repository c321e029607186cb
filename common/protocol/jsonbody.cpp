#include "common/protocol/jsonbody.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace orchard {

Result<QJsonObject> parseJsonObject(const QByteArray &body, ErrorCode code, const QString &what)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return ProtocolError { code,
                               QStringLiteral("The %1 is not valid JSON (%2 at byte %3).")
                                       .arg(what, parseError.errorString())
                                       .arg(parseError.offset),
                               std::nullopt };
    if (!document.isObject())
        return ProtocolError { code, QStringLiteral("The %1 must be a JSON object.").arg(what),
                               std::nullopt };
    return document.object();
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool startsWithJsonObject(const QByteArray &body)
{
    for (const char c : body) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{';
    }
    return false;
}

} // namespace orchard
