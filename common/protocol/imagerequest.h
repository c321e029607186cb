#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

#include "common/protocol/frame.h"

namespace orchard {

/** The three ways a CLIENT_IMAGE body can carry an image (docs/protocol.md). */
enum class ImageBodyForm {
    Base64Text, ///< the base64 text of the file: what the original clients send
    Base64Json, ///< {"image": "<base64>", "name": ..., "top_k": ...}
    Binary,     ///< the raw file bytes, with "encoding":"binary" in the header
};

/**
 * A CLIENT_IMAGE request: the encoded image file plus what the client said about it.
 * The image bytes are still compressed (JPEG, PNG…); decoding is the engine's job.
 */
struct ImageRequest
{
    QByteArray imageData; ///< the image file's bytes, base64 already undone
    QString name;         ///< the file name the client gave, if any
    std::optional<int> topK;
    std::optional<qint64> messageId;
    /** The served model to ask (docs/protocol.md, "Choosing a model"); empty: the default. */
    QString model;
    std::optional<qint64> modelVersion; ///< nullopt: the model's latest served version

    static constexpr int kMaxModelNameLength = FrameHeader::kMaxModelNameLength;

    /**
     * The body length toFrame(form) would produce, without building it (12 MB photos);
     * imageSize stands in for imageData's size when the file has not been read yet.
     */
    qint64 bodyLength(ImageBodyForm form, std::optional<qint64> imageSize = std::nullopt) const;

    /**
     * Reads a CLIENT_IMAGE frame in any of the three forms. BAD_IMAGE (with the frame's
     * msg_id) for invalid base64, a malformed JSON form, or an empty image.
     */
    static Result<ImageRequest> fromFrame(const Frame &frame);

    /**
     * The whole frame, header included. The name only travels in Base64Json; topK travels
     * in the JSON body, or in the header for Binary (the original text form has neither);
     * model and modelVersion in the JSON body for Base64Json, else in the header.
     */
    Result<QByteArray> toFrame(ImageBodyForm form) const;
};

} // namespace orchard
