#include "client/core/clientsettings.h"

#include <algorithm>

#include <QSettings>

namespace orchard {

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
    loaded.accessToken = settings.value(QStringLiteral("server/accessToken")).toByteArray();
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
    settings.setValue(QStringLiteral("server/accessToken"), accessToken);
    settings.setValue(QStringLiteral("tls/enabled"), useTls);
    settings.setValue(QStringLiteral("predict/sendOriginals"), sendOriginals);
    settings.setValue(QStringLiteral("predict/model"), modelName);
    settings.setValue(QStringLiteral("predict/modelVersion"), modelVersion.value_or(0));
    settings.setValue(QStringLiteral("tls/caFile"), caFile);
    settings.setValue(QStringLiteral("tls/pinnedFingerprint"), pinnedFingerprint);
    settings.setValue(QStringLiteral("display/language"), language);
}

} // namespace orchard
