#pragma once

#include <QAbstractListModel>
#include <QImage>

#include "client/core/imagebatch.h"

namespace orchard {

/**
 * The image list's view of an ImageBatch: each image's thumbnail with a badge painted on
 * it (a dot for waiting, diagnosed or failed) and its label and confidence once known.
 * The batch holds the state; this model only shows it.
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

    ImageBatch *batch() const { return m_batch; }
    // The batch's own look-ups, for the window and tests that hold the model.
    int count() const { return m_batch->count(); }
    const Item &item(int row) const { return m_batch->item(row); }
    int rowOf(const QString &path) const { return m_batch->rowOf(path); }
    int countWithStatus(Status status) const { return m_batch->countWithStatus(status); }

private:
    QImage badged(const Item &item) const;

    ImageBatch *m_batch;
};

} // namespace orchard
