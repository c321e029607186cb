#include "common/imaging/imageheader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <QByteArrayView>
#include <QMap>
#include <QVarLengthArray>

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
    const uchar *data() const { return m_data; }

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

constexpr qint64 kKiB = 1024;
constexpr qint64 kMiB = 1024 * 1024;

/** a × b × ..., saturating far above anything a decoder could allocate (no overflow). */
qint64 product(std::initializer_list<qint64> factors)
{
    constexpr qint64 kCeiling = qint64(1) << 60;
    qint64 result = 1;
    for (const qint64 factor : factors) {
        if (factor <= 0)
            return 0;
        result = result > kCeiling / factor ? kCeiling : result * factor;
    }
    return result;
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return (a + b - 1) / b;
}

qint64 roundUp(qint64 a, qint64 multiple)
{
    return ceilDiv(a, multiple) * multiple;
}

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
    // large photo, and the only reliable sign that an upload was not cut off. On the way,
    // what libpng will buffer: each chunk other than IDAT is read whole (up to its 8 MB
    // limit, PNG_USER_CHUNK_MALLOC_MAX), and the compressed ones are inflated (to 8 MB).
    constexpr qint64 kChunkLimit = 8'000'000;
    qint64 largestChunk = 0;
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
        if (!isPngChunk(bytes, offset, "IDAT"))
            largestChunk = std::max(largestChunk, std::min(length, kChunkLimit));
        if (isPngChunk(bytes, offset, "zTXt") || isPngChunk(bytes, offset, "iCCP"))
            ++header.inflatedChunks;
        if (isPngChunk(bytes, offset, "iTXt")) {
            // Keyword, NUL, compression flag: compressed only when the flag is 1 (a chunk
            // cut short counts as compressed; libpng refuses it anyway).
            const qint64 data = offset + 8;
            qint64 nul = data;
            while (nul < data + std::min<qint64>(length, 80) && bytes.has(nul, 1) && bytes.u8(nul) != 0)
                ++nul;
            if (!bytes.has(nul + 1, 1) || nul + 1 >= data + length || bytes.u8(nul + 1) != 0)
                ++header.inflatedChunks;
        }
        offset += 12 + length; // length, type, data, CRC
    }
    // libpng keeps a few rows (at most 8 bytes a pixel: 16-bit RGBA) and its inflate window;
    // OpenCV decodes into the image through one row pointer per row. Metadata: the largest
    // chunk read whole, what it keeps of text (at most the file again, or 8 MB a compressed
    // chunk), and two inflate buffers in flight.
    header.workingBytes = 3 * (header.width * 8 + 64) + 8 * header.height + 256 * kKiB + largestChunk
            + bytes.size() + (header.inflatedChunks > 0 ? (header.inflatedChunks + 2) * kChunkLimit : 0);
    return header;
}

