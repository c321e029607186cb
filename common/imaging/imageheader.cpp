#include "common/imaging/imageheader.h"

#include <algorithm>
#include <cctype>

#include <QByteArrayView>

namespace orchard {

namespace {

// Thrown inside this file only: a read past the end of the data, or a header that
// contradicts its own format. read() turns them into BadImage errors.
struct Truncated
{
};

struct Corrupt
{
    QString detail;
};

/**
 * Bounds-checked little/big-endian reads over hostile bytes. Every accessor checks its
 * own range, so a parser cannot forget to: an offset taken from the file that points
 * outside it throws Truncated instead of reading out of bounds.
 */
class ByteReader
{
public:
    explicit ByteReader(const QByteArray &data)
        : m_data(reinterpret_cast<const uchar *>(data.constData()))
        , m_size(data.size())
    { }

    qsizetype size() const { return m_size; }

    bool has(qint64 offset, qint64 count) const
    {
        return offset >= 0 && count >= 0 && offset <= m_size && count <= m_size - offset;
    }

    quint32 u8(qint64 offset) const
    {
        require(offset, 1);
        return m_data[offset];
    }

    quint32 be16(qint64 offset) const { return (u8(offset) << 8) | u8(offset + 1); }
    quint32 le16(qint64 offset) const { return u8(offset) | (u8(offset + 1) << 8); }
    quint32 le24(qint64 offset) const { return le16(offset) | (u8(offset + 2) << 16); }
    quint32 be32(qint64 offset) const { return (be16(offset) << 16) | be16(offset + 2); }
    quint32 le32(qint64 offset) const { return le16(offset) | (le16(offset + 2) << 16); }
    quint64 le64(qint64 offset) const { return le32(offset) | (quint64(le32(offset + 4)) << 32); }
    quint64 be64(qint64 offset) const { return (quint64(be32(offset)) << 32) | be32(offset + 4); }

    bool matches(qint64 offset, QByteArrayView bytes) const
    {
        return has(offset, bytes.size())
            && std::equal(
                bytes.begin(), bytes.end(), reinterpret_cast<const char *>(m_data) + offset);
    }

private:
    void require(qint64 offset, qint64 count) const
    {
        if (!has(offset, count))
            throw Truncated {};
    }

    const uchar *m_data;
    qsizetype m_size;
};

bool isPngChunk(const ByteReader &bytes, qint64 offset, QByteArrayView type)
{
    return bytes.matches(offset + 4, type);
}

ImageHeader readPng(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Png, 0, 0, false };
    if (bytes.be32(8) != 13 || !isPngChunk(bytes, 8, "IHDR"))
        throw Corrupt { QStringLiteral("the first chunk is not a 13-byte IHDR") };
    header.width = bytes.be32(16);
    header.height = bytes.be32(20);

