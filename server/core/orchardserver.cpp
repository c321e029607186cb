#include "server/core/orchardserver.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QHostAddress>
#include <QPointer>
#include <QRunnable>
#include <QSemaphore>
#include <QTimer>

#include "common/inference/inferenceengine.h"
#include "common/protocol/frame.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/agentendpoint.h"
#include "server/core/httpendpoint.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/proxyheader.h"
#include "server/core/proxyheaderreader.h"
#include "server/core/session.h"
#include "server/core/tlsidentity.h"

namespace orchard {

namespace {

/** The peer's address and port, read from the descriptor before any socket object exists. */
bool peerAddressOf(qintptr descriptor, QHostAddress *address, quint16 *port)
{
    sockaddr_storage storage {};
    socklen_t length = sizeof storage;
    if (::getpeername(static_cast<int>(descriptor), reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return false;
    *address = QHostAddress(reinterpret_cast<const sockaddr *>(&storage));
    *port = 0;
    if (storage.ss_family == AF_INET)
        *port = ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        *port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return true;
}

/** "address:port", as the sessions table and the log show a peer. */
QString peerText(QHostAddress address, quint16 port)
{
    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; show them as a.b.c.d.
    bool isMappedIpv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isMappedIpv4);
    if (isMappedIpv4)
        address = QHostAddress(ipv4);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]").arg(address.toString())
            : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

// ThreadSanitizer cannot see QThreadPool's futex-guarded hand-off of a runnable to its
// thread; as for Session (session.cpp), the runnable says where the hand-off happens.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
void handOffBegins(void *runnable) { __tsan_release(runnable); }
void handOffEnds(void *runnable) { __tsan_acquire(runnable); }
#else
void handOffBegins(void *) { }
void handOffEnds(void *) { }
#endif

/**
 * startWorkerThreads()'s meeting point: every runnable warms its thread up, signals
 * running, then waits for release.
 */
struct ThreadBarrier
{
    QSemaphore running;
    QSemaphore release;
    std::mutex mutex; ///< guards the two below
    double slowestWarmUpMs = 0;
    QString warmUpError;
};

/**
 * Warms one pool thread up and holds it until every worker's thread runs (see
 * startWorkerThreads()).
 */
class ThreadStarter : public QRunnable
{
public:
    ThreadStarter(std::shared_ptr<ThreadBarrier> barrier, std::shared_ptr<const ModelCatalog> models)
        : m_barrier(std::move(barrier))
        , m_models(std::move(models))
    {
        handOffBegins(this);
    }

    void run() override
    {
        handOffEnds(this);
        // Every version served: a farmer may ask for any of them on this thread.
        double warmUpMs = 0;
        QString error;
        for (const auto &model : m_models->all()) {
            const InferenceResult<double> warmUp = model->engine().warmUp();
            if (warmUp)
                warmUpMs += *warmUp;
            else if (error.isEmpty())
                error = QStringLiteral("%1 version %2: %3").arg(model->name()).arg(model->version()).arg(warmUp.error().message);
        }
        {
            const std::lock_guard<std::mutex> lock(m_barrier->mutex);
            m_barrier->slowestWarmUpMs = std::max(m_barrier->slowestWarmUpMs, warmUpMs);
            if (m_barrier->warmUpError.isEmpty())
                m_barrier->warmUpError = error;
        }
        m_barrier->running.release();
        m_barrier->release.acquire();
    }

private:
    std::shared_ptr<ThreadBarrier> m_barrier;
    std::shared_ptr<const ModelCatalog> m_models;
};

/** How long startWorkerThreads() waits for the threads to start and warm up. */
constexpr int kWorkerStartMs = 30'000;

/** The most connections one pass of acceptPending() takes (the rest: the next pass of the loop). */
constexpr int kAcceptedPerPass = 256;
/** The most waiting clients one pass of turnAwayWithReserve() answers (the rest: next pass). */
constexpr int kTurnedAwayPerPass = 256;

} // namespace

QString OpenFileLimit::description() const
{
    if (!error.isEmpty())
        return QStringLiteral("open-file limit %1 (could not raise it to %2: %3)").arg(now).arg(hard).arg(error);
    if (now > before)
        return QStringLiteral("open-file limit %1 (raised from %2 to the hard limit)").arg(now).arg(before);
    return QStringLiteral("open-file limit %1 (the hard limit)").arg(now);
}

OpenFileLimit raiseOpenFileLimit()
{
    OpenFileLimit result;
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        result.error = QString::fromLocal8Bit(std::strerror(errno));
        return result;
    }
    result.before = result.now = static_cast<qint64>(limit.rlim_cur);
    rlim_t target = limit.rlim_max;
    if (target == RLIM_INFINITY) {
        // Linux refuses an infinite soft limit for descriptors; its ceiling is fs.nr_open.
        QFile nrOpen(QStringLiteral("/proc/sys/fs/nr_open"));
        const qint64 ceiling = nrOpen.open(QIODevice::ReadOnly) ? nrOpen.readAll().trimmed().toLongLong() : 0;
        target = ceiling > 0 ? static_cast<rlim_t>(ceiling) : rlim_t(1) << 20;
    }
    result.hard = static_cast<qint64>(target);
    if (limit.rlim_cur >= target)
        return result;
    limit.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        result.error = QString::fromLocal8Bit(std::strerror(errno));
        return result;
    }
    result.now = static_cast<qint64>(target);
    return result;
}