bool isJpegFrameMarker(quint32 marker)
{
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/** A JPEG frame's components as libjpeg sizes its buffers: sampling factors. */
struct JpegFrame
{
    struct Component
    {
        qint64 h = 1;
        qint64 v = 1;
    };
    QVarLengthArray<Component, 4> components;
    qint64 maxH = 1;
    qint64 maxV = 1;
    bool progressive = false;
};

/** The first SOFn segment (offset at its length): size, components and their sampling. */
JpegFrame readJpegFrame(const ByteReader &bytes, qint64 offset, qint64 length, quint32 marker, ImageHeader &header)
{
    header.height = bytes.be16(offset + 3);
    header.width = bytes.be16(offset + 5);
    if (header.height == 0)
        throw Corrupt { QStringLiteral("the height is deferred to a DNL marker, which is not supported") };
    const qint64 count = bytes.u8(offset + 7);
    // libjpeg refuses a frame header whose length is not 8 + 3 per component.
    if (length != 8 + 3 * count)
        throw Corrupt { QStringLiteral("the frame header's %1 bytes do not hold its %2 components")
                                .arg(length)
                                .arg(count) };
    JpegFrame frame;
    frame.progressive = marker == 0xC2 || marker == 0xCA; // SOF2, SOF10: the two libjpeg decodes
    for (qint64 i = 0; i < count; ++i) {
        const quint32 sampling = bytes.u8(offset + 9 + 3 * i);
        const JpegFrame::Component component { std::max<qint64>(1, sampling >> 4),
                                               std::max<qint64>(1, sampling & 0x0f) };
        frame.components.append(component);
        frame.maxH = std::max(frame.maxH, component.h);
        frame.maxV = std::max(frame.maxV, component.v);
    }
    return frame;
}

/**
 * libjpeg's memory for a frame, as jdcoefct.c and jdmainct.c size it: with more than one
 * scan (progressive, or components in separate scans) the whole image's DCT coefficients,
 * 2 bytes each, at full resolution whatever the output scale; otherwise one row of MCUs.
 * Plus three rows of samples per component and an output row.
 */
qint64 jpegWorkingBytes(const ImageHeader &header, const JpegFrame &frame, bool multiScan)
{
    qint64 coefficients = 0;
    qint64 rows = 0;
    for (const JpegFrame::Component &component : frame.components) {
        const qint64 blocksWide
                = roundUp(ceilDiv(header.width * component.h, frame.maxH * 8), component.h);
        const qint64 blocksHigh
                = roundUp(ceilDiv(header.height * component.v, frame.maxV * 8), component.v);
        coefficients += blocksWide * blocksHigh * 128; // 64 coefficients of 2 bytes a block
        rows += blocksWide * component.v * (128 + 3 * 64);
    }
    return (multiScan ? coefficients : 0) + rows + header.width * 8 + kMiB;
}

/** What walking the rest of a JPEG found. */
struct JpegScans
{
    qint64 scans = 0;
    qint64 firstScanComponents = 0; ///< of the first scan found here, if any
    qint64 firstScanData = -1; ///< where the first scan found here begins its data
};

/**
 * Walks from after a scan header (or from stray bytes after the frame header) to EOI as
 * libjpeg reads it, counting the SOS markers on the way. Entropy-coded data escapes every
 * 0xFF data byte as FF 00, and restart markers (FF D0..D7) stand alone, so any other FF xx
 * there is the next marker, exactly where libjpeg's decoder stops; between segments libjpeg
 * skips stray bytes up to an FF too (next_marker in jdmarker.c); segments are skipped by
 * their length, as libjpeg skips or parses them. Where damage makes a marker libjpeg does
 * not know, libjpeg stops with an error and the walk goes on: the count is an upper bound
 * of the scans libjpeg decodes. Linear in the file: one memchr per marker.
 */
JpegScans walkJpegScans(const ByteReader &bytes, qint64 offset)
{
    JpegScans found;
    const uchar *data = bytes.data();
    const qint64 size = bytes.size();
    while (offset < size) {
        const void *ff = std::memchr(data + offset, 0xFF, size_t(size - offset));
        if (!ff)
            break;
        offset = static_cast<const uchar *>(ff) - data + 1;
        while (offset < size && data[offset] == 0xFF) // fill bytes
            ++offset;
        if (offset >= size)
            break;
        const quint32 marker = data[offset++];
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
            continue; // a stuffed data byte, TEM, RSTn or a stray SOI: no length
        if (marker == 0xD9)
            break; // EOI: libjpeg reads no further
        if (!bytes.has(offset, 2))
            break;
        const qint64 length = bytes.be16(offset);
        if (length < 2)
            throw Corrupt { QStringLiteral("a segment claims %1 bytes").arg(length) };
        if (marker == 0xDA) {
            if (++found.scans == 1 && bytes.has(offset + 2, 1)) {
                found.firstScanComponents = std::max<qint64>(1, bytes.u8(offset + 2));
                found.firstScanData = offset + length;
            }
        }
        offset += length;
    }
    return found;
}

ImageHeader readJpeg(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Jpeg, 0, 0, false };
    JpegFrame frame;
    bool haveFrame = false;
    qint64 firstScanComponents = 0;
    qint64 firstScanData = -1;
    qint64 offset = 2; // after SOI
    try {
        // The segments before the first scan, strictly one after another.
        while (header.scans == 0) {
            if (bytes.u8(offset) != 0xFF) {
                if (haveFrame)
                    break; // stray bytes: libjpeg skips them to the next marker, as the walk does
                throw Corrupt { QStringLiteral("no marker at byte %1").arg(offset) };
            }
            while (bytes.u8(offset) == 0xFF) // fill bytes may pad any marker
                ++offset;
            const quint32 marker = bytes.u8(offset++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
                continue; // TEM, RSTn and a stray SOI stand alone, without a length
            if (marker == 0x00 && haveFrame)
                break; // a stray FF 00, skipped as libjpeg skips it
            if (marker == 0xD9 || marker == 0x00) {
                if (haveFrame)
                    return header; // no image data: libjpeg and OpenCV give nothing
                throw Corrupt { QStringLiteral("the image ends before its frame header") };
            }
            const qint64 length = bytes.be16(offset);
            if (length < 2)
                throw Corrupt { QStringLiteral("a segment claims %1 bytes").arg(length) };
            if (marker == 0xDA) {
                if (!haveFrame)
                    throw Corrupt { QStringLiteral("image data comes before the frame header") };
                header.scans = 1;
                firstScanComponents = std::max<qint64>(1, bytes.u8(offset + 2));
                firstScanData = std::min<qint64>(offset + length, bytes.size());
            } else if (isJpegFrameMarker(marker) && !haveFrame) {
                frame = readJpegFrame(bytes, offset, length, marker, header);
                haveFrame = true;
            }
            offset += length;
        }
        // The scans and whatever comes between them, up to EOI.
        const JpegScans rest = walkJpegScans(bytes, offset);
        header.scans += rest.scans;
        if (firstScanComponents == 0) {
            firstScanComponents = rest.firstScanComponents;
            firstScanData = std::min<qint64>(rest.firstScanData, bytes.size());
        }
        // Entropy-coded data escapes every 0xFF as FF 00 (or uses FF D0..D7 restart markers),
        // so an FF D9 pair after the first scan header is the real EOI. Searching from the
        // end finds it at once in a complete file; a cut-off upload only removes a suffix, so
        // the answer is the same as from the front. (Not the walk's verdict: a damaged byte
        // can make a marker whose length leaps over the EOI, where libjpeg conceals the damage
        // and reads on.)
        const QByteArrayView all(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        // Without any scan there is nothing to cut short: libjpeg judges such a file.
        header.truncated = firstScanData >= 0 && all.lastIndexOf(QByteArrayView("\xFF\xD9", 2)) < firstScanData;
    } catch (const Truncated &) {
        if (!haveFrame)
            throw;
        header.truncated = true; // cut off between the frame header and the image data
    }
    // libjpeg buffers the whole image when the first scan does not hold every component
    // (jdinput.c: has_multiple_scans), or the frame is progressive.
    const bool multiScan = frame.progressive
            || (firstScanComponents > 0 && firstScanComponents < frame.components.size());
    header.workingBytes = jpegWorkingBytes(header, frame, multiScan);
    return header;
}

ImageHeader readBmp(const ByteReader &bytes)
{
    ImageHeader header { ImageHeader::Format::Bmp, 0, 0, false };
    const quint32 infoSize = bytes.le32(14);
    // OpenCV's reader decodes into the image through a source row and a BGR row.
    const auto rowBuffers = [](qint64 width) { return 2 * (width * 4 + 64) + 64 * kKiB; };
    if (infoSize == 12) { // OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
        header.width = bytes.le16(18);
        header.height = bytes.le16(20);
        header.workingBytes = rowBuffers(header.width);
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
    header.workingBytes = rowBuffers(header.width);
    return header;
}

/**
 * libwebp 1.2's lossless decoder (vp8l_dec.c): the image as 4-byte ARGB plus 32 cache
 * rows, its transforms' and entropy image's subsampled images (at least 4 x 4 pixels a
 * sample), and a Huffman table of up to 5004 4-byte entries (kTableSize[11]) for every
 * meta-code group, allocated before any code is read. The groups are the largest index in
 * the entropy image, if at most 1000 and the image's pixels; otherwise only the indices
 * used, at most 65536 and one per entropy sample. Each used index is a literal in the
 * file, and N distinct literals of a prefix code take at least N log2 N bits (Kraft), so
 * past 256 of them there are fewer than the file has bytes.
 */
qint64 webpLosslessBytes(qint64 width, qint64 height, qint64 fileSize)
{
    constexpr qint64 kGroupTable = 5004 * 4;
    const qint64 pixels = product({ width, height });
    const qint64 entropy = product({ ceilDiv(width, 4), ceilDiv(height, 4) });
    const qint64 groups = std::max(std::min<qint64>(1000, pixels),
                                   std::min({ qint64(65536), entropy, std::max<qint64>(256, fileSize) }));
    return 4 * (pixels + 32 * width) + 4 * 4 * entropy + product({ groups, kGroupTable }) + 4 * kGroupTable
            + 256 * kKiB + 2 * kMiB;
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
    // OpenCV decodes colour straight into the image, but gray (and anything with alpha)
    // through a 4-byte-a-pixel copy it then converts. Lossy VP8 keeps a few macroblock
    // rows; an extended file may be either kind, with an alpha plane that may itself be
    // coded losslessly.
    const qint64 pixels = product({ header.width, header.height });
    const qint64 copy = 4 * pixels;
    const qint64 lossy = header.width * 256 + 256 * kKiB;
    const qint64 lossless = webpLosslessBytes(header.width, header.height, bytes.size());
    if (bytes.matches(12, "VP8 "))
        header.workingBytes = copy + lossy;
    else if (bytes.matches(12, "VP8L"))
        header.workingBytes = copy + lossless;
    else
        header.workingBytes = copy + lossy + 2 * lossless + pixels;
    return header;
}

/**
 * What OpenCV 4.6 and libtiff 4.5 allocate for a TIFF, from the tags of its first
 * directory that size it. Each tag is read as libtiff reads it: the first of duplicates
 * (libtiff ignores the rest), SHORT, LONG or (BigTIFF) LONG8 values, one value where
 * libtiff wants one; anything else is refused, never guessed.
 */
struct TiffFields
{
    enum Tag : quint32 {
        ImageWidth = 256,
        ImageLength = 257,
        BitsPerSample = 258,
        Compression = 259,
        SamplesPerPixel = 277,
        RowsPerStrip = 278,
        PlanarConfiguration = 284,
        TileWidth = 322,
        TileLength = 323,
    };

    bool has(Tag tag) const { return values.contains(tag); }
    qint64 value(Tag tag, qint64 otherwise) const { return values.value(tag, otherwise); }

    QMap<quint32, qint64> values; ///< BitsPerSample: the largest of its per-sample values
};

bool isTiffSizingTag(quint32 tag)
{
    switch (tag) {
    case TiffFields::ImageWidth:
    case TiffFields::ImageLength:
    case TiffFields::BitsPerSample:
    case TiffFields::Compression:
    case TiffFields::SamplesPerPixel:
    case TiffFields::RowsPerStrip:
    case TiffFields::PlanarConfiguration:
    case TiffFields::TileWidth:
    case TiffFields::TileLength:
        return true;
    }
    return false;
}

/**
 * OpenCV decodes a TIFF tile by tile (strip by strip) with TIFFReadRGBATile/Strip into a
 * 4-byte RGBA buffer of a whole tile, and libtiff decodes each into its own buffer of
 * the tile's samples first (a JPEG-compressed tile through libjpeg's coefficients too).
 * libtiff may cut one uncompressed strip into 8 KB ones, so a strip is never less than that.
 * The raw compressed data is read into a buffer that grows with what the file really holds.
 */
qint64 tiffWorkingBytes(const ImageHeader &header, const TiffFields &fields, qint64 fileSize)
{
    constexpr qint64 kChoppedStripPixels = 8 * kKiB * 8 * 4; // 8 KB of 1-bit samples, YCbCr rows
    const qint64 samples = fields.value(TiffFields::SamplesPerPixel, 4); // OpenCV takes up to 4
    const qint64 bits = fields.value(TiffFields::BitsPerSample, 8); // libtiff assumes 1 or 8
    const bool separate = fields.value(TiffFields::PlanarConfiguration, 1) == 2;
    const qint64 compression = fields.value(TiffFields::Compression, 1);
    const qint64 tilePixels = std::max(product({ header.tileWidth, header.tileHeight }), kChoppedStripPixels);
    const qint64 rgba = product({ 4, tilePixels });
    // Separate planes: libtiff's gtTileSeparate/gtStripSeparate hold up to four planes.
    const qint64 rowBytes
            = ceilDiv(product({ header.tileWidth, bits, separate ? 1 : samples }), 8);
    const qint64 decoded = product({ rowBytes, header.tileHeight, separate ? std::max<qint64>(samples, 4) : 1 });
    const bool jpeg = compression == 6 || compression == 7; // old-style and new-style JPEG
    const qint64 coefficients = jpeg ? product({ 2, samples, tilePixels }) : 0;
    return rgba + decoded + coefficients + 2 * fileSize + kMiB;
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
    const qint64 inlineBytes = big ? 8 : 4;

    const auto readValue = [&](quint32 type, qint64 at) -> qint64 {
        if (type == 3) // SHORT
            return u16(at);
        if (type == 4) // LONG
            return u32(at);
        const quint64 wide = u64(at); // LONG8, BigTIFF only
        return wide > quint64(1) << 40 ? qint64(1) << 40 : qint64(wide);
    };

    // Every entry of the first directory (libtiff reads them all, in any order). Each read
    // is bounds-checked, so a hostile count ends in Truncated, not a long loop: at most
    // size / entrySize iterations can succeed.
    TiffFields fields;
    for (quint64 i = 0; i < count; ++i) {
        const qint64 entry = entries + qint64(i) * entrySize;
        if (!bytes.has(entry, entrySize))
            throw Truncated {};
        const quint32 tag = u16(entry);
        if (!isTiffSizingTag(tag) || fields.has(TiffFields::Tag(tag)))
            continue; // libtiff ignores a tag's duplicates
        const quint32 type = u16(entry + 2);
        const quint64 values = big ? u64(entry + 4) : u32(entry + 4);
        if (type != 3 && type != 4 && !(type == 16 && big))
            throw Corrupt { QStringLiteral("tag %1 has type %2").arg(tag).arg(type) };
        const qint64 size = type == 3 ? 2 : type == 4 ? 4 : 8;
        if (tag == TiffFields::BitsPerSample) {
            // One value per sample; libtiff takes the first and refuses differing ones,
            // so the largest of the first few bounds what it uses.
            if (values == 0)
                throw Corrupt { QStringLiteral("BitsPerSample has no value") };
            const qint64 n = qint64(std::min<quint64>(values, 64));
            const qint64 at = n * size <= inlineBytes ? entry + valueOffset
                                                      : qint64(big ? u64(entry + valueOffset) : u32(entry + valueOffset));
            qint64 largest = 0;
            for (qint64 k = 0; k < n; ++k)
                largest = std::max(largest, readValue(type, at + k * size));
            fields.values.insert(tag, largest);
            continue;
        }
        if (values != 1)
            throw Corrupt { QStringLiteral("tag %1 has %2 values").arg(tag).arg(values) };
        fields.values.insert(tag, readValue(type, entry + valueOffset));
    }
    header.width = fields.value(TiffFields::ImageWidth, 0);
    header.height = fields.value(TiffFields::ImageLength, 0);
    if (header.width == 0 || header.height == 0)
        throw Corrupt { QStringLiteral("the first directory has no ImageWidth/ImageLength") };

    // OpenCV 4.6's TiffDecoder::readData: the tile's width and length for a tiled TIFF, the
    // image width and RowsPerStrip otherwise; 0 (and for strips "infinity") mean the image's.
    // Without TileLength libtiff uses a RowsPerStrip read before the tile tags, or refuses.
    constexpr qint64 kNoRowsPerStrip = 0xffffffff;
    header.tiled = fields.has(TiffFields::TileWidth) || fields.has(TiffFields::TileLength);
    header.tileWidth = fields.value(TiffFields::TileWidth, header.width);
    if (header.tiled) {
        header.tileHeight = fields.has(TiffFields::TileLength)
                ? fields.value(TiffFields::TileLength, 0)
                : std::max(fields.value(TiffFields::RowsPerStrip, 0), header.height);
    } else {
        header.tileHeight = fields.value(TiffFields::RowsPerStrip, kNoRowsPerStrip);
        if (header.tileHeight == 0)
            throw Corrupt { QStringLiteral("RowsPerStrip is 0") }; // libtiff refuses it
    }
    if (header.tileWidth == 0)
        header.tileWidth = header.width;
    if (header.tileHeight == 0 || (!header.tiled && header.tileHeight == kNoRowsPerStrip))
        header.tileHeight = header.height;
    header.workingBytes = tiffWorkingBytes(header, fields, bytes.size());
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
    // OpenCV reads the floats into a whole-image buffer (3 channels for PF, 1 for Pf),
    // scales and converts it through a second one.
    const qint64 channels = bytes.u8(1) == 'F' ? 3 : 1;
    header.workingBytes = product({ 2, header.width, header.height, channels, 4 }) + 64 * kKiB;
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

        if (name == "ENDHDR") {
            // A source row (up to 4 channels of 2 bytes) and OpenCV's conversion tables.
            header.workingBytes = 2 * (header.width * 8 + 64) + 256 * kKiB;
            return header;
        }
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
    // A source row (3 channels of 2 bytes at most) and a palette for 8-bit gray.
    header.workingBytes = 2 * (header.width * 6 + 64) + 256 * kKiB;
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
ImageHeader readFormat(ImageHeader::Format format, const ByteReader &bytes)
{
    using Format = ImageHeader::Format;
    switch (format) {
    case Format::Png:
        return readPng(bytes);
    case Format::Jpeg:
        return readJpeg(bytes);
    case Format::Bmp:
        return readBmp(bytes);
    case Format::WebP:
        return readWebP(bytes);
    case Format::Tiff:
        return readTiff(bytes);
    case Format::Pnm:
        return readPnm(bytes);
    case Format::SunRaster: {
        ImageHeader header { Format::SunRaster, bytes.be32(4), bytes.be32(8), false };
        // A source row (up to 32 bits a pixel), a BGR row and the colour map.
        header.workingBytes = 2 * (header.width * 4 + 64) + 64 * kKiB;
        return header;
    }
    }
    return {};
}

} // namespace

InferenceResult<ImageHeader::Format> ImageHeader::sniff(const QByteArray &data)
{
    if (data.isEmpty())
        return InferenceError::badImage(QStringLiteral("the image is empty (0 bytes)"));
    return sniffFormat(ByteReader(data), data.size());
}

InferenceResult<ImageHeader> ImageHeader::read(const QByteArray &data)
{
    const InferenceResult<Format> format = sniff(data);
    if (!format)
        return format.error();
    const ByteReader bytes(data);
    const QString name = formatName(*format);
    ImageHeader header;
    try {
        header = readFormat(*format, bytes);
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
