#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include "common/protocol/errorcode.h"

namespace orchard {

/**
 * Everything that happens in the server, as signals: the one way events reach the
 * monitor's models, the headless log and the statistics. Nothing reaches into a session,
 * and the server emits these signals nowhere else.
 *
 * It lives in the server's (GUI) thread. Sessions, on pool threads, report through the
 * report*() functions, so receivers in the GUI thread get queued calls and never block a
 * session. The server reports its own events (listening, queued, busy, the waiting line)
 * through report*() too, from this thread.
 *
 * Predictions come in batches: with small images a server answers thousands a second, and
 * a queued signal per prediction woke the GUI thread that often, taking a core from the
 * workers each time (measured: 10 % of the server's CPU per image on two cores, see
 * docs/performance.md). So every report from a session goes into one queue, in order, and
 * is emitted here from it: any other report at once (with whatever was queued before it),
 * predictions at most kPredictionBatchDelay after the first of a batch. A report made in
 * this object's thread (the server's own) is emitted before the call returns, after
 * everything reported before it, as a direct emit would be: a model made after start()
 * never hears `listening`. Receivers hear every event in the order it was reported.
 */
class ServerEvents : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kPredictionBatchDelay { 50 };

    explicit ServerEvents(QObject *parent = nullptr);

    // Called by sessions, from any thread.
    void reportSessionStarted(quint64 sessionId, const QString &peer, double waitedMs);
    void reportSessionAuthenticated(quint64 sessionId, const QString &label);
    void reportPrediction(quint64 sessionId, const QString &label, double confidence, double latencyMs);
    void reportRequestFailed(quint64 sessionId, ErrorCode code, const QString &message);
    void reportSessionEnded(quint64 sessionId, const QString &reason);

    // Called by the server, from this object's thread (any thread would do).
    void reportListening(const QString &address, quint16 port);
    void reportStopped();
    void reportConnectionQueued(quint64 sessionId, const QString &peer, int position);
    void reportConnectionRejected(const QString &peer, const QString &reason);
    void reportWaitingConnectionLeft(quint64 sessionId);
    void reportWaitingLineChanged(const QList<quint64> &sessionIds);
    void reportWorkerCountChanged(int workers);
    /** Draining began (why: who asked); the server shuts down after seconds. */
    void reportDraining(const QString &why, qint64 seconds);
    /** threads pool threads ran InferenceEngine::warmUp(); error is empty when all did. */
    void reportWorkersWarmed(int threads, double wallMs, double slowestMs, const QString &error);
    /** ModelStore's news: a version loaded, failed or unloaded (version 0: the model, or all). */
    void reportModelEvent(const QString &model, qint64 version, const QString &text, bool problem);

signals:
    void listening(const QString &address, quint16 port);
    void stopped();
    /** Every worker was busy: the connection waits at this 1-based position. */
    void connectionQueued(quint64 sessionId, const QString &peer, int position);
    /** The waiting line was full: the connection got BUSY and was closed. */
    void connectionRejected(const QString &peer, const QString &reason);
    /** A waiting client hung up before a worker took it. */
    void waitingConnectionLeft(quint64 sessionId);
    /** The order of the waiting line changed; first is next. */
    void waitingLineChanged(const QList<quint64> &sessionIds);
    /** A worker took the connection; waitedMs is its time in the waiting line. */
    void sessionStarted(quint64 sessionId, const QString &peer, double waitedMs);
    /** The client proved it holds the token given to label. */
    void sessionAuthenticated(quint64 sessionId, const QString &label);
    void predictionServed(quint64 sessionId, const QString &label, double confidence,
                          double latencyMs);
    /** A request got a SERVER_ERROR reply with this code (errorCodeName() for its text). */
    void requestFailed(quint64 sessionId, orchard::ErrorCode code, const QString &message);
    /** The session ended and its worker is free; reason is a short phrase for the log. */
    void sessionEnded(quint64 sessionId, const QString &reason);
    void workerCountChanged(int workers);
    /** Not ready for new clients (a balancer sends them elsewhere); shutting down after seconds. */
    void draining(const QString &why, qint64 seconds);
    void workersWarmed(int threads, double wallMs, double slowestMs, const QString &error);
    void modelEvent(const QString &model, qint64 version, const QString &text, bool problem);

private:
    using Emission = std::function<void()>;

    /**
     * Any thread: queues an emission; now = have the queue emitted soon, not in a batch.
     * In this object's thread the queue is emitted before it returns.
     */
    void enqueue(Emission emission, bool now);
    // These two are called from sessions' threads by name, so that the queued call is built
    // inside Qt, under the lock that orders its delivery (a functor built by our code would
    // be a hand-off ThreadSanitizer cannot see).
    /** This object's thread: emits everything queued so far, in order. */
    Q_INVOKABLE void emitQueued();
    /** This object's thread: starts the batch timer unless it runs already. */
    Q_INVOKABLE void startBatchTimer();

    QTimer m_batchTimer;
    std::mutex m_mutex;
    std::vector<Emission> m_queue; ///< guarded by m_mutex
    bool m_emitPosted = false;     ///< guarded by m_mutex: an emitQueued() call is on its way
    // This object's thread only: inside emitQueued(), and called again from inside it.
    bool m_emitting = false;
    bool m_queuedWhileEmitting = false;
};

} // namespace orchard
