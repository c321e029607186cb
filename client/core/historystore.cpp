#include "client/core/historystore.h"

#include <QAtomicInteger>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QVariant>

#include "client/core/csvcell.h"

namespace orchard {

namespace {

/**
 * The schema, one step per version: step i takes a file from version i to i + 1. A step is
 * never edited once shipped; a change is a new step, so every older history migrates.
 * 1: the diagnoses themselves. 2: the farmer's note and the plant group of photos
 * diagnosed together, and an index for the tag filter.
 */
const QList<QStringList> &migrationSteps()
{
    static const QList<QStringList> steps = {
        {QStringLiteral("CREATE TABLE diagnoses ("
                        " id INTEGER PRIMARY KEY,"
                        " created_at TEXT NOT NULL," // ISO 8601 UTC with ms: sorts as text
                        " file_path TEXT NOT NULL,"
                        " thumbnail BLOB,"
                        " model TEXT NOT NULL,"
                        " model_version INTEGER,"
                        " label TEXT NOT NULL,"
                        " label_index INTEGER NOT NULL,"
                        " confidence REAL NOT NULL,"
                        " top_k TEXT NOT NULL," // JSON [{label, index, score}]
                        " quality_warnings TEXT NOT NULL DEFAULT ''," // comma-separated
                        " sharpness REAL,"
                        " brightness REAL,"
                        " uncertain INTEGER NOT NULL DEFAULT 0,"
                        " tag TEXT NOT NULL DEFAULT '',"
                        " source TEXT NOT NULL DEFAULT 'desktop')"),
         QStringLiteral("CREATE INDEX diagnoses_created_at ON diagnoses(created_at)")},
        {QStringLiteral("ALTER TABLE diagnoses ADD COLUMN note TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE diagnoses ADD COLUMN plant_group TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE diagnoses ADD COLUMN plant_summary TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("CREATE INDEX diagnoses_tag ON diagnoses(tag)")},
    };
    return steps;
}

const QString kColumns = QStringLiteral(
        "id, created_at, file_path, thumbnail, model, model_version, label, label_index, confidence, top_k,"
        " quality_warnings, sharpness, brightness, uncertain, tag, source, note, plant_group, plant_summary");

QString topKJson(const QVector<LabelScore> &topK)
{
    return QString::fromUtf8(QJsonDocument(HistoryRecord::topKJson(topK)).toJson(QJsonDocument::Compact));
}

QVector<LabelScore> topKOfJson(const QString &text)
{
    QVector<LabelScore> topK;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        topK.append({object.value(QStringLiteral("label")).toString(), object.value(QStringLiteral("index")).toInt(),
                     object.value(QStringLiteral("score")).toDouble()});
    }
    return topK;
}

QString timeText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

HistoryRecord recordOf(const QSqlQuery &query)
{
    HistoryRecord record;
    record.id = query.value(0).toLongLong();
    record.time = QDateTime::fromString(query.value(1).toString(), Qt::ISODateWithMs);
    record.filePath = query.value(2).toString();
    record.thumbnail = query.value(3).toByteArray();
    record.model = query.value(4).toString();
    if (!query.value(5).isNull())
        record.modelVersion = query.value(5).toLongLong();
    record.label = query.value(6).toString();
    record.index = query.value(7).toInt();
    record.confidence = query.value(8).toDouble();
    record.topK = topKOfJson(query.value(9).toString());
    const QString warnings = query.value(10).toString();
    if (!warnings.isEmpty())
        record.qualityWarnings = warnings.split(QLatin1Char(','));
    if (!query.value(11).isNull())
        record.sharpness = query.value(11).toDouble();
    if (!query.value(12).isNull())
        record.brightness = query.value(12).toDouble();
    record.uncertain = query.value(13).toInt() != 0;
    record.tag = query.value(14).toString();
    record.source = query.value(15).toString() == QLatin1String("cli") ? HistoryRecord::Source::Cli
                                                                       : HistoryRecord::Source::Desktop;
    record.note = query.value(16).toString();
    record.plantGroup = query.value(17).toString();
    record.plantSummary = query.value(18).toString();
    return record;
}

/** A null QString binds as SQL NULL, which the NOT NULL text columns refuse: bind '' instead. */
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant optionalValue(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

} // namespace

QString HistoryStore::defaultPath()
{
    const QString fromEnvironment = qEnvironmentVariable("ORCHARD_HISTORY");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // The desktop client's AppDataLocation, spelled out so that orchard-cli (another
    // application name) finds the same file.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/Orchard/orchard-client/history.sqlite");
}

HistoryStore::HistoryStore(const QString &path)
    : m_path(path)
{
    static QAtomicInteger<quint64> counter;
    m_connectionName = QStringLiteral("orchard-history-%1").arg(counter.fetchAndAddRelaxed(1));
}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && QSqlDatabase::database(m_connectionName, false).isOpen();
}

void HistoryStore::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool HistoryStore::fail(const QString &what, const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    QString why = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    // SQLite's result codes (sqlite3.h): 5 BUSY, 6 LOCKED, 11 CORRUPT, 26 NOTADB, 8 READONLY, 13 FULL.
    if (code == QLatin1String("5") || code == QLatin1String("6"))
        why = QStringLiteral("another Orchard program kept the history busy for more than %1 s").arg(kBusyTimeoutMs / 1000.0);
    else if (code == QLatin1String("11") || code == QLatin1String("26"))
        why = QStringLiteral("the file %1 is damaged or is not an Orchard history; move it away to start a new one")
                      .arg(QDir::toNativeSeparators(m_path));
    else if (code == QLatin1String("8"))
        why = QStringLiteral("the file %1 cannot be written").arg(QDir::toNativeSeparators(m_path));
    else if (code == QLatin1String("13"))
        why = QStringLiteral("the disk is full");
    m_error = QStringLiteral("%1: %2").arg(what, why);
    return false;
}

bool HistoryStore::open()
{
    m_error.clear();
    if (isOpen())
        return true;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        m_error = QStringLiteral("Qt's SQLite driver is not installed (Debian package libqt6sql6-sqlite)");
        return false;
    }
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        m_error = QStringLiteral("Cannot create the folder %1 for the history").arg(QDir::toNativeSeparators(info.absolutePath()));
        return false;
    }
    bool opened = false;
    {
        // Scoped: close() removes the connection, which Qt refuses while a handle is alive.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        opened = db.open();
        if (!opened)
            fail(QStringLiteral("Cannot open the history"), db.lastError());
    }
    if (!opened || !migrate()) {
        close();
        return false;
    }
    return true;
}

