#include <catch2/catch.hpp>

#include <chrono>

#include <QByteArray>
#include <QElapsedTimer>
#include <QtEndian>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/imaging/decodebudget.h"
#include "common/imaging/imagedecoder.h"
#include "common/imaging/imageformatset.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

/** A string literal with its embedded NULs (but not its terminating one). */
template<size_t N>
QByteArray withNul(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

InferenceError decodeError(const ImageDecoder &decoder, const QByteArray &data, int channels = 3)
{
    const InferenceResult<ImageDecoder::Image> image = decoder.decode(data, channels, 28, 28);
    REQUIRE_FALSE(image.ok());
    return image.error();
}

} // namespace

TEST_CASE("The JPEG reduction factor is the largest that keeps both sides at the target or above")
{
    CHECK(ImageDecoder::reductionFactor(2048, 1365, 224, 224) == 4); // 512 × 341; 8 gives 170
    CHECK(ImageDecoder::reductionFactor(2048, 1365, 28, 28) == 8);
    CHECK(ImageDecoder::reductionFactor(448, 448, 224, 224) == 2); // exactly twice
    CHECK(ImageDecoder::reductionFactor(447, 448, 224, 224) == 1); // one side short
    CHECK(ImageDecoder::reductionFactor(4000, 300, 224, 224) == 1); // wide but too short
    CHECK(ImageDecoder::reductionFactor(224, 224, 224, 224) == 1);
    CHECK(ImageDecoder::reductionFactor(100, 100, 224, 224) == 1); // smaller than target
    CHECK(ImageDecoder::reductionFactor(1792, 1792, 224, 224) == 8);
    CHECK(ImageDecoder::reductionFactor(1791, 1792, 224, 224) == 4);
    CHECK(ImageDecoder::reductionFactor(10000, 10000, 0, 0) == 1); // no target, no guess
}

TEST_CASE("A 2048x1365 JPEG decodes reduced while PNGs and small JPEGs decode at full size")
{
    const ImageDecoder decoder;
    const cv::Mat photo = testimages::photoLike(2048, 1365);
    const QByteArray jpeg = testimages::encode(photo, "jpg", { cv::IMWRITE_JPEG_QUALITY, 90 });

    const auto reduced = decoder.decode(jpeg, 3, 224, 224);
    REQUIRE(reduced.ok());
    CHECK(reduced->reduction == 4);
    CHECK(reduced->pixels.cols == 512); // libjpeg rounds up: ceil(2048 / 4), ceil(1365 / 4)
    CHECK(reduced->pixels.rows == 342);
    CHECK(reduced->pixels.type() == CV_8UC3);
    CHECK(reduced->header.width == 2048);

    const auto gray = decoder.decode(jpeg, 1, 28, 28);
    REQUIRE(gray.ok());
    CHECK(gray->reduction == 8);
    CHECK(gray->pixels.type() == CV_8UC1);
    CHECK(gray->pixels.cols == 256);

    const QByteArray png = testimages::encode(photo, "png");
    const auto fullPng = decoder.decode(png, 3, 224, 224);
    REQUIRE(fullPng.ok());
    CHECK(fullPng->reduction == 1);
    CHECK(fullPng->pixels.cols == 2048);

    const QByteArray smallJpeg = testimages::encode(testimages::photoLike(400, 300), "jpg");
    const auto full = decoder.decode(smallJpeg, 3, 224, 224);
    REQUIRE(full.ok());
    CHECK(full->reduction == 1);
    CHECK(full->pixels.cols == 400);
    CHECK(full->pixels.rows == 300);
}

TEST_CASE("A 30000x30000 PNG is refused from its header in well under 100 ms")
{
    const QByteArray png = testimages::bilevelPng(30000, 30000);
    REQUIRE(png.size() < 512 * 1024); // a few hundred KB that would decode to 900 MB
    const ImageDecoder decoder;

    const auto started = std::chrono::steady_clock::now();
    const auto image = decoder.decode(png, 1, 28, 28);
    const double elapsed
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
    REQUIRE_FALSE(image.ok());
    CHECK(image.error().kind == InferenceError::Kind::BadImage);
    CHECK(image.error().message
        == QStringLiteral("the image is 30000 × 30000 pixels, more than the 40 megapixel limit"));
    WARN("refused a 30000 x 30000 PNG (" << png.size() << " bytes) in " << elapsed << " ms");
    CHECK(elapsed < 100.0);
}

