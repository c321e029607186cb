// Writes the fuzzers' seed corpora: real frames of every message kind, built with the
// protocol library itself, and real images (the committed samples and small images
// OpenCV encodes in every accepted format), each in the input layout of its target.
//
// Usage: fuzz_seed_corpus OUT_DIR SAMPLES_DIR   (scripts/fuzz.sh runs it)
#include <algorithm>
#include <cstdio>
#include <vector>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QtEndian>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <zlib.h>

#include "common/protocol/clientmessage.h"
#include "common/protocol/frame.h"
#include "common/protocol/framereader.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"

using namespace orchard;

namespace {

QString g_out;

void write(const QString &target, const QByteArray &bytes)
{
    static QHash<QString, int> counts;
    const QString dir = g_out + QLatin1Char('/') + target;
    QDir().mkpath(dir);
    QFile file(QStringLiteral("%1/seed-%2").arg(dir).arg(counts[target]++, 3, 10, QLatin1Char('0')));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "fuzz_seed_corpus: cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

QByteArray frame(MessageType type, const QByteArray &body, std::optional<qint64> id = {},
                 BodyEncoding encoding = BodyEncoding::Base64)
{
    return *encodeFrame(type, body, id, encoding);
}

QByteArray encoded(const cv::Mat &image, const std::string &extension,
                   const std::vector<int> &parameters = {})
{
    std::vector<uchar> bytes;
    cv::imencode(extension, image, bytes, parameters);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

/** A classic little-endian TIFF entry with one value in place (type 3 SHORT, 4 LONG). */
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

/**
 * A 1 x 1, 1-bit, uncompressed TIFF of one tile of tileSide x tileSide, with its tile's
 * bytes when the tile is small; the large ones are the tile bomb's header (refused).
 */
QByteArray tiledTiff(quint32 tileSide)
{
    const quint32 tileBytes = (tileSide + 7) / 8 * tileSide;
    const quint32 present = std::min<quint32>(tileBytes, 64);
    QByteArray tiff("II*\0\x08\0\0\0\x09\0", 10);
    const quint32 dataOffset = 10 + 9 * 12 + 4;
    for (const QByteArray &entry : { tiffEntry(256, 3, 1), tiffEntry(257, 3, 1), tiffEntry(258, 3, 1),
                                     tiffEntry(259, 3, 1), tiffEntry(262, 3, 1), tiffEntry(322, 4, tileSide),
                                     tiffEntry(323, 4, tileSide), tiffEntry(324, 4, dataOffset),
                                     tiffEntry(325, 4, tileBytes) })
        tiff += entry;
    return tiff + QByteArray(4, '\0') + QByteArray(int(present), '\0');
}

/** A grayscale progressive JPEG of empty DC scans (the scan bomb's shape). */
QByteArray emptyScans(int scans)
{
    QByteArray jpeg("\xff\xd8\xff\xdb\x00\x43\x00", 7);
    jpeg += QByteArray(64, '\x01');
    jpeg += QByteArray("\xff\xc4\x00\x1f\x00\x00\x01\x05\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00", 21);
    for (char symbol = 0; symbol < 12; ++symbol)
        jpeg.append(symbol);
    jpeg += QByteArray("\xff\xc2\x00\x0b\x08\x00\x40\x00\x40\x01\x01\x11\x00", 13); // 64 x 64
    jpeg += QByteArray("\xff\xda\x00\x08\x01\x01\x00\x00\x00\x00", 10).repeated(scans);
    return jpeg + QByteArray("\xff\xd9", 2);
}

QByteArray pngChunk(const char *type, const QByteArray &data)
{
    QByteArray chunk(4, '\0');
    qToBigEndian(quint32(data.size()), chunk.data());
    const QByteArray body = QByteArray(type, 4) + data;
    chunk += body;
    const uLong crc = crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size()));
    QByteArray tail(4, '\0');
    qToBigEndian(quint32(crc), tail.data());
    return chunk + tail;
}

/** A PNG with `chunks` zTXt chunks of 200 deflated bytes each before its pixels. */
QByteArray pngWithText(const QByteArray &png, int chunks)
{
    uLongf length = compressBound(200);
    QByteArray text(int(length), '\0');
    const QByteArray raw(200, 'a');
    compress(reinterpret_cast<Bytef *>(text.data()), &length, reinterpret_cast<const Bytef *>(raw.constData()), 200);
    text.truncate(int(length));
    QByteArray metadata;
    for (int i = 0; i < chunks; ++i)
        metadata += pngChunk("zTXt", QByteArray("Comment", 7) + QByteArray(2, '\0') + text);
    QByteArray result = png;
    return result.insert(result.indexOf("IDAT") - 4, metadata);
}

/** Small images in every format ImageHeader accepts, from a smooth colour pattern. */
QList<QByteArray> generatedImages()
{
    cv::Mat colour(24, 32, CV_8UC3);
    for (int y = 0; y < colour.rows; ++y)
        for (int x = 0; x < colour.cols; ++x)
            colour.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 8), uchar(y * 10), uchar((x + y) * 4));
    cv::Mat gray;
    cv::extractChannel(colour, gray, 1);
    cv::Mat large(72, 96, CV_8UC3, cv::Scalar(40, 160, 90)); // 2x+ a 28x28 target: reduced JPEG

    QList<QByteArray> images {
        encoded(colour, ".png"),
        encoded(gray, ".png"),
        encoded(colour, ".jpg", { cv::IMWRITE_JPEG_QUALITY, 80 }),
        encoded(colour, ".jpg", { cv::IMWRITE_JPEG_PROGRESSIVE, 1 }),
        encoded(large, ".jpg"),
        encoded(gray, ".jpg"),
        encoded(colour, ".bmp"),
        encoded(colour, ".webp", { cv::IMWRITE_WEBP_QUALITY, 101 }), // lossless: VP8L
        encoded(colour, ".webp", { cv::IMWRITE_WEBP_QUALITY, 60 }),  // lossy: VP8
        encoded(colour, ".tiff"),
        encoded(gray, ".pgm"),
        encoded(colour, ".ppm"),
        encoded(gray, ".pbm"),
        encoded(colour, ".pam"),
        encoded(colour, ".sr"),
    };
    images.removeAll(QByteArray()); // a codec this OpenCV lacks
    // The limits of issue 12, each on both sides of its line.
    images += { tiledTiff(16), tiledTiff(4096), emptyScans(64), emptyScans(65),
                pngWithText(images.first(), 2), pngWithText(images.first(), 9) };
    return images;
}