    // Walk the chunk lengths (not their data) to IEND: a few thousand steps at most for a
    // large photo, and the only reliable sign that an upload was not cut off.
    qint64 offset = 8;
    while (true) {
        if (!bytes.has(offset, 8)) {
            header.truncated = true;
            break;
        }
        const qint64 length = bytes.be32(offset);
        if (length > 0x7fffffff)
            throw Corrupt { QStringLiteral("a chunk claims %1 bytes").arg(length) };
        if (isPngChunk(bytes, offset, "IEND"))
            break;
        offset += 12 + length; // length, type, data, CRC
    }
    return header;
}

bool isJpegFrameMarker(quint32 marker)
{
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

ImageHeader readJpeg(const ByteReader &bytes, const QByteArray &data)
{
    ImageHeader header { ImageHeader::Format::Jpeg, 0, 0, false };
    bool haveFrame = false;
    qint64 offset = 2; // after SOI
    try {
        while (true) {
            if (bytes.u8(offset) != 0xFF) {
                if (haveFrame)
                    return header; // the size is known; libjpeg judges the rest
                throw Corrupt { QStringLiteral("no marker at byte %1").arg(offset) };
            }
            while (bytes.u8(offset) == 0xFF) // fill bytes may pad any marker
                ++offset;
            const quint32 marker = bytes.u8(offset++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
                continue; // TEM, RSTn and a stray SOI stand alone, without a length
            if (marker == 0xD9 || marker == 0x00) {
                if (haveFrame)
                    return header;
                throw Corrupt { QStringLiteral("the image ends before its frame header") };
            }
            const qint64 length = bytes.be16(offset);
            if (length < 2)
                throw Corrupt { QStringLiteral("a segment claims %1 bytes").arg(length) };
            if (marker == 0xDA) {
                if (!haveFrame)
                    throw Corrupt { QStringLiteral("image data comes before the frame header") };
                // Entropy-coded data escapes every 0xFF as FF 00 (or uses FF D0..D7 restart
                // markers), so an FF D9 pair after the first scan header is the real EOI.
                // Searching from the end finds it at once in a complete file; a cut-off
                // upload only removes a suffix, so the answer is the same as from the front.
                const qint64 scan = std::min<qint64>(offset + length, bytes.size());
                header.truncated = data.lastIndexOf(QByteArrayView("\xFF\xD9", 2)) < scan;
                return header;
            }
            if (isJpegFrameMarker(marker) && !haveFrame) {
                header.height = bytes.be16(offset + 3);
                header.width = bytes.be16(offset + 5);
                if (header.height == 0)
                    throw Corrupt { QStringLiteral("the height is deferred to a DNL marker, "
                                                   "which is not supported") };
                haveFrame = true;
            }
            offset += length;
        }
    } catch (const Truncated &) {
        if (!haveFrame)
            throw;
        header.truncated = true; // cut off between the frame header and the image data
        return header;
    }
}

ImageHeader readBmp(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Bmp, 0, 0, false };
    const quint32 infoSize = bytes.le32(14);
    if (infoSize == 12) { // OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
        header.width = bytes.le16(18);
        header.height = bytes.le16(20);
        return header;
    }
    if (infoSize < 16 || infoSize > 4096)
        throw Corrupt { QStringLiteral("unknown info header size %1").arg(infoSize) };
    // Signed 32-bit sizes; a negative height means the rows are stored top-down.
    header.width = qint32(bytes.le32(18));
    header.height = qint32(bytes.le32(22));
    if (header.height < 0)
        header.height = -header.height;
    if (header.width < 0)
        throw Corrupt { QStringLiteral("negative width %1").arg(header.width) };
    return header;
}

ImageHeader readWebP(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::WebP, 0, 0, false };
    header.truncated = qint64(bytes.le32(4)) + 8 > bytes.size();
    if (bytes.matches(12, "VP8 ")) { // lossy: frame tag, start code, 14-bit sizes
        if (!bytes.matches(23, "\x9d\x01\x2a"))
            throw Corrupt { QStringLiteral("the VP8 start code is missing") };
        header.width = bytes.le16(26) & 0x3fff;
        header.height = bytes.le16(28) & 0x3fff;
    } else if (bytes.matches(12, "VP8L")) { // lossless: signature, then 14-bit sizes - 1
        if (bytes.u8(20) != 0x2f)
            throw Corrupt { QStringLiteral("the VP8L signature is missing") };
        const quint32 bits = bytes.le32(21);
        header.width = (bits & 0x3fff) + 1;
        header.height = ((bits >> 14) & 0x3fff) + 1;
    } else if (bytes.matches(12, "VP8X")) { // extended: 24-bit canvas sizes - 1
        header.width = qint64(bytes.le24(24)) + 1;
        header.height = qint64(bytes.le24(27)) + 1;
    } else {
        throw Corrupt { QStringLiteral("unknown first chunk") };
    }
    return header;
}

ImageHeader readTiff(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Tiff, 0, 0, false };
    const bool little = bytes.u8(0) == 'I';
    const bool big = bytes.u8(2) == (little ? 0x2b : 0x00) && bytes.u8(3) == (little ? 0x00 : 0x2b);
    const auto u16 = [&](qint64 o) { return little ? bytes.le16(o) : bytes.be16(o); };
    const auto u32 = [&](qint64 o) { return little ? bytes.le32(o) : bytes.be32(o); };
    const auto u64 = [&](qint64 o) { return little ? bytes.le64(o) : bytes.be64(o); };

    // Classic TIFF: 32-bit offsets, 12-byte entries. BigTIFF: 64-bit, 20-byte entries.
    const quint64 ifd = big ? u64(8) : u32(4);
    if (big && (u16(4) != 8 || u16(6) != 0))
        throw Corrupt { QStringLiteral("unsupported BigTIFF offset size") };
    if (ifd > quint64(bytes.size()))
        throw Truncated {};
    const qint64 first = qint64(ifd);
    const quint64 count = big ? u64(first) : u16(first);
    const qint64 entries = first + (big ? 8 : 2);
    const qint64 entrySize = big ? 20 : 12;
    const qint64 valueOffset = big ? 12 : 8;

