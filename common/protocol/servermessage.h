#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "common/protocol/result.h"

namespace orchard {

/** What a server says in a `welcome`: who it is and what it accepts. */
/**
 * What the model looks at, as `welcome` and `info` advertise it: a client need not send
 * more pixels than this (the Orchard client sends at most twice it on each side).
 */
struct ModelInputInfo
{
    int width = 0;
    int height = 0;
    int channels = 0;
    QString color; ///< "gray", "rgb" or "bgr"
    QString resize; ///< "area", "linear" or "letterbox"

    bool isValid() const { return width > 0 && height > 0 && channels > 0; }
    bool operator==(const ModelInputInfo &other) const
    {
        return width == other.width && height == other.height && channels == other.channels
                && color == other.color && resize == other.resize;
    }
    bool operator!=(const ModelInputInfo &other) const { return !(*this == other); }
    QJsonObject toJson() const;
    /** nullopt unless the object names a positive width, height and channels. */
    static std::optional<ModelInputInfo> fromJson(const QJsonObject &object);
};

/** One model a server serves, as `welcome` and `info` list them (docs/protocol.md). */
struct ServedModelInfo
{
    /** The card text sent for a tooltip is cut to this many characters. */
    static constexpr int kMaxCardLength = 2000;

    QString name; ///< what a request's "model" names
    QList<qint64> versions; ///< ascending; a request without "model_version" gets the last
    QStringList labels; ///< of the latest version
    std::optional<ModelInputInfo> input; ///< of the latest version
    bool isDefault = false; ///< what a request that names no model gets
    QString card; ///< the model card (its README.md), for people choosing a model

    qint64 latestVersion() const { return versions.isEmpty() ? 0 : versions.last(); }
    bool operator==(const ServedModelInfo &other) const
    {
        return name == other.name && versions == other.versions && labels == other.labels
                && input == other.input && isDefault == other.isDefault && card == other.card;
    }
    QJsonObject toJson() const;
    /** nullopt unless the object has a name and at least one positive version. */
    static std::optional<ServedModelInfo> fromJson(const QJsonObject &object);
};

struct WelcomeInfo
{
    QString server = QStringLiteral("Orchard");
    QString version;
    QString model;
    QStringList labels;
    qint64 maxMessageLength = 0;
    QStringList encodings { QStringLiteral("base64"), QStringLiteral("binary") };
    int workers = 0;
    bool authRequired = false; ///< the client must send {"action":"auth"} first
    /** The model's input; the original server and older Orchard servers say nothing. */
    std::optional<ModelInputInfo> input;
    /**
     * Every model served, the default among them; model, labels and input above are the
     * default model's, for clients that know of one model only. Empty from servers that
     * serve one model and say nothing more (the original, older Orchard servers).
     */
    QList<ServedModelInfo> models;

    /** Whether the server takes raw (binary) image bodies. */
    bool acceptsBinary() const { return encodings.contains(QStringLiteral("binary")); }
};

/**
 * The body of SERVER_MESSAGE: a `kind` and the fields that kind carries.
 *
 * Kinds: queued, welcome, offline, pong, info, shutdown. The object keeps every field it
 * was given, so a newer server's extra fields reach a client that looks for them.
 */
class ServerMessage
{
public:
    /** position: 1 = next; waiting: how many wait in all; workers: the pool's size. */
    static ServerMessage queued(int position, int waiting, int workers);
    static ServerMessage welcome(const WelcomeInfo &info);
    /** The reply to an offline message: the client's text followed by a timestamp. */
    static ServerMessage offline(const QString &clientText, const QString &timestamp);
    static ServerMessage pong();
    static ServerMessage info(const QJsonObject &details);
    static ServerMessage shutdown(const QString &reason = QStringLiteral("The server is shutting down."));
    /** The reply to a valid access token: who the server now knows the client as. */
    static ServerMessage authenticated(const QString &label);

    /** INTERNAL when the body is not a JSON object with a "kind". */
    static Result<ServerMessage> fromBody(const QByteArray &body);

    QString kind() const;
    const QJsonObject &fields() const { return m_fields; }
    QByteArray toBody() const;

    /** queued: 1-based place in the line of connections waiting for a worker. */
    int position() const;
    /** queued: how many connections wait in all (position is among them). */
    int waiting() const;
    /** queued, welcome: how many workers the server has. */
    int workers() const;
    /** offline: the echoed text with its timestamp; shutdown: the reason. */
    QString text() const;
    /** welcome: whether the server takes raw (binary) image bodies. */
    bool acceptsBinary() const;
    /** welcome: whether the first message must be the access token. */
    bool authRequired() const;
    /**
     * welcome: its fields, typed, as welcome() was given them; nullopt for another kind.
     * A field the server left out reads as empty or 0 (no encodings: base64 only).
     */
    std::optional<WelcomeInfo> welcomeInfo() const;

private:
    explicit ServerMessage(QJsonObject fields) : m_fields(std::move(fields)) { }
    QJsonObject m_fields;
};

} // namespace orchard
