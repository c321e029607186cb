#pragma once

#include <QAbstractTableModel>
#include <QVector>

namespace orchard {

class ImageBatch;

/**
 * The results table's view of an ImageBatch: one row per image that has a result (a
 * diagnosis or an error), in batch order, exportable to CSV. A re-run updates its row; an
 * image taken out of the batch takes its row with it. Table rows are not batch rows (images
 * without a result have none): batchRow() maps one to the other.
 */
class ResultsTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { File, Label, Confidence, Milliseconds, Model, ColumnCount };

    explicit ResultsTableModel(ImageBatch *batch, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /** The batch row shown in table row `row`. */
    int batchRow(int row) const { return m_batchRows.at(row); }

    /** The headers and every row's texts again, in the language now installed. */
    void retranslate();

    /**
     * RFC 4180 CSV: header `file,label,confidence,ms,error,model,model_version`, quoted where
     * needed. The model's two columns come last, so readers of the first five still work.
     * Machine-readable whatever language the window speaks: English header, '.' decimals.
     */
    QString toCsv() const;

private:
    void onItemChanged(int batchRow);
    void onItemsAboutToBeRemoved(int first, int last);
    void onItemsRemoved(int first, int last);

    /** Table rows first..last, inclusive; none when last < first. */
    struct RowRange
    {
        int first = 0;
        int last = -1;
    };

    ImageBatch *m_batch;
    QVector<int> m_batchRows; ///< batch rows with a result, ascending
    RowRange m_removing; ///< the table rows going while the batch removes a range
};

} // namespace orchard
