#include "server/core/sessiontablemodel.h"

#include <algorithm>

#include <QBrush>
#include <QColor>
#include <QHash>
#include <QLocale>
#include <QTimer>

#include "server/core/serverevents.h"

namespace orchard {

SessionTableModel::SessionTableModel(ServerEvents *events, QObject *parent)
    : QAbstractTableModel(parent)
{
    m_clock.start();
    connect(&m_sweep, &QTimer::timeout, this, &SessionTableModel::removeExpiredRows);
    connect(events, &ServerEvents::connectionQueued, this,
            [this](quint64 id, const QString &peer, int position) {
                place(id, peer, SessionState::Waiting, position);
            });
    connect(events, &ServerEvents::waitingLineChanged, this, &SessionTableModel::updateQueuePositions);
    connect(events, &ServerEvents::waitingConnectionLeft, this,
            [this](quint64 id) { close(id, QString(), true); });
    connect(events, &ServerEvents::sessionStarted, this,
            [this](quint64 id, const QString &peer, double) { place(id, peer, SessionState::Active, 0); });
    connect(events, &ServerEvents::sessionAuthenticated, this, [this](quint64 id, const QString &label) {
        const int row = indexOf(id);
        if (row < 0)
            return;
        m_rows[row].user = label;
        rowChanged(row);
    });
    connect(events, &ServerEvents::predictionServed, this,
            [this](quint64 id, const QString &, double, double latencyMs) {
                const int row = indexOf(id);
                if (row < 0)
                    return;
                ++m_rows[row].images;
                m_rows[row].lastMs = latencyMs;
                m_rows[row].totalMs += latencyMs;
                rowChanged(row);
            });
    connect(events, &ServerEvents::sessionEnded, this,
            [this](quint64 id, const QString &reason) { close(id, reason); });
}

int SessionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    if (role == Qt::ForegroundRole && row.state == SessionState::Closed)
        return QBrush(QColor(Qt::gray));
    if (role == Qt::ToolTipRole && row.state == SessionState::Closed)
        return closedText(row);
    if (role == Qt::TextAlignmentRole && index.column() != Peer && index.column() != State
        && index.column() != User)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case Id:
        return QStringLiteral("#%1").arg(row.id);
    case Peer:
        return row.peer;
    case User:
        return row.user;
    case State:
        switch (row.state) {
        case SessionState::Waiting:
            return tr("waiting");
        case SessionState::Active:
            return tr("active");
        case SessionState::Closed:
            return tr("closed");
        }
        return {};
    case QueuePosition:
        return row.queuePosition > 0 ? QVariant(row.queuePosition) : QVariant(QString());
    case ConnectedSince:
        return QLocale().toString(row.connectedSince, QStringLiteral("HH:mm:ss"));
    case Images:
        return row.images;
    case LastMs:
        return row.images > 0 ? QLocale().toString(row.lastMs, 'f', 1) : QString();
    case MeanMs:
        return row.images > 0 ? QLocale().toString(row.totalMs / row.images, 'f', 1) : QString();
    default:
        return {};
    }
}

QString SessionTableModel::closedText(const Row &row)
{
    if (row.leftWhileWaiting)
        return tr("Closed: left while waiting");
    if (row.endReason == QLatin1String("offline"))
        return tr("Closed: the client went offline");
    // Any other reason is the session's own sentence, in English as in the log.
    return tr("Closed: %1").arg(row.endReason);
}

QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        // The titles are short; these say what the columns count.
        switch (section) {
        case User:
            return tr("The label of the access token the client proved it holds");
        case State:
            return tr("waiting: for a free worker; active: being served; closed: gone, shown for a few seconds");
        case QueuePosition:
            return tr("Place in the line of connections waiting for a worker");
        case ConnectedSince:
            return tr("When the client connected");
        case Images:
            return tr("Images classified for this session");
        case LastMs:
            return tr("Milliseconds the latest image took, end to end");
        case MeanMs:
            return tr("Mean milliseconds of this session's images");
        default:
            return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Session");
    case Peer:
        return tr("Peer");
    case User:
        return tr("Token");
    case State:
        return tr("State");
    case QueuePosition:
        return tr("Queue");
    case ConnectedSince:
        return tr("Since");
    case Images:
        return tr("Images");
    case LastMs:
        return tr("Last ms");
    case MeanMs:
        return tr("Mean ms");
    default:
        return {};
    }
}

void SessionTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

const SessionTableModel::Row *SessionTableModel::rowFor(quint64 sessionId) const
{
    const int row = indexOf(sessionId);
    return row < 0 ? nullptr : &m_rows[row];
}

int SessionTableModel::countInState(SessionState state) const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(),
                                          [state](const Row &row) { return row.state == state; }));
}

int SessionTableModel::indexOf(quint64 sessionId) const
{
    return m_rowOf.value(sessionId, -1);
}

int SessionTableModel::ensureRow(quint64 sessionId, const QString &peer)
{
    const int existing = indexOf(sessionId);
    if (existing >= 0)
        return existing;
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    Row added;
    added.id = sessionId;
    added.peer = peer;
    added.connectedSince = QDateTime::currentDateTime();
    m_rows.append(added);
    m_rowOf.insert(sessionId, row);
    endInsertRows();
    return row;
}

void SessionTableModel::place(quint64 sessionId, const QString &peer, SessionState state, int queuePosition)
{
    const int row = ensureRow(sessionId, peer);
    m_rows[row].state = state;
    m_rows[row].queuePosition = queuePosition;
    rowChanged(row);
}

void SessionTableModel::updateQueuePositions(const QList<quint64> &sessionIds)
{
    // The line changes with every arrival and departure and may be thousands long: one pass
    // over the rows and one dataChanged for the column, not a search and a signal per row.
    QHash<quint64, int> positions;
    positions.reserve(sessionIds.size());
    for (int i = 0; i < sessionIds.size(); ++i)
        positions.insert(sessionIds[i], i + 1);
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].state != SessionState::Waiting)
            continue;
        const int position = positions.value(m_rows[row].id, 0);
        if (m_rows[row].queuePosition == position)
            continue;
        m_rows[row].queuePosition = position;
        first = first < 0 ? row : first;
        last = row;
    }
    if (first >= 0)
        emit dataChanged(index(first, QueuePosition), index(last, QueuePosition));
}

void SessionTableModel::rowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void SessionTableModel::close(quint64 sessionId, const QString &reason, bool leftWhileWaiting)
{
    const int row = indexOf(sessionId);
    if (row < 0)
        return;
    m_rows[row].state = SessionState::Closed;
    m_rows[row].queuePosition = 0;
    m_rows[row].endReason = reason;
    m_rows[row].leftWhileWaiting = leftWhileWaiting;
    m_rows[row].closedAtMs = m_clock.elapsed();
    rowChanged(row);
    if (!m_sweep.isActive()) // a sweep at most every tenth of the linger (and of a second)
        m_sweep.start(std::clamp(m_closedRowLingerMs / 10, 0, 1000));
}

void SessionTableModel::removeExpiredRows()
{
    const qint64 now = m_clock.elapsed();
    const auto expired = [this, now](int row) {
        return m_rows[row].state == SessionState::Closed && now - m_rows[row].closedAtMs >= m_closedRowLingerMs;
    };
    bool lingering = false;
    // From the back, one removal per run of expired rows, so the rows before stay put.
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
        if (!expired(row)) {
            lingering = lingering || m_rows[row].state == SessionState::Closed;
            continue;
        }
        int first = row;
        while (first > 0 && expired(first - 1))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first;
    }
    m_rowOf.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows[row].id, row);
    if (!lingering)
        m_sweep.stop();
}

} // namespace orchard