TEST_CASE("Hostile headers of every format are refused by the pixel limit before decoding")
{
    const ImageDecoder decoder(1'000'000);
    const cv::Mat small = testimages::photoLike(16, 16);

    QByteArray jpeg = testimages::encode(small, "jpg");
    const qsizetype sof = jpeg.indexOf(QByteArray("\xff\xc0", 2));
    REQUIRE(sof > 0);
    qToBigEndian<quint16>(60000, jpeg.data() + sof + 5); // height
    qToBigEndian<quint16>(60000, jpeg.data() + sof + 7); // width

    QByteArray bmp = testimages::encode(small, "bmp");
    qToLittleEndian<qint32>(100000, bmp.data() + 18);
    qToLittleEndian<qint32>(-100000, bmp.data() + 22);

    QByteArray tiff("II*\0\x08\0\0\0\x02\0", 10);
    tiff += QByteArray("\x00\x01\x04\0\x01\0\0\0\xa0\x86\x01\0", 12); // ImageWidth 100000
    tiff += QByteArray("\x01\x01\x04\0\x01\0\0\0\xa0\x86\x01\0", 12); // ImageLength 100000
    QByteArray pnm = "P6\n100000 100000\n255\n" + QByteArray(64, '\0');
    QByteArray ras = testimages::encode(small, "ras");
    qToBigEndian<quint32>(50000, ras.data() + 4);
    qToBigEndian<quint32>(50000, ras.data() + 8);
    QByteArray webp("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0\xff\x3f\0\xff\x3f\0", 30);

    for (const QByteArray &data : { jpeg, bmp, tiff, pnm, ras, webp }) {
        const InferenceError error = decodeError(decoder, data);
        INFO(error.message.toStdString());
        CHECK(error.kind == InferenceError::Kind::BadImage);
        CHECK(error.message.contains(QStringLiteral("more than the 1 megapixel limit")));
    }
    const ImageDecoder tiny(255);
    CHECK(decodeError(tiny, testimages::encode(small, "png")).message
        == QStringLiteral("the image is 16 × 16 pixels, more than the 255 pixel limit"));
}

TEST_CASE("Truncated or empty or random or text data gives BadImage errors a person understands")
{
    const ImageDecoder decoder;
    const cv::Mat photo = testimages::photoLike(640, 480);

    const QByteArray jpeg = testimages::encode(photo, "jpg");
    const InferenceError cutJpeg = decodeError(decoder, jpeg.left(jpeg.size() / 2));
    CHECK(cutJpeg.kind == InferenceError::Kind::BadImage);
    CHECK(cutJpeg.message.contains(QStringLiteral("JPEG file is cut short")));

    const QByteArray png = testimages::encode(photo, "png");
    const InferenceError cutPng = decodeError(decoder, png.left(png.size() / 2));
    CHECK(cutPng.kind == InferenceError::Kind::BadImage);
    CHECK(cutPng.message.contains(QStringLiteral("PNG file is cut short")));

    CHECK(decodeError(decoder, {}).message == QStringLiteral("the image is empty (0 bytes)"));

    cv::RNG rng(3);
    QByteArray random(4096, '\0');
    for (char &byte : random)
        byte = char(rng.uniform(0, 256));
    random[0] = char(0x80); // not by chance a magic number
    const InferenceError noise = decodeError(decoder, random);
    CHECK(noise.kind == InferenceError::Kind::BadImage);
    CHECK(noise.message.contains(QStringLiteral("not an image")));

    const InferenceError text = decodeError(decoder, "This is a README, not a leaf.\n");
    CHECK(text.kind == InferenceError::Kind::BadImage);
    CHECK(text.message.contains(QStringLiteral("text")));
}

