#pragma once

#include <functional>

#include <QByteArray>
#include <QString>

namespace orchard {

class ModelStore;
struct ServerConfig;

/**
 * The model repository's HTTP API on the health and metrics port, with Triton's paths
 * (docs/models.md, "Loading and unloading over HTTP"):
 *
 *   POST /v2/repository/index                 every version and its state, as JSON
 *   POST /v2/repository/models/<name>/load    (re)load the versions its policy selects
 *   POST /v2/repository/models/<name>/unload  stop serving it
 *
 * Load and unload only with --model-control explicit, and when the server has access
 * tokens, only with `Authorization: Bearer <token>` of a label --admin-labels names.
 * A load answers when the versions are loaded and warm (or failed), not before: whoever
 * asked learns whether it worked. Answers are JSON objects, {"error": "…"} on failure.
 */
class RepositoryApi
{
public:
    /** An HTTP status and a JSON body; may be called after handle() returned (a load). */
    using Reply = std::function<void(int status, const QByteArray &body)>;

    /** store and config must outlive every reply. */
    RepositoryApi(ModelStore *store, const ServerConfig *config);

    static bool handles(const QString &path);
    /**
     * Whether the request may act on the server as an operator (action: what it asked, for
     * the refusal); if not, the refusal went to reply. The rule of load and unload: anyone
     * on an open server, else a token of an --admin-labels label.
     */
    bool authorized(const QByteArray &authorization, const QString &action, const Reply &reply) const;
    /** authorization: the request's Authorization header, as sent (empty if none). */
    void handle(const QByteArray &method, const QString &path, const QByteArray &authorization, Reply reply);

private:
    ModelStore *m_store;
    const ServerConfig *m_config;
};

} // namespace orchard
