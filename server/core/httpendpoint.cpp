#include "server/core/httpendpoint.h"

#include <cerrno>

#include <sys/socket.h>
#include <unistd.h>

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QHttpServerRequest>
#include <QPointer>
#include <QHttpServerResponder>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "server/core/metricspage.h"
#include "server/core/orchardserver.h"
#include "server/core/prometheustext.h"

namespace orchard {

namespace {

/** The most connections one pass of HttpListener::acceptPending() takes. */
constexpr int kAcceptedPerPass = 64;

} // namespace

/**
 * HttpEndpoint's listening socket: accepts connections itself and hands them to Qt
 * HttpServer within bounds (see HttpEndpoint).
 *
 * It accepts on its own QSocketNotifier, as OrchardServer::acceptPending() does, because
 * QTcpServer's loop in Qt 6.4 keeps the first error its socket engine ever set: after an
 * EMFILE it pauses accepting for good, and after an EAGAIN (any quiet moment) every later
 * EMFILE reads as "try again", so the event loop spun on the listening socket at full CPU
 * for as long as the process was out of descriptors (seen with strace). Here an accept
 * error pauses accepting for kAcceptRetry; the connection waits in the backlog meanwhile.
 */
class HttpListener : public QTcpServer
{
public:
    explicit HttpListener(QObject *parent) : QTcpServer(parent)
    {
        m_retry.setSingleShot(true);
        m_retry.setInterval(HttpEndpoint::kAcceptRetry);
        connect(&m_retry, &QTimer::timeout, this, [this] {
            if (m_notifier)
                m_notifier->setEnabled(true); // level-triggered: fires at once if clients wait
        });
    }

    ~HttpListener() override { delete m_notifier; } // before QTcpServer closes its descriptor

    bool start(const QHostAddress &address, quint16 port)
    {
        if (!listen(address, port))
            return false;
        pauseAccepting(); // QTcpServer's own loop stays paused for good: see above
        m_notifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read);
        connect(m_notifier, &QSocketNotifier::activated, this, &HttpListener::acceptPending);
        return true;
    }

private:
    void acceptPending()
    {
        for (int i = 0; i < kAcceptedPerPass; ++i) {
            const int descriptor = ::accept4(static_cast<int>(socketDescriptor()), nullptr, nullptr, SOCK_CLOEXEC);
            if (descriptor >= 0) {
                take(descriptor);
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue; // that connection died before we took it: on to the next
            m_notifier->setEnabled(false); // out of descriptors, or worse: try again soon
            m_retry.start();
            return;
        }
    }

    void take(int descriptor)
    {
        if (m_open >= HttpEndpoint::kMaxConnections) {
            ::close(descriptor);
            return;
        }
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            ::close(descriptor); // Qt does not take a descriptor it refused
            delete socket;
            return;
        }
        // Qt HttpServer keeps a request's bytes until the request is whole: capped here,
        // a larger one stalls and meets the idle timeout.
        socket->setReadBufferSize(HttpEndpoint::kMaxRequestBytes);
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        auto *idle = new QTimer(socket);
        idle->setSingleShot(true);
        idle->setInterval(HttpEndpoint::kIdleTimeout);
        connect(idle, &QTimer::timeout, socket, &QTcpSocket::abort);
        connect(socket, &QTcpSocket::readyRead, idle, [socket, idle] {
            // A client that sends requests and never reads the answers would grow our
            // write buffer for as long as it kept sending.
            if (socket->bytesToWrite() > HttpEndpoint::kMaxUnsentBytes)
                socket->abort();
            else
                idle->start();
        });
        idle->start();
        addPendingConnection(socket); // Qt HttpServer takes it from here
    }

    QSocketNotifier *m_notifier = nullptr;
    QTimer m_retry;
    int m_open = 0;
};

namespace {

constexpr char kPlainText[] = "text/plain; charset=utf-8";

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    default:
        break;
    }
    return "OTHER";
}

/** An HTTP/1.1 response with a JSON body, written straight to the client's socket. */
void writeJsonReply(QTcpSocket *socket, int status, const QByteArray &body)
{
    static const QHash<int, QByteArray> reasons { { 200, "OK" },           { 400, "Bad Request" },
                                                  { 401, "Unauthorized" }, { 403, "Forbidden" },
                                                  { 404, "Not Found" },    { 405, "Method Not Allowed" },
                                                  { 409, "Conflict" },     { 202, "Accepted" } };
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasons.value(status, "Error") + "\r\n";
    head += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 401)
        head += "WWW-Authenticate: Bearer\r\n";
    if (status == 405)
        head += "Allow: POST\r\n";
    socket->write(head + "\r\n" + body);
}

