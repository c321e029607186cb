#pragma once

#include <deque>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>

namespace orchard {

class ServerEvents;

/**
 * The server's event log: one entry per thing that happened, in the words of the
 * original's status lines (connected, queued, worker assigned, prediction, offline,
 * error, timeout), with a timestamp, the session and its peer.
 *
 * The monitor shows it as a filterable table; headless mode prints each entry's line()
 * (or, with --log-format json, its toJson()) to stdout and the log file through entryAdded
 * (ServerLog). Each entry carries its event's facts as fields too, so a machine reading
 * the JSON need not parse the sentence.
 *
 * The details stay in English whatever language the monitor speaks: they are what the
 * journal and the log file get, and what an operator searches for. The column titles and
 * the Event column's words are the model's own and follow the language (retranslate()).
 */
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Session, Peer, Event, Details, ColumnCount };
    enum Role {
        /** What a filter matches: the text shown and, for the event, its English word too. */
        FilterTextRole = Qt::UserRole + 1,
    };
    static constexpr int kMaxEntries = 10'000;
    /** Characters of details an entry keeps; every error message we write is shorter. */
    static constexpr int kMaxDetails = 400;

    /** Info: the server working as it should; Warning: a client or a setting went wrong; Error: the server did. */
    enum class Level { Info, Warning, Error };
    static QString levelName(Level level);

    struct Entry
    {
        QDateTime time;
        quint64 sessionId = 0; ///< 0: the server itself
        QString peer;
        QString event; ///< one word: listening, queued, started, prediction, error…
        QString details;
        Level level = Level::Info;
        /** The event's facts by name ("label", "confidence", "latency_ms"…), for toJson(). */
        QJsonObject fields;

        /** "2026-11-24 10:00:00.123 #3 127.0.0.1:50000 prediction Ankle boot 98.1% 0.6 ms" */
        QString line() const;
        /**
         * One JSON object on one line: time (ISO 8601, UTC, milliseconds), level, event,
         * session and peer (for a session's events), model, message (the details), then the
         * fields. A field named like one of those is left out rather than repeated.
         */
        QByteArray toJson(const QString &model) const;
    };

    explicit EventLogModel(ServerEvents *events, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /** The Event column's word for event ("queued") in the current language; unknown ones as they are. */
    static QString eventText(const QString &event);
    /** After a language switch: the titles and every row's texts changed. */
    void retranslate();

    const Entry &entry(int row) const { return m_entries[static_cast<size_t>(row)]; }
    void add(quint64 sessionId, const QString &event, const QString &details, const QJsonObject &fields = {},
             Level level = Level::Info);

signals:
    void entryAdded(const orchard::EventLogModel::Entry &entry);

private:
    std::deque<Entry> m_entries;
    QHash<quint64, QString> m_peers;
};

} // namespace orchard
