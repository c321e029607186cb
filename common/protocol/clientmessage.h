#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace orchard {

/**
 * A CLIENT_MESSAGE body. In the original protocol this type only ever meant "I am going
 * offline", with free text; we keep that meaning for anything that is not a JSON object
 * naming another action, so the original clients still go offline cleanly.
 */
struct ClientMessage
{
    enum class Action {
        Offline, ///< text, or {"action":"offline","text":...}: reply `offline`, then close
        Ping,    ///< {"action":"ping"}: reply `pong`
        Info,    ///< {"action":"info"}: reply `info`
        Auth,    ///< {"action":"auth","token":…}: the access token, first on a server that asks
        Other,   ///< a JSON action this server does not know: UNKNOWN_TYPE, session continues
    };

    Action action = Action::Offline;
    QString actionName; ///< the "action" text as received
    QString text;       ///< the offline text: the whole body, or the JSON "text" field
    QByteArray token;   ///< auth: the access token (never log it)
    QJsonObject object; ///< the JSON form's fields, empty for plain text

    /** Never fails: whatever cannot be read as an action is an offline message. */
    static ClientMessage parse(const QByteArray &body);

    static QByteArray offlineBody(const QString &text);
    static QByteArray actionBody(const QString &action);
    static QByteArray authBody(const QByteArray &token);
};

} // namespace orchard
