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
    /**
     * JPEG: the scans (SOS markers) before EOI, found by walking the file as libjpeg does.
     * libjpeg makes a pass over the whole image for every one, so scans × pixels is the
     * decode's CPU cost, whatever the file's size.
     */
    qint64 scans = 0;
    /**
     * TIFF: the tile OpenCV 4.6 decodes through one RGBA buffer, sized as it sizes it from
     * libtiff's fields: TileWidth × TileLength, or for strips the image width × RowsPerStrip
     * (the height when RowsPerStrip is absent). It can be far larger than the image.
     */
    qint64 tileWidth = 0;
    qint64 tileHeight = 0;
    bool tiled = false;
    /**
     * PNG: the compressed metadata chunks (zTXt, compressed iTXt, iCCP). libpng inflates
     * each, up to 8 MB, and keeps the text, before and after the pixels: a 770 KB file of
     * 100 of them cost 777 MB and 2 s.
     */
    qint64 inflatedChunks = 0;
    /**
     * At most what the format's decoder allocates besides the decoded image and the file,
     * in bytes: libjpeg's coefficient buffer for a progressive or multi-scan JPEG, a TIFF's
     * tile buffers, libwebp's ARGB buffer, row buffers and tables. ImageDecoder::decodeBytes
     * adds the rest.
     */
    qint64 workingBytes = 0;

    static QString formatName(Format format);

    /**
     * Which format the first bytes say this is, without reading its header; a BadImage
     * error saying what it is instead (text, GIF, HEIC...) when it is none ImageHeader reads.
     */
    static InferenceResult<Format> sniff(const QByteArray &data);

    /** Every error is InferenceError::Kind::BadImage. */
    static InferenceResult<ImageHeader> read(const QByteArray &data);
};

} // namespace orchard
