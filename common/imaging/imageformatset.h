#pragma once

#include <initializer_list>
#include <optional>

#include <QString>
#include <QtGlobal>

#include "common/imaging/imageheader.h"

namespace orchard {

/**
 * Which image formats a caller decodes: a server's format policy.
 *
 * Farmers send JPEG and PNG, and WebP and BMP cost no more to decode than their pixels, so
 * those four are what a server accepts unless told otherwise (serverDefault()). TIFF, the
 * PNM family and Sun raster are decoded by libraries whose cost depends on more than the
 * image size (tiles, strips, float buffers); they are bounded too, but a server that does not
 * need them should not offer them to strangers. A refused format's error says what to send.
 */
class ImageFormatSet
{
public:
    using Format = ImageHeader::Format;

    ImageFormatSet() = default;
    ImageFormatSet(std::initializer_list<Format> formats);

    /** Every format ImageHeader can size: what the library decodes by default. */
    static ImageFormatSet all();
    /** JPEG, PNG, WebP and BMP: what orchard-server accepts without --image-formats. */
    static ImageFormatSet serverDefault();

    /**
     * Reads a comma-separated list of format names (jpeg, png, webp, bmp, tiff, pnm,
     * sunraster, or all), as --image-formats takes it. An unknown or empty name is an error
     * naming it.
     */
    static std::optional<ImageFormatSet> parse(const QString &list, QString *error);

    bool contains(Format format) const { return (m_bits & bit(format)) != 0; }
    bool isEmpty() const { return m_bits == 0; }
    /** "JPEG, PNG, WebP, BMP": the formats, most recommended first. */
    QString describe() const;
    /** "jpeg,png,webp,bmp": the list parse() reads back. */
    QString toOptionValue() const;
    /**
     * What a refused upload's error tells its sender to send instead: "JPEG or PNG" when
     * both are in the set, otherwise the set itself.
     */
    QString whatToSend() const;

    bool operator==(const ImageFormatSet &other) const { return m_bits == other.m_bits; }
    bool operator!=(const ImageFormatSet &other) const { return m_bits != other.m_bits; }

private:
    static quint32 bit(Format format) { return quint32(1) << static_cast<int>(format); }

    quint32 m_bits = 0;
};

} // namespace orchard
