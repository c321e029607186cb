#include "common/protocol/frame.h"

namespace orchard {

Result<QByteArray> encodeFrame(MessageType type, const QByteArray &body,
                               std::optional<qint64> messageId, BodyEncoding encoding)
{
    return encodeFrame(FrameHeader::make(type, body.size(), messageId, encoding), body);
}

Result<QByteArray> encodeFrame(FrameHeader header, const QByteArray &body)
{
    header.length = body.size();
    Result<QByteArray> encoded = header.encode();
    if (!encoded)
        return encoded;
    QByteArray frame;
    frame.reserve(FrameHeader::kSize + body.size());
    frame.append(encoded.value());
    frame.append(body);
    return frame;
}

} // namespace orchard