TEST_CASE("A well-formed header over corrupt image data is refused by OpenCV and not crashed on")
{
    const ImageDecoder decoder;
    QByteArray png = testimages::encode(testimages::photoLike(64, 64), "png");
    const qsizetype idat = png.indexOf("IDAT");
    REQUIRE(idat > 0);
    for (qsizetype i = idat + 8; i < idat + 40; ++i)
        png[i] = char(~png[i]); // the zlib stream (and the chunk's CRC no longer matches)
    const InferenceError error = decodeError(decoder, png);
    CHECK(error.kind == InferenceError::Kind::BadImage);
    CHECK(error.message.contains(QStringLiteral("OpenCV")));

    // Every other format cut in half: an error or (BMP, PNM) the rows that are there,
    // never a crash.
    for (const char *extension : { "bmp", "webp", "tif", "ppm", "ras" }) {
        const QByteArray data = testimages::encode(testimages::photoLike(64, 64), extension);
        const auto image = decoder.decode(data.left(data.size() / 2), 3, 28, 28);
        if (!image.ok())
            CHECK(image.error().kind == InferenceError::Kind::BadImage);
    }
}

TEST_CASE("Gray and colour models get one and three channels from the same file")
{
    const ImageDecoder decoder;
    const QByteArray png = testimages::encode(testimages::photoLike(30, 20), "png");
    const auto gray = decoder.decode(png, 1, 28, 28);
    const auto color = decoder.decode(png, 3, 28, 28);
    REQUIRE(gray.ok());
    REQUIRE(color.ok());
    CHECK(gray->pixels.type() == CV_8UC1);
    CHECK(color->pixels.type() == CV_8UC3);
    CHECK(ImageDecoder::describeLimit(40'000'000) == QStringLiteral("40 megapixel"));
    CHECK(ImageDecoder::describeLimit(2'500'000) == QStringLiteral("2.5 megapixel"));
}

TEST_CASE("PNM sizes are read exactly as OpenCV reads them, so the pixel limit holds (fuzz regression)")
{
    // fuzz_image_decode found ImageHeader and OpenCV disagreeing on "P4\n2\0002 24\n": OpenCV
    // ends a number at any non-digit and consumes it, so a NUL or '#' right after the width
    // starts the height. Read any other way, a header could tell us 10000 x 1 and OpenCV
    // 10000 x 10000: 100 megapixels allocated past a 40 megapixel limit.
    const QByteArray crash = QByteArray::fromBase64("AFA0CjIAMiAyNAo=").mid(1); // minus the target byte
    REQUIRE(crash == withNul("P4\n2\0002 24\n"));

    const ImageDecoder decoder;
    const InferenceResult<ImageHeader> header = ImageHeader::read(crash);
    REQUIRE(header.ok());
    CHECK(header->width == 2);
    CHECK(header->height == 2);
    const InferenceResult<ImageDecoder::Image> image = decoder.decode(crash, 1, 28, 28);
    if (image.ok()) {
        CHECK(image->pixels.cols == 2);
        CHECK(image->pixels.rows == 2);
    }

    for (const QByteArray &bypass : { withNul("P5\n10000\00010000 1\n255\n") + QByteArray(64, '\0'),
                                      QByteArray("P5\n10000#10000\n1 255\n") + QByteArray(64, '\0'),
                                      QByteArray("P6\n10000x10000 1 255\n") + QByteArray(64, '\0') }) {
        INFO(bypass.left(24).toStdString());
        const InferenceError error = decodeError(decoder, bypass, 1);
        CHECK(error.kind == InferenceError::Kind::BadImage);
        CHECK(error.message
              == QStringLiteral("the image is 10000 × 10000 pixels, more than the 40 megapixel limit"));
    }
    // Signs, letters and over-long numbers are not sizes, for OpenCV either.
    for (const char *refused : { "P5\n+5 5\n255\n", "P5\n-5 5\n255\n", "P5\nfive 5\n255\n",
                                 "P5\n1234567890123 1\n255\n" }) {
        INFO(refused);
        CHECK_FALSE(ImageHeader::read(QByteArray(refused) + QByteArray(16, '\0')).ok());
    }
}

