#include "common/protocol/framereader.h"

#include <algorithm>
#include <utility>

namespace orchard {

namespace {
/**
 * The most a body buffer reserves up front. A peer can claim any msg_len up to the limit
 * and then stall; reserving all of it would let a few idle peers pin the limit's worth of
 * memory each. Larger bodies grow geometrically as their bytes actually arrive.
 */
constexpr qint64 kInitialBodyReserve = 256 * 1024;
} // namespace

FrameReader::FrameReader(qint64 maxBodyLength) : m_maxBodyLength(maxBodyLength)
{
    m_headerBytes.reserve(FrameHeader::kSize);
}

void FrameReader::feed(QByteArrayView data)
{
    while (!data.isEmpty() && !m_error) {
        if (!m_header) {
            const qsizetype wanted = FrameHeader::kSize - m_headerBytes.size();
            const qsizetype taken = std::min(wanted, data.size());
            m_headerBytes.append(data.first(taken));
            data = data.sliced(taken);
            if (m_headerBytes.size() < FrameHeader::kSize)
                return;

            Result<FrameHeader> header = FrameHeader::decode(m_headerBytes);
            m_headerBytes.clear();
            if (!header) {
                m_error = header.error();
                return;
            }
            startBody(std::move(header).value());
            continue;
        }

        const qsizetype taken = static_cast<qsizetype>(std::min<qint64>(m_bodyRemaining, data.size()));
        if (!m_skippingBody)
            m_body.append(data.first(taken));
        m_bodyRemaining -= taken;
        data = data.sliced(taken);
        if (m_bodyRemaining == 0)
            finishFrame();
    }
}

void FrameReader::startBody(FrameHeader header)
{
    // A text message over its own limit is refused as early as an oversized image: a
    // 32 MB "action name" would otherwise be read, parsed and quoted.
    if (header.type == MessageType::ClientMessage && header.length > m_maxTextLength
        && m_maxTextLength < m_maxBodyLength) {
        m_error = ProtocolError {
            ErrorCode::TooLarge,
            QStringLiteral("The CLIENT_MESSAGE is %1 bytes; messages are text and this server accepts at most "
                           "%2 bytes of it.")
                    .arg(header.length)
                    .arg(m_maxTextLength),
            header.messageId,
        };
        return;
    }
    if (header.length > m_maxBodyLength) {
        m_error = ProtocolError {
            ErrorCode::TooLarge,
            QStringLiteral("The message is %1 bytes; this server accepts at most %2 bytes.")
                    .arg(header.length)
                    .arg(m_maxBodyLength),
            header.messageId,
        };
        return;
    }
    m_skippingBody = header.type == MessageType::Unknown;
    m_bodyRemaining = header.length;
    m_body = QByteArray();
    if (!m_skippingBody)
        m_body.reserve(static_cast<qsizetype>(std::min(header.length, kInitialBodyReserve)));
    m_header = std::move(header);
    if (m_bodyRemaining == 0)
        finishFrame();
}

void FrameReader::finishFrame()
{
    Frame frame { std::move(*m_header), std::move(m_body), {} };
    frame.received.start();
    m_frames.push_back(std::move(frame));
    m_header.reset();
    m_body = QByteArray();
    m_skippingBody = false;
}

Frame FrameReader::takeFrame()
{
    Frame frame = std::move(m_frames.front());
    m_frames.pop_front();
    return frame;
}

bool FrameReader::isMidFrame() const
{
    return m_header.has_value() || !m_headerBytes.isEmpty();
}

qint64 FrameReader::bufferedBytes() const
{
    return m_headerBytes.size() + m_body.size();
}

} // namespace orchard
