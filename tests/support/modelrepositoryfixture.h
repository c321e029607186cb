#pragma once

#include <memory>

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include "server/core/modelcontrol.h"
#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"

namespace orchard::test {

/** A model repository in a temporary folder, its versions copies of the shipped model. */
class Repository
{
public:
    Repository();

    QString path() const { return m_dir.path(); }
    QString versionPath(const QString &name, qint64 version) const;

    /** REPO/name/version/ with the shipped model's files. */
    void addVersion(const QString &name, qint64 version) const;
    /** A version whose model.pt is not a TorchScript archive at all. */
    void addGarbageVersion(const QString &name, qint64 version) const;
    /** A version whose model.json names 3 labels for a model with 10 outputs. */
    void addMislabelledVersion(const QString &name, qint64 version) const;
    void removeVersion(const QString &name, qint64 version) const;
    /** REPO/name/config.json: the version policy and whether it is the default. */
    void writeConfig(const QString &name, const QByteArray &json) const;

private:
    static void write(const QString &path, const QByteArray &bytes);

    QTemporaryDir m_dir;
};

/**
 * An OrchardServer on loopback serving a repository through a ModelStore, loaded before
 * it listens (as orchard-server does), polling once a second under ModelControl::Poll.
 */
struct RepositoryServer
{
    explicit RepositoryServer(const Repository &repository, ModelControl control = ModelControl::Poll,
                              ServerConfig config = {});

    quint16 port() const { return server->serverPort(); }

    std::shared_ptr<ModelStore> store;
    std::unique_ptr<OrchardServer> server;
};

} // namespace orchard::test
