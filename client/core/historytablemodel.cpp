#include "client/core/historytablemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include "client/core/diagnosistext.h"
#include "client/core/historystore.h"
#include "client/core/imageloader.h"

namespace orchard {

HistoryTableModel::HistoryTableModel(HistoryStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
}

void HistoryTableModel::setRecords(const QVector<HistoryRecord> &records)
{
    beginResetModel();
    m_records = records;
    m_icons = QVector<QImage>(records.size());
    m_iconDecoded = QVector<bool>(records.size(), false);
    endResetModel();
}

int HistoryTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).id == id)
            return row;
    }
    return -1;
}

int HistoryTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

int HistoryTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QImage HistoryTableModel::icon(int row) const
{
    // data() runs on the GUI thread. A window moved to a screen of another density makes
    // the icons again, sharp there.
    const qreal ratio = ImageLoader::screenPixelRatio();
    if (ratio != m_iconRatio) {
        m_iconRatio = ratio;
        m_icons.fill(QImage());
        m_iconDecoded.fill(false);
    }
    if (!m_iconDecoded.at(row)) {
        m_iconDecoded[row] = true;
        m_icons[row] = ImageLoader::thumbnail(m_records.at(row).thumbnailImage(), kIconSide, ratio);
    }
    return m_icons.at(row);
}

void HistoryTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_records.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

QString HistoryTableModel::timeText(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QVariant HistoryTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const HistoryRecord &record = m_records.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case Time:
            return timeText(record.time);
        case File:
            return QFileInfo(record.filePath).fileName();
        case Diagnosis:
            if (role == Qt::DisplayRole && !record.plantGroup.isEmpty())
                return tr("%1 (plant)").arg(DiagnosisText::label(record.label, record.uncertain));
            return DiagnosisText::label(record.label, record.uncertain);
        case Confidence:
            return DiagnosisText::percent(record.confidence);
        case Warnings: {
            QStringList words;
            for (const QString &warning : record.qualityWarnings)
                words.append(DiagnosisText::warningWord(warning));
            return words.join(tr(", ", "between quality warnings"));
        }
        case Tag:
            return record.tag;
        case Note:
            // One line in the table: the whole note is in the detail pane and the tooltip.
            return role == Qt::DisplayRole ? record.note.section(QLatin1Char('\n'), 0, 0) : record.note;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == File) {
            const QImage image = icon(index.row());
            if (!image.isNull())
                return image;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == File)
            return QDir::toNativeSeparators(record.filePath);
        if (index.column() == Diagnosis && !record.plantSummary.isEmpty())
            return tr("Diagnosed as one plant: %1").arg(record.plantSummary);
        if (index.column() == Note && !record.note.isEmpty())
            return record.note;
        if (index.column() == Time)
            return QLocale().toString(record.time.toLocalTime(), QLocale::LongFormat);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Confidence)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case File:
        return tr("File");
    case Diagnosis:
        return tr("Diagnosis");
    case Confidence:
        return tr("Confidence");
    case Warnings:
        return tr("Warnings");
    case Tag:
        return tr("Tag");
    case Note:
        return tr("Note");
    }
    return {};
}

Qt::ItemFlags HistoryTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && m_store && (index.column() == Tag || index.column() == Note))
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool HistoryTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_records.size())
        return false;
    const HistoryRecord &record = m_records.at(index.row());
    if (index.column() == Tag)
        return setTagAndNote(index.row(), value.toString().trimmed(), record.note);
    if (index.column() == Note)
        return setTagAndNote(index.row(), record.tag, value.toString());
    return false;
}

bool HistoryTableModel::setTagAndNote(int row, const QString &tag, const QString &note)
{
    if (!m_store || row < 0 || row >= m_records.size())
        return false;
    HistoryRecord &record = m_records[row];
    if (record.tag == tag && record.note == note)
        return true;
    if (!m_store->setTagAndNote(record.id, tag, note)) {
        emit storeFailed(m_store->errorString());
        return false;
    }
    record.tag = tag;
    record.note = note;
    emit dataChanged(index(row, Tag), index(row, Note));
    return true;
}

} // namespace orchard
