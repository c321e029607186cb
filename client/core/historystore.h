#pragma once

#include <optional>

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>

#include "client/core/historyrecord.h"

class QSqlError;

namespace orchard {

/** Which history records to list: every condition given must hold. */
struct HistoryFilter
{
    std::optional<QDate> since; ///< on or after this local date
    std::optional<QDate> until; ///< on or before this local date
    QString label; ///< exactly this label; empty: any
    QString tag; ///< exactly this tag; empty: any
    bool uncertainOnly = false;
    /** Words found in the note or the file path, case-insensitively (ASCII); empty: any. */
    QString text;
    int limit = 0; ///< at most this many, newest first; 0: all
};

/**
 * The farmer's history of diagnoses: an SQLite file through Qt SQL (QSQLITE), shared by
 * the desktop client and orchard-cli, at defaultPath() unless told otherwise.
 *
 * The schema is versioned (PRAGMA user_version) and migrated step by step on open, so a
 * history written by an older Orchard is kept. WAL journal, so that a reader never blocks
 * the writer and the CLI and the window can both write; each write is one short
 * transaction, and a writer waits up to kBusyTimeoutMs for the other before giving up.
 *
 * Nothing here throws or stops the program: a damaged, locked, unwritable or too-new file
 * makes open() or the write return false, and errorString() says so in words a farmer can
 * act on; the caller goes on without history.
 *
 * One store belongs to the thread that made it (Qt SQL's rule for connections).
 */
class HistoryStore
{
public:
    /** The schema this Orchard writes; open() migrates older files up to it. */
    static constexpr int kSchemaVersion = 2;
    /** How long a write waits for another program's transaction before it is given up. */
    static constexpr int kBusyTimeoutMs = 2000;

    /**
     * The desktop client's AppDataLocation + "history.sqlite"
     * (~/.local/share/Orchard/orchard-client/history.sqlite), orchard-cli using the same
     * file; the environment variable ORCHARD_HISTORY, when set, names another.
     */
    static QString defaultPath();

    explicit HistoryStore(const QString &path = defaultPath());
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    /** Opens (creating the file and its folder) and migrates; false and errorString() when it cannot. */
    bool open();
    bool isOpen() const;
    void close();
    QString path() const { return m_path; }
    /** What went wrong last, in words; empty after a success. */
    QString errorString() const { return m_error; }
    /** The file's schema version as found on open (0: a new file). */
    int foundSchemaVersion() const { return m_foundVersion; }

    /** Stores a record; its id, or nullopt and errorString(). */
    std::optional<qint64> add(const HistoryRecord &record);
    /** Stores several in one transaction (a plant's photos): all or none. Fills in their ids. */
    bool addAll(QVector<HistoryRecord> &records);
    /** Gives already stored records one plant group and its verdict. */
    bool setPlantGroup(const QList<qint64> &ids, const QString &group, const QString &summary);
    bool setTagAndNote(qint64 id, const QString &tag, const QString &note);
    /** Deletes the records; false when the database refused (ids not found are no error). */
    bool remove(const QList<qint64> &ids);

    /** Matching records, newest first (thumbnails included). */
    QVector<HistoryRecord> find(const HistoryFilter &filter = {});
    std::optional<HistoryRecord> record(qint64 id);
    /** The records of a plant group, in the order stored. */
    QVector<HistoryRecord> plantGroup(const QString &group);
    /** Every tag and label used so far, sorted, for the filters' choices. */
    QStringList tags();
    QStringList labels();

    /**
     * RFC 4180 CSV of the records: time (local ISO 8601), file, label, confidence,
     * uncertain, quality_warnings, model, model_version, tag, note, plant_group,
     * plant_summary, top_k ("Scab 0.912; Rust 0.051"). A cell beginning with = + - @, a tab
     * or a carriage return gets a leading apostrophe so that a spreadsheet never runs it
     * as a formula (CSV injection).
     */
    static QString toCsv(const QVector<HistoryRecord> &records);
    /** toCsv() written atomically through QSaveFile; false and *error in words when it cannot. */
    static bool exportCsv(const QVector<HistoryRecord> &records, const QString &path, QString *error);

private:
    bool migrate();
    /** The records a SELECT of every column finds, its ? bound to values in order. */
    QVector<HistoryRecord> select(const QString &sql, const QVariantList &values);
    bool fail(const QString &what, const QSqlError &error);
    QString m_path;
    QString m_connectionName;
    QString m_error;
    int m_foundVersion = 0;
};

} // namespace orchard