TEST_CASE("PFM and PAM sizes are read exactly as OpenCV reads them too (fuzz regression)")
{
    // fuzz_image_decode's second find: "PF\n3P7<NUL>...\n1\n1\r": OpenCV's PFM reader
    // takes each size as atoi() of the bytes up to the next white space (3, then 1), where
    // ImageHeader read 3 and 7. PAM has its own line grammar in OpenCV (one identifier and
    // one value per line, each identifier once), which a TUPLTYPE value with a NUL in it
    // could hide a second WIDTH from.
    const QByteArray crash = QByteArray::fromBase64(
        "/1BGCjNQNwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAoxCjENAAWy"
        "srKzsksAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACg0K").mid(1);
    REQUIRE(crash.startsWith("PF\n3P7"));
    const ImageDecoder decoder;
    const InferenceResult<ImageHeader> header = ImageHeader::read(crash);
    if (header.ok()) {
        CHECK(header->width == 3);
        CHECK(header->height == 1);
    }

    const QByteArray tail = QByteArray(64, '\0');
    for (const QByteArray &bypass : {
             withNul("PF\n10000x1 10000 -1\n") + tail,
             withNul("P7\nWIDTH 10000\nHEIGHT 10000\nDEPTH 1\nMAXVAL 255\n"
                     "TUPLTYPE GRAYSCALE\0 WIDTH 1 HEIGHT 1\nENDHDR\n") + tail,
             withNul("P7\nWIDTH\0x 10000\nHEIGHT 10000\nDEPTH 1\nMAXVAL 255\nENDHDR\n") + tail,
         }) {
        INFO(bypass.left(40).toStdString());
        const InferenceResult<ImageDecoder::Image> image = decoder.decode(bypass, 1, 28, 28);
        REQUIRE_FALSE(image.ok());
        CHECK(image.error().message
              == QStringLiteral("the image is 10000 × 10000 pixels, more than the 40 megapixel limit"));
    }
    // What OpenCV refuses we refuse too, rather than guess.
    for (const QByteArray &refused : {
             withNul("P7\nwidth 5\nHEIGHT 5\nENDHDR\n"),
             withNul("P7\nWIDTH 5\nWIDTH 5\nHEIGHT 5\nENDHDR\n"),
             withNul("P7\nWIDTH 5 6\nHEIGHT 5\nENDHDR\n"),
             withNul("P7 WIDTH 5\nHEIGHT 5\nENDHDR\n"),
             withNul("PF 5 5\n-1\n"),
             withNul("PF\n+5 5\n-1\n"),
         }) {
        INFO(refused.toStdString());
        CHECK_FALSE(ImageHeader::read(refused + tail).ok());
    }
    // And what OpenCV writes still reads.
    const cv::Mat gray(12, 20, CV_8UC1, cv::Scalar(90));
    for (const char *extension : { "pam", "pfm" }) {
        const InferenceResult<ImageDecoder::Image> image = decoder.decode(testimages::encode(gray, extension), 1, 28, 28);
        REQUIRE(image.ok());
        CHECK(image->header.width == 20);
        CHECK(image->header.height == 12);
    }
}


TEST_CASE("A 68 KB TIFF that declares one 23168 x 23168 tile for 1 x 1 pixel is refused before decoding (issue 12)")
{
    // OpenCV 4.6 sizes its RGBA buffer by the tile, not the image: this file made it
    // allocate (and libtiff fill) 2 GB, and the header check saw only a 1 x 1 image.
    const QByteArray bomb = testimages::tiffTileBomb(23168);
    REQUIRE(bomb.size() < 100 * 1024);
    const ImageDecoder decoder;
    QElapsedTimer timer;
    timer.start();
    const InferenceError error = decodeError(decoder, bomb, 1);
    WARN("the TIFF tile bomb (" << bomb.size() << " bytes): " << timer.elapsed() << " ms, \""
         << error.message.toStdString() << "\"");
    CHECK(error.kind == InferenceError::Kind::BadImage);
    CHECK(error.message.contains(QStringLiteral("23168 × 23168")));
    CHECK(error.message.contains(QStringLiteral("tile")));

    // A tile as large as a small image may be (a megapixel) still decodes.
    const auto allowed = decoder.decode(testimages::tiffTileBomb(1024), 1, 28, 28);
    REQUIRE(allowed.ok());
    CHECK(allowed->pixels.cols == 1);
}

