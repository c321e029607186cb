#pragma once

#include <QByteArray>
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
public:
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

    /** Reads the bytes and makes the thumbnail (decoded at reduced size where the format allows). */
    static LoadedImage load(const QString &path, int thumbnailSize = kThumbnailSize);

    /** A display copy no larger than maxSide on its longer side, orientation applied. */
    static QImage preview(const QByteArray &bytes, int maxSide);
};

} // namespace orchard
