#pragma once

#include <QByteArray>
#include <QSize>

#include "common/protocol/servermessage.h"

namespace orchard {

/**
 * Makes the copy of a photo that the server needs: no larger than twice the model's input
 * on each side. A farmer's 2048 × 1365 JPEG is 550 KB–5 MB to upload and 19–22 ms for the
 * server to decode, for a model that looks at 224 × 224 (or 28 × 28); twice the input keeps
 * everything the server's own resize uses and costs it well under a millisecond.
 *
 * Pure and thread-safe: the client runs it on a worker thread, never the GUI thread.
 */
class PhotoDownscaler
{
public:
    struct Result
    {
        QByteArray bytes; ///< what to send: the copy, or the original file when not downscaled
        bool downscaled = false;
        QSize original; ///< as decoded (EXIF orientation applied); invalid if it did not decode
        QSize sent;
    };

    /**
     * Images larger than twice the input on both sides become that size, keeping the
     * aspect ratio (each side at least twice the input), by area interpolation; colour is
     * re-encoded as JPEG quality 95, gray as PNG. Anything else — smaller images, files
     * OpenCV cannot decode, images over the pixel limit — is sent as it is, so the server
     * answers for it as it always did.
     */
    static Result prepare(const QByteArray &file, const ModelInputInfo &input);

    /**
     * Whether prepare() could make a smaller copy, judged from the file's header alone
     * (microseconds): the client sends the rest at once, without a trip to a worker thread.
     */
    static bool worthCopying(const QByteArray &file, const ModelInputInfo &input);
};

} // namespace orchard