bool HistoryStore::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    // WAL: the CLI and the window both write, and a reader never blocks the writer.
    // Switching a new file to WAL needs its exclusive lock, and SQLite answers BUSY at
    // once, without its busy handler, when two connections that both read the header
    // try to upgrade together (its deadlock rule): three programs opening one new file
    // failed here about once in 200 rounds under ASan. So retry for the same time a
    // writer would wait; the pause gives the winner time to finish its switch.
    const QDeadlineTimer walDeadline(kBusyTimeoutMs);
    while (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL"))) {
        const QString code = query.lastError().nativeErrorCode();
        const bool busy = code == QLatin1String("5") || code == QLatin1String("6");
        if (!busy || walDeadline.hasExpired())
            return fail(QStringLiteral("Cannot open the history"), query.lastError());
        QThread::msleep(5);
    }
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return fail(QStringLiteral("Cannot read the history"), query.lastError());
    m_foundVersion = query.value(0).toInt();
    if (m_foundVersion > kSchemaVersion) {
        m_error = QStringLiteral("The history %1 was written by a newer Orchard (schema %2; this one knows %3); "
                                 "it is left as it is")
                          .arg(QDir::toNativeSeparators(m_path))
                          .arg(m_foundVersion)
                          .arg(kSchemaVersion);
        return false;
    }
    const QList<QStringList> &steps = migrationSteps();
    // Each step in its own transaction, with the version it reaches: a step that fails
    // leaves the file at the last version it completed. BEGIN IMMEDIATE takes the write
    // lock first (waiting out another program's, QSQLITE_BUSY_TIMEOUT) and the version is
    // read again inside it: two programs that find a new, empty file at the same moment
    // (the window and orchard-cli at first start) then migrate it once, one after the
    // other, where a deferred BEGIN let both run step 1 and the second fail on it.
    for (;;) {
        if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return fail(QStringLiteral("Cannot update the history"), query.lastError());
        if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
            const QSqlError error = query.lastError();
            query.exec(QStringLiteral("ROLLBACK"));
            return fail(QStringLiteral("Cannot read the history"), error);
        }
        const int version = query.value(0).toInt();
        query.finish();
        if (version >= kSchemaVersion) {
            query.exec(QStringLiteral("COMMIT"));
            return true;
        }
        for (const QString &statement : steps.at(version)) {
            if (!query.exec(statement)) {
                const QSqlError error = query.lastError();
                query.exec(QStringLiteral("ROLLBACK"));
                return fail(QStringLiteral("Cannot update the history"), error);
            }
        }
        if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1))
            || !query.exec(QStringLiteral("COMMIT"))) {
            const QSqlError error = query.lastError();
            query.exec(QStringLiteral("ROLLBACK"));
            return fail(QStringLiteral("Cannot update the history"), error);
        }
    }
}

