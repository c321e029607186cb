#include <catch2/catch.hpp>

#include <array>
#include <initializer_list>

#include <QByteArray>
#include <QtEndian>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/imaging/imageheader.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

struct Encoded
{
    const char *extension;
    ImageHeader::Format format;
    std::vector<int> parameters;
};

ImageHeader readOk(const QByteArray &data)
{
    const InferenceResult<ImageHeader> header = ImageHeader::read(data);
    INFO((header.ok() ? QString() : header.error().message).toStdString());
    REQUIRE(header.ok());
    return *header;
}

QString readError(const QByteArray &data)
{
    const InferenceResult<ImageHeader> header = ImageHeader::read(data);
    REQUIRE_FALSE(header.ok());
    CHECK(header.error().kind == InferenceError::Kind::BadImage);
    return header.error().message;
}

} // namespace

TEST_CASE("Header sizes match what OpenCV encoded for every accepted format")
{
    const cv::Mat color = testimages::photoLike(123, 45);
    cv::Mat gray;
    cv::extractChannel(color, gray, 1);
    const std::vector<Encoded> formats {
        { "png", ImageHeader::Format::Png, {} },
        { "jpg", ImageHeader::Format::Jpeg, {} },
        { "jpg", ImageHeader::Format::Jpeg, { cv::IMWRITE_JPEG_PROGRESSIVE, 1 } },
        { "bmp", ImageHeader::Format::Bmp, {} },
        { "webp", ImageHeader::Format::WebP, { cv::IMWRITE_WEBP_QUALITY, 80 } }, // VP8
        { "webp", ImageHeader::Format::WebP, { cv::IMWRITE_WEBP_QUALITY, 101 } }, // VP8L
        { "tif", ImageHeader::Format::Tiff, {} },
        { "ppm", ImageHeader::Format::Pnm, {} },
        { "pgm", ImageHeader::Format::Pnm, {} },
        { "pam", ImageHeader::Format::Pnm, {} },
        { "ras", ImageHeader::Format::SunRaster, {} },
    };
    for (const Encoded &encoded : formats) {
        for (const cv::Mat &image : { color, gray }) {
            INFO(encoded.extension << " with " << image.channels() << " channel(s)");
            const QByteArray data
                = testimages::encode(image, encoded.extension, encoded.parameters);
            if (data.isEmpty())
                continue; // e.g. PPM cannot hold one channel; PGM covers it
            const ImageHeader header = readOk(data);
            CHECK(header.format == encoded.format);
            CHECK(header.width == 123);
            CHECK(header.height == 45);
            CHECK_FALSE(header.truncated);
        }
    }
}

TEST_CASE("Big-endian TIFF and top-down BMP and commented PBM and VP8X WebP are sized")
{
    // Hand-made headers for the variants OpenCV's encoders never write.
    QByteArray tiff("MM\0*\0\0\0\x08\0\x02", 10);
    tiff += QByteArray("\x01\x00\0\x03\0\0\0\x01\x02\x58\0\0", 12); // ImageWidth SHORT 600
    tiff += QByteArray("\x01\x01\0\x04\0\0\0\x01\0\0\x01\x90", 12); // ImageLength LONG 400
    const ImageHeader big = readOk(tiff);
    CHECK(big.format == ImageHeader::Format::Tiff);
    CHECK(big.width == 600);
    CHECK(big.height == 400);

    QByteArray bmp = testimages::encode(testimages::photoLike(20, 10), "bmp");
    qToLittleEndian<qint32>(-10, bmp.data() + 22);
    CHECK(readOk(bmp).height == 10);

    const ImageHeader pbm = readOk("P4\n# a comment\n  640 # more\n480\n");
    CHECK(pbm.width == 640);
    CHECK(pbm.height == 480);

    QByteArray vp8x("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0", 24);
    vp8x += QByteArray("\x7f\x02\0\xdf\x01\0", 6); // 640 - 1, 480 - 1 as 24-bit values
    qToLittleEndian<quint32>(quint32(vp8x.size() - 8), vp8x.data() + 4);
    const ImageHeader webp = readOk(vp8x);
    CHECK(webp.width == 640);
    CHECK(webp.height == 480);
}

TEST_CASE("Empty data and text and unknown bytes are refused with a sentence")
{
    CHECK(readError({}).contains(QStringLiteral("empty")));
    CHECK(readError("name,label\nleaf.jpg,rust\n").contains(QStringLiteral("looks like text")));
    CHECK(readError(QByteArray("\x00\x01\x02\x03\xfe\xfd\x80\x81", 8))
              .contains(QStringLiteral("not an image Orchard can read")));
    CHECK(readError("GIF89a\x10\x00\x10\x00").contains(QStringLiteral("GIF")));
}