OrchardServer::OrchardServer(ServerConfig config, std::shared_ptr<const InferenceEngine> engine,
                             QString version, QObject *parent)
    : OrchardServer(std::move(config), ModelStore::serving(std::move(engine)), std::move(version), parent)
{
}

OrchardServer::OrchardServer(ServerConfig config, std::shared_ptr<ModelStore> models, QString version,
                             QObject *parent)
    : QTcpServer(parent)
    , m_config(std::move(config))
    , m_models(std::move(models))
    , m_version(std::move(version))
{
    connect(m_models.get(), &ModelStore::modelEvent, &m_events, &ServerEvents::reportModelEvent);
    m_batcher = std::make_unique<InferenceBatcher>(
            InferenceBatcher::Options { m_config.effectiveInferenceThreads(), m_config.maxBatch, m_config.batchDelay },
            &m_metrics);
    m_pool.setMaxThreadCount(m_config.workers);
    // The pool's threads are the workers users see; never let idle ones expire mid-demo.
    m_pool.setExpiryTimeout(-1);
    connect(&m_waitingRoom, &WaitingRoom::entriesLeft, this, [this](const QList<quint64> &sessionIds) {
        for (const quint64 sessionId : sessionIds) {
            m_waitingSince.remove(sessionId);
            m_events.reportWaitingConnectionLeft(sessionId);
        }
        m_metrics.countConnections(ConnectionOutcome::LeftWaiting, static_cast<int>(sessionIds.size()));
        announceWaitingLine();
    });
    m_lineReport.setSingleShot(true);
    m_lineReport.setInterval(kLineReportInterval);
    connect(&m_lineReport, &QTimer::timeout, this,
            [this] { m_events.reportWaitingLineChanged(m_waitingRoom.sessionIds()); });

    m_acceptRetry.setSingleShot(true);
    m_acceptRetry.setInterval(kAcceptRetry);
    connect(&m_acceptRetry, &QTimer::timeout, this, [this] {
        if (m_reserveDescriptor < 0)
            m_reserveDescriptor = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (m_acceptNotifier)
            m_acceptNotifier->setEnabled(true); // level-triggered: fires at once if clients wait
    });
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, &OrchardServer::drained);
    m_acceptCalm.setSingleShot(true);
    m_acceptCalm.setInterval(kAcceptCalm);
    connect(&m_acceptCalm, &QTimer::timeout, this, [this] {
        m_acceptTroubled = false;
        m_events.reportConnectionRejected(
                QStringLiteral("%1 connections").arg(m_turnedAwayInEpisode),
                QStringLiteral("while accepting was paused; accepting again (the trouble lasted %1 s)")
                        .arg(m_acceptTroubleSince.elapsed() / 1000.0, 0, 'f', 1));
    });
}

OrchardServer::~OrchardServer()
{
    shutdown();
    // Sessions use m_events; they all end soon after the stop flag (bounded waits), so
    // wait for the last one rather than leave it a dangling pointer.
    m_pool.waitForDone();
    // Only now: a session's last images are answered by it before the session ends.
    m_batcher->stop();
    if (m_reserveDescriptor >= 0)
        ::close(m_reserveDescriptor);
}

