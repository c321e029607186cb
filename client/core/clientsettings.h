#pragma once

#include <optional>

#include <QString>

namespace orchard {

/** What the client remembers between runs (QSettings: ~/.config/Orchard/orchard-client.conf). */
struct ClientSettings
{
    static constexpr quint16 kDefaultPort = 5050;

    QString host = QStringLiteral("127.0.0.1");
    quint16 port = kDefaultPort;
    int topK = 3;
    bool connectOnStart = true;
    /** Send the photo files themselves, not copies sized to the model (a lab may want them). */
    bool sendOriginals = false;
    /**
     * The model the farmer chose in the window's picker, taken back whenever a server
     * offers it. Empty: the server's default.
     */
    QString modelName;
    /** Its version; nullopt: the latest, so that a newer version the lab adds is used without asking. */
    std::optional<qint64> modelVersion;
    QString lastDirectory;
    /** The field or plot tag new diagnoses are kept under in the history; empty: none. */
    QString historyTag;
    /** The server's access token, if it asks for one. Kept in the settings file, never logged. */
    QByteArray accessToken;
    bool useTls = false;
    QString caFile; ///< PEM CA certificate(s) that sign the server's certificate
    QString pinnedFingerprint; ///< the server certificate's SHA-256, trusted on first use
    /** The windows' language ("en", "zh_CN"); empty: the system's (common/i18n/uilanguage.h). */
    QString language;

    static ClientSettings load();
    void save() const;
};

} // namespace orchard
