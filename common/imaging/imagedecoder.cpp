#include "common/imaging/imagedecoder.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <new>
#include <utility>

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

qint64 ImageDecoder::decodeBytes(const ImageHeader &header, int channels, int reduction, qint64 fileSize)
{
    // OpenCV's codec objects and registry, libpng's and libjpeg's state, the EXIF map.
    constexpr qint64 kFixedState = 1024 * 1024;
    // Saturating: a header over the pixel limit may claim 2^32 x 2^32 pixels.
    constexpr qint64 kCeiling = qint64(1) << 60;
    const qint64 r = std::max(1, reduction);
    const qint64 width = (header.width + r - 1) / r;
    const qint64 height = (header.height + r - 1) / r;
    const qint64 perRow = 2 * width * std::max(1, channels); // width < 2^33: no overflow
    const qint64 image = height > 0 && perRow > kCeiling / height ? kCeiling : perRow * height;
    return std::min(kCeiling, image + std::min(kCeiling, header.workingBytes) + fileSize + kFixedState);
}

std::optional<InferenceError> ImageDecoder::refusal(
        const ImageHeader &header, qint64 fileSize, const DecodePolicy &policy) const
{
    const QString format = ImageHeader::formatName(header.format);
    // Division, not multiplication: the header's sizes are attacker-chosen 32-bit values.
    if (header.width > m_maxPixels / header.height)
        return InferenceError::badImage(
            QStringLiteral("the image is %1 × %2 pixels, more than the %3 limit")
                .arg(header.width)
                .arg(header.height)
                .arg(describeLimit(m_maxPixels)));
    if (header.truncated)
        return InferenceError::badImage(
            QStringLiteral("the %1 file is cut short: it ends before the format's end "
                           "marker (truncated upload?)")
                .arg(format));
    if (fileSize > std::numeric_limits<int>::max())
        return InferenceError::badImage(QStringLiteral("the file is larger than 2 GiB"));
    if (header.format == ImageHeader::Format::Jpeg && header.scans > kMaxJpegScans)
        return InferenceError::badImage(
            QStringLiteral("the JPEG has %1 scans; Orchard decodes at most %2, each being a pass over the "
                           "whole image (a camera writes 1, a progressive JPEG about 10): send it saved "
                           "again as a baseline JPEG")
                .arg(header.scans)
                .arg(kMaxJpegScans));
    if (header.format == ImageHeader::Format::Png && header.inflatedChunks > kMaxPngInflatedChunks)
        return InferenceError::badImage(
            QStringLiteral("the PNG has %1 compressed metadata chunks (zTXt, iTXt, iCCP); Orchard reads at "
                           "most %2, each of which may inflate to 8 MB: send it saved without metadata, or "
                           "as JPEG")
                .arg(header.inflatedChunks)
                .arg(kMaxPngInflatedChunks));
    if (header.format == ImageHeader::Format::Tiff) {
        // Within the pixel limit, so the product cannot overflow; the tile's sides can be
        // 2^32 each, so its area saturates.
        const qint64 allowance = std::max(header.width * header.height, kMinTiffTileAllowance);
        constexpr qint64 kHuge = std::numeric_limits<qint64>::max() / 4;
        const qint64 tilePixels = header.tileWidth > kHuge / std::max<qint64>(1, header.tileHeight)
                ? kHuge
                : header.tileWidth * header.tileHeight;
        if (tilePixels > allowance) {
            const QString cost = DecodeBudget::describeBytes(4 * tilePixels); // OpenCV's RGBA tile
            const QString what = header.tiled
                    ? QStringLiteral("%1 × %2-pixel tiles").arg(header.tileWidth).arg(header.tileHeight)
                    : QStringLiteral("strips of %1 rows").arg(header.tileHeight);
            return InferenceError::badImage(
                QStringLiteral("the TIFF declares %1 for a %2 × %3 image: decoding it would take %4 for "
                               "pixels that are not there; send %5 (or the TIFF saved with smaller %6)")
                    .arg(what)
                    .arg(header.width)
                    .arg(header.height)
                    .arg(cost, policy.formats.whatToSend(),
                         header.tiled ? QStringLiteral("tiles") : QStringLiteral("strips")));
        }
    }
    return std::nullopt;
}

InferenceResult<ImageDecoder::Image> ImageDecoder::decode(const QByteArray &data, int channels, int targetWidth,
                                                          int targetHeight, const DecodePolicy &policy) const
{
    const InferenceResult<ImageHeader::Format> sniffed = ImageHeader::sniff(data);
    if (!sniffed)
        return sniffed.error();
    if (!policy.formats.contains(*sniffed))
        return InferenceError::badImage(QStringLiteral("%1 images are not accepted by this server; send %2")
                                            .arg(ImageHeader::formatName(*sniffed), policy.formats.whatToSend()));
    InferenceResult<ImageHeader> header = ImageHeader::read(data);
    if (!header)
        return header.error();
    const QString format = ImageHeader::formatName(header->format);
    if (const std::optional<InferenceError> refused = refusal(*header, data.size(), policy))
        return *refused;

    Image image;
    image.header = *header;
    if (header->format == ImageHeader::Format::Jpeg)
        image.reduction = reductionFactor(header->width, header->height, targetWidth, targetHeight);
    if (policy.budget) {
        InferenceResult<DecodeBudget::Reservation> memory = policy.budget->reserve(
                decodeBytes(*header, channels, image.reduction, data.size()), policy.stopRequested);
        if (!memory)
            return memory.error();
        image.memory = std::move(memory).value();
    }

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
