#pragma once

#include <optional>

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include "common/imaging/decodebudget.h"
#include "common/imaging/decodepolicy.h"
#include "common/imaging/imageheader.h"
#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * Turns uploaded bytes into 8-bit pixels with OpenCV, after deciding whether they should
 * be decoded at all.
 *
 * The header is sized first (ImageHeader) and anything over the pixel limit is refused
 * before OpenCV allocates a byte; cut-off uploads are refused instead of being "decoded"
 * with grey rows. What the header says the decoder would spend beyond the pixels is
 * bounded too: a JPEG's scans (each a pass over the whole image), a TIFF's tiles and strips
 * (one buffer of a whole tile, whatever the image's size). The caller's DecodePolicy picks
 * the formats, and the estimate of what the decode allocates is reserved from its
 * DecodeBudget. JPEGs at least twice the model's input on both sides use libjpeg's
 * reduced-size decode (DCT scaling), which is several times faster on camera photos and
 * loses nothing the model would see after resizing.
 */
class ImageDecoder
{
public:
    static constexpr qint64 kDefaultMaxPixels = 40'000'000;
    /**
     * Scans a JPEG may have. A camera writes 1 (or 3, one per component), libjpeg's and
     * mozjpeg's progressive scripts 10 or fewer; 64 leaves room for any hand-made script
     * while bounding the cost at 64 passes over an image within the pixel limit (measured
     * in docs/security.md). Each scan costs a pass even when it holds no data at all.
     */
    static constexpr qint64 kMaxJpegScans = 64;
    /**
     * Pixels a TIFF tile or strip may hold beyond the image's own: enough for libtiff's
     * default 256 × 256 tiles and 8 KB strips on a small image. A larger one only makes
     * OpenCV allocate a buffer for pixels that are not there.
     */
    static constexpr qint64 kMinTiffTileAllowance = 1 << 20;
    /**
     * Compressed metadata chunks a PNG may have (zTXt, compressed iTXt, iCCP). A photo has
     * an ICC profile and a few text chunks; each costs libpng up to 8 MB of inflating
     * (13 ms) and keeping, so 8 bound it at 64 MB and 0.1 s.
     */
    static constexpr qint64 kMaxPngInflatedChunks = 8;

    /** The decoded pixels and what the file said about itself. */
    struct Image
    {
        cv::Mat pixels; ///< CV_8UC1 (gray) or CV_8UC3 (BGR, OpenCV's order)
        ImageHeader header;
        int reduction = 1; ///< 1, or the JPEG scale denominator 2, 4 or 8
        /** The decode's share of the policy's budget (if any), held while pixels live. */
        DecodeBudget::Reservation memory;
    };

    explicit ImageDecoder(qint64 maxPixels = kDefaultMaxPixels);

    qint64 maxPixels() const { return m_maxPixels; }

    /**
     * Decodes to 1 channel (gray) or 3 (BGR). The target size is the model's input size;
     * it only chooses the JPEG reduction. Every error is BadImage except OpenCV failing on
     * an image that passed every check (Internal). With a budget in the policy this may
     * wait for memory other decodes hold (see DecodeBudget).
     */
    InferenceResult<Image> decode(const QByteArray &data, int channels, int targetWidth, int targetHeight,
                                  const DecodePolicy &policy = {}) const;

    /**
     * At most what OpenCV and its codec allocate to decode this file to `channels` 8-bit
     * channels at this JPEG reduction, in bytes: the image (twice: EXIF may turn it into a
     * copy, and the preprocessor converts it), the codec's own buffers
     * (ImageHeader::workingBytes), what it copies of the file, and its fixed state. The
     * fuzz target fuzz_image_decode checks it against every allocation OpenCV makes.
     */
    static qint64 decodeBytes(const ImageHeader &header, int channels, int reduction, qint64 fileSize);

    /**
     * The largest f in {2, 4, 8} with width / f >= targetWidth and height / f >= targetHeight,
     * or 1 when the image is smaller than twice the target on either side.
     */
    static int reductionFactor(qint64 width, qint64 height, int targetWidth, int targetHeight);

    /** "40 megapixel", "2.5 megapixel", "5000 pixel": how messages state a limit. */
    static QString describeLimit(qint64 maxPixels);

private:
    /** Why this header must not be decoded (limits, truncation, cost), or nothing. */
    std::optional<InferenceError> refusal(const ImageHeader &header, qint64 fileSize,
                                          const DecodePolicy &policy) const;

    qint64 m_maxPixels;
};

} // namespace orchard
