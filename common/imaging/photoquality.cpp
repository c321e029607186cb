#include "common/imaging/photoquality.h"

#include <algorithm>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace orchard {

namespace {

/** The gray image the measures run on: at most `side` pixels on the long side. */
cv::Mat analysisCopy(const cv::Mat &image, int side)
{
    cv::Mat shrunk = image;
    // Shrink first and convert after: the colour conversion then runs on the few pixels
    // left (a 2048 × 1365 BGR photo: 87 k instead of 2.8 M). Never enlarged: interpolation
    // invents no edges, it only softens the ones there are.
    if (side > 0) {
        // Halvings first: OpenCV's INTER_AREA has a SIMD path for exactly 2 × 2, and the
        // even crop it needs loses at most a row and a column. A 2048 × 1365 BGR photo took
        // 12 ms to 256 pixels by the exact ratio in one call (docs/models.md has the cost
        // this way); the last step, under 2 ×, runs on a few hundred thousand pixels.
        while (std::max(shrunk.cols, shrunk.rows) >= 2 * side) {
            const cv::Rect even(0, 0, shrunk.cols & ~1, shrunk.rows & ~1);
            if (even.width < 2 || even.height < 2)
                break;
            cv::Mat half;
            cv::resize(shrunk(even), half, cv::Size(even.width / 2, even.height / 2), 0, 0, cv::INTER_AREA);
            shrunk = half;
        }
        const int now = std::max(shrunk.cols, shrunk.rows);
        if (now > side) {
            const double factor = double(side) / now;
            const cv::Size size(std::max(1, int(shrunk.cols * factor + 0.5)), std::max(1, int(shrunk.rows * factor + 0.5)));
            cv::Mat last;
            cv::resize(shrunk, last, size, 0, 0, cv::INTER_AREA);
            shrunk = last;
        }
    }
    if (shrunk.channels() == 1)
        return shrunk;
    cv::Mat gray;
    cv::cvtColor(shrunk, gray, cv::COLOR_BGR2GRAY);
    return gray;
}

} // namespace

QStringList PhotoQuality::warnings() const
{
    QStringList words;
    if (blurry)
        words.append(QStringLiteral("blurry"));
    if (dark)
        words.append(QStringLiteral("dark"));
    if (overexposed)
        words.append(QStringLiteral("overexposed"));
    if (small)
        words.append(QStringLiteral("small"));
    return words;
}

PhotoQuality PhotoQuality::measure(const cv::Mat &image, int sourceWidth, int sourceHeight,
                                   const ModelManifest::Quality &thresholds, const ModelManifest::Input &input)
{
    PhotoQuality quality;
    quality.small = sourceWidth < input.width || sourceHeight < input.height;
    if (image.empty())
        return quality;
    CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));

    const cv::Mat gray = analysisCopy(image, thresholds.sharpnessSide);
    const double pixels = double(gray.total());
    quality.brightness = cv::mean(gray)[0] / 255.0;
    quality.highlights = cv::countNonZero(gray >= thresholds.overexposedLevel) / pixels;

    // 16-bit signed holds the 3 × 3 Laplacian of bytes (-1020..1020) and keeps it in SIMD.
    cv::Mat laplacian;
    cv::Laplacian(gray, laplacian, CV_16S);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    quality.sharpness = deviation[0] * deviation[0];

    quality.dark = quality.brightness < thresholds.darkBelow;
    quality.overexposed = quality.highlights > thresholds.overexposedShare;
    quality.blurry = !quality.dark && quality.sharpness < thresholds.blurryBelow;
    return quality;
}

} // namespace orchard
