#include "tests/support/modelrepositoryfixture.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "common/inference/inferenceengine.h"

namespace orchard::test {

Repository::Repository()
{
    REQUIRE(m_dir.isValid());
}

QString Repository::versionPath(const QString &name, qint64 version) const
{
    return QDir(m_dir.path()).filePath(QStringLiteral("%1/%2").arg(name).arg(version));
}

void Repository::addVersion(const QString &name, qint64 version) const
{
    const QDir shipped(InferenceEngine::defaultModelDirectory());
    const QString folder = versionPath(name, version);
    REQUIRE(QDir().mkpath(folder));
    for (const QString &file : { QStringLiteral("model.pt"), QStringLiteral("model.json"), QStringLiteral("README.md") })
        REQUIRE(QFile::copy(shipped.filePath(file), QDir(folder).filePath(file)));
}

void Repository::addGarbageVersion(const QString &name, qint64 version) const
{
    addVersion(name, version);
    write(QDir(versionPath(name, version)).filePath(QStringLiteral("model.pt")), "these are not weights");
}

void Repository::addMislabelledVersion(const QString &name, qint64 version) const
{
    addVersion(name, version);
    const QString manifestPath = QDir(versionPath(name, version)).filePath(QStringLiteral("model.json"));
    QFile file(manifestPath);
    REQUIRE(file.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    manifest.insert(QStringLiteral("labels"), QJsonArray { "one", "two", "three" });
    manifest.remove(QStringLiteral("descriptions"));
    write(manifestPath, QJsonDocument(manifest).toJson());
}

void Repository::removeVersion(const QString &name, qint64 version) const
{
    REQUIRE(QDir(versionPath(name, version)).removeRecursively());
}

void Repository::writeConfig(const QString &name, const QByteArray &json) const
{
    write(QDir(m_dir.path()).filePath(name + QStringLiteral("/config.json")), json);
}

void Repository::write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(file.write(bytes) == bytes.size());
}

RepositoryServer::RepositoryServer(const Repository &repository, ModelControl control, ServerConfig config)
{
    ModelStore::Options options;
    options.source = repository.path();
    options.control = control;
    options.pollInterval = std::chrono::seconds(1);
    store = std::make_shared<ModelStore>(options);
    QString error;
    const bool loaded = store->loadNow(&error);
    INFO(error.toStdString());
    REQUIRE(loaded);
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    server = std::make_unique<OrchardServer>(config, store, QStringLiteral("test"));
    REQUIRE(server->start());
    store->startPolling();
}

} // namespace orchard::test
