#include "frame.h"

namespace orchard {

Result<QByteArray> encodeFrame(MessageType type, const QByteArray &body,
                               std::optional<qint64> messageId, BodyEncoding encoding)
{
    Result<QByteArray> header =
            FrameHeader::make(type, body.size(), messageId, encoding).encode();
    if (!header)
        return header;
    QByteArray frame;
    frame.reserve(FrameHeader::kSize + body.size());
    frame.append(header.value());
    frame.append(body);
    return frame;
}

} // namespace orchard
