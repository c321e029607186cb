#pragma once

#include <deque>
#include <functional>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSocketNotifier>
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
 * messages (queued, BUSY, shutdown) directly on the descriptor and never reads.
 *
 * Hang-ups are noticed as they happen: every waiting descriptor is in one epoll set, whose
 * descriptor is the only one the event loop watches (a QSocketNotifier per client would
 * make every pass of the loop poll ten thousand descriptors). A readable client is peeked
 * at, never read: end of stream with nothing before it is a client that left; bytes
 * pending are a request the session will read, even from a client that already shut its
 * write side, so it stays in line and is watched from then on for a reset only.
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
        int toldPosition = 0; ///< the position the client last heard in `queued`
        qint64 toldAtMs = 0; ///< when, on the room's clock
    };

    static constexpr qint64 kWaitingReadBuffer = 64 * 1024;

    /**
     * Announcements: the first kAnnouncedAtOnce places hear every move at once (about to be
     * served, they watch closely); the places behind hear their new position at most once
     * per kAnnounceIntervalMs. A move then costs at most kAnnouncedAtOnce sends instead of
     * one per waiting client (draining 2000 quick clients took 11.7 s when every move was
     * announced to everyone). The later ones go out in sweeps every kSweepIntervalMs of
     * at most kSweepBudget sends each, front first, so that no pass of the event loop
     * stalls a newcomer's `queued` (10,000 sends at once took the loop tens of ms).
     */
    static constexpr int kAnnouncedAtOnce = 10;
    static constexpr int kAnnounceIntervalMs = 1000;
    static constexpr int kSweepIntervalMs = 100;
    static constexpr int kSweepBudget = 256;

    explicit WaitingRoom(QObject *parent = nullptr);
    ~WaitingRoom() override;

    int size() const { return static_cast<int>(m_entries.size()); }
    bool isEmpty() const { return m_entries.empty(); }

    /** Queues a connection and sends it `queued` with its position. */
    void admit(const Entry &entry, int workers);
    /** The longest-waiting connection; the caller now owns its descriptor. */
    Entry takeNext();
    /** The line moved: the front hears its new positions now, the rest soon (see above). */
    void announcePositions(int workers);
    /**
     * Takes out every client whose hang-up the kernel has seen and the event loop not yet
     * (one system call): before a newcomer is placed or refused, since a burst of connects
     * is accepted in one go, before the loop could report any of them leaving.
     */
    void dropDeparted();
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
     * the hang-ups seen together come in one signal, so that the line is announced once
     * for them, not once per client (thousands can leave at once when a network drops).
     */
    void entriesLeft(const QList<quint64> &sessionIds);

private:
    /** Sends `queued` with this 1-based position in a line of size(). */
    void sendPosition(Entry &entry, int position, int workers);
    /** Tells the places behind the front whose news is due; comes back while some is not. */
    void sweepAnnouncements();
    /** Stops watching the descriptor (before it is handed on or closed). */
    void unwatch(const Entry &entry);
    /** Takes these entries out of the line (closing nothing) and says so. */
    void leave(const QList<quint64> &sessionIds);

    std::deque<Entry> m_entries;
    int m_epoll = -1;
    QSocketNotifier *m_hangUps = nullptr;
    QHash<int, quint64> m_sessionByDescriptor; ///< the descriptors in m_epoll
    QElapsedTimer m_clock;
    QTimer m_sweepTimer;
    int m_workers = 0; ///< as last announced: a sweep's `queued` carries it too
};

} // namespace orchard