QList<QByteArray> sampleImages(const QString &samplesDir)
{
    QList<QByteArray> images;
    const QStringList names = QDir(samplesDir).entryList({ QStringLiteral("*.png") }, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QFile file(QDir(samplesDir).filePath(name));
        if (file.open(QIODevice::ReadOnly))
            images.append(file.readAll());
    }
    return images;
}

QByteArray predictionBody()
{
    PredictionReply reply;
    reply.messageId = 7;
    reply.name = QStringLiteral("Test_0.jpg");
    reply.model = QStringLiteral("fashion-mnist");
    reply.label = QStringLiteral("Ankle boot");
    reply.index = 9;
    reply.confidence = 0.97;
    reply.topK = { { QStringLiteral("Ankle boot"), 9, 0.97 }, { QStringLiteral("Sneaker"), 7, 0.02 } };
    reply.advice = QStringLiteral("No agronomic advice.");
    reply.imageWidth = 28;
    reply.imageHeight = 28;
    reply.timing = { 0.01, 0.05, 0.01, 0.21, 0.29 };
    return reply.toBody();
}

QList<QByteArray> serverMessageBodies()
{
    WelcomeInfo welcome;
    welcome.version = QStringLiteral("0.1.0");
    welcome.model = QStringLiteral("fashion-mnist");
    welcome.labels = { QStringLiteral("T-shirt/top"), QStringLiteral("Trouser") };
    welcome.maxMessageLength = FrameReader::kDefaultMaxBodyLength;
    welcome.workers = 5;
    return {
        ServerMessage::queued(2, 3, 5).toBody(),
        ServerMessage::welcome(welcome).toBody(),
        ServerMessage::offline(QStringLiteral("客户机下线"), QStringLiteral("2026-11-24 01:34:03")).toBody(),
        ServerMessage::pong().toBody(),
        ServerMessage::info({ { QStringLiteral("uptime"), 12 } }).toBody(),
        ServerMessage::shutdown(QStringLiteral("The server is shutting down.")).toBody(),
    };
}