bool OrchardServer::start()
{
    m_stopRequested = false;
    // The default backlog of 50 makes every 51st of a burst of connects wait a second for
    // a SYN retry (measured: 500 connects took 7-9 s); waiting costs us almost nothing.
    setListenBacklogSize(1024);
    if (m_reserveDescriptor < 0)
        m_reserveDescriptor = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    startWorkerThreads();
    if (!listen(m_config.host, m_config.port))
        return false;
    // QTcpServer's own accepting stays paused for good; see acceptPending().
    pauseAccepting();
    m_acceptNotifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &OrchardServer::acceptPending);
    if (!startHttpEndpoint())
        return false;
    m_events.reportListening(serverAddress().toString(), serverPort());
    return true;
}

void OrchardServer::shutdown(std::chrono::milliseconds grace)
{
    const bool wasListening = isListening();
    delete std::exchange(m_acceptNotifier, nullptr); // before its descriptor closes
    close();
    m_acceptRetry.stop();
    m_acceptCalm.stop();
    m_lineReport.stop();
    m_stopRequested = true;
    m_drainTimer.stop();
    for (const QPointer<ProxyHeaderReader> &reader : std::exchange(m_readingProxyHeaders, {})) {
        if (!reader)
            continue;
        WaitingRoom::closeDescriptor(reader->descriptor());
        m_metrics.countConnections(ConnectionOutcome::Shutdown);
        delete reader.data();
    }
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
        m_metrics.countConnections(ConnectionOutcome::Shutdown, static_cast<int>(waiting.size()));
        m_events.reportWaitingLineChanged({});
    }
    m_pool.waitForDone(static_cast<int>(grace.count()));
    if (wasListening)
        m_events.reportStopped();
}

void OrchardServer::setAccessTokens(std::shared_ptr<const AccessTokens> tokens)
{
    m_config.accessTokens = std::move(tokens);
}

void OrchardServer::setWorkerCount(int workers)
{
    if (workers < 1 || workers == m_config.workers)
        return;
    m_config.workers = workers;
    m_pool.setMaxThreadCount(workers);
    startWorkerThreads();
    m_events.reportWorkerCountChanged(workers);
    serveWaitingConnections();
}

void OrchardServer::incomingConnection(qintptr descriptor)
{
    WaitingRoom::Entry entry;
    entry.sessionId = m_nextSessionId++;
    entry.descriptor = descriptor;
    QHostAddress address;
    quint16 port = 0;
    const bool known = peerAddressOf(descriptor, &address, &port);
    entry.peer = known ? peerText(address, port) : QStringLiteral("unknown peer");

    if (m_stopRequested) {
        WaitingRoom::closeDescriptor(descriptor);
        m_metrics.countConnections(ConnectionOutcome::Shutdown);
        return;
    }
    m_waitingSince[entry.sessionId].start();
    if (known && m_config.isTrustedProxy(address))
        readProxyHeader(entry);
    else
        admitConnection(entry);
}

