#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpServer>
#include <QThreadPool>
#include <QTimer>

#include "server/core/serverconfig.h"
#include "server/core/serverevents.h"
#include "server/core/servermetrics.h"
#include "server/core/waitingroom.h"

namespace orchard {

class AgentEndpoint;
class HttpEndpoint;
class InferenceBatcher;
class ProxyHeaderReader;
class InferenceEngine;
class ModelStore;

/** What raiseOpenFileLimit() found and did: the soft limit before and after, the hard limit. */
struct OpenFileLimit
{
    qint64 before = 0;
    qint64 now = 0;
    qint64 hard = 0;
    QString error; ///< why it could not be raised, if it could not
    /** "open-file limit 4096 (raised from 1024 to the hard limit)" and the like, for the log. */
    QString description() const;
};

/**
 * Raises this process's soft RLIMIT_NOFILE to its hard limit. Every connection is a
 * descriptor, waiting ones included, and the soft limit is often 1024 where the hard one
 * is far larger; with --max-queued in the thousands the soft limit is what a crowd hits.
 */
OpenFileLimit raiseOpenFileLimit();

/**
 * The Orchard server: accepts connections and serves each one as a Session on a pool of
 * workers, telling the ones that must wait where they stand.
 *
 * incomingConnection() hands only the descriptor on (a socket belongs to the thread that
 * creates it). With a free worker the session starts at once; otherwise the connection
 * joins the WaitingRoom and hears `queued`, or gets BUSY when the room is full. When a
 * session ends, the longest-waiting connection takes its worker.
 *
 * Everything here runs in the thread that owns the server (the GUI thread, or the main
 * thread when headless); sessions report through events() with queued signals.
 *
 * Out of descriptors, nothing aborts and nothing wedges: every worker's thread exists from
 * start(), the server accepts connections itself (acceptPending()), an accept error pauses
 * accepting for kAcceptRetry and is logged once per episode, and a descriptor kept in
 * reserve lets the server tell the clients it cannot take BUSY instead of leaving them in
 * the kernel's backlog.
 */
class OrchardServer : public QTcpServer
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kShutdownGrace { 5000 };
    /** A trusted proxy's PROXY header must arrive within this (or the read timeout, if shorter). */
    static constexpr std::chrono::milliseconds kProxyHeaderTimeout { 5000 };
    /** After an accept error (out of descriptors), accepting is tried again this much later. */
    static constexpr std::chrono::milliseconds kAcceptRetry { 100 };
    /** An accept-error episode ends (and is logged as over) after this long without one. */
    static constexpr std::chrono::milliseconds kAcceptCalm { 1000 };
    /**
     * The whole line is reported (ServerEvents::waitingLineChanged) at every change while it
     * is at most this long; a longer one at most every kLineReportInterval: receivers take
     * the whole line each time, so a report per move would make draining it quadratic.
     */
    static constexpr int kLineReportedAtOnce = 256;
    static constexpr std::chrono::milliseconds kLineReportInterval { 100 };

    /** Serves the models of a store (loaded: ModelStore::loadNow()); it reloads as it is told. */
    OrchardServer(ServerConfig config, std::shared_ptr<ModelStore> models, QString version, QObject *parent = nullptr);
    /** Serves one engine as version 1 of its model and never reloads (tests, tools). */
    OrchardServer(ServerConfig config, std::shared_ptr<const InferenceEngine> engine,
                  QString version, QObject *parent = nullptr);
    ~OrchardServer() override;

    /** Listens on the configured host and port (0: any free port; see serverPort()). */
    bool start();
    /**
     * Graceful stop: no new connections, waiting and idle clients hear `shutdown`,
     * predictions in flight finish; returns when every session ended or grace ran out.
     */
    void shutdown(std::chrono::milliseconds grace = kShutdownGrace);