std::optional<qint64> HistoryStore::add(const HistoryRecord &record)
{
    QVector<HistoryRecord> one{record};
    if (!addAll(one))
        return std::nullopt;
    return one.front().id;
}

bool HistoryStore::addAll(QVector<HistoryRecord> &records)
{
    m_error.clear();
    if (!isOpen()) {
        m_error = QStringLiteral("The history is not open");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return fail(QStringLiteral("Cannot save to the history"), db.lastError());
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO diagnoses (created_at, file_path, thumbnail, model, model_version, label,"
                                 " label_index, confidence, top_k, quality_warnings, sharpness, brightness, uncertain,"
                                 " tag, source, note, plant_group, plant_summary)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    QList<qint64> ids;
    for (const HistoryRecord &record : records) {
        query.addBindValue(timeText(record.time.isValid() ? record.time : QDateTime::currentDateTimeUtc()));
        query.addBindValue(text(record.filePath));
        query.addBindValue(record.thumbnail.isEmpty() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(record.thumbnail));
        query.addBindValue(text(record.model));
        query.addBindValue(record.modelVersion ? QVariant(*record.modelVersion) : QVariant(QMetaType(QMetaType::LongLong)));
        query.addBindValue(text(record.label));
        query.addBindValue(record.index);
        query.addBindValue(record.confidence);
        query.addBindValue(topKJson(record.topK));
        query.addBindValue(text(record.qualityWarnings.join(QLatin1Char(','))));
        query.addBindValue(optionalValue(record.sharpness));
        query.addBindValue(optionalValue(record.brightness));
        query.addBindValue(record.uncertain ? 1 : 0);
        query.addBindValue(text(record.tag));
        query.addBindValue(HistoryRecord::sourceName(record.source));
        query.addBindValue(text(record.note));
        query.addBindValue(text(record.plantGroup));
        query.addBindValue(text(record.plantSummary));
        if (!query.exec()) {
            const QSqlError error = query.lastError();
            db.rollback();
            return fail(QStringLiteral("Cannot save to the history"), error);
        }
        ids.append(query.lastInsertId().toLongLong());
    }
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        db.rollback();
        return fail(QStringLiteral("Cannot save to the history"), error);
    }
    for (int i = 0; i < records.size(); ++i)
        records[i].id = ids.at(i);
    return true;
}

namespace {

QString idList(const QList<qint64> &ids)
{
    QStringList texts;
    for (qint64 id : ids)
        texts.append(QString::number(id));
    return texts.join(QLatin1Char(','));
}

} // namespace

bool HistoryStore::setPlantGroup(const QList<qint64> &ids, const QString &group, const QString &summary)
{
    m_error.clear();
    if (ids.isEmpty())
        return true;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE diagnoses SET plant_group = ?, plant_summary = ? WHERE id IN (%1)").arg(idList(ids)));
    query.addBindValue(text(group));
    query.addBindValue(text(summary));
    if (!query.exec())
        return fail(QStringLiteral("Cannot save the plant group"), query.lastError());
    return true;
}

bool HistoryStore::setTagAndNote(qint64 id, const QString &tag, const QString &note)
{
    m_error.clear();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE diagnoses SET tag = ?, note = ? WHERE id = ?"));
    query.addBindValue(text(tag.trimmed()));
    query.addBindValue(text(note));
    query.addBindValue(id);
    if (!query.exec())
        return fail(QStringLiteral("Cannot save the tag and note"), query.lastError());
    return true;
}

bool HistoryStore::remove(const QList<qint64> &ids)
{
    m_error.clear();
    if (ids.isEmpty())
        return true;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("DELETE FROM diagnoses WHERE id IN (%1)").arg(idList(ids))))
        return fail(QStringLiteral("Cannot delete from the history"), query.lastError());
    return true;
}