void OrchardServer::readProxyHeader(WaitingRoom::Entry entry)
{
    // Reading headers holds descriptors as waiting does: bounded by the same room.
    const int room = m_config.maxQueued + m_config.workers;
    if (m_readingProxyHeaders.size() >= room) {
        WaitingRoom::closeDescriptor(entry.descriptor);
        m_metrics.countConnections(ConnectionOutcome::Busy);
        refused(entry, QStringLiteral("%1 connections from the balancer are still sending their PROXY header; "
                                      "closed.")
                               .arg(m_readingProxyHeaders.size()));
        return;
    }
    // The balancer sends its header with the connection: a few seconds is plenty, and a
    // stalled one must not hold a descriptor for the whole read timeout.
    const auto timeout = std::min<std::chrono::milliseconds>(m_config.readTimeout, kProxyHeaderTimeout);
    auto *reader = new ProxyHeaderReader(entry.descriptor, static_cast<int>(timeout.count()), this);
    m_readingProxyHeaders.append(reader);
    const QString proxy = entry.peer;
    connect(reader, &ProxyHeaderReader::finished, this,
            [this, reader, entry, proxy, timeout](ProxyHeaderReader::Outcome outcome, const ProxyHeader &header,
                                                  const QString &error) mutable {
                m_readingProxyHeaders.removeAll(QPointer<ProxyHeaderReader>(reader));
                reader->deleteLater();
                if (outcome == ProxyHeaderReader::Outcome::Complete) {
                    // LOCAL (the balancer's own connection, a health check): its own address.
                    if (!header.local)
                        entry.peer = peerText(header.sourceAddress, header.sourcePort);
                    admitConnection(entry);
                    return;
                }
                ProtocolError refusal { ErrorCode::BadHeader, {}, {} };
                ConnectionOutcome counted = ConnectionOutcome::BadHeader;
                switch (outcome) {
                case ProxyHeaderReader::Outcome::Timeout:
                    refusal = { ErrorCode::Timeout,
                                QStringLiteral("No PROXY protocol header from the balancer %1 within %2 ms; "
                                               "connections from --trusted-proxies must begin with one.")
                                        .arg(proxy)
                                        .arg(timeout.count()),
                                {} };
                    counted = ConnectionOutcome::Timeout;
                    break;
                case ProxyHeaderReader::Outcome::Closed:
                    WaitingRoom::closeDescriptor(entry.descriptor);
                    m_metrics.countConnections(ConnectionOutcome::Vanished);
                    refused(entry, QStringLiteral("the balancer closed the connection before its PROXY header"));
                    return;
                case ProxyHeaderReader::Outcome::Missing:
                    refusal.message = QStringLiteral("%1 is a trusted proxy (--trusted-proxies) but its connection "
                                                     "did not begin with a PROXY protocol header: configure the "
                                                     "balancer with send-proxy-v2, or connect from another address.")
                                              .arg(proxy);
                    break;
                default:
                    refusal.message = QStringLiteral("The PROXY protocol header from %1 is not valid: %2")
                                              .arg(proxy, error.isEmpty() ? header.error : error);
                    break;
                }
                // Before any TLS handshake: the balancer passes plain bytes on as they are.
                WaitingRoom::sendNow(entry.descriptor, *encodeFrame(MessageType::ServerError, serverErrorBody(refusal)));
                WaitingRoom::closeDescriptor(entry.descriptor);
                m_metrics.countConnections(counted);
                refused(entry, refusal.message);
            });
    reader->start();
}

void OrchardServer::admitConnection(WaitingRoom::Entry entry)
{
    if (m_config.tls) {
        // A handshake holds a descriptor (for up to the read timeout) as a waiting client
        // does: both count against --max-queued, beyond the free workers. Without a word,
        // since the peer expects a TLS handshake, not a plain BUSY frame.
        const int room = m_config.maxQueued + std::max(0, m_config.workers - m_activeSessions);
        if (m_handshaking.size() + m_waitingRoom.size() >= room) {
            WaitingRoom::closeDescriptor(entry.descriptor);
            m_metrics.countConnections(ConnectionOutcome::Busy);
            refused(entry, QStringLiteral("All %1 workers are busy and %2 connections are already waiting or in "
                                          "their TLS handshake; closed before the handshake.")
                                   .arg(m_config.workers)
                                   .arg(m_handshaking.size() + m_waitingRoom.size()));
            return;
        }
        startHandshake(entry);
    } else {
        placeConnection(entry);
    }
}

void OrchardServer::startHandshake(WaitingRoom::Entry entry)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(entry.descriptor)) {
        m_waitingSince.remove(entry.sessionId);
        WaitingRoom::closeDescriptor(entry.descriptor);
        delete socket;
        m_metrics.countConnections(ConnectionOutcome::Error);
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
        m_metrics.countConnections(ConnectionOutcome::TlsFailed);
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
        m_metrics.countConnections(ConnectionOutcome::Shutdown);
        return;
    }
    if (m_activeSessions < m_config.workers && m_waitingRoom.isEmpty()) {
        startSession(entry);
        return;
    }
    // A burst of connects is accepted in one go, before the event loop could report any
    // of them hanging up: drop those first, so the newcomer hears its true position and
    // BUSY goes only to a connection that really finds the line full.
    m_waitingRoom.dropDeparted();
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
        m_metrics.countConnections(ConnectionOutcome::Busy);
        refused(entry, reason);
        return;
    }
    m_waitingRoom.admit(entry, m_config.workers);
    m_events.reportConnectionQueued(entry.sessionId, entry.peer, m_waitingRoom.size());
    reportWaitingLine();
}

void OrchardServer::startSession(const WaitingRoom::Entry &entry)
{
    const double waitedMs = m_waitingSince.take(entry.sessionId).nsecsElapsed() / 1e6;
    m_metrics.observeQueueWait(waitedMs / 1000);

    Session::Context context;
    context.config = m_config;
    context.models = m_models;
    context.events = &m_events;
    context.metrics = &m_metrics;
    context.batcher = m_batcher.get();
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
    reportWaitingLine();
}

