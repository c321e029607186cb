#pragma once

#include <QAbstractTableModel>
#include <QImage>
#include <QVector>

#include "client/core/historyrecord.h"

namespace orchard {

class HistoryStore;

/**
 * The History tab's table: one row per stored diagnosis, in the order given (the store's,
 * newest first). Tag and Note are edited in place and written straight to the store, so
 * the farmer never has a second "save" to forget; a write the store refuses leaves the row
 * as it was and is reported through storeFailed().
 */
class HistoryTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, File, Diagnosis, Confidence, Warnings, Tag, Note, ColumnCount };

    /**
     * Side of the thumbnail the File column shows, in device-independent pixels: an icon
     * beside the name, not a picture. Made for the screen's density (sharp at 2×).
     */
    static constexpr int kIconSide = 32;

    /** store: where edits go; may be null (then nothing is editable). Not owned. */
    explicit HistoryTableModel(HistoryStore *store, QObject *parent = nullptr);

    void setRecords(const QVector<HistoryRecord> &records);
    const QVector<HistoryRecord> &records() const { return m_records; }
    const HistoryRecord &record(int row) const { return m_records.at(row); }
    /** The row of the record with this id; -1 when it is not shown. */
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    /** Stores a record's tag and note and shows them; false (and storeFailed) when the store refused. */
    bool setTagAndNote(int row, const QString &tag, const QString &note);

    /** The headers and every row's texts (times, words) again, in the language now installed. */
    void retranslate();
    /** The Time column's text: the local time, as the language in use writes it short. */
    static QString timeText(const QDateTime &time);

signals:
    /** The store refused an edit: its errorString(), for the user. */
    void storeFailed(const QString &error);

private:
    QImage icon(int row) const;

    HistoryStore *m_store;
    QVector<HistoryRecord> m_records;
    /**
     * Decoded on first display and kept: a JPEG decode per paint would make scrolling a
     * long history stutter, while decoding every thumbnail in setRecords() would make each
     * filter change pay for rows never scrolled to.
     */
    mutable QVector<QImage> m_icons;
    mutable QVector<bool> m_iconDecoded;
    mutable qreal m_iconRatio = 0.0; ///< the density m_icons were made for; another one makes them again
};

} // namespace orchard
