#include "common/imaging/imagedecoder.h"

#include <exception>
#include <limits>
#include <new>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace orchard {

namespace {

int readFlags(int channels, int reduction)
{
    const bool gray = channels == 1;
    switch (reduction) {
    case 2:
        return gray ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_REDUCED_COLOR_2;
    case 4:
        return gray ? cv::IMREAD_REDUCED_GRAYSCALE_4 : cv::IMREAD_REDUCED_COLOR_4;
    case 8:
        return gray ? cv::IMREAD_REDUCED_GRAYSCALE_8 : cv::IMREAD_REDUCED_COLOR_8;
    default:
        return gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
    }
}

} // namespace

ImageDecoder::ImageDecoder(qint64 maxPixels)
    : m_maxPixels(qMax<qint64>(1, maxPixels))
{ }

int ImageDecoder::reductionFactor(qint64 width, qint64 height, int targetWidth, int targetHeight)
{
    if (targetWidth <= 0 || targetHeight <= 0)
        return 1;
    for (const int factor : { 8, 4, 2 }) {
        if (width >= qint64(factor) * targetWidth && height >= qint64(factor) * targetHeight)
            return factor;
    }
    return 1;
}

QString ImageDecoder::describeLimit(qint64 maxPixels)
{
    if (maxPixels >= 1'000'000) {
        const bool whole = maxPixels % 1'000'000 == 0;
        return QStringLiteral("%1 megapixel").arg(double(maxPixels) / 1e6, 0, 'f', whole ? 0 : 1);
    }
    return QStringLiteral("%1 pixel").arg(maxPixels);
}

InferenceResult<ImageDecoder::Image> ImageDecoder::decode(
    const QByteArray &data, int channels, int targetWidth, int targetHeight) const
{
    InferenceResult<ImageHeader> header = ImageHeader::read(data);
    if (!header)
        return header.error();
    const QString format = ImageHeader::formatName(header->format);

    // Division, not multiplication: the header's sizes are attacker-chosen 32-bit values.
    if (header->width > m_maxPixels / header->height)
        return InferenceError::badImage(
            QStringLiteral("the image is %1 × %2 pixels, more than the %3 limit")
                .arg(header->width)
                .arg(header->height)
                .arg(describeLimit(m_maxPixels)));
    if (header->truncated)
        return InferenceError::badImage(
            QStringLiteral("the %1 file is cut short: it ends before the format's end "
                           "marker (truncated upload?)")
                .arg(format));
    if (data.size() > std::numeric_limits<int>::max())
        return InferenceError::badImage(QStringLiteral("the file is larger than 2 GiB"));

    Image image;
    image.header = *header;
    if (header->format == ImageHeader::Format::Jpeg)
        image.reduction = reductionFactor(header->width, header->height, targetWidth, targetHeight);

    // imdecode only reads the buffer; the const_cast just fits cv::Mat's constructor.
    const cv::Mat buffer(1, int(data.size()), CV_8UC1, const_cast<char *>(data.constData()));
    try {
        image.pixels = cv::imdecode(buffer, readFlags(channels, image.reduction));
    } catch (const cv::Exception &e) {
        // Also how OPENCV_IO_MAX_IMAGE_PIXELS/WIDTH/HEIGHT refusals arrive.
        return InferenceError::badImage(QStringLiteral("OpenCV could not decode the %1 image: %2")
                                            .arg(format, QString::fromStdString(e.err)));
    } catch (const std::bad_alloc &) {
        return InferenceError::internal(QStringLiteral("out of memory decoding a %1 × %2 %3 image")
                                            .arg(header->width)
                                            .arg(header->height)
                                            .arg(format));
    } catch (const std::exception &e) {
        return InferenceError::internal(QStringLiteral("decoding the %1 image failed: %2")
                                            .arg(format, QString::fromLocal8Bit(e.what())));
    }
    if (image.pixels.empty())
        return InferenceError::badImage(
            QStringLiteral("the data is not an image OpenCV can decode (truncated or "
                           "corrupt %1 file?)")
                .arg(format));
    if (image.pixels.depth() != CV_8U || image.pixels.channels() != channels)
        return InferenceError::internal(
            QStringLiteral("OpenCV decoded the %1 image to %2 channel(s) of depth %3, "
                           "expected %4 8-bit channel(s)")
                .arg(format)
                .arg(image.pixels.channels())
                .arg(image.pixels.depth())
                .arg(channels));
    return image;
}

} // namespace orchard
