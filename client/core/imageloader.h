#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

namespace orchard {

/** An image file as the client holds it: its bytes (sent as they are), size and thumbnail. */
struct LoadedImage
{
    QString path;
    QString fileName;
    QByteArray bytes; ///< the file, read once and never re-encoded
    QSize dimensions; ///< as displayed (EXIF orientation applied)
    /** At most the thumbnail size asked for, in pixels of the screen it was made for (its devicePixelRatio). */
    QImage thumbnail;
    QString error; ///< why it could not be read; empty when it could

    bool isValid() const { return error.isEmpty(); }
};

/**
 * Reads image files for the client. Pure functions of the file system, safe to run on
 * worker threads (QtConcurrent) so that a folder of 200 field photos never blocks the GUI.
 */
class ImageLoader
{
    Q_DECLARE_TR_FUNCTIONS(ImageLoader)

public:
    /** A thumbnail's side in device-independent pixels, whatever the screen's density. */
    static constexpr int kThumbnailSize = 96;

    /**
     * Image files in the given files and folders: a file stays as given, a folder becomes
     * the image files directly in it (not recursive), in natural order (leaf_2 before
     * leaf_10, case-insensitive). The one expansion the window, `predict` and `classify` use.
     */
    static QStringList expand(const QStringList &paths);
    /** Whether a file's suffix is one a folder is searched for. */
    static bool isImageFile(const QString &path);
    /** The same suffixes as file-dialog patterns ("*.jpg"…). */
    static QStringList nameFilters();

    /**
     * Reads the bytes and makes the thumbnail (decoded at reduced size where the format
     * allows): at most thumbnailSize device-independent pixels on its longer side, made
     * with devicePixelRatio pixels to each (screenPixelRatio(), read on the GUI thread),
     * so that it is sharp on a high-density screen.
     */
    static LoadedImage load(const QString &path, int thumbnailSize = kThumbnailSize, qreal devicePixelRatio = 1.0);

    /**
     * image scaled to fit side × side device-independent pixels (aspect kept, smaller ones
     * enlarged), made of side × devicePixelRatio real pixels and marked with that ratio:
     * every thumbnail the client draws is made by this.
     */
    static QImage thumbnail(const QImage &image, int side, qreal devicePixelRatio);
    /**
     * The density thumbnails are made for: the largest of the screens' (QGuiApplication),
     * 1 without a GUI (orchard-cli). Call it on the GUI thread and hand it to workers.
     */
    static qreal screenPixelRatio();

    /** A display copy no larger than maxSide on its longer side, orientation applied. */
    static QImage preview(const QByteArray &bytes, int maxSide);
};

} // namespace orchard
