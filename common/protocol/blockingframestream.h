#pragma once

#include <atomic>
#include <chrono>

#include <QByteArray>

#include "common/protocol/framereader.h"

class QAbstractSocket;

namespace orchard {

/**
 * Reads and writes frames on a socket with blocking calls, for threads without an event
 * loop (a server session running on a QThreadPool worker).
 *
 * Every wait is bounded: by the idle timeout while no frame is in progress, by the read
 * timeout once a frame's first byte has arrived, and by a stop flag checked every
 * kPollInterval, so a session can always end and hand its worker back.
 */
class BlockingFrameStream
{
public:
    static constexpr std::chrono::milliseconds kPollInterval { 50 };
    static constexpr std::chrono::milliseconds kStopWriteGrace { 1000 };

    enum class ReadStatus {
        FrameReady,    ///< frame holds the next message
        ProtocolError, ///< error says what was wrong with the bytes (BAD_HEADER, TOO_LARGE)
        TimedOut,      ///< error is a TIMEOUT saying which wait ran out
        Disconnected,  ///< the peer closed or the connection broke
        Stopped,       ///< the stop flag was raised
        Incomplete,    ///< pollFrame() only: no whole frame has arrived yet
    };

    struct ReadResult
    {
        ReadStatus status = ReadStatus::Disconnected;
        Frame frame;
        ProtocolError error;
    };

    /** The socket must live in the calling thread; this does not take ownership. */
    explicit BlockingFrameStream(QAbstractSocket *socket,
                                 qint64 maxBodyLength = FrameReader::kDefaultMaxBodyLength);

    ReadResult readFrame(std::chrono::milliseconds idleTimeout,
                         std::chrono::milliseconds readTimeout,
                         const std::atomic_bool *stopRequested = nullptr);

    /**
     * readFrame() without waiting: takes what the socket holds now and returns the next
     * frame if it is complete, else Incomplete (or ProtocolError, Disconnected). A session
     * with replies in flight reads ahead with it, so pipelined requests reach the batcher
     * together instead of one per reply.
     */
    ReadResult pollFrame();

    /**
     * Writes and waits until the socket has sent everything; false on timeout or close.
     * Once the stop flag is up, a peer that does not read gets kStopWriteGrace at most.
     */
    bool writeFrame(const QByteArray &frame, std::chrono::milliseconds timeout,
                    const std::atomic_bool *stopRequested = nullptr);

    /** The limit for CLIENT_MESSAGE bodies (FrameReader::setMaxTextLength). */
    void setMaxTextLength(qint64 maxTextLength) { m_reader.setMaxTextLength(maxTextLength); }

    /** True while a frame has begun arriving but is not complete. */
    bool isMidFrame() const { return m_reader.isMidFrame(); }
    qint64 bytesReceived() const { return m_bytesReceived; }
    qint64 bytesSent() const { return m_bytesSent; }

private:
    /** A frame or a framing error the reader already has, into result; false when neither. */
    bool takeParsed(ReadResult &result);
    /** Whether the kernel holds bytes for us now (the end of the stream does not count). */
    bool hasUnreadBytes() const;

    QAbstractSocket *m_socket;
    FrameReader m_reader;
    qint64 m_bytesReceived = 0;
    qint64 m_bytesSent = 0;
};

} // namespace orchard
