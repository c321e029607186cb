#include "server/core/orchardserver.h"

#include <utility>

#include <netinet/in.h>
#include <sys/socket.h>

#include <QHostAddress>
#include <QPointer>
#include <QTimer>

#include "common/protocol/frame.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/session.h"
#include "server/core/tlsidentity.h"

namespace orchard {

namespace {

/** "address:port" of the peer, read from the descriptor before any socket object exists. */
QString peerOf(qintptr descriptor)
{
    sockaddr_storage storage {};
    socklen_t length = sizeof storage;
    if (::getpeername(static_cast<int>(descriptor), reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return QStringLiteral("unknown peer");
    QHostAddress address(reinterpret_cast<const sockaddr *>(&storage));
    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; show them as a.b.c.d.
    bool isMappedIpv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isMappedIpv4);
    if (isMappedIpv4)
        address = QHostAddress(ipv4);
    quint16 port = 0;
    if (storage.ss_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]").arg(address.toString())
            : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace

OrchardServer::OrchardServer(ServerConfig config, std::shared_ptr<const InferenceEngine> engine,
                             QString version, QObject *parent)
    : QTcpServer(parent)
    , m_config(std::move(config))
    , m_engine(std::move(engine))
    , m_version(std::move(version))
{
    m_pool.setMaxThreadCount(m_config.workers);
    // The pool's threads are the workers users see; never let idle ones expire mid-demo.
    m_pool.setExpiryTimeout(-1);
    connect(&m_waitingRoom, &WaitingRoom::entriesLeft, this, [this](const QList<quint64> &sessionIds) {
        for (const quint64 sessionId : sessionIds) {
            m_waitingSince.remove(sessionId);
            m_events.reportWaitingConnectionLeft(sessionId);
        }
        announceWaitingLine();
    });
}

OrchardServer::~OrchardServer()
{
    shutdown();
    // Sessions use m_events; they all end soon after the stop flag (bounded waits), so
    // wait for the last one rather than leave it a dangling pointer.
    m_pool.waitForDone();
}

bool OrchardServer::start()
{
    m_stopRequested = false;
    // The default backlog of 50 makes every 51st of a burst of connects wait a second for
    // a SYN retry (measured: 500 connects took 7-9 s); waiting costs us almost nothing.
    setListenBacklogSize(1024);
    if (!listen(m_config.host, m_config.port))
        return false;
    m_events.reportListening(serverAddress().toString(), serverPort());
    return true;
}

void OrchardServer::shutdown(std::chrono::milliseconds grace)
{
    const bool wasListening = isListening();
    close();
    m_stopRequested = true;
    // abort() emits disconnected at once, whose handler edits the list: walk a copy.
    const QList<QPointer<QSslSocket>> handshaking = std::exchange(m_handshaking, {});
    for (const QPointer<QSslSocket> &socket : handshaking) {
        if (socket)
            socket->abort();
    }
    if (!m_waitingRoom.isEmpty()) {
        const QList<quint64> waiting = m_waitingRoom.sessionIds();
        m_waitingRoom.closeAll(*encodeFrame(MessageType::ServerMessage, ServerMessage::shutdown().toBody()));
        for (quint64 id : waiting) {
            m_waitingSince.remove(id);
            m_events.reportSessionEnded(id, QStringLiteral("server shutdown while waiting"));
        }
        m_events.reportWaitingLineChanged({});
    }
    m_pool.waitForDone(static_cast<int>(grace.count()));
    if (wasListening)
        m_events.reportStopped();
}

void OrchardServer::setWorkerCount(int workers)
{
    if (workers < 1 || workers == m_config.workers)
        return;
    m_config.workers = workers;
    m_pool.setMaxThreadCount(workers);
    m_events.reportWorkerCountChanged(workers);
    serveWaitingConnections();
}

void OrchardServer::incomingConnection(qintptr descriptor)
{
    WaitingRoom::Entry entry;
    entry.sessionId = m_nextSessionId++;
    entry.descriptor = descriptor;
    entry.peer = peerOf(descriptor);

    if (m_stopRequested) {
        WaitingRoom::closeDescriptor(descriptor);
        return;
    }
    m_waitingSince[entry.sessionId].start();
    if (m_config.tls)
        startHandshake(entry);
    else
        placeConnection(entry);
}

void OrchardServer::startHandshake(WaitingRoom::Entry entry)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(entry.descriptor)) {
        m_waitingSince.remove(entry.sessionId);
        WaitingRoom::closeDescriptor(entry.descriptor);
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_config.tls->configuration);
    socket->setReadBufferSize(WaitingRoom::kWaitingReadBuffer);
    entry.tlsSocket = socket;
    m_handshaking.append(socket);
    // The timer is ours, not the socket's: the socket moves to a worker thread after the
    // handshake, and nothing in this thread may touch it then.
    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    const auto forget = [this, socket, deadline] {
        deadline->stop();
        deadline->deleteLater();
        m_handshaking.removeAll(QPointer<QSslSocket>(socket));
    };
    connect(socket, &QSslSocket::encrypted, this, [this, socket, entry, forget] {
        // Not from inside encrypted(): QSslSocket emits it halfway through its transmit(),
        // which goes on reading and writing the socket (TLS 1.3 session tickets, early
        // data) once we return. Placing it now could start a session that pulls the socket
        // into a worker while this thread is still in its code: two threads in one socket.
        // Place it when the event loop is back, unless it failed or was aborted meanwhile.
        QMetaObject::invokeMethod(this, [this, socket, entry, forget] {
            if (!entry.tlsSocket || !m_handshaking.contains(QPointer<QSslSocket>(socket)))
                return;
            forget();
            socket->disconnect(this);
            placeConnection(entry);
        }, Qt::QueuedConnection);
    });
    const auto fail = [this, socket, entry, forget](const QString &why) {
        forget();
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        refused(entry, QStringLiteral("TLS handshake failed: %1").arg(why));
    };
    connect(socket, &QSslSocket::errorOccurred, this, [socket, fail] { fail(socket->errorString()); });
    connect(socket, &QSslSocket::disconnected, this, [fail] { fail(QStringLiteral("the client hung up")); });
    // A client that never finishes its handshake gets the read timeout, like a stalled frame.
    connect(deadline, &QTimer::timeout, this, [fail] { fail(QStringLiteral("not completed in time")); });
    deadline->start(m_config.readTimeout);
    socket->startServerEncryption();
}

void OrchardServer::placeConnection(const WaitingRoom::Entry &entry)
{
    if (m_stopRequested) {
        m_waitingSince.remove(entry.sessionId);
        WaitingRoom::close(entry);
        return;
    }
    if (m_activeSessions < m_config.workers && m_waitingRoom.isEmpty()) {
        startSession(entry);
        return;
    }
    if (m_waitingRoom.size() >= m_config.maxQueued) {
        const QString reason = QStringLiteral(
                "All %1 workers are busy and %2 connections are already waiting; try again later.")
                                       .arg(m_config.workers)
                                       .arg(m_waitingRoom.size());
        WaitingRoom::send(entry, *encodeFrame(MessageType::ServerError, serverErrorBody({ ErrorCode::Busy, reason, {} })));
        WaitingRoom::close(entry);
        refused(entry, reason);
        return;
    }
    m_waitingRoom.admit(entry, m_config.workers);
    m_events.reportConnectionQueued(entry.sessionId, entry.peer, m_waitingRoom.size());
    m_events.reportWaitingLineChanged(m_waitingRoom.sessionIds());
}

void OrchardServer::startSession(const WaitingRoom::Entry &entry)
{
    const double waitedMs = m_waitingSince.take(entry.sessionId).nsecsElapsed() / 1e6;

    Session::Context context;
    context.config = m_config;
    context.engine = m_engine;
    context.events = &m_events;
    context.stopRequested = &m_stopRequested;
    context.serverVersion = m_version;
    // Back to this thread: the worker count and the waiting line are only touched here.
    // Invoked by name, so that the queued call is built inside Qt, under the same lock that
    // orders its delivery: a functor would be written by our (sanitized) code on the worker
    // and read here, through a hand-off ThreadSanitizer cannot see.
    const QPointer<OrchardServer> server(this);
    context.finished = [server](quint64 sessionId) {
        QMetaObject::invokeMethod(server, "onSessionFinished", Qt::QueuedConnection, Q_ARG(quint64, sessionId));
    };
    QSslSocket *tlsSocket = entry.tlsSocket;
    if (tlsSocket) {
        // Hand the encrypted socket to whichever worker runs the session: detached from
        // this thread here, the session pulls it into its own (Qt allows pulling an
        // object that has no thread).
        tlsSocket->disconnect();
        tlsSocket->setParent(nullptr);
        tlsSocket->setReadBufferSize(1024 * 1024); // the session's cap (see Session::serve)
        tlsSocket->moveToThread(nullptr);
    }
    ++m_activeSessions;
    m_pool.start(new Session(entry.sessionId, entry.descriptor, tlsSocket, entry.peer, waitedMs, std::move(context)));
}

void OrchardServer::onSessionFinished(quint64 sessionId)
{
    Q_UNUSED(sessionId)
    --m_activeSessions;
    serveWaitingConnections();
}

void OrchardServer::serveWaitingConnections()
{
    if (m_stopRequested || m_waitingRoom.isEmpty())
        return;
    bool lineMoved = false;
    while (m_activeSessions < m_config.workers && !m_waitingRoom.isEmpty()) {
        startSession(m_waitingRoom.takeNext());
        lineMoved = true;
    }
    if (lineMoved)
        announceWaitingLine();
}

void OrchardServer::announceWaitingLine()
{
    m_waitingRoom.announcePositions(m_config.workers);
    m_events.reportWaitingLineChanged(m_waitingRoom.sessionIds());
}

void OrchardServer::refused(const WaitingRoom::Entry &entry, const QString &reason)
{
    m_waitingSince.remove(entry.sessionId);
    m_events.reportConnectionRejected(entry.peer, reason);
}

} // namespace orchard
