#include "common/imaging/imageformatset.h"

#include <QStringList>

namespace orchard {

namespace {

using Format = ImageHeader::Format;

// Every format, most recommended first, with the name --image-formats knows it by.
struct NamedFormat
{
    Format format;
    const char *optionName;
};

constexpr NamedFormat kFormats[] = {
    { Format::Jpeg, "jpeg" }, { Format::Png, "png" }, { Format::WebP, "webp" },
    { Format::Bmp, "bmp" },   { Format::Tiff, "tiff" }, { Format::Pnm, "pnm" },
    { Format::SunRaster, "sunraster" },
};

} // namespace

ImageFormatSet::ImageFormatSet(std::initializer_list<Format> formats)
{
    for (const Format format : formats)
        m_bits |= bit(format);
}

ImageFormatSet ImageFormatSet::all()
{
    ImageFormatSet set;
    for (const NamedFormat &named : kFormats)
        set.m_bits |= bit(named.format);
    return set;
}

ImageFormatSet ImageFormatSet::serverDefault()
{
    return { Format::Jpeg, Format::Png, Format::WebP, Format::Bmp };
}

std::optional<ImageFormatSet> ImageFormatSet::parse(const QString &list, QString *error)
{
    ImageFormatSet set;
    for (const QString &item : list.split(u',')) {
        const QString name = item.trimmed().toLower();
        if (name == QLatin1String("all")) {
            set = all();
            continue;
        }
        bool known = false;
        for (const NamedFormat &named : kFormats) {
            // "jpg" and "tif" are how people write them too.
            if (name == QLatin1String(named.optionName)
                || (named.format == Format::Jpeg && name == QLatin1String("jpg"))
                || (named.format == Format::Tiff && name == QLatin1String("tif"))) {
                set.m_bits |= bit(named.format);
                known = true;
            }
        }
        if (!known) {
            *error = QStringLiteral("unknown image format \"%1\" (known: jpeg, png, webp, bmp, tiff, "
                                    "pnm, sunraster, all)")
                             .arg(item.trimmed());
            return std::nullopt;
        }
    }
    return set;
}

QString ImageFormatSet::describe() const
{
    QStringList names;
    for (const NamedFormat &named : kFormats) {
        if (contains(named.format))
            names.append(ImageHeader::formatName(named.format));
    }
    return names.join(QStringLiteral(", "));
}

QString ImageFormatSet::toOptionValue() const
{
    QStringList names;
    for (const NamedFormat &named : kFormats) {
        if (contains(named.format))
            names.append(QString::fromLatin1(named.optionName));
    }
    return names.join(u',');
}

QString ImageFormatSet::whatToSend() const
{
    if (contains(Format::Jpeg) && contains(Format::Png))
        return QStringLiteral("JPEG or PNG");
    return describe();
}

} // namespace orchard
