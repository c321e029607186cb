#include "resultstablemodel.h"

#include <QBrush>
#include <QColor>

namespace orchard {

namespace {

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && !row.error.isEmpty())
        return QBrush(QColor(0xb7, 0x1c, 0x1c));
    if (role == Qt::ToolTipRole && !row.error.isEmpty())
        return row.error;
    if (role == Qt::TextAlignmentRole && (index.column() == Confidence || index.column() == Milliseconds))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case File:
        return row.file;
    case Label:
        return row.error.isEmpty() ? row.label : tr("error: %1").arg(row.error);
    case Confidence:
        return row.error.isEmpty() ? QStringLiteral("%1 %").arg(row.confidence * 100.0, 0, 'f', 1) : QString();
    case Milliseconds:
        return row.error.isEmpty() ? QString::number(row.milliseconds, 'f', 1) : QString();
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
    default:
        return {};
    }
}

void ResultsTableModel::setResult(const Row &row)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].file == row.file) {
            m_rows[i] = row;
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
            return;
        }
    }
    beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size()));
    m_rows.append(row);
    endInsertRows();
}

void ResultsTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString ResultsTableModel::toCsv() const
{
    QString csv = QStringLiteral("file,label,confidence,ms,error\r\n");
    for (const Row &row : m_rows) {
        csv += csvField(row.file) + QLatin1Char(',') + csvField(row.label) + QLatin1Char(',')
                + (row.error.isEmpty() ? QString::number(row.confidence, 'f', 4) : QString()) + QLatin1Char(',')
                + (row.error.isEmpty() ? QString::number(row.milliseconds, 'f', 2) : QString()) + QLatin1Char(',')
                + csvField(row.error) + QStringLiteral("\r\n");
    }
    return csv;
}

} // namespace orchard
