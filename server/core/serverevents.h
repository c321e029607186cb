#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace orchard {

/**
 * Everything that happens in the server, as signals.
 *
 * It lives in the server's (GUI) thread. Sessions, on pool threads, report through the
 * report*() functions, so receivers in the GUI thread get queued calls and never block a
 * session. The monitor window, the headless log and the statistics all listen here;
 * nothing reaches into a session.
 *
 * Predictions come in batches: with small images a server answers thousands a second, and
 * a queued signal per prediction woke the GUI thread that often, taking a core from the
 * workers each time (measured: 10 % of the server's CPU per image on two cores, see
 * docs/performance.md). So every report from a session goes into one queue, in order, and
 * is emitted here from it: any other report at once (with whatever was queued before it),
 * predictions at most kPredictionBatchDelay after the first of a batch. Receivers hear
 * every session's events in the order the session reported them.
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
    void reportRequestFailed(quint64 sessionId, const QString &code, const QString &message);
    void reportSessionEnded(quint64 sessionId, const QString &reason);

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
    /** A request got a SERVER_ERROR reply. */
    void requestFailed(quint64 sessionId, const QString &code, const QString &message);
    /** The session ended and its worker is free; reason is a short phrase for the log. */
    void sessionEnded(quint64 sessionId, const QString &reason);
    void workerCountChanged(int workers);

private:
    using Emission = std::function<void()>;

    /** Any thread: queues an emission; now = have the queue emitted soon, not in a batch. */
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
};

} // namespace orchard