    // Each entry read is bounds-checked, so a hostile count ends in Truncated, not a
    // long loop: at most size / entrySize iterations can succeed.
    for (quint64 i = 0; i < count && (header.width == 0 || header.height == 0); ++i) {
        const qint64 entry = entries + qint64(i) * entrySize;
        if (!bytes.has(entry, entrySize))
            throw Truncated {};
        const quint32 tag = u16(entry);
        if (tag != 256 && tag != 257) // ImageWidth, ImageLength
            continue;
        const quint32 type = u16(entry + 2);
        qint64 value = 0;
        if (type == 3) // SHORT
            value = u16(entry + valueOffset);
        else if (type == 4) // LONG
            value = u32(entry + valueOffset);
        else if (type == 16 && big) { // LONG8
            const quint64 wide = u64(entry + valueOffset);
            value = wide > quint64(1) << 40 ? qint64(1) << 40 : qint64(wide);
        } else
            throw Corrupt { QStringLiteral("tag %1 has type %2").arg(tag).arg(type) };
        (tag == 256 ? header.width : header.height) = value;
    }
    if (header.width == 0 || header.height == 0)
        throw Corrupt { QStringLiteral("the first directory has no ImageWidth/ImageLength") };
    return header;
}

// The PNM family is text, and OpenCV has three readers for it with three grammars. Each
// reader below follows OpenCV's own (grfmt_pxm.cpp, grfmt_pam.cpp, grfmt_pfm.cpp in 4.6)
// byte for byte, and refuses what OpenCV would refuse: read any other way, a header could
// say 10000 x 1 to us and 10000 x 10000 to OpenCV, past the pixel limit.
// tests/fuzz/fuzz_image_decode checks that the two always agree; it found both earlier
// disagreements (a NUL or '#' right after a P1-P6 width, a PFM size token).

bool isLineBreak(quint32 c)
{
    return c == '\n' || c == '\r';
}

/**
 * A P1-P6 size as OpenCV's ReadNumber reads it: white space and '#' comments, then digits
 * only, then one more byte consumed whatever it is, so "12#34" or "12<NUL>34" is 12
 * followed by 34.
 */
qint64 readPxmNumber(const ByteReader &bytes, qint64 &offset)
{
    while (true) {
        const quint32 c = bytes.u8(offset);
        if (c == '#') {
            while (!isLineBreak(bytes.u8(offset)))
                ++offset;
            ++offset;
        } else if (std::isspace(int(c))) {
            ++offset;
        } else if (c >= '0' && c <= '9') {
            break;
        } else {
            throw Corrupt { QStringLiteral("byte %1 is not part of a size").arg(offset) };
        }
    }
    qint64 value = 0;
    for (int digits = 0; bytes.u8(offset) >= '0' && bytes.u8(offset) <= '9'; ++digits) {
        if (digits == 12)
            throw Corrupt { QStringLiteral("a size has more than 12 digits") };
        value = value * 10 + (bytes.u8(offset++) - '0');
    }
    ++offset; // the byte that ended the number
    return value;
}

/**
 * A PFM size as OpenCV's read_number reads it: atoi() of the bytes up to the next white
 * space byte, which is consumed. Signs and tokens without leading digits (atoi gives 0 or
 * a negative number, which OpenCV refuses later) are refused here.
 */
qint64 readPfmNumber(const ByteReader &bytes, qint64 &offset)
{
    qint64 value = 0;
    int digits = 0;
    bool leading = true;
    for (int length = 0;; ++length) {
        if (length == 2048) // OpenCV's buffer: it would split the token here
            throw Corrupt { QStringLiteral("a size runs past 2048 bytes") };
        const quint32 c = bytes.u8(offset++);
        if (std::isspace(int(c)))
            break;
        if (leading && c >= '0' && c <= '9') {
            if (++digits > 12)
                throw Corrupt { QStringLiteral("a size has more than 12 digits") };
            value = value * 10 + (c - '0');
        } else {
            leading = false;
        }
    }
    if (digits == 0)
        throw Corrupt { QStringLiteral("a size does not start with a digit") };
    return value;
}

/** PF/Pf: exactly one line break after the magic, then width and height. */
ImageHeader readPfm(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Pnm, 0, 0, false };
    if (bytes.u8(2) != '\n')
        throw Corrupt { QStringLiteral("no line break right after the magic number") };
    qint64 offset = 3;
    header.width = readPfmNumber(bytes, offset);
    header.height = readPfmNumber(bytes, offset);
    return header;
}

/**
 * P7 as OpenCV's ReadPAMHeaderLine reads it: lines of an identifier (at most 8 bytes,
 * compared as a C string, so it ends at a NUL) and a value up to the line break; comment
 * lines start with '#'. An unknown identifier, a repeated WIDTH or HEIGHT, or a size that
 * is not digits (up to a NUL or the end) is refused, as OpenCV refuses it. One loop over
 * the header's lines, as OpenCV's own: read side by side with it, they can be checked.
 */