void OrchardServer::reportWaitingLine()
{
    if (m_waitingRoom.size() <= kLineReportedAtOnce) {
        m_lineReport.stop();
        m_events.reportWaitingLineChanged(m_waitingRoom.sessionIds());
    } else if (!m_lineReport.isActive()) {
        m_lineReport.start();
    }
}

void OrchardServer::startWorkerThreads()
{
    // One runnable per missing thread, each holding its thread until all of them run:
    // were they let go at once, the pool would run them one after another on the first
    // thread and start no other. Threads never expire (setExpiryTimeout(-1)), so every
    // worker's thread, with its event dispatcher, exists from here on. Threads busy with a
    // session already exist; activeThreadCount() counts them.
    //
    // Each thread warms up (InferenceEngine::warmUp()) before it counts as running, so the
    // first farmer on each worker costs what later ones do; the threads warm up together.
    const int missing = m_config.workers - m_pool.activeThreadCount();
    if (missing <= 0)
        return;
    QElapsedTimer warming;
    warming.start();
    const auto barrier = std::make_shared<ThreadBarrier>();
    for (int i = 0; i < missing; ++i)
        m_pool.start(new ThreadStarter(barrier, m_models->catalog()));
    barrier->running.tryAcquire(missing, kWorkerStartMs);
    barrier->release.release(missing);
    const std::lock_guard<std::mutex> lock(barrier->mutex);
    m_events.reportWorkersWarmed(missing, warming.nsecsElapsed() / 1e6, barrier->slowestWarmUpMs,
                                 barrier->warmUpError);
}

void OrchardServer::acceptPending()
{
    const int listening = static_cast<int>(socketDescriptor());
    for (int i = 0; i < kAcceptedPerPass && m_acceptNotifier; ++i) {
        const int descriptor = ::accept4(listening, nullptr, nullptr, SOCK_CLOEXEC);
        if (descriptor >= 0) {
            incomingConnection(descriptor);
            continue;
        }
        switch (errno) {
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
            return;
        // The connection died before we took it, or a signal came: on to the next one
        // (Linux reports a new connection's network errors from accept, see accept(2)).
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case ENETUNREACH:
            continue;
        default:
            acceptFailed(errno);
            return;
        }
    }
}

void OrchardServer::acceptFailed(int error)
{
    if (m_acceptNotifier)
        m_acceptNotifier->setEnabled(false);
    const bool outOfDescriptors = error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
    const int turnedAway = outOfDescriptors ? turnAwayWithReserve() : 0;
    if (!m_acceptTroubled) {
        m_acceptTroubled = true;
        m_turnedAwayInEpisode = 0;
        m_acceptTroubleSince.start();
        rlimit limit {};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        const QString why = error == EMFILE
                ? QStringLiteral("out of file descriptors (open-file limit %1; new clients get BUSY from a "
                                 "descriptor kept in reserve)")
                          .arg(static_cast<qint64>(limit.rlim_cur))
                : QStringLiteral("accept failed: %1").arg(QString::fromLocal8Bit(std::strerror(error)));
        m_events.reportConnectionRejected(QStringLiteral("new connections"),
                                          QStringLiteral("%1: accepting paused, retried every %2 ms")
                                                  .arg(why)
                                                  .arg(kAcceptRetry.count()));
    }
    m_turnedAwayInEpisode += turnedAway;
    m_acceptCalm.start();
    m_acceptRetry.start();
}

