// The diagnosis history from the command line: the real orchard-cli against a real
// in-process server, and real SQLite files (one per test). predict records what it is
// told to, `history` lists, filters and exports it, a damaged file is said in words and
// predicting goes on, and several writers at once lose nothing.
#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "tests/client/cliprocess.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

const QString kHistorySamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

QStringList samples(const QStringList &names)
{
    QStringList paths;
    for (const QString &name : names)
        paths.append(kHistorySamples + QLatin1Char('/') + name);
    return paths;
}

/** `orchard-cli history <arguments>` on historyFile, run to its end. */
struct HistoryRun
{
    HistoryRun(const QString &historyFile, const QStringList &arguments)
        : cli(QStringLiteral("history"), arguments, historyFile)
        , exitCode(cli.waitForExit())
    {
    }

    QList<QJsonObject> objects() const
    {
        QList<QJsonObject> result;
        for (const QString &line : cli.lines())
            result.append(parseJsonLine(line));
        return result;
    }

    CliProcess cli;
    int exitCode;
};

HistoryRecord recordOn(const QDate &day, const QString &file, const QString &label, const QString &tag,
                       bool uncertain = false, const QString &note = {})
{
    HistoryRecord record;
    record.time = QDateTime(day, QTime(12, 0)).toUTC(); // noon local: the day whatever the zone
    record.filePath = file;
    record.model = QStringLiteral("fashion-mnist");
    record.modelVersion = 1;
    record.label = label;
    record.confidence = uncertain ? 0.3 : 0.9;
    record.topK = { { label, 0, record.confidence } };
    record.uncertain = uncertain;
    record.tag = tag;
    record.note = note;
    return record;
}

} // namespace

TEST_CASE("history: predict --tag records each answer, and history lists them as JSON and as a table")
{
    ServerFixture server(withWorkers(2));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    const QStringList files = samples({ "trouser_0.png", "bag_0.png", "sneaker_1.png" });
    CliProcess predict(QStringLiteral("predict"),
                       QStringList { "--port", QString::number(server.port()), "--json", "--tag", "plot-7" } + files,
                       historyFile);
    REQUIRE(predict.waitForExit() == 0);
    INFO(predict.description());
    CHECK_FALSE(predict.stderrText().contains("history not saved"));

    const HistoryRun json(historyFile, { "--json" });
    INFO(json.cli.description());
    CHECK(json.exitCode == 0);
    const QList<QJsonObject> objects = json.objects();
    REQUIRE(objects.size() == 3);
    QStringList listed;
    for (const QJsonObject &object : objects) {
        listed.append(object.value("file").toString());
        CHECK(object.value("tag") == "plot-7");
        CHECK(object.value("model") == "fashion-mnist");
        CHECK(object.value("model_version") == 1);
        CHECK(object.value("source") == "cli");
        CHECK(object.value("top_k").toArray().size() == 3);
        CHECK(object.value("plant_group") == "");
    }
    listed.sort();
    QStringList expected = files;
    expected.sort();
    CHECK(listed == expected);
    CHECK(objects.at(0).value("id").toInteger() > objects.at(2).value("id").toInteger()); // newest first
    const QJsonObject trouser = [&] {
        for (const QJsonObject &object : objects) {
            if (object.value("file") == files.at(0))
                return object;
        }
        return QJsonObject();
    }();
    CHECK(trouser.value("label") == "Trouser");

    // What the JSON does not carry: the thumbnail, made from the photo before it was sent.
    HistoryStore store(historyFile);
    REQUIRE(store.open());
    for (const HistoryRecord &record : store.find()) {
        INFO(record.filePath.toStdString());
        const QImage thumbnail = record.thumbnailImage();
        REQUIRE_FALSE(thumbnail.isNull());
        CHECK(thumbnail.width() <= HistoryRecord::kThumbnailSide);
        CHECK(thumbnail.height() <= HistoryRecord::kThumbnailSide);
    }

    const HistoryRun table(historyFile, {});
    CHECK(table.exitCode == 0);
    const QStringList lines = table.cli.lines();
    REQUIRE(lines.size() == 5); // header, three rows, the count
    CHECK(lines.at(0).startsWith("TIME"));
    CHECK(lines.at(0).contains("DIAGNOSIS"));
    CHECK(table.cli.stdoutText().contains("trouser_0.png"));
    CHECK(table.cli.stdoutText().contains("plot-7"));
    CHECK(lines.last() == "3 diagnoses");
}

