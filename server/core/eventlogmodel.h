#pragma once

#include <deque>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

namespace orchard {

class ServerEvents;

/**
 * The server's event log: one entry per thing that happened, in the words of the
 * original's status lines (connected, queued, worker assigned, prediction, offline,
 * error, timeout), with a timestamp, the session and its peer.
 *
 * The monitor shows it as a filterable table; headless mode prints each entry's line()
 * to stdout (and the log file) through entryAdded.
 */
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Session, Peer, Event, Details, ColumnCount };
    static constexpr int kMaxEntries = 10'000;
    /** Characters of details an entry keeps; every error message we write is shorter. */
    static constexpr int kMaxDetails = 400;

    struct Entry
    {
        QDateTime time;
        quint64 sessionId = 0; ///< 0: the server itself
        QString peer;
        QString event; ///< one word: listening, queued, started, prediction, error…
        QString details;

        /** "2026-11-24 10:00:00.123 #3 127.0.0.1:50000 prediction Ankle boot 98.1% 0.6 ms" */
        QString line() const;
    };

    explicit EventLogModel(ServerEvents *events, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const Entry &entry(int row) const { return m_entries[static_cast<size_t>(row)]; }
    void add(quint64 sessionId, const QString &event, const QString &details);

signals:
    void entryAdded(const orchard::EventLogModel::Entry &entry);

private:
    std::deque<Entry> m_entries;
    QHash<quint64, QString> m_peers;
};

} // namespace orchard