QList<QByteArray> errorBodies()
{
    return {
        serverErrorBody({ ErrorCode::BadImage, QStringLiteral("The image data is not valid base64."), 4 }),
        serverErrorBody({ ErrorCode::Busy, QStringLiteral("All 5 workers are busy."), {} }),
        serverErrorBody({ ErrorCode::TooLarge, QStringLiteral("The message is too large."), 1 }),
    };
}

QList<QByteArray> clientMessageBodies()
{
    return {
        QStringLiteral("客户机下线").toUtf8(),
        ClientMessage::offlineBody(QStringLiteral("farm 3 done")),
        ClientMessage::actionBody(QStringLiteral("ping")),
        ClientMessage::actionBody(QStringLiteral("info")),
        ClientMessage::actionBody(QStringLiteral("dance")),
        QByteArray(R"({"action":"auth","token":"c2VjcmV0"})"),
        QByteArray("  {\"action\": 3}"),
    };
}

/** Every kind of frame a client or a server sends, as whole frames. */
QList<QByteArray> allFrames(const QByteArray &image)
{
    QList<QByteArray> frames;
    ImageRequest request;
    request.imageData = image;
    request.messageId = 7;
    request.name = QStringLiteral("ankle_boot_0.png");
    request.topK = 3;
    for (ImageBodyForm form : { ImageBodyForm::Base64Text, ImageBodyForm::Base64Json, ImageBodyForm::Binary })
        frames.append(*request.toFrame(form));
    for (const QByteArray &body : clientMessageBodies())
        frames.append(frame(MessageType::ClientMessage, body, 3));
    frames.append(frame(MessageType::ServerPrediction, predictionBody(), 7));
    for (const QByteArray &body : serverMessageBodies())
        frames.append(frame(MessageType::ServerMessage, body));
    for (const QByteArray &body : errorBodies())
        frames.append(frame(MessageType::ServerError, body, 4));
    FrameHeader unknown = FrameHeader::make(MessageType::Unknown, 0, 5);
    unknown.typeName = QStringLiteral("CLIENT_VIDEO");
    frames.append(*encodeFrame(unknown, QByteArray(10, 'v')));
    frames.append(frame(MessageType::ClientMessage, QByteArray())); // empty body
    // The original Python client's header, and a right-padded one.
    const QByteArray original = R"({"msg_type": "CLIENT_IMAGE", "msg_len": 8})";
    frames.append(QByteArray(128 - original.size(), ' ') + original + "aGVsbG8=");
    const QByteArray right = R"({"msg_type":"CLIENT_MESSAGE","msg_len":3})";
    frames.append(right + QByteArray(128 - right.size(), ' ') + "bye");
    return frames;
}

/** A PROXY v2 header: signature, version 2 and command, family and transport, the block. */
QByteArray proxyV2(char command, char family, const QByteArray &block)
{
    QByteArray length(2, '\0');
    qToBigEndian(quint16(block.size()), length.data());
    return QByteArray("\r\n\r\n\0\r\nQUIT\n", 12) + char(0x20 | command) + family + length + block;
}

