#pragma once

#include <QAbstractListModel>
#include <QVector>

#include "imageloader.h"
#include "predictionreply.h"

namespace orchard {

/**
 * The images the farmer loaded, each with its thumbnail and, once known, its result.
 *
 * The list view shows the thumbnail with a badge (label and confidence, "waiting…", or
 * an error) painted on it; the preview and result panel read the selected item.
 */
class ImageListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class Status { New, Pending, Done, Failed };
    enum Role { PathRole = Qt::UserRole + 1, StatusRole };

    struct Item
    {
        LoadedImage image;
        Status status = Status::New;
        PredictionReply reply;
        double roundTripMs = 0.0; ///< from queueing the request to its answer
        QString error;
    };

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /** Adds an image unless the same path is already listed; returns its row. */
    int add(const LoadedImage &image);
    const Item &item(int row) const { return m_items.at(row); }
    int rowOf(const QString &path) const;
    int count() const { return static_cast<int>(m_items.size()); }
    int countWithStatus(Status status) const;

    void setPending(int row);
    void setResult(int row, const PredictionReply &reply, double roundTripMs);
    void setFailed(int row, const QString &error);
    /** Pending items go back to New (their requests were cancelled). */
    void clearPending();

private:
    QImage badged(const Item &item) const;
    void changed(int row);

    QVector<Item> m_items;
};

} // namespace orchard
