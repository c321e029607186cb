#include "client/core/resultstablemodel.h"

#include <algorithm>
#include <optional>

#include <QBrush>
#include <QColor>
#include <QLocale>

#include "client/core/csvcell.h"
#include "client/core/diagnosistext.h"
#include "client/core/imagebatch.h"

namespace orchard {

namespace {

/** A result as the table and the CSV show it: the last diagnosis, or why it failed. */
struct ResultRow
{
    QString file;
    QString label; ///< empty when the image failed
    bool uncertain = false;
    double confidence = 0.0;
    double milliseconds = 0.0; ///< the server's total for this image
    QString error;
    QString model; ///< the model that answered; empty when the image failed
    std::optional<qint64> modelVersion; ///< servers of one model may not say

    explicit ResultRow(const ImageBatch::Item &item)
        : file(item.image.fileName)
        , error(item.error)
    {
        if (error.isEmpty()) {
            label = item.reply.label;
            uncertain = item.reply.uncertain;
            confidence = item.reply.confidence;
            milliseconds = item.reply.timing.total;
            model = item.reply.model;
            modelVersion = item.reply.modelVersion;
        }
    }

    /** "apple-leaf v3", or the name alone when the server did not say which version. */
    QString modelText() const
    {
        return modelVersion ? ResultsTableModel::tr("%1 v%2").arg(model).arg(*modelVersion) : model;
    }
};

} // namespace

ResultsTableModel::ResultsTableModel(ImageBatch *batch, QObject *parent)
    : QAbstractTableModel(parent)
    , m_batch(batch)
{
    const QList<int> rows = batch->rowsWithResult();
    m_batchRows = QVector<int>(rows.cbegin(), rows.cend());
    connect(batch, &ImageBatch::itemChanged, this, &ResultsTableModel::onItemChanged);
    connect(batch, &ImageBatch::itemsAboutToBeRemoved, this, &ResultsTableModel::onItemsAboutToBeRemoved);
    connect(batch, &ImageBatch::itemsRemoved, this, &ResultsTableModel::onItemsRemoved);
}

void ResultsTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_batchRows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

void ResultsTableModel::onItemsAboutToBeRemoved(int first, int last)
{
    // The batch rows with a result among first..last are one run of table rows (ascending).
    const auto from = std::lower_bound(m_batchRows.cbegin(), m_batchRows.cend(), first);
    const auto to = std::upper_bound(from, m_batchRows.cend(), last);
    m_removing.first = static_cast<int>(from - m_batchRows.cbegin());
    m_removing.last = static_cast<int>(to - m_batchRows.cbegin()) - 1;
    if (m_removing.last >= m_removing.first)
        beginRemoveRows({}, m_removing.first, m_removing.last);
}

void ResultsTableModel::onItemsRemoved(int first, int last)
{
    const bool rowsGo = m_removing.last >= m_removing.first;
    if (rowsGo)
        m_batchRows.remove(m_removing.first, m_removing.last - m_removing.first + 1);
    // The rows behind moved up in the batch; in the table they stay where they were.
    const int removed = last - first + 1;
    for (int &batchRow : m_batchRows) {
        if (batchRow > last)
            batchRow -= removed;
    }
    m_removing = {};
    if (rowsGo)
        endRemoveRows();
}

void ResultsTableModel::onItemChanged(int batchRow)
{
    const auto at = std::lower_bound(m_batchRows.begin(), m_batchRows.end(), batchRow);
    const int row = static_cast<int>(at - m_batchRows.begin());
    if (at != m_batchRows.end() && *at == batchRow) {
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    if (!m_batch->item(batchRow).hasResult)
        return;
    beginInsertRows({}, row, row);
    m_batchRows.insert(row, batchRow);
    endInsertRows();
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_batchRows.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_batchRows.size())
        return {};
    const ResultRow row(m_batch->item(m_batchRows.at(index.row())));
    if (role == Qt::ForegroundRole && !row.error.isEmpty())
        return QBrush(QColor(0xb7, 0x1c, 0x1c));
    if (role == Qt::ToolTipRole && !row.error.isEmpty())
        return row.error;
    if (role == Qt::AccessibleTextRole && index.column() == File)
        // Red says "failed" only to the eye: a screen reader hears it in words.
        return row.error.isEmpty() ? row.file : tr("%1, failed: %2").arg(row.file, row.error);
    if (role == Qt::TextAlignmentRole && (index.column() == Confidence || index.column() == Milliseconds))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case File:
        return row.file;
    case Label:
        return row.error.isEmpty() ? DiagnosisText::label(row.label, row.uncertain) : tr("error: %1").arg(row.error);
    case Confidence:
        return row.error.isEmpty() ? DiagnosisText::percent(row.confidence) : QString();
    case Milliseconds:
        return row.error.isEmpty() ? QLocale().toString(row.milliseconds, 'f', 1) : QString();
    case Model:
        return row.modelText();
    default:
        return {};
    }
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case File:
        return tr("File");
    case Label:
        return tr("Diagnosis");
    case Confidence:
        return tr("Confidence");
    case Milliseconds:
        return tr("ms");
    case Model:
        return tr("Model");
    default:
        return {};
    }
}

QString ResultsTableModel::toCsv() const
{
    QString csv = QStringLiteral("file,label,confidence,ms,error,model,model_version\r\n");
    for (int batchRow : m_batchRows) {
        const ResultRow row(m_batch->item(batchRow));
        csv += csvCell(row.file) + QLatin1Char(',') + csvCell(row.label) + QLatin1Char(',')
                + (row.error.isEmpty() ? QString::number(row.confidence, 'f', 4) : QString()) + QLatin1Char(',')
                + (row.error.isEmpty() ? QString::number(row.milliseconds, 'f', 2) : QString()) + QLatin1Char(',')
                + csvCell(row.error) + QLatin1Char(',') + csvCell(row.model) + QLatin1Char(',')
                + (row.modelVersion ? QString::number(*row.modelVersion) : QString()) + QStringLiteral("\r\n");
    }
    return csv;
}

} // namespace orchard
