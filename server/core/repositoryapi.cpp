#include "server/core/repositoryapi.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include "server/core/accesstokens.h"
#include "server/core/modelstore.h"
#include "server/core/serverconfig.h"

namespace orchard {

namespace {

const QString kPrefix = QStringLiteral("/v2/repository/");

QByteArray json(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'; }

QByteArray errorBody(const QString &message) { return json({ { QStringLiteral("error"), message } }); }

/** Triton's state names: what its clients and dashboards expect. */
QString tritonState(ModelStore::State state)
{
    switch (state) {
    case ModelStore::State::Loading:
        return QStringLiteral("LOADING");
    case ModelStore::State::Failed:
        return QStringLiteral("UNAVAILABLE");
    case ModelStore::State::Ready:
        break;
    }
    return QStringLiteral("READY");
}

} // namespace

RepositoryApi::RepositoryApi(ModelStore *store, const ServerConfig *config)
    : m_store(store)
    , m_config(config)
{
}

bool RepositoryApi::handles(const QString &path) { return path.startsWith(kPrefix) || path == kPrefix.chopped(1); }

bool RepositoryApi::authorized(const QByteArray &authorization, const QString &action, const Reply &reply) const
{
    const std::shared_ptr<const AccessTokens> tokens = m_config->accessTokens;
    if (!tokens)
        return true; // an open server: the HTTP port's address is the protection (docs/security.md)
    const QByteArray scheme = "Bearer ";
    if (!authorization.startsWith(scheme)) {
        reply(401, errorBody(QStringLiteral("This server has access tokens: send \"Authorization: Bearer <token>\" "
                                            "with a token whose label --admin-labels names.")));
        return false;
    }
    const QString label = tokens->labelFor(authorization.mid(scheme.size()).trimmed());
    if (label.isEmpty()) {
        reply(401, errorBody(QStringLiteral("The access token is not valid for this server.")));
        return false;
    }
    if (!m_config->adminLabels.contains(label)) {
        reply(403, errorBody(QStringLiteral("The token of \"%1\" may not %2: its label is not in "
                                            "--admin-labels (%3).")
                                     .arg(label, action, m_config->adminLabels.isEmpty()
                                                         ? QStringLiteral("none are")
                                                         : m_config->adminLabels.join(QStringLiteral(", ")))));
        return false;
    }
    return true;
}

void RepositoryApi::handle(const QByteArray &method, const QString &path, const QByteArray &authorization, Reply reply)
{
    if (method != "POST") {
        reply(405, errorBody(QStringLiteral("The repository API takes POST (Triton's paths: /v2/repository/index, "
                                            "/v2/repository/models/<name>/load and …/unload).")));
        return;
    }
    if (path == kPrefix + QStringLiteral("index")) {
        QJsonArray versions;
        for (const ModelStore::VersionStatus &status : m_store->statuses()) {
            QJsonObject entry { { QStringLiteral("name"), status.name },
                                { QStringLiteral("version"), QString::number(status.version) },
                                { QStringLiteral("state"), tritonState(status.state) } };
            if (!status.reason.isEmpty())
                entry.insert(QStringLiteral("reason"), status.reason);
            versions.append(entry);
        }
        reply(200, QJsonDocument(versions).toJson(QJsonDocument::Compact) + '\n');
        return;
    }
    static const QRegularExpression action(QStringLiteral("^/v2/repository/models/([^/]+)/(load|unload)$"));
    const QRegularExpressionMatch match = action.match(path);
    if (!match.hasMatch()) {
        reply(404, errorBody(QStringLiteral("Nothing here: the repository API has /v2/repository/index and "
                                            "/v2/repository/models/<name>/load and …/unload.")));
        return;
    }
    const QString name = QUrl::fromPercentEncoding(match.captured(1).toUtf8());
    if (m_store->options().control != ModelControl::Explicit) {
        reply(409, errorBody(QStringLiteral("Models are loaded and unloaded over HTTP only with --model-control "
                                            "explicit; this server runs with %1.")
                                     .arg(modelControlName(m_store->options().control))));
        return;
    }
    const bool loading = match.captured(2) == QLatin1String("load");
    if (!authorized(authorization, loading ? QStringLiteral("load models") : QStringLiteral("unload models"), reply))
        return;
    const bool load = match.captured(2) == QLatin1String("load");
    if (load && !m_store->isRepository()) {
        reply(409, errorBody(QStringLiteral("This server serves one --model folder, not a repository: there is "
                                            "nothing else to load.")));
        return;
    }
    if (load && !QDir(m_store->options().source).exists(name)) {
        reply(404, errorBody(QStringLiteral("There is no model folder \"%1\" in %2.").arg(name, m_store->options().source)));
        return;
    }
    const auto done = [reply, name](bool ok, const QString &message) {
        if (ok)
            reply(200, json({ { QStringLiteral("model"), name }, { QStringLiteral("message"), message } }));
        else
            reply(400, errorBody(message));
    };
    if (load)
        m_store->load(name, done);
    else
        m_store->unload(name, done);
}

} // namespace orchard
