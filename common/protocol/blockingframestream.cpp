#include "common/protocol/blockingframestream.h"

#include <algorithm>

#include <sys/socket.h>

#include <QAbstractSocket>
#include <QDeadlineTimer>

namespace orchard {

namespace {

/** The most one read() takes from the socket, so one huge body does not mean one huge copy. */
constexpr qint64 kReadChunk = 1024 * 1024;

int waitSlice(const QDeadlineTimer &deadline)
{
    return static_cast<int>(std::clamp<qint64>(deadline.remainingTime(), 0,
                                                BlockingFrameStream::kPollInterval.count()));
}

ProtocolError timeoutError(bool midFrame, std::chrono::milliseconds limit)
{
    const double seconds = limit.count() / 1000.0;
    return { ErrorCode::Timeout,
             midFrame ? QStringLiteral("A message began but was not completed within %1 s.")
                                .arg(seconds)
                      : QStringLiteral("No message arrived for %1 s; closing the idle connection.")
                                .arg(seconds),
             std::nullopt };
}

} // namespace

BlockingFrameStream::BlockingFrameStream(QAbstractSocket *socket, qint64 maxBodyLength)
    : m_socket(socket)
    , m_reader(maxBodyLength)
{
}

bool BlockingFrameStream::hasUnreadBytes() const
{
    const qintptr descriptor = m_socket->socketDescriptor();
    if (descriptor < 0)
        return true; // not a kernel socket: let Qt look
    // Peeked, not read: were the kernel's answer the end of the stream, Qt would take it for
    // a disconnection and close the socket, and a client that half-closed after its last
    // request (shutdown(SHUT_WR), as HTTP-style tools do) would lose the answers still
    // coming (tests/hardening: "A waiting client that sends its request and shuts its
    // write side is served").
    char byte = 0;
    return ::recv(static_cast<int>(descriptor), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

bool BlockingFrameStream::takeParsed(ReadResult &result)
{
    if (m_reader.hasFrame()) {
        result.status = ReadStatus::FrameReady;
        result.frame = m_reader.takeFrame();
        return true;
    }
    if (m_reader.hasError()) {
        result.status = ReadStatus::ProtocolError;
        result.error = *m_reader.error();
        return true;
    }
    return false;
}

BlockingFrameStream::ReadResult BlockingFrameStream::readFrame(std::chrono::milliseconds idleTimeout,
                                                               std::chrono::milliseconds readTimeout,
                                                               const std::atomic_bool *stopRequested)
{
    const QDeadlineTimer idleDeadline(idleTimeout);
    QDeadlineTimer frameDeadline(readTimeout);
    ReadResult result;

    for (;;) {
        if (takeParsed(result))
            return result;
        if (m_socket->bytesAvailable() > 0) {
            const bool wasMidFrame = m_reader.isMidFrame();
            const QByteArray data = m_socket->read(std::min(m_socket->bytesAvailable(), kReadChunk));
            m_bytesReceived += data.size();
            m_reader.feed(data);
            // The read timeout counts from a frame's first byte, not from the last frame.
            if (!wasMidFrame)
                frameDeadline.setRemainingTime(readTimeout);
            continue;
        }
        if (stopRequested && stopRequested->load(std::memory_order_relaxed)) {
            result.status = ReadStatus::Stopped;
            return result;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            result.status = ReadStatus::Disconnected;
            return result;
        }
        const bool midFrame = m_reader.isMidFrame();
        const QDeadlineTimer &deadline = midFrame ? frameDeadline : idleDeadline;
        if (deadline.hasExpired()) {
            result.status = ReadStatus::TimedOut;
            result.error = timeoutError(midFrame, midFrame ? readTimeout : idleTimeout);
            return result;
        }
        m_socket->waitForReadyRead(waitSlice(deadline));
    }
}

BlockingFrameStream::ReadResult BlockingFrameStream::pollFrame()
{
    ReadResult result;
    bool pulled = false;
    for (;;) {
        if (takeParsed(result))
            return result;
        if (m_socket->bytesAvailable() > 0) {
            const QByteArray data = m_socket->read(std::min(m_socket->bytesAvailable(), kReadChunk));
            m_bytesReceived += data.size();
            m_reader.feed(data);
            continue;
        }
        if (!pulled && m_socket->state() == QAbstractSocket::ConnectedState && hasUnreadBytes()) {
            // Without an event loop the socket learns of new bytes only when asked: a wait
            // of 0 ms takes what the kernel has and returns.
            pulled = true;
            m_socket->waitForReadyRead(0);
            continue;
        }
        result.status = m_socket->state() == QAbstractSocket::ConnectedState ? ReadStatus::Incomplete
                                                                              : ReadStatus::Disconnected;
        return result;
    }
}

bool BlockingFrameStream::writeFrame(const QByteArray &frame, std::chrono::milliseconds timeout,
                                     const std::atomic_bool *stopRequested)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState || m_socket->write(frame) != frame.size())
        return false;
    // Usually the kernel takes the whole reply at once: then there is nothing to wait for.
    m_socket->flush();
    QDeadlineTimer deadline(timeout);
    bool stopSeen = false;
    while (m_socket->bytesToWrite() > 0) {
        if (!stopSeen && stopRequested && stopRequested->load(std::memory_order_relaxed)) {
            stopSeen = true;
            if (deadline.remainingTimeAsDuration() > kStopWriteGrace)
                deadline.setRemainingTime(kStopWriteGrace);
        }
        if (deadline.hasExpired() || m_socket->state() != QAbstractSocket::ConnectedState)
            return false;
        m_socket->waitForBytesWritten(waitSlice(deadline));
    }
    m_bytesSent += frame.size();
    return true;
}

} // namespace orchard
