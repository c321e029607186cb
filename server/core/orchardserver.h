#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSslSocket>
#include <QTcpServer>
#include <QThreadPool>

#include "server/core/serverconfig.h"
#include "server/core/serverevents.h"
#include "server/core/waitingroom.h"

namespace orchard {

class InferenceEngine;

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
 */
class OrchardServer : public QTcpServer
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kShutdownGrace { 5000 };

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
    const InferenceEngine &engine() const { return *m_engine; }
    ServerEvents *events() { return &m_events; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    /** TLS: the handshake runs here, in the event loop, before the connection is placed. */
    void startHandshake(WaitingRoom::Entry entry);
    /** Serves the connection now, lets it wait, or turns it away with BUSY. */
    void placeConnection(const WaitingRoom::Entry &entry);
    void startSession(const WaitingRoom::Entry &entry);
    /** Invoked by name from the session's worker (see startSession()). */
    Q_INVOKABLE void onSessionFinished(quint64 sessionId);
    void serveWaitingConnections();
    /** Tells every waiting connection, and the events, where the line stands now. */
    void announceWaitingLine();
    /** The connection was turned away (and closed): forgets it and reports why. */
    void refused(const WaitingRoom::Entry &entry, const QString &reason);

    ServerConfig m_config;
    std::shared_ptr<const InferenceEngine> m_engine;
    QString m_version;
    ServerEvents m_events;
    QThreadPool m_pool;
    WaitingRoom m_waitingRoom;
    QHash<quint64, QElapsedTimer> m_waitingSince;
    QList<QPointer<QSslSocket>> m_handshaking;
    std::atomic_bool m_stopRequested { false };
    int m_activeSessions = 0;
    quint64 m_nextSessionId = 1;
};

} // namespace orchard
