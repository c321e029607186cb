#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>
#include <QVector>

namespace orchard {

class ServerEvents;

/**
 * One row per connection the server knows: waiting, active, or recently closed.
 *
 * Fed by ServerEvents. Closed rows stay for closedRowLinger() so lab staff see who just
 * left and why, then disappear.
 */
class SessionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Peer, User, State, QueuePosition, ConnectedSince, Images, LastMs, MeanMs, ColumnCount };
    enum class SessionState { Waiting, Active, Closed };

    struct Row
    {
        quint64 id = 0;
        QString peer;
        QString user; ///< the access token's label, once the client proved it
        SessionState state = SessionState::Waiting;
        int queuePosition = 0; ///< 1-based while waiting, 0 otherwise
        QDateTime connectedSince;
        int images = 0;
        double lastMs = 0.0;
        double totalMs = 0.0;
        QString endReason; ///< the server's words (English), as the log has them
        bool leftWhileWaiting = false; ///< hung up before a worker took it (endReason empty)
        qint64 closedAtMs = 0; ///< on the model's clock, once Closed
    };

    explicit SessionTableModel(ServerEvents *events, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /** After a language switch: the titles and every row's texts changed. */
    void retranslate();

    const Row *rowFor(quint64 sessionId) const;
    int countInState(SessionState state) const;

    int closedRowLinger() const { return m_closedRowLingerMs; }
    void setClosedRowLinger(int milliseconds) { m_closedRowLingerMs = milliseconds; }

private:
    int indexOf(quint64 sessionId) const;
    int ensureRow(quint64 sessionId, const QString &peer);
    /** The session's row (made if new) is now in this state and place in the line. */
    void place(quint64 sessionId, const QString &peer, SessionState state, int queuePosition);
    void updateQueuePositions(const QList<quint64> &sessionIds);
    void rowChanged(int row);
    void close(quint64 sessionId, const QString &reason, bool leftWhileWaiting = false);
    /** The tooltip of a closed row: how it ended, in the current language where the words are ours. */
    static QString closedText(const Row &row);
    /** Removes every closed row whose linger is over, then re-indexes once. */
    void removeExpiredRows();

    QVector<Row> m_rows;
    QHash<quint64, int> m_rowOf; ///< session id → row
    int m_closedRowLingerMs = 10'000;
    QElapsedTimer m_clock;
    /**
     * One timer for all lingering rows. A timer and a vector erase per closed row, plus a
     * search of all rows per event, made draining 10,000 waiting clients quadratic: 12 % of
     * the server's CPU and 200 ms stalls of the GUI thread.
     */
    QTimer m_sweep;
};

} // namespace orchard