TEST_CASE("history: predict --no-history records nothing, and a first history says No diagnoses match")
{
    ServerFixture server(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    CliProcess predict(QStringLiteral("predict"),
                       QStringList { "--port", QString::number(server.port()), "--no-history" }
                               + samples({ "coat_0.png" }),
                       historyFile);
    REQUIRE(predict.waitForExit() == 0);
    CHECK_FALSE(QFileInfo::exists(historyFile));
    const HistoryRun run(historyFile, {});
    CHECK(run.exitCode == 0);
    CHECK(run.cli.stdoutText() == "No diagnoses match.\n");
}

TEST_CASE("history: predict --as-plant gives the combined photos one plant group and its verdict")
{
    ServerFixture server(withWorkers(2));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    // A photo the server cannot read fails (exit 1), is not combined, and is not recorded.
    const QString broken = folder.filePath(QStringLiteral("broken.png"));
    QFile brokenFile(broken);
    REQUIRE(brokenFile.open(QIODevice::WriteOnly));
    brokenFile.write("not a PNG at all");
    brokenFile.close();
    CliProcess predict(QStringLiteral("predict"),
                       QStringList { "--port", QString::number(server.port()), "--json", "--as-plant" }
                               + samples({ "trouser_0.png" }) + QStringList { broken } + samples({ "trouser_1.png" }),
                       historyFile);
    CHECK(predict.waitForExit() == 1);
    INFO(predict.description());
    REQUIRE(predict.lines().size() == 4);
    CHECK(parseJsonLine(predict.lines().at(3)).value("plant") == true);
    const HistoryRun run(historyFile, { "--json" });
    const QList<QJsonObject> objects = run.objects();
    REQUIRE(objects.size() == 2);
    const QString group = objects.at(0).value("plant_group").toString();
    CHECK_FALSE(group.isEmpty());
    CHECK(objects.at(1).value("plant_group") == group);
    for (const QJsonObject &object : objects) {
        CHECK(object.value("plant_summary") == "2 of 2 photos: Trouser");
        CHECK(object.value("top_k").toArray().size() == 3); // --top-k's, as printed, not every label
        CHECK_FALSE(object.value("file").toString().endsWith("broken.png"));
    }
    const HistoryRun table(historyFile, {});
    CHECK(table.cli.stdoutText().contains("Trouser (plant)"));
}

TEST_CASE("history: the filters narrow the list, and --export writes CSV with formulas defused")
{
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    {
        HistoryStore store(historyFile);
        REQUIRE(store.open());
        QVector<HistoryRecord> records {
            recordOn(QDate(2026, 11, 2), "/photos/east/a.jpg", "Scab", "east"),
            recordOn(QDate(2026, 11, 15), "/photos/east/b.jpg", "Rust", "east", true, "under the hedge"),
            recordOn(QDate(2026, 11, 30), "/photos/west/c.jpg", "Scab", "=HYPERLINK(\"http://x\")"),
            recordOn(QDate(2026, 12, 1), "/photos/west/d.jpg", "Healthy", "west", true),
        };
        REQUIRE(store.addAll(records));
        // What the window's tag and note editor writes: a note a spreadsheet would run.
        REQUIRE(store.setTagAndNote(records.at(0).id, "east", "+cmd|' /C calc'!A0"));
    }
    const auto files = [&](const QStringList &arguments) {
        const HistoryRun run(historyFile, QStringList { "--json" } + arguments);
        INFO(run.cli.description());
        CHECK(run.exitCode == 0);
        QStringList names;
        for (const QJsonObject &object : run.objects())
            names.append(QFileInfo(object.value("file").toString()).fileName());
        return names;
    };
    CHECK(files({}) == QStringList { "d.jpg", "c.jpg", "b.jpg", "a.jpg" });
    CHECK(files({ "--tag", "east" }) == QStringList { "b.jpg", "a.jpg" });
    CHECK(files({ "--label", "Scab" }) == QStringList { "c.jpg", "a.jpg" });
    CHECK(files({ "--uncertain" }) == QStringList { "d.jpg", "b.jpg" });
    CHECK(files({ "--since", "2026-11-15" }) == QStringList { "d.jpg", "c.jpg", "b.jpg" });
    CHECK(files({ "--until", "2026-11-30" }) == QStringList { "c.jpg", "b.jpg", "a.jpg" }); // the day included
    CHECK(files({ "--since", "2026-11-15", "--until", "2026-11-15" }) == QStringList { "b.jpg" });
    CHECK(files({ "--search", "hedge" }) == QStringList { "b.jpg" });
    CHECK(files({ "--search", "west" }) == QStringList { "d.jpg", "c.jpg" }); // the file path
    CHECK(files({ "--limit", "1" }) == QStringList { "d.jpg" });
    CHECK(files({ "--tag", "north" }).isEmpty());

    const HistoryRun notSure(historyFile, { "--uncertain", "--tag", "east" });
    CHECK(notSure.exitCode == 0);
    INFO(notSure.cli.description());
    REQUIRE(notSure.cli.lines().size() == 3); // header, the row, the count
    CHECK(notSure.cli.lines().at(1).contains("Not sure: Rust"));
    CHECK(notSure.cli.lines().at(1).contains("30.0 %"));
    CHECK(notSure.cli.lines().at(1).contains("b.jpg"));
    CHECK(notSure.cli.lines().last() == "1 diagnosis");
    const HistoryRun none(historyFile, { "--tag", "north" });
    CHECK(none.exitCode == 0);
    CHECK(none.cli.stdoutText() == "No diagnoses match.\n");

    const HistoryRun badDate(historyFile, { "--since", "2026-02-30" });
    CHECK(badDate.exitCode == 64);
    CHECK(badDate.cli.stderrText().contains("\"2026-02-30\""));
    const HistoryRun badLimit(historyFile, { "--limit", "-3" });
    CHECK(badLimit.exitCode == 64);
    CHECK(badLimit.cli.stderrText().contains("\"-3\""));

    const QString csvPath = folder.filePath(QStringLiteral("export.csv"));
    const HistoryRun exported(historyFile, { "--export", csvPath, "--label", "Scab" });
    INFO(exported.cli.description());
    CHECK(exported.exitCode == 0);
    CHECK(exported.cli.stdoutText() == QStringLiteral("Exported 2 diagnoses to %1\n").arg(csvPath));
    QFile csv(csvPath);
    REQUIRE(csv.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(csv.readAll());
    CHECK(text.startsWith("time,file,label,confidence,"));
    CHECK(text.count("\r\n") == 3);
    CHECK(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
    CHECK_FALSE(text.contains(",=HYPERLINK"));
    CHECK(text.contains("'+cmd|"));
    CHECK_FALSE(text.contains(",+cmd"));
    CHECK_FALSE(text.contains("\"+cmd"));

    // A folder that does not exist: said in words, exit 1, nothing half-written.
    const HistoryRun unwritable(historyFile, { "--export", folder.filePath("no/such/folder/out.csv") });
    CHECK(unwritable.exitCode == 1);
    CHECK(unwritable.cli.stderrText().startsWith("orchard-cli history: Cannot write "));
}

TEST_CASE("history: a damaged history file is said in words, and predict still predicts")
{
    ServerFixture server(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    QFile file(historyFile);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'Z'));
    file.close();

    const HistoryRun listing(historyFile, {});
    INFO(listing.cli.description());
    CHECK(listing.exitCode == 2);
    CHECK(listing.cli.stderrText().contains("is damaged or is not an Orchard history"));
    CHECK(listing.cli.stdoutText().isEmpty());

    CliProcess predict(QStringLiteral("predict"),
                       QStringList { "--port", QString::number(server.port()), "--json" }
                               + samples({ "coat_0.png", "bag_1.png", "dress_0.png" }),
                       historyFile);
    const int exitCode = predict.waitForExit();
    INFO(predict.description());
    CHECK(exitCode == 0);
    CHECK(predict.lines().size() == 3);
    for (const QString &line : predict.lines())
        CHECK_FALSE(parseJsonLine(line).contains("error"));
    CHECK(predict.stderrText().count("orchard-cli: history not saved: ") == 1);
    QFile after(historyFile);
    REQUIRE(after.open(QIODevice::ReadOnly));
    CHECK(after.readAll() == QByteArray(8192, 'Z')); // left as it was

    // Exporting from it is the history's failure too (2), not the CSV's (1).
    const HistoryRun exporting(historyFile, { "--export", folder.filePath("out.csv") });
    CHECK(exporting.exitCode == 2);
    CHECK_FALSE(QFileInfo::exists(folder.filePath("out.csv")));
}

TEST_CASE("history: a history written by a newer Orchard is left alone, and predict prints its table")
{
    ServerFixture server(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    {
        HistoryStore store(historyFile);
        REQUIRE(store.open());
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(historyFile);
        REQUIRE(db.open());
        QSqlQuery query(db);
        REQUIRE(query.exec(QStringLiteral("PRAGMA user_version = 99")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));

    const HistoryRun listing(historyFile, { "--json" });
    INFO(listing.cli.description());
    CHECK(listing.exitCode == 2);
    CHECK(listing.cli.stderrText().contains("written by a newer Orchard (schema 99"));

    CliProcess predict(QStringLiteral("predict"),
                       QStringList { "--port", QString::number(server.port()), "--tag", "plot-7" }
                               + samples({ "coat_0.png", "bag_1.png" }),
                       historyFile);
    CHECK(predict.waitForExit() == 0);
    INFO(predict.description());
    CHECK(predict.stdoutText().contains("2 of 2 diagnosed"));
    CHECK(predict.stderrText().count("history not saved") == 1);
    CHECK(predict.stderrText().contains("newer Orchard"));
}

TEST_CASE("history: two orchard-cli predict and an in-process writer at once lose nothing")
{
    ServerFixture server(withWorkers(3));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyFile = folder.filePath(QStringLiteral("history.sqlite"));
    // The schema is made before the writers race: what they share is the usual case, a
    // history in use. (Three programs creating one new file at the same instant is
    // HistoryStore's migration's business, not the CLI's.)
    HistoryStore writer(historyFile);
    REQUIRE(writer.open());
    const int photos = int(QDir(kHistorySamples).entryList({ "*.png" }, QDir::Files).size());
    REQUIRE(photos == 20);
    const QStringList common { "--port", QString::number(server.port()), "--json" };
    CliProcess first(QStringLiteral("predict"), common + QStringList { "--tag", "first", kHistorySamples },
                     historyFile);
    CliProcess second(QStringLiteral("predict"), common + QStringList { "--tag", "second", kHistorySamples },
                      historyFile);
    // This process writes too, one short transaction after another, for as long as either
    // CLI runs: bounded in count and time, and at least kMinOwn whatever the timing.
    constexpr int kMinOwn = 20;
    constexpr int kMaxOwn = 2000;
    const QDeadlineTimer deadline(kCliWaitMs);
    int tried = 0;
    int written = 0;
    QStringList errors;
    while (tried < kMaxOwn && !deadline.hasExpired()
           && (tried < kMinOwn || !first.isFinished() || !second.isFinished())) {
        if (writer.add(recordOn(QDate::currentDate(), QStringLiteral("/own/%1.png").arg(tried), "Bag", "own")))
            ++written;
        else
            errors.append(writer.errorString());
        ++tried;
        QCoreApplication::processEvents(); // the CliProcess output and their finished signals
    }
    INFO(errors.join('\n').toStdString());
    CHECK(written == tried);
    CHECK(tried >= kMinOwn);
    INFO(first.description());
    INFO(second.description());
    CHECK(first.waitForExit() == 0);
    CHECK(second.waitForExit() == 0);
    CHECK(first.lines().size() == photos);
    CHECK(second.lines().size() == photos);
    CHECK_FALSE(first.stderrText().contains("history not saved"));
    CHECK_FALSE(second.stderrText().contains("history not saved"));
    for (const char *tag : { "first", "second", "own" }) {
        HistoryFilter filter;
        filter.tag = QLatin1String(tag);
        INFO(tag);
        CHECK(writer.find(filter).size() == (filter.tag == "own" ? written : photos));
    }
    CHECK(writer.find().size() == 2 * photos + written);
}
