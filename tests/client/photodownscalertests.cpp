// PhotoDownscaler: the copy of a photo the client sends when the server says what its
// model looks at. Real encoded images, decoded back to check what was made.
#include <catch2/catch.hpp>

#include <opencv2/imgcodecs.hpp>

#include "client/core/photodownscaler.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

const ModelInputInfo kGray28 { 28, 28, 1, QStringLiteral("gray"), QStringLiteral("area") };
const ModelInputInfo kColour224 { 224, 224, 3, QStringLiteral("rgb"), QStringLiteral("area") };

cv::Mat decoded(const QByteArray &bytes)
{
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
    return cv::imdecode(raw, cv::IMREAD_UNCHANGED);
}

} // namespace

TEST_CASE("PhotoDownscaler: a colour photo becomes a JPEG at twice the input, aspect kept")
{
    const QByteArray photo = testimages::encode(testimages::photoLike(2048, 1365), "jpg", { cv::IMWRITE_JPEG_QUALITY, 92 });
    const PhotoDownscaler::Result result = PhotoDownscaler::prepare(photo, kColour224);
    CHECK(result.downscaled);
    CHECK(result.original == QSize(2048, 1365));
    // Each side at least 448: the height decides, 2048 × 448 / 1365 = 672.
    CHECK(result.sent == QSize(672, 448));
    CHECK(result.bytes.startsWith("\xff\xd8\xff"));
    CHECK(result.bytes.size() * 3 < photo.size());
    const cv::Mat copy = decoded(result.bytes);
    CHECK(copy.cols == 672);
    CHECK(copy.rows == 448);
    CHECK(copy.channels() == 3);
}

TEST_CASE("PhotoDownscaler: a gray model gets a PNG at twice its input")
{
    const QByteArray photo = testimages::encode(testimages::photoLike(1024, 1024), "png");
    const PhotoDownscaler::Result result = PhotoDownscaler::prepare(photo, kGray28);
    CHECK(result.downscaled);
    CHECK(result.sent == QSize(56, 56));
    CHECK(result.bytes.startsWith("\x89PNG"));
    const cv::Mat copy = decoded(result.bytes);
    CHECK(copy.cols == 56);
    CHECK(copy.channels() == 1);
}

TEST_CASE("PhotoDownscaler: small images, narrow images and non-images go as they are")
{
    const QByteArray small = testimages::encode(testimages::photoLike(50, 50), "png"); // under 2 × 28
    const QByteArray narrow = testimages::encode(testimages::photoLike(500, 40), "png");
    const QByteArray text = "this is not an image";
    for (const QByteArray &file : { small, narrow, text }) {
        const PhotoDownscaler::Result result = PhotoDownscaler::prepare(file, kGray28);
        CHECK_FALSE(result.downscaled);
        CHECK(result.bytes == file);
    }
    CHECK(PhotoDownscaler::prepare(small, kGray28).original == QSize(50, 50));
    CHECK_FALSE(PhotoDownscaler::prepare(text, kGray28).original.isValid());
    // No input advertised (the original server): nothing is touched.
    const QByteArray photo = testimages::encode(testimages::photoLike(1024, 1024), "png");
    CHECK(PhotoDownscaler::prepare(photo, ModelInputInfo {}).bytes == photo);
}

TEST_CASE("PhotoDownscaler: a JPEG decoded at reduced size is still re-encoded at twice the input")
{
    // 1792 = 8 × 224: libjpeg's 1/4 decode gives exactly 448, twice the input.
    const QByteArray photo = testimages::encode(testimages::photoLike(1792, 1792), "jpg");
    const PhotoDownscaler::Result result = PhotoDownscaler::prepare(photo, kColour224);
    CHECK(result.downscaled);
    CHECK(result.original == QSize(1792, 1792));
    CHECK(result.sent == QSize(448, 448));
}
