#pragma once

#include <optional>

#include <QString>

#include "client/core/tokenstore.h"

namespace orchard {

/**
 * What the client remembers between runs (QSettings: ~/.config/Orchard/orchard-client.conf).
 *
 * The access token is the exception: it lives in the system keychain (TokenStore), in the
 * settings file only when the farmer ticked the box for it, or, with no keychain and the
 * box unticked, in memory for this session. load() and save() never ask the keychain and
 * never write, move or remove the token, so that the window's many
 * `ClientSettings saved = load(); saved.x = …; saved.save();` cannot lose it; the token has
 * its own two calls, loadAccessToken() (once at start) and storeAccessToken() (the dialog).
 */
struct ClientSettings
{
    static constexpr quint16 kDefaultPort = 5050;

    /** Where accessToken is kept. */
    enum class TokenPlace {
        NotLookedFor, ///< load() found none in the file and loadAccessToken() has not run
        Nowhere, ///< there is no token
        Keychain,
        SettingsFile,
        ThisSession, ///< in memory only: no keychain, and the farmer did not want the file
    };

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
    /** The server's access token, if it asks for one; never logged. Where it is: tokenPlace. */
    QByteArray accessToken;
    /**
     * The farmer ticked "Store the token in the settings file": the file, readable by anyone
     * with access to the account, rather than the keychain. Also set for a token an older
     * Orchard left in the file while no keychain can take it.
     */
    bool tokenInSettingsFile = false;
    TokenPlace tokenPlace = TokenPlace::NotLookedFor;
    /** Why the keychain could not be used when it was last asked here; isNone() otherwise. */
    TokenStore::Problem keychainProblem;
    bool useTls = false;
    QString caFile; ///< PEM CA certificate(s) that sign the server's certificate
    QString pinnedFingerprint; ///< the server certificate's SHA-256, trusted on first use
    /** The windows' language ("en", "zh_CN"); empty: the system's (common/i18n/uilanguage.h). */
    QString language;

    /** Everything from the settings file, a token kept there included; never asks the keychain. */
    static ClientSettings load();
    /** Writes everything but the token and where it is kept (see storeAccessToken()). */
    void save() const;

    /**
     * Fills in the token from where it is kept: the settings file when the farmer chose it,
     * otherwise the keychain (one keychain question: call it once, at start). A token an
     * older Orchard left in the file moves into the keychain and out of the file; with no
     * keychain it stays there and is reported as kept in the settings file.
     */
    void loadAccessToken(const TokenStore &store = TokenStore());

    /**
     * Keeps token (empty: none) where the farmer chose: in the settings file when
     * inSettingsFile, otherwise in the keychain, or for this session only when no keychain
     * takes it. It is removed from the other place, and the fields here say the outcome.
     */
    TokenPlace storeAccessToken(const QByteArray &token, bool inSettingsFile, const TokenStore &store = TokenStore());
};

} // namespace orchard
