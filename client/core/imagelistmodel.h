#pragma once

#include <QAbstractListModel>
#include <QImage>

#include "client/core/imagebatch.h"

namespace orchard {

/**
 * The image list's view of an ImageBatch: each image's thumbnail with a badge painted on
 * it (a mark for waiting, diagnosed or failed) and its label and confidence once known.
 * The batch holds the state; this model only shows it.
 *
 * The badge is never said by its colour alone: each state has its own shape, and its words
 * ("Done: Trouser 99 %", "Waiting", "Failed: …") are the tooltip's last line and the
 * item's accessible text. Thumbnails are painted for the screen's pixel density, so a
 * 96 px icon is 192 real pixels at a scale factor of 2.
 */
class ImageListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    using Status = ImageBatch::Status;
    using Item = ImageBatch::Item;
    enum Role { PathRole = Qt::UserRole + 1, StatusRole };

    explicit ImageListModel(ImageBatch *batch, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /** Every row's texts again, in the language now installed (the list's retranslateUi() calls it). */
    void retranslate();

    /** The badge in words: "Not diagnosed yet", "Waiting", "Done: Trouser 99 %", "Failed: why". */
    static QString statusText(const Item &item);
    /**
     * The decoration: the thumbnail in a square of ImageLoader::kThumbnailSize
     * device-independent pixels, made for devicePixelRatio, with the item's badge.
     */
    static QImage badged(const Item &item, qreal devicePixelRatio);

    ImageBatch *batch() const { return m_batch; }
    // The batch's own look-ups, for the window and tests that hold the model.
    int count() const { return m_batch->count(); }
    const Item &item(int row) const { return m_batch->item(row); }
    int rowOf(const QString &path) const { return m_batch->rowOf(path); }
    int countWithStatus(Status status) const { return m_batch->countWithStatus(status); }

private:
    ImageBatch *m_batch;
};

} // namespace orchard
