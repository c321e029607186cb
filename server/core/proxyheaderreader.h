#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include "server/core/proxyheader.h"

class QSocketNotifier;
class QTimer;

namespace orchard {

/**
 * Reads the PROXY protocol header off a freshly accepted connection's bare descriptor,
 * before any QTcpSocket or QSslSocket owns it, and takes from the kernel exactly the
 * header's bytes: whatever the client sent after it is still there for the socket that
 * is given the descriptor next.
 *
 * It peeks (MSG_PEEK) at what has arrived, so it never reads past the header's end. The
 * bytes ProxyHeader::parse() calls Incomplete all belong to the header, so they are taken
 * at once; the read notifier, which fires as long as unread bytes wait, then only wakes
 * it for new ones instead of spinning on the same few.
 *
 * finished() is emitted exactly once, always from the event loop (never from inside
 * start()); the notifier and the deadline are off from then on. The descriptor is never
 * closed: the caller owns it, whatever the outcome. Delete the reader with deleteLater()
 * from a slot connected to finished(), as that slot runs inside the notifier's signal.
 */
class ProxyHeaderReader : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Complete, ///< a valid header, consumed; the client's own bytes follow in the kernel
        Timeout, ///< no complete header within the deadline
        Closed, ///< the peer closed, or the connection failed, before the header was complete
        Invalid, ///< the bytes began like a PROXY header but are not a valid one
        /**
         * The very first byte cannot begin a PROXY header (a client speaking Orchard's
         * protocol directly sends ' ' or '{'): nothing was consumed, the descriptor's bytes
         * are as the client sent them.
         */
        Missing,
    };
    Q_ENUM(Outcome)

    /**
     * `descriptor`: a connected stream socket, blocking or not (every call here is
     * MSG_DONTWAIT). `timeoutMs`: the deadline for the whole header from start();
     * 0 or less waits without one.
     */
    ProxyHeaderReader(qintptr descriptor, int timeoutMs, QObject *parent = nullptr);
    ~ProxyHeaderReader() override;

    /** Starts watching the descriptor; only the first call does anything. */
    void start();

    qintptr descriptor() const;
    bool isFinished() const;
    /** The bytes taken from the kernel so far: all of them the header's, never the client's. */
    qsizetype consumedBytes() const;

signals:
    /**
     * `header` is parse()'s result where there was one (Complete, Invalid, Missing), a
     * default (Incomplete) header otherwise. `error` is empty for Complete, a sentence for
     * the log for every other outcome.
     */
    void finished(orchard::ProxyHeaderReader::Outcome outcome, const orchard::ProxyHeader &header,
        const QString &error);

private:
    void readAvailable();
    /** Takes `count` bytes that a peek has shown are there; false and `error` if it cannot. */
    bool consume(qsizetype count, QString *error);
    void finish(Outcome outcome, const ProxyHeader &header, const QString &error);

    qintptr m_descriptor = -1;
    int m_timeoutMs = 0;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_deadline = nullptr;
    QByteArray m_consumed; ///< the header's bytes taken so far
    bool m_started = false;
    bool m_finished = false;
};

} // namespace orchard