TEST_CASE("A progressive JPEG of thousands of empty scans is refused from its header (issue 12)")
{
    // libjpeg runs each scan over the whole image (2.5 ms at 6324 x 6324): 4000 empty scans
    // in 40 KB kept a worker for 10 s.
    const QByteArray bomb = testimages::progressiveScanBomb(6324, 6324, 4000);
    REQUIRE(bomb.size() < 50 * 1024);
    const ImageDecoder decoder;
    QElapsedTimer timer;
    timer.start();
    const InferenceError error = decodeError(decoder, bomb, 1);
    WARN("the scan bomb (" << bomb.size() << " bytes): " << timer.elapsed() << " ms, \""
         << error.message.toStdString() << "\"");
    CHECK(error.kind == InferenceError::Kind::BadImage);
    CHECK(error.message.contains(QStringLiteral("4000 scans")));

    // As many scans as the limit allows still decode.
    const auto allowed = decoder.decode(testimages::progressiveScanBomb(640, 480, 64), 1, 28, 28);
    REQUIRE(allowed.ok());
    CHECK(allowed->header.width == 640);
}

TEST_CASE("A caller's policy picks the formats decoded, and a refused one is told what to send")
{
    const ImageDecoder decoder;
    const cv::Mat photo = testimages::photoLike(40, 30);
    DecodePolicy server;
    server.formats = ImageFormatSet::serverDefault();
    cv::Mat gray;
    cv::extractChannel(photo, gray, 1);
    for (const char *extension : { "tif", "ppm", "pgm", "pam", "ras" }) {
        INFO(extension);
        const QByteArray data = testimages::encode(std::string(extension) == "pgm" ? gray : photo, extension);
        REQUIRE(decoder.decode(data, 3, 28, 28).ok()); // the library's default: every format
        const InferenceResult<ImageDecoder::Image> refused = decoder.decode(data, 3, 28, 28, server);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == InferenceError::Kind::BadImage);
        CHECK(refused.error().message.endsWith(QStringLiteral("images are not accepted by this server; send JPEG or PNG")));
    }
    for (const char *extension : { "jpg", "png", "webp", "bmp" })
        CHECK(decoder.decode(testimages::encode(photo, extension), 3, 28, 28, server).ok());
    CHECK(decoder.decode(testimages::encode(photo, "tif"), 3, 28, 28, server).error().message
          == QStringLiteral("TIFF images are not accepted by this server; send JPEG or PNG"));
}