ImageHeader readPam(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Pnm, 0, 0, false };
    if (!isLineBreak(bytes.u8(2)))
        throw Corrupt { QStringLiteral("no line break right after the magic number") };
    qint64 offset = 3;
    bool haveWidth = false;
    bool haveHeight = false;
    while (true) { // every turn consumes bytes, and u8() ends at the end of the data
        quint32 c = bytes.u8(offset++);
        while (std::isspace(int(c)))
            c = bytes.u8(offset++);
        if (c == '#') {
            while (!isLineBreak(c))
                c = bytes.u8(offset++);
            continue;
        }
        QByteArray identifier;
        while (identifier.size() < 8 && !std::isspace(int(c))) {
            identifier.append(char(c));
            c = bytes.u8(offset++);
        }
        if (!std::isspace(int(c)))
            throw Corrupt { QStringLiteral("an identifier is longer than 8 bytes") };
        const QByteArray name(identifier.constData()); // up to the first NUL, as strncmp reads it

        QByteArray value;
        if (!isLineBreak(c)) {
            do
                c = bytes.u8(offset++);
            while (std::isspace(int(c)));
            while (value.size() < 255 && !isLineBreak(c)) {
                value.append(char(c));
                c = bytes.u8(offset++);
            }
            if (!isLineBreak(c))
                throw Corrupt { QStringLiteral("a value is longer than 255 bytes") };
            while (!value.isEmpty() && std::isspace(int(uchar(value.back()))))
                value.chop(1);
        }

        if (name == "ENDHDR")
            return header;
        if (name == "WIDTH" || name == "HEIGHT") {
            bool &seen = name == "WIDTH" ? haveWidth : haveHeight;
            if (seen)
                throw Corrupt { QStringLiteral("%1 is given twice").arg(QString::fromLatin1(name)) };
            seen = true;
            qint64 size = 0;
            qsizetype i = 0;
            for (; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
                if (i == 12)
                    throw Corrupt { QStringLiteral("a size has more than 12 digits") };
                size = size * 10 + (value[i] - '0');
            }
            if (i < value.size() && value[i] != '\0')
                throw Corrupt { QStringLiteral("%1 is not a size").arg(QString::fromLatin1(name)) };
            (name == "WIDTH" ? header.width : header.height) = size;
        } else if (name != "DEPTH" && name != "MAXVAL" && name != "TUPLTYPE") {
            throw Corrupt { QStringLiteral("unknown identifier") };
        }
    }
}

ImageHeader readPnm(const ByteReader &bytes)
{
    const quint32 kind = bytes.u8(1);
    if (kind == '7')
        return readPam(bytes);
    if (kind == 'F' || kind == 'f')
        return readPfm(bytes);
    ImageHeader header { ImageHeader::Format::Pnm, 0, 0, false };
    qint64 offset = 2;
    header.width = readPxmNumber(bytes, offset);
    header.height = readPxmNumber(bytes, offset);
    return header;
}

bool isPnmMagic(const ByteReader &bytes)
{
    if (!bytes.has(0, 3) || bytes.u8(0) != 'P' || !std::isspace(int(bytes.u8(2))))
        return false;
    const quint32 kind = bytes.u8(1);
    return (kind >= '1' && kind <= '7') || kind == 'F' || kind == 'f';
}

bool looksLikeText(const ByteReader &bytes)
{
    const qint64 n = std::min<qint64>(bytes.size(), 256);
    for (qint64 i = 0; i < n; ++i) {
        const quint32 c = bytes.u8(i);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return false;
        if (c == 0x7f)
            return false;
    }
    return true;
}

/** Formats people send by mistake; naming them beats "unknown format". */
QString unsupportedFormat(const ByteReader &bytes)
{
    if (bytes.matches(0, "GIF87a") || bytes.matches(0, "GIF89a"))
        return QStringLiteral("GIF");
    if (bytes.matches(4, "ftypheic") || bytes.matches(4, "ftypheix") || bytes.matches(4, "ftypmif1")
        || bytes.matches(4, "ftyphevc"))
        return QStringLiteral("HEIC/HEIF");
    if (bytes.matches(4, "ftypavif"))
        return QStringLiteral("AVIF");
    if (bytes.matches(0, QByteArrayView("\x00\x00\x00\x0cjP  ", 8))
        || bytes.matches(0, "\xff\x4f\xff\x51"))
        return QStringLiteral("JPEG 2000");
    if (bytes.matches(0, "v/1\x01"))
        return QStringLiteral("OpenEXR");
    if (bytes.matches(0, "#?RADIANCE") || bytes.matches(0, "#?RGBE"))
        return QStringLiteral("Radiance HDR");
    if (bytes.matches(0, "%PDF"))
        return QStringLiteral("PDF");
    return {};
}

} // namespace