QVector<HistoryRecord> HistoryStore::find(const HistoryFilter &filter)
{
    m_error.clear();
    QStringList where;
    QVariantList values;
    // Local dates to UTC instants: a farmer's "on 3 December" is his day, not Greenwich's.
    if (filter.since) {
        where.append(QStringLiteral("created_at >= ?"));
        values.append(timeText(filter.since->startOfDay()));
    }
    if (filter.until) {
        where.append(QStringLiteral("created_at < ?"));
        values.append(timeText(filter.until->addDays(1).startOfDay()));
    }
    if (!filter.label.isEmpty()) {
        where.append(QStringLiteral("label = ?"));
        values.append(filter.label);
    }
    if (!filter.tag.isEmpty()) {
        where.append(QStringLiteral("tag = ?"));
        values.append(filter.tag);
    }
    if (filter.uncertainOnly)
        where.append(QStringLiteral("uncertain = 1"));
    if (!filter.text.isEmpty()) {
        QString pattern = filter.text;
        pattern.replace(QLatin1String("\\"), QLatin1String("\\\\"))
                .replace(QLatin1String("%"), QLatin1String("\\%"))
                .replace(QLatin1String("_"), QLatin1String("\\_"));
        pattern = QLatin1Char('%') + pattern + QLatin1Char('%');
        where.append(QStringLiteral("(note LIKE ? ESCAPE '\\' OR file_path LIKE ? ESCAPE '\\')"));
        values.append(pattern);
        values.append(pattern);
    }
    QString sql = QStringLiteral("SELECT %1 FROM diagnoses").arg(kColumns);
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY created_at DESC, id DESC");
    if (filter.limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);
    return select(sql, values);
}

QVector<HistoryRecord> HistoryStore::select(const QString &sql, const QVariantList &values)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    QVector<HistoryRecord> records;
    if (!query.exec()) {
        fail(QStringLiteral("Cannot read the history"), query.lastError());
        return records;
    }
    while (query.next())
        records.append(recordOf(query));
    return records;
}

std::optional<HistoryRecord> HistoryStore::record(qint64 id)
{
    m_error.clear();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT %1 FROM diagnoses WHERE id = ?").arg(kColumns));
    query.addBindValue(id);
    if (!query.exec()) {
        fail(QStringLiteral("Cannot read the history"), query.lastError());
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    return recordOf(query);
}

QVector<HistoryRecord> HistoryStore::plantGroup(const QString &group)
{
    m_error.clear();
    QVector<HistoryRecord> records;
    if (group.isEmpty())
        return records;
    return select(QStringLiteral("SELECT %1 FROM diagnoses WHERE plant_group = ? ORDER BY id").arg(kColumns), {group});
}

namespace {

QStringList distinctValues(const QString &connection, const QString &column)
{
    QStringList values;
    QSqlQuery query(QSqlDatabase::database(connection, false));
    if (query.exec(QStringLiteral("SELECT DISTINCT %1 FROM diagnoses WHERE %1 <> '' ORDER BY %1").arg(column)))
        while (query.next())
            values.append(query.value(0).toString());
    return values;
}

} // namespace

QStringList HistoryStore::tags()
{
    return distinctValues(m_connectionName, QStringLiteral("tag"));
}

QStringList HistoryStore::labels()
{
    return distinctValues(m_connectionName, QStringLiteral("label"));
}

QString HistoryStore::toCsv(const QVector<HistoryRecord> &records)
{
    QString csv = QStringLiteral("time,file,label,confidence,uncertain,quality_warnings,model,model_version,tag,note,"
                                 "plant_group,plant_summary,top_k\r\n");
    for (const HistoryRecord &record : records) {
        QStringList top;
        for (const LabelScore &score : record.topK)
            top.append(QStringLiteral("%1 %2").arg(score.label).arg(score.score, 0, 'f', 3));
        const QStringList cells{
            record.time.toLocalTime().toString(Qt::ISODate),
            record.filePath,
            record.label,
            QString::number(record.confidence, 'f', 4),
            record.uncertain ? QStringLiteral("yes") : QStringLiteral("no"),
            record.qualityWarnings.join(QLatin1Char(' ')),
            record.model,
            record.modelVersion ? QString::number(*record.modelVersion) : QString(),
            record.tag,
            record.note,
            record.plantGroup,
            record.plantSummary,
            top.join(QStringLiteral("; ")),
        };
        QStringList escaped;
        for (const QString &cell : cells)
            escaped.append(csvCell(cell));
        csv += escaped.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return csv;
}

bool HistoryStore::exportCsv(const QVector<HistoryRecord> &records, const QString &path, QString *error)
{
    // QSaveFile: an export that fails half-way leaves the old file, never half a table.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toCsv(records).toUtf8()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

} // namespace orchard
