#include "tests/inference/testimages.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QtEndian>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

namespace testimages {

QString sourcePath(const QString &relative)
{
    return QDir(QStringLiteral(ORCHARD_SOURCE_DIR)).filePath(relative);
}

QString defaultModelDirectory() { return sourcePath(QStringLiteral("models/fashion-mnist/1")); }

QStringList samplePaths()
{
    const QDir folder(sourcePath(QStringLiteral("resources/samples")));
    QStringList paths;
    for (const QString &name :
        folder.entryList({ QStringLiteral("*.png") }, QDir::Files, QDir::Name))
        paths.append(folder.filePath(name));
    return paths;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QByteArray encode(
    const cv::Mat &image, const std::string &extension, const std::vector<int> &parameters)
{
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode("." + extension, image, bytes, parameters))
            return {};
    } catch (const cv::Exception &) {
        return {}; // e.g. PPM asked to hold one channel
    }
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

cv::Mat photoLike(int width, int height, unsigned seed)
{
    cv::RNG rng(seed);
    cv::Mat coarse(12, 16, CV_8UC3);
    rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
    cv::Mat image;
    cv::resize(coarse, image, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
    cv::Mat noise(height, width, CV_8UC3);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 24);
    cv::add(image, noise, image);
    return image;
}

QByteArray pngChunk(const char type[4], const QByteArray &data)
{
    QByteArray chunk;
    chunk.append(char(data.size() >> 24)).append(char(data.size() >> 16));
    chunk.append(char(data.size() >> 8)).append(char(data.size()));
    const QByteArray body = QByteArray(type, 4) + data;
    chunk.append(body);
    const uLong crc = crc32(
        crc32(0, nullptr, 0), reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size()));
    chunk.append(char(crc >> 24)).append(char(crc >> 16)).append(char(crc >> 8)).append(char(crc));
    return chunk;
}

QByteArray bilevelPng(quint32 width, quint32 height)
{
    QByteArray ihdr(13, '\0');
    qToBigEndian(width, ihdr.data());
    qToBigEndian(height, ihdr.data() + 4);
    ihdr[8] = 1; // bit depth 1
    ihdr[9] = 0; // grayscale

    // Each row is a filter byte and width / 8 bytes of zeros (black); deflate them row by
    // row rather than building the whole raw image in memory.
    const std::vector<Bytef> row(1 + (width + 7) / 8, 0);
    QByteArray compressed;
    z_stream stream {};
    deflateInit(&stream, Z_BEST_COMPRESSION);
    std::vector<Bytef> out(1 << 16);
    for (quint32 y = 0; y <= height; ++y) {
        const bool last = y == height;
        stream.next_in = const_cast<Bytef *>(row.data());
        stream.avail_in = last ? 0 : uInt(row.size());
        do {
            stream.next_out = out.data();
            stream.avail_out = uInt(out.size());
            deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
            compressed.append(reinterpret_cast<const char *>(out.data()),
                qsizetype(out.size() - stream.avail_out));
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);

    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr)
        + pngChunk("IDAT", compressed) + pngChunk("IEND", {});
}

namespace {

/** zlib's compression of `size` bytes of `value`, fed in 64 KB pieces. */
QByteArray deflatedRun(qint64 size, Bytef value = 0)
{
    const std::vector<Bytef> zeros(1 << 16, value);
    QByteArray compressed;
    z_stream stream {};
    deflateInit(&stream, Z_BEST_COMPRESSION);
    std::vector<Bytef> out(1 << 16);
    qint64 left = size;
    int flush = Z_NO_FLUSH;
    do {
        const uInt piece = uInt(std::min<qint64>(left, qint64(zeros.size())));
        left -= piece;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        stream.next_in = const_cast<Bytef *>(zeros.data());
        stream.avail_in = piece;
        do {
            stream.next_out = out.data();
            stream.avail_out = uInt(out.size());
            deflate(&stream, flush);
            compressed.append(reinterpret_cast<const char *>(out.data()),
                qsizetype(out.size() - stream.avail_out));
        } while (stream.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&stream);
    return compressed;
}

/** A classic little-endian TIFF directory entry with its value in place. */
QByteArray tiffEntry(quint16 tag, quint16 type, quint32 value)
{
    QByteArray entry(12, '\0');
    qToLittleEndian(tag, entry.data());
    qToLittleEndian(type, entry.data() + 2);
    qToLittleEndian(quint32(1), entry.data() + 4);
    if (type == 3)
        qToLittleEndian(quint16(value), entry.data() + 8);
    else
        qToLittleEndian(value, entry.data() + 8);
    return entry;
}

} // namespace

QByteArray tiffTileBomb(quint32 tileSide)
{
    const QByteArray tile = deflatedRun(qint64((tileSide + 7) / 8) * tileSide);
    constexpr quint16 kShort = 3;
    constexpr quint16 kLong = 4;
    constexpr int kEntries = 10;
    const quint32 dataOffset = 8 + 2 + kEntries * 12 + 4;
    QByteArray tiff("II*\0\x08\0\0\0", 8);
    tiff.append(char(kEntries)).append('\0');
    tiff += tiffEntry(256, kShort, 1); // ImageWidth
    tiff += tiffEntry(257, kShort, 1); // ImageLength
    tiff += tiffEntry(258, kShort, 1); // BitsPerSample
    tiff += tiffEntry(259, kShort, 8); // Compression: Deflate
    tiff += tiffEntry(262, kShort, 1); // PhotometricInterpretation: BlackIsZero
    tiff += tiffEntry(277, kShort, 1); // SamplesPerPixel
    tiff += tiffEntry(322, kLong, tileSide); // TileWidth
    tiff += tiffEntry(323, kLong, tileSide); // TileLength
    tiff += tiffEntry(324, kLong, dataOffset); // TileOffsets
    tiff += tiffEntry(325, kLong, quint32(tile.size())); // TileByteCounts
    tiff += QByteArray(4, '\0'); // no next directory
    return tiff + tile;
}

QByteArray progressiveScanBomb(quint16 width, quint16 height, int scans)
{
    QByteArray jpeg("\xff\xd8", 2);
    jpeg += QByteArray("\xff\xdb\x00\x43\x00", 5) + QByteArray(64, '\x01'); // DQT: all ones
    // DHT: the standard luminance DC table, which the DC scans below name.
    jpeg += QByteArray("\xff\xc4\x00\x1f\x00", 5);
    jpeg += QByteArray("\x00\x01\x05\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00", 16);
    for (char symbol = 0; symbol < 12; ++symbol)
        jpeg.append(symbol);
    QByteArray frame("\xff\xc2\x00\x0b\x08\0\0\0\0\x01\x01\x11\x00", 13); // SOF2, 1 component
    qToBigEndian(height, frame.data() + 5);
    qToBigEndian(width, frame.data() + 7);
    jpeg += frame;
    const QByteArray scan("\xff\xda\x00\x08\x01\x01\x00\x00\x00\x00", 10);
    jpeg += scan.repeated(scans);
    return jpeg + QByteArray("\xff\xd9", 2);
}

QByteArray pngWithTextChunks(int chunks, int textBytes)
{
    QByteArray png = encode(cv::Mat(8, 8, CV_8UC1, cv::Scalar(128)), "png");
    const qsizetype idat = png.indexOf("IDAT") - 4; // the chunks go before the pixels
    const QByteArray text = deflatedRun(textBytes, 'a');
    QByteArray metadata;
    for (int i = 0; i < chunks; ++i)
        metadata += pngChunk("zTXt", QByteArray("Comment") + QByteArray(2, '\0') + text);
    return png.insert(idat, metadata);
}

} // namespace testimages