QString ImageHeader::formatName(Format format)
{
    switch (format) {
    case Format::Png:
        return QStringLiteral("PNG");
    case Format::Jpeg:
        return QStringLiteral("JPEG");
    case Format::Bmp:
        return QStringLiteral("BMP");
    case Format::WebP:
        return QStringLiteral("WebP");
    case Format::Tiff:
        return QStringLiteral("TIFF");
    case Format::Pnm:
        return QStringLiteral("PNM");
    case Format::SunRaster:
        return QStringLiteral("Sun raster");
    }
    return {};
}

namespace {

/** Which format the first bytes say this is, or a sentence saying why it is none we read. */
InferenceResult<ImageHeader::Format> sniffFormat(const ByteReader &bytes, qsizetype size)
{
    using Format = ImageHeader::Format;
    if (bytes.matches(0, "\x89PNG\r\n\x1a\n"))
        return Format::Png;
    if (bytes.matches(0, "\xff\xd8\xff"))
        return Format::Jpeg;
    if (bytes.matches(0, "BM"))
        return Format::Bmp;
    if (bytes.matches(0, "RIFF") && bytes.matches(8, "WEBP"))
        return Format::WebP;
    if (bytes.matches(0, QByteArrayView("II*\0", 4)) || bytes.matches(0, QByteArrayView("MM\0*", 4))
        || bytes.matches(0, QByteArrayView("II+\0", 4)) || bytes.matches(0, QByteArrayView("MM\0+", 4)))
        return Format::Tiff;
    if (isPnmMagic(bytes))
        return Format::Pnm;
    if (bytes.matches(0, "\x59\xa6\x6a\x95"))
        return Format::SunRaster;
    if (const QString other = unsupportedFormat(bytes); !other.isEmpty())
        return InferenceError::badImage(QStringLiteral("%1 images are not supported; send PNG or JPEG").arg(other));
    if (looksLikeText(bytes))
        return InferenceError::badImage(
                QStringLiteral("the data looks like text, not an image (%1 bytes)").arg(size));
    return InferenceError::badImage(
            QStringLiteral("the data is not an image Orchard can read (expected PNG, JPEG, "
                           "BMP, WebP, TIFF, PNM or Sun raster; %1 bytes of something "
                           "else)")
                    .arg(size));
}

/** The format's own header reader; throws Truncated or Corrupt. */
ImageHeader readFormat(ImageHeader::Format format, const ByteReader &bytes, const QByteArray &data)
{
    using Format = ImageHeader::Format;
    switch (format) {
    case Format::Png:
        return readPng(bytes);
    case Format::Jpeg:
        return readJpeg(bytes, data);
    case Format::Bmp:
        return readBmp(bytes);
    case Format::WebP:
        return readWebP(bytes);
    case Format::Tiff:
        return readTiff(bytes);
    case Format::Pnm:
        return readPnm(bytes);
    case Format::SunRaster:
        return { Format::SunRaster, bytes.be32(4), bytes.be32(8), false };
    }
    return {};
}

} // namespace

InferenceResult<ImageHeader> ImageHeader::read(const QByteArray &data)
{
    if (data.isEmpty())
        return InferenceError::badImage(QStringLiteral("the image is empty (0 bytes)"));

    const ByteReader bytes(data);
    const InferenceResult<Format> format = sniffFormat(bytes, data.size());
    if (!format)
        return format.error();
    const QString name = formatName(*format);
    ImageHeader header;
    try {
        header = readFormat(*format, bytes, data);
    } catch (const Truncated &) {
        return InferenceError::badImage(
            QStringLiteral("the %1 header is cut short (the data ends after %2 bytes; "
                           "truncated file?)")
                .arg(name)
                .arg(data.size()));
    } catch (const Corrupt &corrupt) {
        return InferenceError::badImage(
            QStringLiteral("the %1 header is corrupt: %2").arg(name, corrupt.detail));
    }
    if (header.width <= 0 || header.height <= 0)
        return InferenceError::badImage(QStringLiteral("the %1 header claims a %2 × %3 image")
                                            .arg(name)
                                            .arg(header.width)
                                            .arg(header.height));
    return header;
}

} // namespace orchard
