#include "common/protocol/clientmessage.h"

#include <QJsonDocument>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"

namespace orchard {

ClientMessage ClientMessage::parse(const QByteArray &body)
{
    ClientMessage message;
    message.text = QString::fromUtf8(body);
    if (!startsWithJsonObject(body))
        return message;

    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return message;
    message.object = document.object();
    const QJsonValue action = message.object.value(QStringLiteral("action"));
    if (!action.isString())
        return message;

    message.actionName = action.toString();
    if (message.actionName == QLatin1String("offline")) {
        message.action = Action::Offline;
        message.text = message.object.value(QStringLiteral("text")).toString();
    } else if (message.actionName == QLatin1String("ping")) {
        message.action = Action::Ping;
    } else if (message.actionName == QLatin1String("info")) {
        message.action = Action::Info;
    } else if (message.actionName == QLatin1String("auth")) {
        message.action = Action::Auth;
        message.token = message.object.value(QStringLiteral("token")).toString().toUtf8();
        message.object.remove(QStringLiteral("token")); // keep the secret in one place only
    } else {
        message.action = Action::Other;
    }
    return message;
}

QByteArray ClientMessage::offlineBody(const QString &text)
{
    return compactJson({ { QStringLiteral("action"), QStringLiteral("offline") },
                         { QStringLiteral("text"), text } });
}

QByteArray ClientMessage::authBody(const QByteArray &token)
{
    return compactJson({ { QStringLiteral("action"), QStringLiteral("auth") },
                         { QStringLiteral("token"), QString::fromUtf8(token) } });
}

QByteArray ClientMessage::actionBody(const QString &action)
{
    return compactJson({ { QStringLiteral("action"), action } });
}

} // namespace orchard