TEST_CASE("A TIFF strip taller than its image is refused like a tile larger than it")
{
    // One strip of 100 000 rows for 100 x 300 pixels: OpenCV would size its buffer by the
    // strip, 40 MB for 120 KB of image. Built from a real TIFF by rewriting RowsPerStrip.
    QByteArray tiff = testimages::encode(testimages::photoLike(100, 300), "tif");
    const ImageHeader header = *ImageHeader::read(tiff);
    REQUIRE_FALSE(header.tiled);
    const quint32 ifd = qFromLittleEndian<quint32>(tiff.constData() + 4);
    const quint16 entries = qFromLittleEndian<quint16>(tiff.constData() + ifd);
    bool rewritten = false;
    for (quint16 i = 0; i < entries; ++i) {
        char *entry = tiff.data() + ifd + 2 + 12 * i;
        if (qFromLittleEndian<quint16>(entry) == 278) { // RowsPerStrip
            qToLittleEndian<quint16>(4, entry + 2); // LONG
            qToLittleEndian<quint32>(100'000, entry + 8);
            rewritten = true;
        }
    }
    REQUIRE(rewritten);
    const InferenceError error = decodeError(ImageDecoder(), tiff);
    INFO(error.message.toStdString());
    CHECK(error.message.startsWith(QStringLiteral("the TIFF declares strips of 100000 rows for a 100 × 300 image")));
}

TEST_CASE("The decode estimate covers the image, its turned copy and the codec, and is reserved while the pixels live")
{
    const cv::Mat photo = testimages::photoLike(640, 480);
    const QByteArray baseline = testimages::encode(photo, "jpg");
    const QByteArray progressive = testimages::encode(photo, "jpg", { cv::IMWRITE_JPEG_PROGRESSIVE, 1 });
    const ImageHeader baselineHeader = *ImageHeader::read(baseline);
    const ImageHeader progressiveHeader = *ImageHeader::read(progressive);
    // Reduced by 2 for a 224 x 224 model: 320 x 240 x 3 decoded, twice.
    CHECK(ImageDecoder::decodeBytes(baselineHeader, 3, 2, baseline.size())
          == 2 * 320 * 240 * 3 + baselineHeader.workingBytes + baseline.size() + 1024 * 1024);
    // libjpeg keeps every coefficient of a progressive JPEG at full size, however reduced:
    // 2 bytes each, 1.5 samples a pixel in 4:2:0.
    CHECK(progressiveHeader.workingBytes - baselineHeader.workingBytes == 640 * 480 * 3 / 2 * 2);

    const ImageDecoder decoder;
    DecodeBudget budget(64 * 1024 * 1024);
    DecodePolicy policy;
    policy.budget = &budget;
    {
        const InferenceResult<ImageDecoder::Image> image = decoder.decode(progressive, 3, 224, 224, policy);
        REQUIRE(image.ok());
        CHECK(image->memory.bytes() == ImageDecoder::decodeBytes(progressiveHeader, 3, 2, progressive.size()));
        CHECK(budget.inUse() == image->memory.bytes());
    }
    CHECK(budget.inUse() == 0);

    DecodeBudget small(1024 * 1024);
    policy.budget = &small;
    const InferenceResult<ImageDecoder::Image> over = decoder.decode(progressive, 3, 224, 224, policy);
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().message.contains(QStringLiteral("more than all of the server's decode memory (1 MB)")));
}

TEST_CASE("A PNG of many compressed metadata chunks is refused from its chunk walk")
{
    // libpng inflates every zTXt, iTXt and iCCP chunk (up to 8 MB each) and keeps the text:
    // 100 chunks of 7.9 MB of 'a' in 770 KB cost the decoder 777 MB and 2 s; 1000 (its cache
    // limit) in 8 MB would cost 8 GB and 13 s.
    const QByteArray bomb = testimages::pngWithTextChunks(100, 7'900'000);
    REQUIRE(bomb.size() < 1024 * 1024);
    const ImageDecoder decoder;
    QElapsedTimer timer;
    timer.start();
    const InferenceError error = decodeError(decoder, bomb, 1);
    WARN("the zTXt bomb (" << bomb.size() << " bytes): " << timer.elapsed() << " ms, \""
         << error.message.toStdString() << "\"");
    CHECK(error.kind == InferenceError::Kind::BadImage);
    CHECK(error.message.contains(QStringLiteral("100 compressed metadata chunks")));

    // A photo's few are read, and counted in what its decode may allocate.
    const QByteArray few = testimages::pngWithTextChunks(int(ImageDecoder::kMaxPngInflatedChunks), 1000);
    const auto allowed = decoder.decode(few, 1, 28, 28);
    REQUIRE(allowed.ok());
    CHECK(allowed->header.inflatedChunks == ImageDecoder::kMaxPngInflatedChunks);
    CHECK(allowed->header.workingBytes > (ImageDecoder::kMaxPngInflatedChunks + 2) * 8'000'000);
}