void answer(QHttpServerResponder &responder, QHttpServerResponder::StatusCode status, const QByteArray &text)
{
    responder.write(text + '\n', kPlainText, status);
}

} // namespace

HttpEndpoint::HttpEndpoint(const OrchardServer *server, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_server(server)
    , m_repository(&server->models(), &server->config())
{
}

bool HttpEndpoint::start(const QHostAddress &address, quint16 port)
{
    auto *listener = new HttpListener(this);
    if (!listener->start(address, port)) {
        m_error = listener->errorString();
        delete listener;
        return false;
    }
    m_listener = listener;
    bind(listener);
    return true;
}

quint16 HttpEndpoint::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

bool HttpEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    using Status = QHttpServerResponder::StatusCode;
    const QString path = request.url().path();
    if (RepositoryApi::handles(path)) {
        // Answered without a QHttpServerResponder: a load answers after this returns, and
        // Qt 6.4's responder keeps a reference to the request, which is gone by then.
        const QPointer<QTcpSocket> client(socket);
        m_repository.handle(methodName(request.method()), path, request.value("Authorization"),
                            [client](int status, const QByteArray &body) {
                                if (client)
                                    writeJsonReply(client, status, body);
                            });
        return true;
    }
    if (path == QLatin1String("/admin/drain")) {
        const QPointer<QTcpSocket> client(socket);
        const auto reply = [client](int status, const QByteArray &body) {
            if (!client)
                return;
            writeJsonReply(client, status, body);
            client->flush(); // now: with --drain-seconds 0 the shutdown follows in this pass of the event loop
        };
        if (request.method() != QHttpServerRequest::Method::Post) {
            reply(405, R"({"error":"POST /admin/drain starts draining; it takes no other method."})" "\n");
            return true;
        }
        if (!m_repository.authorized(request.value("Authorization"), QStringLiteral("drain the server"), reply))
            return true;
        const bool already = m_server->isDraining();
        if (!already)
            emit drainRequested(QStringLiteral("POST /admin/drain from %1").arg(socket->peerAddress().toString()));
        const QJsonObject answer { { QStringLiteral("message"),
                                     already ? QStringLiteral("already draining")
                                             : QStringLiteral("draining: not ready for new clients, serving the "
                                                              "ones here, then shutting down") },
                                   { QStringLiteral("drain_seconds_left"),
                                     static_cast<double>(m_server->drainRemaining().count()) / 1000.0 } };
        reply(already ? 200 : 202, QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
        return true;
    }
    QHttpServerResponder responder = makeResponder(request, socket);
    const bool live = path == QLatin1String("/health/live");
    const bool ready = path == QLatin1String("/health/ready");
    const bool metrics = path == QLatin1String("/metrics");
    if (!live && !ready && !metrics) {
        answer(responder, Status::NotFound,
               "Nothing here: this port serves /health/live, /health/ready, /metrics, /v2/repository/… and "
               "POST /admin/drain");
        return true;
    }
    if (request.method() != QHttpServerRequest::Method::Get) {
        responder.write("Only GET is served here.\n", { { "Content-Type", kPlainText }, { "Allow", "GET" } },
                        Status::MethodNotAllowed);
        return true;
    }
    if (live) {
        // Answered by the event loop itself: that it answers at all is the news.
        answer(responder, Status::Ok, "live");
    } else if (ready) {
        const QString reason = m_server->notReadyReason();
        if (reason.isEmpty())
            answer(responder, Status::Ok, "ready");
        else
            answer(responder, Status::ServiceUnavailable, "not ready: " + reason.toUtf8());
    } else {
        responder.write(metricsPage(*m_server), PrometheusText::kContentType, Status::Ok);
    }
    return true;
}

void HttpEndpoint::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Not reached: handleRequest() answers every request. Should Qt call it anyway, say so.
    QHttpServerResponder responder = makeResponder(request, socket);
    answer(responder, QHttpServerResponder::StatusCode::NotFound,
           "Nothing here: this port serves /health/live, /health/ready, /metrics, /v2/repository/… and "
               "POST /admin/drain");
}

} // namespace orchard