/** PROXY headers as balancers send them (HAProxy's send-proxy and send-proxy-v2), both versions. */
QList<QByteArray> proxyHeaders()
{
    // 192.0.2.10:51000 -> 198.51.100.1:7000, and [2001:db8::7]:443 -> [2001:db8::1]:7000.
    const QByteArray inet = QByteArray::fromHex("c000020a" "c6336401" "c738" "1b58");
    const QByteArray inet6 = QByteArray::fromHex("20010db8000000000000000000000007"
                                                 "20010db8000000000000000000000001" "01bb" "1b58");
    const QByteArray tlvs = QByteArray("\x01\x00\x02h2\x04\x00\x03\0\0\0", 11); // ALPN, NOOP
    return {
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
        "PROXY TCP6 2001:db8::1 ::ffff:192.0.2.1 65535 0\r\n",
        "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n",
        "PROXY UNKNOWN\r\n",
        "PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n",
        proxyV2(1, 0x11, inet),
        proxyV2(1, 0x21, inet6),
        proxyV2(1, 0x11, inet + tlvs),
        proxyV2(0, 0x00, {}),
        proxyV2(1, 0x00, {}),
        proxyV2(1, 0x31, QByteArray(216, '\0')),
    };
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s OUT_DIR SAMPLES_DIR\n", argv[0]);
        return 2;
    }
    g_out = QString::fromLocal8Bit(argv[1]);
    const QList<QByteArray> samples = sampleImages(QString::fromLocal8Bit(argv[2]));
    const QList<QByteArray> images = samples.mid(0, 4) + generatedImages();
    const QByteArray sample = samples.isEmpty() ? images.first() : samples.first();

    // fuzz_frame_header: the 128 header bytes of every frame.
    const QList<QByteArray> frames = allFrames(sample);
    for (const QByteArray &bytes : frames)
        write(QStringLiteral("frame_header"), bytes.left(FrameHeader::kSize));

    // fuzz_frame_reader: [limit selector][4 chunking seed bytes] + a stream of frames.
    QByteArray session;
    for (int i = 0; i < frames.size(); ++i) {
        const char prefix[5] = { char(i % 4), char(i * 37), char(i * 11), 1, 0 };
        write(QStringLiteral("frame_reader"), QByteArray(prefix, 5) + frames[i]);
        session += frames[i];
    }
    write(QStringLiteral("frame_reader"), QByteArray("\0\x2a\x00\x00\x01", 5) + session);

    // fuzz_image_request: [header shape][top_k - 1] + a CLIENT_IMAGE body of each form.
    for (int i = 0; i < 3; ++i) {
        ImageRequest request;
        request.imageData = images[i];
        request.name = QStringLiteral("leaf-%1.png").arg(i);
        request.topK = 2;
        const QByteArray base64 = request.imageData.toBase64();
        const QByteArray json = *request.toFrame(ImageBodyForm::Base64Json);
        write(QStringLiteral("image_request"), QByteArray("\x02\x00", 2) + base64);
        write(QStringLiteral("image_request"), QByteArray("\x0a\x00", 2) + json.mid(FrameHeader::kSize));
        write(QStringLiteral("image_request"), QByteArray("\x07\x02", 2) + request.imageData);
    }

    // fuzz_client_message: CLIENT_MESSAGE bodies.
    for (const QByteArray &body : clientMessageBodies())
        write(QStringLiteral("client_message"), body);

    // fuzz_server_bodies: [parser selector] + a body it parses.
    write(QStringLiteral("server_bodies"), QByteArray(1, '\0') + predictionBody());
    for (const QByteArray &body : serverMessageBodies())
        write(QStringLiteral("server_bodies"), QByteArray(1, '\1') + body);
    for (const QByteArray &body : errorBodies())
        write(QStringLiteral("server_bodies"), QByteArray(1, '\2') + body);

    // fuzz_proxy_header: a connection's first bytes, the header then an Orchard frame.
    for (const QByteArray &header : proxyHeaders())
        write(QStringLiteral("proxy_header"), header + frames.first().left(FrameHeader::kSize));

    // fuzz_image_decode: [model selector: even gray 28x28, odd colour 224x224] + a file.
    for (int i = 0; i < images.size(); ++i)
        write(QStringLiteral("image_decode"), QByteArray(1, char(i % 2)) + images[i]);
    return 0;
}
