#include "client/core/photodownscaler.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/imaging/imagedecoder.h"
#include "common/imaging/imageheader.h"

namespace orchard {

namespace {

constexpr int kJpegQuality = 95;

} // namespace

bool PhotoDownscaler::worthCopying(const QByteArray &file, const ModelInputInfo &input)
{
    if (!input.isValid())
        return false;
    const auto header = ImageHeader::read(file);
    if (!header)
        return false; // the server says what is wrong with it
    const qint64 twiceWidth = 2 * qint64(input.width);
    const qint64 twiceHeight = 2 * qint64(input.height);
    // Either way round: EXIF may turn the picture.
    return (header->width > twiceWidth && header->height > twiceHeight)
            || (header->height > twiceWidth && header->width > twiceHeight);
}

PhotoDownscaler::Result PhotoDownscaler::prepare(const QByteArray &file, const ModelInputInfo &input)
{
    Result result;
    result.bytes = file;
    if (!input.isValid())
        return result;
    const int channels = input.channels == 1 ? 1 : 3;
    const int targetWidth = 2 * input.width;
    const int targetHeight = 2 * input.height;
    // The server's own decoder, with its limits and its JPEG reduced-size decode: asked for
    // twice the input, it reduces only as far as still leaves twice the input.
    const ImageDecoder decoder;
    const auto decoded = decoder.decode(file, channels, targetWidth, targetHeight);
    if (!decoded)
        return result;
    const cv::Mat &pixels = decoded->pixels;
    const int reduction = decoded->reduction;
    // The file's own size, turned as EXIF turned the pixels.
    result.original = QSize(static_cast<int>(decoded->header.width), static_cast<int>(decoded->header.height));
    if ((pixels.cols > pixels.rows) != (result.original.width() > result.original.height()))
        result.original.transpose();
    result.sent = result.original;
    if (reduction == 1 && (pixels.cols <= targetWidth || pixels.rows <= targetHeight))
        return result; // not larger than twice the input on both sides: send it as it is
    const double scale = std::max(double(targetWidth) / pixels.cols, double(targetHeight) / pixels.rows);
    cv::Mat scaled = pixels;
    if (scale < 1.0) {
        const cv::Size size(std::max(targetWidth, int(std::lround(pixels.cols * scale))),
                            std::max(targetHeight, int(std::lround(pixels.rows * scale))));
        cv::resize(pixels, scaled, size, 0, 0, cv::INTER_AREA);
    }
    std::vector<uchar> encoded;
    const bool ok = channels == 1
            ? cv::imencode(".png", scaled, encoded)
            : cv::imencode(".jpg", scaled, encoded, { cv::IMWRITE_JPEG_QUALITY, kJpegQuality });
    if (!ok || encoded.empty())
        return result;
    result.bytes = QByteArray(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size()));
    result.downscaled = true;
    result.sent = QSize(scaled.cols, scaled.rows);
    return result;
}

} // namespace orchard