TEST_CASE("Headers cut short or contradicting themselves are refused and never read past")
{
    const QByteArray png = testimages::encode(testimages::photoLike(64, 64), "png");
    CHECK(readError(png.left(20)).contains(QStringLiteral("cut short")));

    const QByteArray jpeg = testimages::encode(testimages::photoLike(64, 64), "jpg");
    CHECK(readError(jpeg.left(10)).contains(QStringLiteral("cut short")));

    QByteArray noIhdr = png;
    noIhdr.replace(12, 4, "IDAT");
    CHECK(readError(noIhdr).contains(QStringLiteral("corrupt")));

    QByteArray zeroWidth = png;
    qToBigEndian<quint32>(0, zeroWidth.data() + 16);
    CHECK(readError(zeroWidth).contains(QStringLiteral("0 × 64")));

    // A TIFF whose first directory points far outside the file.
    QByteArray tiff("II*\0\xff\xff\xff\x7f", 8);
    CHECK(readError(tiff).contains(QStringLiteral("cut short")));
    // ... and one whose directory claims 65535 entries in a 20-byte file.
    CHECK(readError(QByteArray("II*\0\x08\0\0\0\xff\xff\0\0\0\0\0\0\0\0\0\0", 20))
              .contains(QStringLiteral("cut short")));
}

TEST_CASE("Every prefix and many corruptions of real files are handled without a crash")
{
    // Not a fuzzer, but every truncation point of each format's header region plus byte
    // flips throughout: each read must end in a header or an error, within bounds.
    const cv::Mat image = testimages::photoLike(40, 30);
    for (const char *extension : { "png", "jpg", "bmp", "webp", "tif", "ppm", "pam", "ras" }) {
        const QByteArray data = testimages::encode(image, extension);
        REQUIRE_FALSE(data.isEmpty());
        const qsizetype limit = std::min<qsizetype>(data.size(), 1200);
        int refused = 0;
        for (qsizetype length = 0; length < limit; ++length)
            refused += ImageHeader::read(data.left(length)).ok() ? 0 : 1;
        CHECK(refused > 0);
        cv::RNG rng(7);
        for (int round = 0; round < 300; ++round) {
            QByteArray damaged = data;
            for (int flips = 0; flips < 4; ++flips)
                damaged[rng.uniform(0, int(std::min<qsizetype>(damaged.size(), 512)))]
                    = char(rng.uniform(0, 256));
            const InferenceResult<ImageHeader> header = ImageHeader::read(damaged);
            if (header.ok()) {
                CHECK(header->width > 0);
                CHECK(header->height > 0);
            }
        }
    }
}

TEST_CASE("A JPEG or PNG that stops before its end marker is flagged as truncated")
{
    const QByteArray jpeg = testimages::encode(testimages::photoLike(200, 150), "jpg");
    CHECK_FALSE(readOk(jpeg).truncated);
    CHECK(readOk(jpeg.left(jpeg.size() * 2 / 3)).truncated);
    CHECK_FALSE(readOk(jpeg + QByteArray("trailing bytes some cameras append")).truncated);

    const QByteArray png = testimages::encode(testimages::photoLike(200, 150), "png");
    CHECK_FALSE(readOk(png).truncated);
    CHECK(readOk(png.left(png.size() - 5)).truncated);
    CHECK(readOk(png.left(png.size() / 2)).truncated);
}

