// HistoryStore on real SQLite files in a temporary folder: records kept with everything a
// farmer looks back at, filters and search, edit and delete, the CSV export with formula
// cells defused, a history of the first schema migrated, and files it must refuse in words
// (not SQLite, written by a newer Orchard, held locked by another writer).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <vector>

#include <QFile>
#include <QImage>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include "client/core/historystore.h"

using namespace orchard;

namespace {

HistoryRecord makeRecord(const QString &label, const QString &tag, const QDateTime &time, bool uncertain = false)
{
    PredictionReply reply;
    reply.model = QStringLiteral("apple-leaf");
    reply.modelVersion = 3;
    reply.label = label;
    reply.index = 1;
    reply.confidence = 0.875;
    reply.topK = {{label, 1, 0.875}, {QStringLiteral("Healthy"), 0, 0.1}};
    reply.quality = PhotoQualityReport{12.5, 0.4, {QStringLiteral("blurry")}};
    reply.uncertain = uncertain;
    QImage image(400, 300, QImage::Format_RGB32);
    image.fill(Qt::darkGreen);
    HistoryRecord record = HistoryRecord::ofReply(QStringLiteral("/photos/%1.jpg").arg(label), reply, image, tag,
                                                  HistoryRecord::Source::Desktop);
    record.time = time;
    return record;
}

QDateTime localDay(int day, int hour = 12)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, 0)).toUTC();
}

} // namespace

TEST_CASE("A stored diagnosis comes back with everything the farmer looks back at", "[history]")
{
    QTemporaryDir dir;
    HistoryStore store(dir.filePath(QStringLiteral("sub/history.sqlite")));
    REQUIRE(store.open());
    CHECK(store.foundSchemaVersion() == 0);

    const auto id = store.add(makeRecord(QStringLiteral("Scab"), QStringLiteral("north field"), localDay(3), true));
    INFO(store.errorString().toStdString());
    REQUIRE(id);
    const auto back = store.record(*id);
    REQUIRE(back);
    CHECK(back->label == QStringLiteral("Scab"));
    CHECK(back->model == QStringLiteral("apple-leaf"));
    CHECK(back->modelVersion == 3);
    CHECK(back->confidence == Approx(0.875));
    REQUIRE(back->topK.size() == 2);
    CHECK(back->topK.at(1).label == QStringLiteral("Healthy"));
    CHECK(back->qualityWarnings == QStringList{QStringLiteral("blurry")});
    CHECK(back->sharpness == 12.5);
    CHECK(back->uncertain);
    CHECK(back->tag == QStringLiteral("north field"));
    CHECK(back->time == localDay(3));
    const QImage thumbnail = back->thumbnailImage();
    REQUIRE_FALSE(thumbnail.isNull());
    CHECK(thumbnail.width() == HistoryRecord::kThumbnailSide);

    QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw-journal"));
    raw.setDatabaseName(store.path());
    REQUIRE(raw.open());
    {
        QSqlQuery query(raw);
        REQUIRE(query.exec(QStringLiteral("PRAGMA journal_mode")));
        REQUIRE(query.next());
        CHECK(query.value(0).toString() == QStringLiteral("wal"));
        REQUIRE(query.exec(QStringLiteral("PRAGMA user_version")));
        REQUIRE(query.next());
        CHECK(query.value(0).toInt() == HistoryStore::kSchemaVersion);
    }
    raw.close();
    raw = {};
    QSqlDatabase::removeDatabase(QStringLiteral("raw-journal"));
}

