#pragma once

#include <optional>

#include <QByteArray>
#include <QElapsedTimer>
#include <QMetaType>

#include "common/protocol/frameheader.h"

namespace orchard {

/** One protocol message: its header and its body bytes (empty for a skipped body). */
struct Frame
{
    FrameHeader header;
    QByteArray body;
    /** Started when the frame's last byte arrived: how long it then waited to be handled. */
    QElapsedTimer received;

    MessageType type() const { return header.type; }
    std::optional<qint64> messageId() const { return header.messageId; }
};

/**
 * Header and body as one buffer ready to write. BAD_HEADER when the header would not
 * fit in its 128 bytes (only a huge msg_id or an over-long type name can do that).
 */
Result<QByteArray> encodeFrame(MessageType type, const QByteArray &body,
                               std::optional<qint64> messageId = std::nullopt,
                               BodyEncoding encoding = BodyEncoding::Base64);
/** The same with every header field given; header.length is set from the body. */
Result<QByteArray> encodeFrame(FrameHeader header, const QByteArray &body);

} // namespace orchard

Q_DECLARE_METATYPE(orchard::Frame)
