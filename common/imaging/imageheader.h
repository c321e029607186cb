#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * An encoded image's format and pixel dimensions, read from its first bytes without
 * decoding anything.
 *
 * This is the engine's first line of defence against hostile uploads: a 300 KB PNG can
 * claim 30000 × 30000 pixels, and OpenCV would try to allocate 2.7 GB before finding out
 * the data is garbage. read() parses only headers, checks every offset against the data it
 * was given, and refuses what it cannot size, so the decoder can apply a pixel limit first.
 */
struct ImageHeader
{
    enum class Format { Png, Jpeg, Bmp, WebP, Tiff, Pnm, SunRaster };

    Format format = Format::Png;
    qint64 width = 0;
    qint64 height = 0;
    /**
     * The data ends before the format's end marker: a PNG without IEND, a JPEG without
     * EOI after its scans, a WebP shorter than its RIFF size. libjpeg would otherwise
     * "decode" a cut-off upload by filling the missing rows with grey.
     */
    bool truncated = false;

    static QString formatName(Format format);

    /** Every error is InferenceError::Kind::BadImage. */
    static InferenceResult<ImageHeader> read(const QByteArray &data);
};

} // namespace orchard