TEST_CASE("Filters, search, edit and delete work on the file", "[history]")
{
    QTemporaryDir dir;
    HistoryStore store(dir.filePath(QStringLiteral("history.sqlite")));
    REQUIRE(store.open());
    QVector<HistoryRecord> records{
        makeRecord(QStringLiteral("Scab"), QStringLiteral("north"), localDay(1)),
        makeRecord(QStringLiteral("Rust"), QStringLiteral("north"), localDay(2), true),
        makeRecord(QStringLiteral("Scab"), QStringLiteral("south"), localDay(3)),
        makeRecord(QStringLiteral("Healthy"), QString(), localDay(4)),
    };
    REQUIRE(store.addAll(records));
    CHECK(records.at(3).id > records.at(0).id);

    CHECK(store.find().size() == 4);
    CHECK(store.find().front().label == QStringLiteral("Healthy")); // newest first
    HistoryFilter byLabel;
    byLabel.label = QStringLiteral("Scab");
    CHECK(store.find(byLabel).size() == 2);
    HistoryFilter byTag;
    byTag.tag = QStringLiteral("north");
    CHECK(store.find(byTag).size() == 2);
    HistoryFilter unsure;
    unsure.uncertainOnly = true;
    REQUIRE(store.find(unsure).size() == 1);
    CHECK(store.find(unsure).front().label == QStringLiteral("Rust"));
    HistoryFilter days;
    days.since = QDate(2026, 11, 2);
    days.until = QDate(2026, 11, 3);
    const auto inDays = store.find(days);
    REQUIRE(inDays.size() == 2);
    CHECK(inDays.at(0).label == QStringLiteral("Scab"));
    CHECK(inDays.at(1).label == QStringLiteral("Rust"));
    CHECK(store.tags() == QStringList{QStringLiteral("north"), QStringLiteral("south")});
    CHECK(store.labels() == QStringList{QStringLiteral("Healthy"), QStringLiteral("Rust"), QStringLiteral("Scab")});

    REQUIRE(store.setTagAndNote(records.at(0).id, QStringLiteral("orchard 7"), QStringLiteral("Spots near the 100% old tree")));
    HistoryFilter search;
    search.text = QStringLiteral("OLD TREE");
    REQUIRE(store.find(search).size() == 1);
    CHECK(store.find(search).front().tag == QStringLiteral("orchard 7"));
    search.text = QStringLiteral("100%");
    CHECK(store.find(search).size() == 1); // % is a character, not a wildcard
    search.text = QStringLiteral("0_");
    CHECK(store.find(search).empty());

    REQUIRE(store.setPlantGroup({records.at(1).id, records.at(2).id}, QStringLiteral("g1"),
                                QStringLiteral("2 of 2 photos: Scab")));
    const auto group = store.plantGroup(QStringLiteral("g1"));
    REQUIRE(group.size() == 2);
    CHECK(group.at(1).plantSummary == QStringLiteral("2 of 2 photos: Scab"));

    REQUIRE(store.remove({records.at(1).id, records.at(3).id}));
    HistoryStore again(store.path());
    REQUIRE(again.open());
    CHECK(again.find().size() == 2);
    CHECK_FALSE(again.record(records.at(1).id));
}

TEST_CASE("The CSV export defuses formula cells and is written whole", "[history]")
{
    QTemporaryDir dir;
    HistoryRecord record = makeRecord(QStringLiteral("Scab"), QStringLiteral("+north"), localDay(5));
    record.note = QStringLiteral("=HYPERLINK(\"http://x\",\"a, b\")");
    const QString csv = HistoryStore::toCsv({record});
    const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 2);
    CHECK(lines.at(0).startsWith(QStringLiteral("time,file,label,confidence,uncertain")));
    CHECK(lines.at(1).contains(QStringLiteral(",'+north,")));
    CHECK(lines.at(1).contains(QStringLiteral(",\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\",")));
    CHECK(lines.at(1).contains(QStringLiteral("Scab 0.875; Healthy 0.100")));

    const QString path = dir.filePath(QStringLiteral("out.csv"));
    QString error;
    REQUIRE(HistoryStore::exportCsv({record}, path, &error));
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(QString::fromUtf8(file.readAll()) == csv);
    CHECK_FALSE(HistoryStore::exportCsv({record}, dir.filePath(QStringLiteral("no/such/folder/out.csv")), &error));
    CHECK(error.contains(QStringLiteral("Cannot write")));
}

TEST_CASE("A history of the first schema is migrated and keeps its rows", "[history]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("v1.sqlite"));
    {
        // The first schema as it was written, by hand: not through the store's own steps.
        QSqlDatabase v1 = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        v1.setDatabaseName(path);
        REQUIRE(v1.open());
        QSqlQuery query(v1);
        REQUIRE(query.exec(QStringLiteral(
                "CREATE TABLE diagnoses (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, file_path TEXT NOT NULL,"
                " thumbnail BLOB, model TEXT NOT NULL, model_version INTEGER, label TEXT NOT NULL,"
                " label_index INTEGER NOT NULL, confidence REAL NOT NULL, top_k TEXT NOT NULL,"
                " quality_warnings TEXT NOT NULL DEFAULT '', sharpness REAL, brightness REAL,"
                " uncertain INTEGER NOT NULL DEFAULT 0, tag TEXT NOT NULL DEFAULT '',"
                " source TEXT NOT NULL DEFAULT 'desktop')")));
        REQUIRE(query.exec(QStringLiteral(
                "INSERT INTO diagnoses (created_at, file_path, model, label, label_index, confidence, top_k, tag)"
                " VALUES ('2026-01-02T10:00:00.000Z', '/old/leaf.jpg', 'apple-leaf', 'Rust', 2, 0.7,"
                " '[{\"label\":\"Rust\",\"index\":2,\"score\":0.7}]', 'east')")));
        REQUIRE(query.exec(QStringLiteral("PRAGMA user_version = 1")));
        v1.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));

    HistoryStore store(path);
    REQUIRE(store.open());
    CHECK(store.foundSchemaVersion() == 1);
    const auto records = store.find();
    REQUIRE(records.size() == 1);
    CHECK(records.front().label == QStringLiteral("Rust"));
    CHECK(records.front().tag == QStringLiteral("east"));
    CHECK(records.front().note.isEmpty());
    CHECK(records.front().topK.front().score == Approx(0.7));
    REQUIRE(store.setTagAndNote(records.front().id, QStringLiteral("east"), QStringLiteral("checked again")));
    CHECK(store.add(makeRecord(QStringLiteral("Scab"), QString(), localDay(6))));
    CHECK(store.find().size() == 2);
}

