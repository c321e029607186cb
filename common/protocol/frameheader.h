#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include "common/protocol/messagetype.h"
#include "common/protocol/result.h"

namespace orchard {

/** How a CLIENT_IMAGE body carries the image file. */
enum class BodyEncoding {
    Base64, ///< base64 text, or a JSON object with a base64 "image" (the original form)
    Binary, ///< the raw file bytes, a third smaller than base64
};

QString bodyEncodingName(BodyEncoding encoding);

/**
 * The fixed-size header that precedes every body on the wire.
 *
 * On the wire it is the UTF-8 text of a JSON object padded on the left with spaces to
 * exactly kSize bytes, as the original Python clients send it. decode() trims ASCII
 * white space on both sides, so right-padded headers are accepted too.
 */
struct FrameHeader
{
    static constexpr int kSize = 128;
    /** A model's name on the wire: at most this many characters (a header has 128 bytes). */
    static constexpr int kMaxModelNameLength = 64;

    MessageType type = MessageType::Unknown;
    QString typeName; ///< the msg_type text as received (for unknown types)
    qint64 length = 0; ///< msg_len: the body's size in bytes
    std::optional<qint64> messageId; ///< msg_id, chosen by the client and echoed back
    BodyEncoding encoding = BodyEncoding::Base64;
    /** top_k for a binary CLIENT_IMAGE, whose body has no room to say it. */
    std::optional<int> topK;
    /** model and model_version for a CLIENT_IMAGE: which served model answers; empty: the default. */
    QString model;
    std::optional<qint64> modelVersion;

    static FrameHeader make(MessageType type, qint64 length,
                            std::optional<qint64> messageId = std::nullopt,
                            BodyEncoding encoding = BodyEncoding::Base64);

    /**
     * The kSize header bytes, or BAD_HEADER when the JSON does not fit (a sender must
     * refuse rather than truncate: the receiver would lose the framing).
     */
    Result<QByteArray> encode() const;

    /**
     * Parses kSize bytes. BAD_HEADER when they are not a JSON object, msg_type is missing,
     * or msg_len is missing, negative or not a whole number. The length is not checked
     * against any limit here: that is FrameReader's job.
     */
    static Result<FrameHeader> decode(QByteArrayView bytes);
};

} // namespace orchard
