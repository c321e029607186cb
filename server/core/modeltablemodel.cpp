#include "server/core/modeltablemodel.h"

#include <algorithm>

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace orchard {

namespace {

/** Dark red: readable on white and on the alternate rows' grey, and unlike any other row. */
const QColor warningColour(176, 32, 32);

bool sameVersion(const ModelStore::VersionStatus &a, const ModelStore::VersionStatus &b)
{
    return a.name == b.name && a.version == b.version;
}

} // namespace

ModelTableModel::ModelTableModel(ModelStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_rows(rowsOf(store->statuses()))
{
    connect(store, &ModelStore::statusChanged, this, &ModelTableModel::refresh);
    m_counterTimer.setInterval(1000);
    connect(&m_counterTimer, &QTimer::timeout, this, &ModelTableModel::refresh);
    m_counterTimer.start();
}

int ModelTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ModelTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QList<ModelTableModel::Row> ModelTableModel::rowsOf(const QList<ModelStore::VersionStatus> &statuses)
{
    QList<Row> rows;
    rows.reserve(statuses.size());
    int unnamed = -1;
    for (const ModelStore::VersionStatus &status : statuses) {
        // isDefault is set on every served version of the default model; statuses() is
        // sorted by name then version, so the last such row is the highest.
        if (status.isDefault && status.state != ModelStore::State::Failed)
            unnamed = static_cast<int>(rows.size());
        rows.append({ status, false });
    }
    if (unnamed >= 0)
        rows[unnamed].answersUnnamed = true;
    return rows;
}

void ModelTableModel::refresh()
{
    QList<Row> next = rowsOf(m_store->statuses());
    const bool sameRows = next.size() == m_rows.size()
            && std::equal(next.cbegin(), next.cend(), m_rows.cbegin(),
                          [](const Row &a, const Row &b) { return sameVersion(a.status, b.status); });
    if (!sameRows) {
        beginResetModel();
        m_rows = std::move(next);
        endResetModel();
        return;
    }
    for (int row = 0; row < m_rows.size(); ++row) {
        const ModelStore::VersionStatus &before = m_rows.at(row).status;
        const ModelStore::VersionStatus &after = next.at(row).status;
        // A new state or reason changes the whole row's colour and font; counters only theirs.
        const bool wholeRow = before.state != after.state || before.reason != after.reason
                || before.isDefault != after.isDefault || m_rows.at(row).answersUnnamed != next.at(row).answersUnnamed;
        const bool counters = before.requests != after.requests || before.meanMs != after.meanMs;
        m_rows[row] = next.at(row);
        if (wholeRow)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        else if (counters)
            emit dataChanged(index(row, Requests), index(row, MeanMs));
    }
}

int ModelTableModel::rowOf(const QString &name, qint64 version) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).status.name == name && m_rows.at(row).status.version == version)
            return row;
    }
    return -1;
}

QVariant ModelTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows.at(index.row());
    const ModelStore::State state = row.status.state;
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::ForegroundRole:
        // A served version whose new files failed: only its Details say so, it still serves.
        if (state == ModelStore::State::Failed
            || (state == ModelStore::State::Ready && index.column() == Details && !row.status.reason.isEmpty()))
            return QBrush(warningColour);
        return {};
    case Qt::FontRole:
        if (state == ModelStore::State::Loading) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Version || index.column() == Requests || index.column() == MeanMs)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant ModelTableModel::display(const Row &row, int column) const
{
    const ModelStore::VersionStatus &status = row.status;
    // A failed version never served, and one loading for the first time not yet.
    const bool served = status.state == ModelStore::State::Ready || status.requests > 0;
    switch (column) {
    case Model:
        return status.name;
    case Version:
        return status.version;
    case State:
        return stateText(row);
    case Requests:
        return served ? QVariant::fromValue<qulonglong>(status.requests) : QVariant(QString());
    case MeanMs:
        return status.requests > 0 ? QLocale().toString(status.meanMs, 'f', 1) : QString();
    case Details:
        // A version loading again after a failure still carries the old reason: that was
        // about other files, so it goes to the tooltip only.
        if (status.state == ModelStore::State::Loading)
            return tr("loading and warming up; requests go on meanwhile");
        return status.reason;
    default:
        return {};
    }
}

QString ModelTableModel::stateText(const Row &row)
{
    // Whole words per state, not ModelStore::stateName(): that is the English of the log
    // and of /metrics, this the window's language.
    switch (row.status.state) {
    case ModelStore::State::Loading:
        return row.answersUnnamed ? tr("loading (default)") : tr("loading");
    case ModelStore::State::Failed:
        return tr("failed");
    case ModelStore::State::Ready:
        break;
    }
    return row.answersUnnamed ? tr("ready (default)") : tr("ready");
}

QVariant ModelTableModel::toolTip(const Row &row, int column) const
{
    const ModelStore::VersionStatus &status = row.status;
    if ((column == State || column == Details) && !status.reason.isEmpty())
        return status.state == ModelStore::State::Loading ? tr("The last load failed: %1").arg(status.reason)
                                                          : status.reason;
    if (column == State && row.answersUnnamed)
        return tr("Requests that name no model get this version of %1, the default model").arg(status.name);
    if (column == State && status.isDefault)
        return tr("A version of %1, the default model; requests that name no model get its highest version")
                .arg(status.name);
    return {};
}

QVariant ModelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == MeanMs)
        return tr("Mean total milliseconds of the requests this version answered");
    if (role == Qt::ToolTipRole && section == Requests)
        return tr("Requests this version answered since it was loaded");
    if (role == Qt::ToolTipRole && section == State)
        return tr("ready: serving; loading: being loaded and warmed up; failed: could not be loaded. "
                  "(default): what requests that name no model get");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Model:
        return tr("Model");
    case Version:
        return tr("Version");
    case State:
        return tr("State");
    case Requests:
        return tr("Requests");
    case MeanMs:
        return tr("Mean ms");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

void ModelTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

} // namespace orchard