TEST_CASE("Files the store cannot use are refused in words", "[history]")
{
    QTemporaryDir dir;
    SECTION("not SQLite")
    {
        const QString path = dir.filePath(QStringLiteral("garbage.sqlite"));
        QFile file(path);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        HistoryStore store(path);
        CHECK_FALSE(store.open());
        CHECK_FALSE(store.isOpen());
        CHECK(store.errorString().contains(QStringLiteral("damaged or is not an Orchard history")));
        CHECK_FALSE(store.add(makeRecord(QStringLiteral("Scab"), QString(), localDay(1))));
        CHECK(store.errorString() == QStringLiteral("The history is not open"));
        QFile again(path);
        REQUIRE(again.open(QIODevice::ReadOnly));
        CHECK(again.readAll() == QByteArray(4096, 'x')); // the farmer's file is left alone
    }
    SECTION("written by a newer Orchard")
    {
        const QString path = dir.filePath(QStringLiteral("new.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
            db.setDatabaseName(path);
            REQUIRE(db.open());
            QSqlQuery query(db);
            REQUIRE(query.exec(QStringLiteral("PRAGMA user_version = 99")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("newer"));
        HistoryStore store(path);
        CHECK_FALSE(store.open());
        CHECK(store.errorString().contains(QStringLiteral("newer Orchard (schema 99")));
    }
    SECTION("held locked by another writer")
    {
        HistoryStore store(dir.filePath(QStringLiteral("locked.sqlite")));
        REQUIRE(store.open());
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other-writer"));
        other.setDatabaseName(store.path());
        REQUIRE(other.open());
        {
            QSqlQuery hold(other);
            REQUIRE(hold.exec(QStringLiteral("BEGIN IMMEDIATE")));
            CHECK_FALSE(store.add(makeRecord(QStringLiteral("Scab"), QString(), localDay(1))));
            CHECK(store.errorString().contains(QStringLiteral("kept the history busy")));
            CHECK(store.find().empty()); // WAL: reading goes on while another writes
            CHECK(store.errorString().isEmpty());
            REQUIRE(hold.exec(QStringLiteral("ROLLBACK")));
        }
        other.close();
        other = {};
        QSqlDatabase::removeDatabase(QStringLiteral("other-writer"));
        CHECK(store.add(makeRecord(QStringLiteral("Scab"), QString(), localDay(1))));
    }
}

TEST_CASE("Programs that create the same new history at the same moment both open it", "[history]")
{
    // The window and orchard-cli at a farmer's first start: each finds an empty file and
    // migrates it. Before BEGIN IMMEDIATE one of them failed now and then (1 in 30).
    constexpr int kRounds = 20;
    constexpr int kPrograms = 3;
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    for (int round = 0; round < kRounds; ++round) {
        const QString path = folder.filePath(QStringLiteral("new-%1.sqlite").arg(round));
        std::atomic<int> ready { 0 };
        std::atomic<int> opened { 0 };
        QStringList errors;
        QMutex errorsLock;
        std::vector<std::unique_ptr<QThread>> programs;
        for (int program = 0; program < kPrograms; ++program) {
            programs.emplace_back(QThread::create([&] {
                HistoryStore store(path);
                // All start opening together, as two processes launched at once would.
                ++ready;
                while (ready.load() < kPrograms)
                    QThread::yieldCurrentThread();
                if (store.open()) {
                    ++opened;
                } else {
                    const QMutexLocker locked(&errorsLock);
                    errors.append(store.errorString());
                }
            }));
            programs.back()->start();
        }
        for (auto &program : programs)
            REQUIRE(program->wait(30000));
        INFO("round " << round << ": " << errors.join(QStringLiteral(" | ")).toStdString());
        REQUIRE(opened.load() == kPrograms);
        HistoryStore store(path);
        REQUIRE(store.open());
        CHECK(store.foundSchemaVersion() == HistoryStore::kSchemaVersion);
    }
}
