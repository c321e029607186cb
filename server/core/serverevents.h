#pragma once

#include <QList>
#include <QObject>
#include <QString>

namespace orchard {

/**
 * Everything that happens in the server, as signals.
 *
 * It lives in the server's (GUI) thread; sessions emit from pool threads, so receivers in
 * the GUI thread get queued calls and never block a session. The monitor window, the
 * headless log and the statistics all listen here; nothing reaches into a session.
 */
class ServerEvents : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

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
};

} // namespace orchard
