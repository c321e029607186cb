#include "client/core/imageloader.h"

#include <algorithm>

#include <QBuffer>
#include <QCollator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageReader>
#include <QLocale>

namespace orchard {

namespace {

// What a folder is searched for, and what the Open dialog offers: the formats the
// server's decoder (OpenCV) reads. A file named on its own is sent whatever its name, so
// the decoder, not the extension, has the last word.
const QStringList kImageSuffixes { QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                   QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff"),
                                   QStringLiteral("webp"), QStringLiteral("pbm"), QStringLiteral("pgm"),
                                   QStringLiteral("ppm"), QStringLiteral("pnm"), QStringLiteral("pam"),
                                   QStringLiteral("ras") };

/** Reads at a size fitting maxSide, letting JPEG decode at 1/2, 1/4, 1/8 scale. */
QImage readScaled(QImageReader &reader, int maxSide)
{
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (size.isValid() && std::max(size.width(), size.height()) > maxSide)
        reader.setScaledSize(size.scaled(maxSide, maxSide, Qt::KeepAspectRatio));
    return reader.read();
}

} // namespace

bool ImageLoader::isImageFile(const QString &path)
{
    return kImageSuffixes.contains(QFileInfo(path).suffix().toLower());
}

QStringList ImageLoader::nameFilters()
{
    QStringList filters;
    for (const QString &suffix : kImageSuffixes)
        filters.append(QStringLiteral("*.") + suffix);
    return filters;
}

QStringList ImageLoader::expand(const QStringList &paths)
{
    // Under the C locale (services, CI, LANG unset) Qt's collator ignores numeric mode and
    // sorts leaf_10 before leaf_2; ICU's English rules give the order a person expects.
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English);
    QCollator collator(locale);
    collator.setNumericMode(true); // Test_2.jpg before Test_10.jpg, as a person expects
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isDir()) {
            files.append(path);
            continue;
        }
        QStringList inFolder;
        const QDir directory(path);
        for (const QString &name : directory.entryList(QDir::Files | QDir::Readable)) {
            if (isImageFile(name))
                inFolder.append(directory.filePath(name));
        }
        std::sort(inFolder.begin(), inFolder.end(),
                  [&collator](const QString &a, const QString &b) { return collator.compare(a, b) < 0; });
        files.append(inFolder);
    }
    return files;
}

QImage ImageLoader::thumbnail(const QImage &image, int side, qreal devicePixelRatio)
{
    if (image.isNull() || side <= 0)
        return {};
    const qreal ratio = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    const int pixels = qRound(side * ratio);
    QImage scaled = image.size() == image.size().scaled(pixels, pixels, Qt::KeepAspectRatio)
            ? image
            : image.scaled(pixels, pixels, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    scaled.setDevicePixelRatio(ratio);
    return scaled;
}

qreal ImageLoader::screenPixelRatio()
{
    return qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
}

LoadedImage ImageLoader::load(const QString &path, int thumbnailSize, qreal devicePixelRatio)
{
    LoadedImage image;
    image.path = path;
    image.fileName = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        image.error = tr("cannot open the file: %1").arg(file.errorString());
        return image;
    }
    image.bytes = file.readAll();
    if (image.bytes.isEmpty()) {
        image.error = tr("the file is empty");
        return image;
    }
    QBuffer buffer(&image.bytes);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    image.dimensions = reader.size();
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        image.dimensions.transpose();
    const qreal ratio = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    image.thumbnail = readScaled(reader, qRound(thumbnailSize * ratio));
    image.thumbnail.setDevicePixelRatio(ratio);
    if (image.thumbnail.isNull()) {
        // Still sendable: the server decodes more formats than Qt's plugins may. Say so.
        image.error = tr("not an image this computer can display (%1)").arg(reader.errorString());
    }
    return image;
}

QImage ImageLoader::preview(const QByteArray &bytes, int maxSide)
{
    QByteArray copy = bytes; // QBuffer needs a non-const array; this is a shallow copy
    QBuffer buffer(&copy);
    QImageReader reader(&buffer);
    return readScaled(reader, maxSide);
}

} // namespace orchard
