#include "client/core/clientsettings.h"

#include <algorithm>

#include <QSettings>

namespace orchard {

namespace {
/** Where the token is in the file: the key older versions wrote it under, kept for migration. */
const QString kTokenKey = QStringLiteral("server/accessToken");
/** The farmer's "Store the token in the settings file". */
const QString kTokenInFileKey = QStringLiteral("server/tokenInSettingsFile");
} // namespace

ClientSettings ClientSettings::load()
{
    const QSettings settings;
    ClientSettings loaded;
    loaded.host = settings.value(QStringLiteral("server/host"), loaded.host).toString();
    const int port = settings.value(QStringLiteral("server/port"), loaded.port).toInt();
    loaded.port = port > 0 && port < 65536 ? static_cast<quint16>(port) : kDefaultPort;
    loaded.topK = std::clamp(settings.value(QStringLiteral("predict/topK"), loaded.topK).toInt(), 1, 20);
    loaded.connectOnStart = settings.value(QStringLiteral("server/connectOnStart"), loaded.connectOnStart).toBool();
    loaded.lastDirectory = settings.value(QStringLiteral("files/lastDirectory")).toString();
    loaded.historyTag = settings.value(QStringLiteral("history/tag")).toString();
    // A token in the file is read here (it costs nothing); one in the keychain only by
    // loadAccessToken(). One without the box ticked is an older Orchard's, kept in the file
    // until loadAccessToken() moves it.
    loaded.accessToken = settings.value(kTokenKey).toByteArray();
    const bool chosenFile = settings.value(kTokenInFileKey, false).toBool();
    loaded.tokenInSettingsFile = chosenFile || !loaded.accessToken.isEmpty();
    if (!loaded.accessToken.isEmpty())
        loaded.tokenPlace = TokenPlace::SettingsFile;
    else if (chosenFile)
        loaded.tokenPlace = TokenPlace::Nowhere;
    loaded.useTls = settings.value(QStringLiteral("tls/enabled"), false).toBool();
    loaded.sendOriginals = settings.value(QStringLiteral("predict/sendOriginals"), false).toBool();
    loaded.modelName = settings.value(QStringLiteral("predict/model")).toString();
    // 0, absent or not a number: the latest version (a hand-edited file must not pin version 0).
    const qint64 version = settings.value(QStringLiteral("predict/modelVersion")).toLongLong();
    if (!loaded.modelName.isEmpty() && version > 0)
        loaded.modelVersion = version;
    loaded.caFile = settings.value(QStringLiteral("tls/caFile")).toString();
    loaded.pinnedFingerprint = settings.value(QStringLiteral("tls/pinnedFingerprint")).toString();
    loaded.language = settings.value(QStringLiteral("display/language")).toString();
    return loaded;
}

void ClientSettings::save() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("server/host"), host);
    settings.setValue(QStringLiteral("server/port"), port);
    settings.setValue(QStringLiteral("predict/topK"), topK);
    settings.setValue(QStringLiteral("server/connectOnStart"), connectOnStart);
    settings.setValue(QStringLiteral("files/lastDirectory"), lastDirectory);
    settings.setValue(QStringLiteral("history/tag"), historyTag);
    settings.setValue(QStringLiteral("tls/enabled"), useTls);
    settings.setValue(QStringLiteral("predict/sendOriginals"), sendOriginals);
    settings.setValue(QStringLiteral("predict/model"), modelName);
    settings.setValue(QStringLiteral("predict/modelVersion"), modelVersion.value_or(0));
    settings.setValue(QStringLiteral("tls/caFile"), caFile);
    settings.setValue(QStringLiteral("tls/pinnedFingerprint"), pinnedFingerprint);
    settings.setValue(QStringLiteral("display/language"), language);
}

void ClientSettings::loadAccessToken(const TokenStore &store)
{
    QSettings settings;
    const QByteArray fileToken = settings.value(kTokenKey).toByteArray();
    keychainProblem = {};
    if (settings.value(kTokenInFileKey, false).toBool()) {
        accessToken = fileToken;
        tokenInSettingsFile = true;
        tokenPlace = fileToken.isEmpty() ? TokenPlace::Nowhere : TokenPlace::SettingsFile;
        return;
    }
    if (!fileToken.isEmpty()) {
        // Left by an Orchard that kept every token in the file. Not marked in the file as
        // the farmer's choice when no keychain takes it, so that the move is tried again
        // at the next start, and the farmer's own choice in the dialog still decides.
        accessToken = fileToken;
        const TokenStore::Answer written = store.write(fileToken);
        if (written.outcome == TokenStore::Answer::Outcome::Done) {
            settings.remove(kTokenKey);
            tokenInSettingsFile = false;
            tokenPlace = TokenPlace::Keychain;
        } else {
            tokenInSettingsFile = true;
            tokenPlace = TokenPlace::SettingsFile;
            keychainProblem = written.problem;
        }
        return;
    }
    const TokenStore::Answer read = store.read();
    tokenInSettingsFile = false;
    accessToken = read.token;
    tokenPlace = accessToken.isEmpty() ? TokenPlace::Nowhere : TokenPlace::Keychain;
    keychainProblem = read.problem;
}

ClientSettings::TokenPlace ClientSettings::storeAccessToken(const QByteArray &token, bool inSettingsFile,
                                                            const TokenStore &store)
{
    QSettings settings;
    accessToken = token;
    tokenInSettingsFile = inSettingsFile;
    settings.setValue(kTokenInFileKey, inSettingsFile);
    if (inSettingsFile) {
        if (token.isEmpty())
            settings.remove(kTokenKey);
        else
            settings.setValue(kTokenKey, token);
        // Not in two places: a copy the keychain kept goes (with no keychain there is none).
        keychainProblem = store.remove().problem;
        tokenPlace = token.isEmpty() ? TokenPlace::Nowhere : TokenPlace::SettingsFile;
        return tokenPlace;
    }
    // Out of the file whatever the keychain answers: the farmer did not want it there.
    settings.remove(kTokenKey);
    const TokenStore::Answer answer = token.isEmpty() ? store.remove() : store.write(token);
    keychainProblem = answer.problem;
    if (token.isEmpty())
        tokenPlace = TokenPlace::Nowhere;
    else
        tokenPlace = answer.outcome == TokenStore::Answer::Outcome::Done ? TokenPlace::Keychain : TokenPlace::ThisSession;
    return tokenPlace;
}

} // namespace orchard
