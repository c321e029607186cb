#pragma once

#include <deque>
#include <functional>

#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QString>
#include <QTimer>

namespace orchard {

/**
 * Connections accepted while every worker is busy, in the order they arrived.
 *
 * They are kept as bare socket descriptors, not QTcpSockets: a QTcpSocket would start
 * reading the client's early (pipelined) requests into a buffer in this thread, and a
 * socket belongs to the thread that created it, while the session that will serve the
 * connection creates its own socket on a pool thread. So the room writes its few small
 * messages (queued, BUSY, shutdown) directly on the descriptor, never reads, and notices
 * clients that hang up by polling the descriptors for a peer hang-up every kPollInterval.
 *
 * A TLS connection cannot be talked to in plain bytes: it waits as the QSslSocket that did
 * its handshake here, writes its messages through it, and reports a hang-up by signal.
 * Its reads are capped (kWaitingReadBuffer) so an early sender cannot fill our memory.
 */
class WaitingRoom : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        quint64 sessionId = 0;
        qintptr descriptor = -1;
        QString peer; ///< "address:port", for the log and the sessions table
        QPointer<QSslSocket> tlsSocket; ///< TLS only: handshake done, owned by the room while waiting
    };

    static constexpr qint64 kWaitingReadBuffer = 64 * 1024;

    static constexpr int kPollIntervalMs = 200;

    explicit WaitingRoom(QObject *parent = nullptr);
    ~WaitingRoom() override;

    int size() const { return static_cast<int>(m_entries.size()); }
    bool isEmpty() const { return m_entries.empty(); }

    /** Queues a connection and sends it `queued` with its position. */
    void admit(const Entry &entry, int workers);
    /** The longest-waiting connection; the caller now owns its descriptor. */
    Entry takeNext();
    /** Sends every waiting connection its (new) position. */
    void announcePositions(int workers);
    /** Sends `frame` to every waiting connection and closes them all. */
    void closeAll(const QByteArray &frame);
    QList<quint64> sessionIds() const;

    /** Best effort, never blocks: for small frames to a descriptor nobody else reads. */
    static bool sendNow(qintptr descriptor, const QByteArray &frame);
    /** Drains what the peer sent (so close() sends FIN, not RST) and closes. */
    static void closeDescriptor(qintptr descriptor);
    /** sendNow() for either kind of entry. */
    static void send(const Entry &entry, const QByteArray &frame);
    /** closeDescriptor() for either kind of entry. */
    static void close(const Entry &entry);

signals:
    /**
     * Waiting clients hung up before a worker took them; their descriptors are closed. All
     * the hang-ups one poll finds come in one signal, so that the line is announced once
     * for them, not once per client (thousands can leave at once when a network drops).
     */
    void entriesLeft(const QList<quint64> &sessionIds);

private:
    /** Sends `queued` with this 1-based position in a line of size(). */
    void sendPosition(const Entry &entry, int position, int workers);
    void pollForHangUps();
    /** Takes these entries out of the line (closing nothing) and says so. */
    void leave(const QList<quint64> &sessionIds);

    std::deque<Entry> m_entries;
    QTimer m_pollTimer;
};

} // namespace orchard
