#pragma once

#include <deque>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>

#include "common/protocol/frame.h"
#include "common/protocol/protocolerror.h"

namespace orchard {

/**
 * Cuts a byte stream into frames, whatever chunks the bytes arrive in.
 *
 * Feed it what the socket delivered; it keeps the partial header or body and queues each
 * completed frame. It has no socket inside, so the blocking server session and the
 * event-driven client share it, and tests can feed it every possible split.
 *
 * A msg_len over the limit is refused as soon as the header is complete, before a byte
 * of body is buffered or any memory reserved for it. Bodies of unknown message types are
 * counted and dropped, not stored. After a framing error (BAD_HEADER, TOO_LARGE) the
 * reader stops: the stream has no trustworthy boundary any more.
 */
class FrameReader
{
public:
    /** 32 MiB: a 12 MB camera JPEG in base64 fits with room to spare. */
    static constexpr qint64 kDefaultMaxBodyLength = 32LL * 1024 * 1024;
    /** 64 KiB: a CLIENT_MESSAGE is a line of text or a small JSON object, never an image. */
    static constexpr qint64 kDefaultMaxTextLength = 64 * 1024;

    explicit FrameReader(qint64 maxBodyLength = kDefaultMaxBodyLength);

    /** Consumes all of data; completed frames queue up for takeFrame(). */
    void feed(QByteArrayView data);

    bool hasFrame() const { return !m_frames.empty(); }
    /** The oldest completed frame. Precondition: hasFrame(). */
    Frame takeFrame();

    bool hasError() const { return m_error.has_value(); }
    const std::optional<ProtocolError> &error() const { return m_error; }

    /** True while part of a frame has arrived but not all of it. */
    bool isMidFrame() const;
    /** Bytes held for the unfinished frame (header part or body part). */
    qint64 bufferedBytes() const;

    qint64 maxBodyLength() const { return m_maxBodyLength; }
    void setMaxBodyLength(qint64 maxBodyLength) { m_maxBodyLength = maxBodyLength; }
    /** The limit for CLIENT_MESSAGE bodies (text), checked like the body limit. */
    qint64 maxTextLength() const { return m_maxTextLength; }
    void setMaxTextLength(qint64 maxTextLength) { m_maxTextLength = maxTextLength; }

private:
    void startBody(FrameHeader header);
    void finishFrame();

    qint64 m_maxBodyLength;
    qint64 m_maxTextLength = kDefaultMaxTextLength;
    QByteArray m_headerBytes;
    std::optional<FrameHeader> m_header; ///< set while reading a body
    QByteArray m_body;
    qint64 m_bodyRemaining = 0;
    bool m_skippingBody = false;
    std::deque<Frame> m_frames;
    std::optional<ProtocolError> m_error;
};

} // namespace orchard