    int workerCount() const { return m_config.workers; }
    /** Resizes the pool while running; waiting connections take any new workers at once. */
    void setWorkerCount(int workers);
    int activeSessionCount() const { return m_activeSessions; }
    int waitingCount() const { return m_waitingRoom.size(); }
    const ServerConfig &config() const { return m_config; }
    /**
     * Replaces the access tokens (SIGHUP read the token file again). A session takes the
     * tokens in force when a worker takes its connection, so connections waiting in line
     * and every later one are checked against these; sessions already being served keep
     * the tokens they started with until they end (docs/operations.md).
     */
    void setAccessTokens(std::shared_ptr<const AccessTokens> tokens);
    /** The models served: what requests get, and the reloads (the monitor's Models panel). */
    ModelStore &models() const { return *m_models; }
    ServerEvents *events() { return &m_events; }
    /** The counters and histograms of /metrics (HttpEndpoint); sessions add to them. */
    const ServerMetrics &metrics() const { return m_metrics; }
    /** The inference threads and the images waiting for them (--inference-threads, --max-batch). */
    const InferenceBatcher &batcher() const { return *m_batcher; }
    const QString &version() const { return m_version; }
    /**
     * Why a new connection would be neither served nor queued now, in one line (not yet
     * listening, shutting down, the line full); empty when it would: /health/ready.
     */
    QString notReadyReason() const;
    /** The HTTP port of health and metrics (ServerConfig::httpPort); 0 when there is none. */
    quint16 httpPort() const;
    /** The port of HAProxy's agent check (ServerConfig::agentPort); 0 when there is none. */
    quint16 agentPort() const;
    /**
     * Begins draining (SIGTERM, POST /admin/drain): for ServerConfig::drainTime the server
     * says it is not ready (/health/ready, the agent's "drain") so balancers send new
     * clients elsewhere, while it goes on serving every connection it has and gets; then it
     * emits drained(), whose receiver shuts it down. why: who asked, for the log. False
     * (and nothing happens) when it drains or stops already.
     */
    bool drain(const QString &why);
    bool isDraining() const { return m_draining; }
    /** The rest of the drain time, 0 when not draining. */
    std::chrono::milliseconds drainRemaining() const;
    /** Why start() failed, as a sentence naming the address and port that could not be used. */
    QString startError() const;

signals:
    /** The drain time (drain()) is over: time to shut down. */
    void drained();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    /** TLS handshake or placement, once the peer is known (after its PROXY header, if any). */
    void admitConnection(WaitingRoom::Entry entry);
    /** From a trusted proxy: its PROXY header is read first; it names the peer (see ServerConfig::proxyProtocol). */
    void readProxyHeader(WaitingRoom::Entry entry);
    /** TLS: the handshake runs here, in the event loop, before the connection is placed. */
    void startHandshake(WaitingRoom::Entry entry);
    /** Serves the connection now, lets it wait, or turns it away with BUSY. */
    void placeConnection(const WaitingRoom::Entry &entry);
    void startSession(const WaitingRoom::Entry &entry);
    /** Invoked by name from the session's worker (see startSession()). */
    Q_INVOKABLE void onSessionFinished(quint64 sessionId);
    void serveWaitingConnections();
    /** Tells waiting connections (WaitingRoom's policy), and the events, where the line stands now. */
    void announceWaitingLine();
    /** ServerEvents::reportWaitingLineChanged, now or soon (see kLineReportedAtOnce). */
    void reportWaitingLine();
    /**
     * Makes the pool start a thread for every worker not running a session now. QThreadPool
     * starts threads lazily, and each new thread makes its event dispatcher (GLib: an
     * eventfd) as it starts; made under pressure, with no descriptor left, GLib abort()s
     * ("Creating pipes for GWakeup: Too many open files").
     */
    void startWorkerThreads();
    /**
     * Accepts what the listening socket has, in place of QTcpServer's own loop: Qt 6.4's
     * socket engine keeps the first error it sets for as long as it lives, so after one
     * EMFILE every later "nothing more to accept" (EAGAIN) read as that error too, and
     * QTcpServer paused accepting for good (acceptError) with descriptors long free again.
     */
    void acceptPending();
    /** accept() failed with errno: pause accepting for kAcceptRetry, say so once per episode. */
    void acceptFailed(int error);
    /** Out of descriptors: lets the reserve go to accept, BUSY and close waiting clients. */
    int turnAwayWithReserve();
    /** The connection was turned away (and closed): forgets it and reports why. */
    void refused(const WaitingRoom::Entry &entry, const QString &reason);
    /**
     * The HTTP port of health and metrics and the agent port, when configured; false
     * (m_httpError says why) if one cannot listen.
     */
    bool startHttpEndpoint();

    ServerConfig m_config;
    std::shared_ptr<ModelStore> m_models;
    QString m_version;
    ServerEvents m_events;
    QThreadPool m_pool;
    WaitingRoom m_waitingRoom;
    QHash<quint64, QElapsedTimer> m_waitingSince;
    QList<QPointer<QSslSocket>> m_handshaking;
    /** Connections from trusted proxies whose PROXY header is still being read. */
    QList<QPointer<ProxyHeaderReader>> m_readingProxyHeaders;
    bool m_draining = false;
    QTimer m_drainTimer;
    QTimer m_lineReport;
    /** Open on /dev/null, for nothing: the descriptor that lets us answer BUSY when out of them. */
    int m_reserveDescriptor = -1;
    QSocketNotifier *m_acceptNotifier = nullptr; ///< on the listening socket, while listening
    QTimer m_acceptRetry;
    QTimer m_acceptCalm;
    bool m_acceptTroubled = false; ///< in an accept-error episode (logged once)
    int m_turnedAwayInEpisode = 0;
    QElapsedTimer m_acceptTroubleSince;
    std::atomic_bool m_stopRequested { false };
    int m_activeSessions = 0;
    quint64 m_nextSessionId = 1;
    ServerMetrics m_metrics;
    /** After m_metrics, which it counts into; stopped (drained) once the sessions have ended. */
    std::unique_ptr<InferenceBatcher> m_batcher;
    QString m_httpError; ///< why the HTTP or the agent port could not be listened on
    bool m_agentFailed = false; ///< m_httpError is the agent port's
    std::unique_ptr<AgentEndpoint> m_agent;
    std::unique_ptr<HttpEndpoint> m_http; ///< last: goes first, before what it reads
};

} // namespace orchard