int OrchardServer::turnAwayWithReserve()
{
    // The reserve descriptor (the classic answer to EMFILE on accept): let it go, accept
    // one waiting connection into its number, answer BUSY, close; again until the backlog
    // is empty or the pass is done; then take the reserve back. Without it the clients wait
    // in the backlog, unanswered, for as long as the server is out of descriptors.
    if (m_reserveDescriptor < 0)
        return 0;
    ::close(m_reserveDescriptor);
    m_reserveDescriptor = -1;
    const QByteArray busy = *encodeFrame(
            MessageType::ServerError,
            serverErrorBody({ ErrorCode::Busy,
                              QStringLiteral("The server cannot take more connections now (out of file "
                                             "descriptors); try again later."),
                              {} }));
    int turnedAway = 0;
    while (turnedAway < kTurnedAwayPerPass) {
        const int fd = ::accept4(static_cast<int>(socketDescriptor()), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            break;
        if (!m_config.tls) // a TLS client expects a handshake: closing is all we can say
            WaitingRoom::sendNow(fd, busy);
        WaitingRoom::closeDescriptor(fd);
        ++turnedAway;
    }
    m_reserveDescriptor = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    m_metrics.countConnections(ConnectionOutcome::Busy, turnedAway);
    return turnedAway;
}

void OrchardServer::refused(const WaitingRoom::Entry &entry, const QString &reason)
{
    m_waitingSince.remove(entry.sessionId);
    m_events.reportConnectionRejected(entry.peer, reason);
}

bool OrchardServer::drain(const QString &why)
{
    if (m_draining || m_stopRequested)
        return false;
    m_draining = true;
    m_events.reportDraining(why, m_config.drainTime.count());
    // Queued even for 0 s: whoever asked hears back first (the HTTP answer, the log line).
    m_drainTimer.start(m_config.drainTime);
    return true;
}

std::chrono::milliseconds OrchardServer::drainRemaining() const
{
    return m_draining ? std::chrono::milliseconds(std::max(0, m_drainTimer.remainingTime())) : std::chrono::milliseconds(0);
}

QString OrchardServer::notReadyReason() const
{
    if (m_stopRequested)
        return QStringLiteral("shutting down: new connections are closed at once.");
    if (m_draining) {
        return QStringLiteral("draining: serving the clients it has, shutting down in %1 s; new clients should "
                              "connect to another server.")
                .arg(drainRemaining().count() / 1000.0, 0, 'f', 1);
    }
    if (m_models->catalog()->isEmpty())
        return QStringLiteral("starting: no model loaded yet.");
    if (!isListening())
        return QStringLiteral("starting: not listening on the protocol port yet.");
    // placeConnection()'s rule, and incomingConnection()'s for TLS, where connections in
    // their handshake take places in line too. Clients that hung up and were not yet seen
    // to go still count, so this may say "full" a moment longer than the room would.
    const int freeWorkers = std::max(0, m_config.workers - m_activeSessions);
    const int taken = m_waitingRoom.size() + (m_config.tls ? static_cast<int>(m_handshaking.size()) : 0);
    if (taken >= m_config.maxQueued + freeWorkers) {
        return QStringLiteral("the waiting line is full: all %1 workers are busy and %2 connections wait "
                              "(--max-queued %3); a new connection would get BUSY.")
                .arg(m_config.workers)
                .arg(taken)
                .arg(m_config.maxQueued);
    }
    return {};
}

quint16 OrchardServer::httpPort() const
{
    return m_http ? m_http->port() : 0;
}

quint16 OrchardServer::agentPort() const
{
    return m_agent ? m_agent->serverPort() : 0;
}

QString OrchardServer::startError() const
{
    if (!m_httpError.isEmpty()) {
        return QStringLiteral("cannot listen for %1 on %2 port %3: %4")
                .arg(m_agentFailed ? QStringLiteral("HAProxy's agent check") : QStringLiteral("HTTP (health and metrics)"))
                .arg(m_config.httpHost.toString())
                .arg(m_agentFailed ? m_config.agentPort.value_or(0) : m_config.httpPort.value_or(0))
                .arg(m_httpError);
    }
    return QStringLiteral("cannot listen on %1 port %2: %3").arg(m_config.host.toString()).arg(m_config.port).arg(errorString());
}

bool OrchardServer::startHttpEndpoint()
{
    m_httpError.clear();
    m_agentFailed = false;
    if (m_config.httpPort && !m_http) {
        auto endpoint = std::make_unique<HttpEndpoint>(this);
        if (endpoint->start(m_config.httpHost, *m_config.httpPort)) {
            connect(endpoint.get(), &HttpEndpoint::drainRequested, this, &OrchardServer::drain);
            m_http = std::move(endpoint);
        } else {
            m_httpError = endpoint->errorString();
        }
    }
    if (m_httpError.isEmpty() && m_config.agentPort && !m_agent) {
        auto agent = std::make_unique<AgentEndpoint>(this);
        if (agent->start(m_config.httpHost, *m_config.agentPort)) {
            m_agent = std::move(agent);
        } else {
            m_httpError = agent->errorString();
            m_agentFailed = true;
        }
    }
    if (m_httpError.isEmpty())
        return true;
    // Without its probes, metrics or agent the server is not what was asked for: start()
    // fails, and stops listening on the protocol port it had just opened.
    m_http.reset();
    m_agent.reset();
    delete std::exchange(m_acceptNotifier, nullptr);
    close();
    return false;
}

} // namespace orchard
