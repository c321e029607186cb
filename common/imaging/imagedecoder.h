#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include "common/imaging/imageheader.h"
#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * Turns uploaded bytes into 8-bit pixels with OpenCV, after deciding whether they should
 * be decoded at all.
 *
 * The header is sized first (ImageHeader) and anything over the pixel limit is refused
 * before OpenCV allocates a byte; cut-off uploads are refused instead of being "decoded"
 * with grey rows. JPEGs at least twice the model's input on both sides use libjpeg's
 * reduced-size decode (DCT scaling), which is several times faster on camera photos and
 * loses nothing the model would see after resizing.
 */
class ImageDecoder
{
public:
    static constexpr qint64 kDefaultMaxPixels = 40'000'000;

    /** The decoded pixels and what the file said about itself. */
    struct Image
    {
        cv::Mat pixels; ///< CV_8UC1 (gray) or CV_8UC3 (BGR, OpenCV's order)
        ImageHeader header;
        int reduction = 1; ///< 1, or the JPEG scale denominator 2, 4 or 8
    };

    explicit ImageDecoder(qint64 maxPixels = kDefaultMaxPixels);

    qint64 maxPixels() const { return m_maxPixels; }

    /**
     * Decodes to 1 channel (gray) or 3 (BGR). The target size is the model's input size;
     * it only chooses the JPEG reduction. Every error is BadImage except OpenCV failing on
     * an image that passed every check (Internal).
     */
    InferenceResult<Image> decode(
        const QByteArray &data, int channels, int targetWidth, int targetHeight) const;

    /**
     * The largest f in {2, 4, 8} with width / f >= targetWidth and height / f >= targetHeight,
     * or 1 when the image is smaller than twice the target on either side.
     */
    static int reductionFactor(qint64 width, qint64 height, int targetWidth, int targetHeight);

    /** "40 megapixel", "2.5 megapixel", "5000 pixel": how messages state a limit. */
    static QString describeLimit(qint64 maxPixels);

private:
    qint64 m_maxPixels;
};

} // namespace orchard
