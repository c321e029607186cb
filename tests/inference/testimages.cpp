#include "tests/inference/testimages.h"

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

QString defaultModelDirectory() { return sourcePath(QStringLiteral("models/fashion-mnist")); }

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

} // namespace testimages