TEST_CASE("JPEG scans are counted as libjpeg reads the file: markers, not bytes that look like them")
{
    const cv::Mat photo = testimages::photoLike(200, 150);
    const ImageHeader baseline = readOk(testimages::encode(photo, "jpg"));
    CHECK(baseline.scans == 1);
    const ImageHeader progressive = readOk(testimages::encode(photo, "jpg", { cv::IMWRITE_JPEG_PROGRESSIVE, 1 }));
    INFO("libjpeg's progressive script wrote " << progressive.scans << " scans");
    CHECK(progressive.scans > 1);
    CHECK(progressive.scans <= 12);
    // The whole-image coefficient buffer (2 bytes a coefficient; 4:2:0, so 1.5 samples a
    // pixel) only for the progressive one.
    CHECK(progressive.workingBytes - baseline.workingBytes >= 200 * 150 * 2 * 3 / 2);

    CHECK(readOk(testimages::progressiveScanBomb(640, 480, 5000)).scans == 5000);

    // After the first scan: a comment whose text holds FF DA (skipped by its length, as
    // libjpeg skips it), stuffed FF 00 bytes and a restart marker in the entropy data,
    // stray bytes before a marker (libjpeg skips them too), and a scan after EOI.
    const QByteArray one = testimages::progressiveScanBomb(64, 64, 1);
    const qsizetype eoi = one.size() - 2;
    const QByteArray scan("\xff\xda\x00\x08\x01\x01\x00\x00\x00\x00", 10);
    QByteArray tricky = one.left(eoi);
    tricky += QByteArray("\x12\xff\x00\x34\xff\xd3\x56", 7); // entropy-coded data
    tricky += QByteArray("\xff\xfe\x00\x0c", 4) + QByteArray("\xff\xda").repeated(5); // COM
    tricky += QByteArray("stray") + scan; // counted: libjpeg finds it after the stray bytes
    tricky += QByteArray("\xff\xd9", 2) + scan + scan; // after EOI: never read
    const ImageHeader counted = readOk(tricky);
    CHECK(counted.scans == 2);
    CHECK_FALSE(counted.truncated);
    // Without an EOI the walk reaches the end: cut short, whatever the scans said.
    CHECK(readOk(one.left(eoi) + scan).truncated);
}

TEST_CASE("A TIFF's tiles and strips are sized as OpenCV 4.6 sizes its buffer from libtiff's fields")
{
    const ImageHeader written = readOk(testimages::encode(testimages::photoLike(123, 45), "tif"));
    CHECK_FALSE(written.tiled);
    CHECK(written.tileWidth == 123);
    CHECK(written.tileHeight >= 1);
    CHECK(written.tileHeight <= 45);

    const ImageHeader bomb = readOk(testimages::tiffTileBomb(23168));
    CHECK(bomb.width == 1);
    CHECK(bomb.height == 1);
    CHECK(bomb.tiled);
    CHECK(bomb.tileWidth == 23168);
    CHECK(bomb.tileHeight == 23168);
    CHECK(bomb.workingBytes >= qint64(4) * 23168 * 23168); // OpenCV's RGBA tile

    // Directories by hand: (tag, type, value) entries, SHORT = 3, LONG = 4.
    const auto tiff = [](std::initializer_list<std::array<quint32, 3>> entries) {
        QByteArray data("II*\0\x08\0\0\0", 8);
        data.append(char(entries.size())).append('\0');
        for (const std::array<quint32, 3> &entry : entries) {
            QByteArray bytes(12, '\0');
            qToLittleEndian(quint16(entry[0]), bytes.data());
            qToLittleEndian(quint16(entry[1]), bytes.data() + 2);
            qToLittleEndian(quint32(1), bytes.data() + 4);
            qToLittleEndian(entry[2], bytes.data() + 8);
            data += bytes;
        }
        return data + QByteArray(4, '\0');
    };
    // Strips: RowsPerStrip, absent (one strip), or "infinity"; a strip taller than the image.
    CHECK(readOk(tiff({ { 256, 3, 300 }, { 257, 3, 200 }, { 278, 3, 16 } })).tileHeight == 16);
    CHECK(readOk(tiff({ { 256, 3, 300 }, { 257, 3, 200 } })).tileHeight == 200);
    CHECK(readOk(tiff({ { 256, 3, 300 }, { 257, 3, 200 }, { 278, 4, 0xffffffff } })).tileHeight == 200);
    const ImageHeader tall = readOk(tiff({ { 256, 3, 100 }, { 257, 3, 300 }, { 278, 4, 1'000'000 } }));
    CHECK(tall.tileWidth == 100);
    CHECK(tall.tileHeight == 1'000'000);
    // libtiff keeps the first of duplicated tags and ignores the rest; so do we.
    const ImageHeader duplicated = readOk(
            tiff({ { 256, 3, 10 }, { 257, 3, 10 }, { 256, 3, 20000 }, { 322, 3, 32 }, { 323, 3, 48 }, { 322, 4, 64000 } }));
    CHECK(duplicated.width == 10);
    CHECK(duplicated.tiled);
    CHECK(duplicated.tileWidth == 32);
    CHECK(duplicated.tileHeight == 48);
    // What libtiff refuses is refused, not guessed at.
    CHECK(readError(tiff({ { 256, 3, 10 }, { 257, 3, 10 }, { 278, 3, 0 } })).contains(QStringLiteral("RowsPerStrip")));
    CHECK(readError(tiff({ { 256, 3, 10 }, { 257, 3, 10 }, { 322, 1, 16 } })).contains(QStringLiteral("type 1")));
}
