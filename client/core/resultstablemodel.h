#pragma once

#include <QAbstractTableModel>
#include <QVector>

namespace orchard {

/** The batch results table: one row per image with its diagnosis, exportable to CSV. */
class ResultsTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { File, Label, Confidence, Milliseconds, ColumnCount };

    struct Row
    {
        QString file;
        QString label; ///< empty when the image failed
        double confidence = 0.0;
        double milliseconds = 0.0; ///< the server's total for this image
        QString error;
    };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /** Adds a row, or replaces the row for the same file (a re-run of one image). */
    void setResult(const Row &row);
    void clear();
    const Row &row(int index) const { return m_rows.at(index); }

    /** RFC 4180 CSV: header `file,label,confidence,ms,error`, quoted where needed. */
    QString toCsv() const;

private:
    QVector<Row> m_rows;
};

} // namespace orchard
