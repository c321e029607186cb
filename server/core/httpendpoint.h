#pragma once

#include <chrono>

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QString>

#include "server/core/repositoryapi.h"

namespace orchard {

class HttpListener;
class OrchardServer;

/**
 * The server's HTTP side port: `GET /health/live`, `GET /health/ready` and `GET /metrics`
 * (Prometheus' text format), for probes, load balancers and Prometheus.
 *
 * It lives in the server's own thread and answers from what that thread already knows
 * (OrchardServer's counts and the lock-free ServerMetrics), never asking a worker: it
 * answers at once while every worker is busy and the line is full, which is when it is
 * needed. Qt HttpServer (a technical preview in Qt 6.4) parses the requests; our own
 * listener (HttpListener) takes the connections, because Qt's gives no bound on them:
 * at most kMaxConnections at a time, each closed after kIdleTimeout without a byte, with
 * at most kMaxRequestBytes buffered and kMaxUnsentBytes of answers it does not read; and
 * out of descriptors it pauses accepting for kAcceptRetry instead of spinning or stopping
 * for good as QTcpServer's own loop does in Qt 6.4 (see HttpListener).
 *
 * `POST /admin/drain` starts draining (OrchardServer::drain(); with access tokens, only
 * with an --admin-labels token, as the repository API's load and unload).
 *
 * Unknown paths get 404 and other methods than GET 405, each with a sentence saying what
 * this port serves. docs/operations.md describes every answer and metric.
 */
class HttpEndpoint : public QAbstractHttpServer
{
    Q_OBJECT

public:
    static constexpr int kMaxConnections = 64;
    static constexpr std::chrono::milliseconds kIdleTimeout { 30'000 };
    static constexpr qint64 kMaxRequestBytes = 64 * 1024;
    static constexpr qint64 kMaxUnsentBytes = 4 * 1024 * 1024;
    /** After an accept error (out of descriptors), accepting is tried again this much later. */
    static constexpr std::chrono::milliseconds kAcceptRetry { 100 };

    /** server: what the answers describe; it must outlive this endpoint. */
    explicit HttpEndpoint(const OrchardServer *server, QObject *parent = nullptr);

    /** Listens on address and port (0: any free one); false with errorString() if it cannot. */
    bool start(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QString errorString() const { return m_error; }

signals:
    /** POST /admin/drain, authorized as load and unload are; why: who asked, for the log. */
    void drainRequested(const QString &why);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    const OrchardServer *m_server;
    RepositoryApi m_repository;
    HttpListener *m_listener = nullptr;
    QString m_error;
};

} // namespace orchard
