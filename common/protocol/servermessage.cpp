#include "common/protocol/servermessage.h"

#include <QJsonArray>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"

namespace orchard {

namespace {
const QString kKind = QStringLiteral("kind");
} // namespace

ServerMessage ServerMessage::queued(int position, int waiting, int workers)
{
    return ServerMessage({ { kKind, QStringLiteral("queued") },
                           { QStringLiteral("position"), position },
                           { QStringLiteral("waiting"), waiting },
                           { QStringLiteral("workers"), workers } });
}

QJsonObject ModelInputInfo::toJson() const
{
    return { { QStringLiteral("width"), width },       { QStringLiteral("height"), height },
             { QStringLiteral("channels"), channels }, { QStringLiteral("color"), color },
             { QStringLiteral("resize"), resize } };
}

std::optional<ModelInputInfo> ModelInputInfo::fromJson(const QJsonObject &object)
{
    ModelInputInfo input;
    input.width = object.value(QStringLiteral("width")).toInt();
    input.height = object.value(QStringLiteral("height")).toInt();
    input.channels = object.value(QStringLiteral("channels")).toInt();
    input.color = object.value(QStringLiteral("color")).toString();
    input.resize = object.value(QStringLiteral("resize")).toString();
    return input.isValid() ? std::optional<ModelInputInfo>(input) : std::nullopt;
}

QJsonObject ServedModelInfo::toJson() const
{
    QJsonArray versionList;
    for (const qint64 version : versions)
        versionList.append(version);
    QJsonObject object { { QStringLiteral("name"), name },
                         { QStringLiteral("versions"), versionList },
                         { QStringLiteral("labels"), QJsonArray::fromStringList(labels) },
                         { QStringLiteral("default"), isDefault },
                         { QStringLiteral("card"), card.left(kMaxCardLength) } };
    if (input)
        object.insert(QStringLiteral("input"), input->toJson());
    return object;
}

std::optional<ServedModelInfo> ServedModelInfo::fromJson(const QJsonObject &object)
{
    ServedModelInfo model;
    model.name = object.value(QStringLiteral("name")).toString();
    for (const QJsonValue &version : object.value(QStringLiteral("versions")).toArray()) {
        if (version.toInteger(0) > 0)
            model.versions.append(version.toInteger());
    }
    for (const QJsonValue &label : object.value(QStringLiteral("labels")).toArray())
        model.labels.append(label.toString());
    model.isDefault = object.value(QStringLiteral("default")).toBool();
    model.card = object.value(QStringLiteral("card")).toString().left(kMaxCardLength);
    model.input = ModelInputInfo::fromJson(object.value(QStringLiteral("input")).toObject());
    if (model.name.isEmpty() || model.versions.isEmpty())
        return std::nullopt;
    return model;
}

ServerMessage ServerMessage::welcome(const WelcomeInfo &info)
{
    ServerMessage message({ { kKind, QStringLiteral("welcome") },
                           { QStringLiteral("server"), info.server },
                           { QStringLiteral("version"), info.version },
                           { QStringLiteral("model"), info.model },
                           { QStringLiteral("labels"), QJsonArray::fromStringList(info.labels) },
                           { QStringLiteral("max_msg_len"), info.maxMessageLength },
                           { QStringLiteral("encodings"), QJsonArray::fromStringList(info.encodings) },
                           { QStringLiteral("workers"), info.workers },
                           { QStringLiteral("auth_required"), info.authRequired } });
    if (info.input)
        message.m_fields.insert(QStringLiteral("input"), info.input->toJson());
    if (!info.models.isEmpty()) {
        QJsonArray models;
        for (const ServedModelInfo &model : info.models)
            models.append(model.toJson());
        message.m_fields.insert(QStringLiteral("models"), models);
    }
    return message;
}

ServerMessage ServerMessage::offline(const QString &clientText, const QString &timestamp)
{
    const QString text = clientText.isEmpty() ? timestamp : clientText + QLatin1Char(' ') + timestamp;
    return ServerMessage({ { kKind, QStringLiteral("offline") }, { QStringLiteral("text"), text } });
}

ServerMessage ServerMessage::pong()
{
    return ServerMessage({ { kKind, QStringLiteral("pong") } });
}

ServerMessage ServerMessage::info(const QJsonObject &details)
{
    QJsonObject fields = details;
    fields.insert(kKind, QStringLiteral("info"));
    return ServerMessage(fields);
}

ServerMessage ServerMessage::authenticated(const QString &label)
{
    return ServerMessage({ { kKind, QStringLiteral("authenticated") }, { QStringLiteral("label"), label } });
}

ServerMessage ServerMessage::shutdown(const QString &reason)
{
    return ServerMessage({ { kKind, QStringLiteral("shutdown") }, { QStringLiteral("text"), reason } });
}

Result<ServerMessage> ServerMessage::fromBody(const QByteArray &body)
{
    Result<QJsonObject> parsed =
            parseJsonObject(body, ErrorCode::Internal, QStringLiteral("server message"));
    if (!parsed)
        return parsed.error();
    if (!parsed->value(kKind).isString())
        return ProtocolError { ErrorCode::Internal,
                               QStringLiteral("The server message has no \"kind\"."), std::nullopt };
    return ServerMessage(parsed.value());
}

QString ServerMessage::kind() const
{
    return m_fields.value(kKind).toString();
}

QByteArray ServerMessage::toBody() const
{
    return compactJson(m_fields);
}

int ServerMessage::position() const
{
    return m_fields.value(QStringLiteral("position")).toInt();
}

int ServerMessage::waiting() const
{
    return m_fields.value(QStringLiteral("waiting")).toInt();
}

int ServerMessage::workers() const
{
    return m_fields.value(QStringLiteral("workers")).toInt();
}

QString ServerMessage::text() const
{
    return m_fields.value(QStringLiteral("text")).toString();
}

bool ServerMessage::authRequired() const
{
    return m_fields.value(QStringLiteral("auth_required")).toBool();
}

std::optional<WelcomeInfo> ServerMessage::welcomeInfo() const
{
    if (kind() != QLatin1String("welcome"))
        return std::nullopt;
    const auto strings = [this](const QString &key) {
        QStringList list;
        for (const QJsonValue &value : m_fields.value(key).toArray())
            list.append(value.toString());
        return list;
    };
    WelcomeInfo info;
    info.server = m_fields.value(QStringLiteral("server")).toString();
    info.version = m_fields.value(QStringLiteral("version")).toString();
    info.model = m_fields.value(QStringLiteral("model")).toString();
    info.labels = strings(QStringLiteral("labels"));
    info.maxMessageLength = m_fields.value(QStringLiteral("max_msg_len")).toInteger();
    info.encodings = strings(QStringLiteral("encodings"));
    info.workers = workers();
    info.authRequired = authRequired();
    info.input = ModelInputInfo::fromJson(m_fields.value(QStringLiteral("input")).toObject());
    for (const QJsonValue &value : m_fields.value(QStringLiteral("models")).toArray()) {
        if (std::optional<ServedModelInfo> model = ServedModelInfo::fromJson(value.toObject()))
            info.models.append(std::move(*model));
    }
    return info;
}

bool ServerMessage::acceptsBinary() const
{
    return m_fields.value(QStringLiteral("encodings")).toArray().contains(QStringLiteral("binary"));
}

} // namespace orchard
