// The History tab and the window's recording of diagnoses, offscreen, against a real
// in-process server and real SQLite files (each test its own): what the farmer diagnoses
// is kept under the chosen tag with a thumbnail, found again through the filters, edited,
// deleted and exported; orchard-cli writes the same file at the same time; a damaged file
// turns the history off in words while diagnosing goes on.
#include <catch2/catch.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "client/core/historytablemodel.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/ui/historypanel.h"
#include "client/ui/mainwindow.h"
#include "client/ui/plantresultpanel.h"
#include "tests/clientgui/windowfixture.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
const QString kSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/** A sample made too dark to trust: mean luminance far under the model's threshold. */
QString darkCopy(const QTemporaryDir &folder, const QString &sample)
{
    QImage image(kSamples + QLatin1Char('/') + sample);
    REQUIRE_FALSE(image.isNull());
    image = image.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y) {
        uchar *line = image.scanLine(y);
        for (int x = 0; x < image.width() * 3; ++x)
            line[x] = static_cast<uchar>(line[x] / 12);
    }
    const QString path = folder.filePath(QStringLiteral("dark_") + sample);
    REQUIRE(image.save(path, "PNG"));
    return path;
}

/** Shows the History tab and waits until it has read the store with the filters as set. */
void showHistory(WindowFixture &fixture)
{
    auto *tabs = fixture.window->findChild<QTabWidget *>(QStringLiteral("bottomTabs"));
    REQUIRE(tabs);
    QSignalSpy refreshed(fixture.window->historyPanel(), &HistoryPanel::refreshed);
    tabs->setCurrentWidget(fixture.window->historyPanel());
    REQUIRE((refreshed.count() > 0 || refreshed.wait(kWaitMs)));
}

/** Sets a filter and waits for the table to follow it; the rows that match. */
template <typename Change>
int afterFilter(HistoryPanel *panel, Change change)
{
    QSignalSpy refreshed(panel, &HistoryPanel::refreshed);
    change();
    REQUIRE((refreshed.count() > 0 || refreshed.wait(kWaitMs)));
    return refreshed.last().at(0).toInt();
}

HistoryRecord madeRecord(const QString &file, const QString &label, const QString &tag, bool uncertain)
{
    HistoryRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.filePath = file;
    record.model = QStringLiteral("fashion-mnist");
    record.modelVersion = 1;
    record.label = label;
    record.confidence = uncertain ? 0.31 : 0.93;
    record.topK = { { label, 3, record.confidence }, { QStringLiteral("Shirt"), 6, 0.2 } };
    record.uncertain = uncertain;
    record.tag = tag;
    return record;
}

} // namespace

TEST_CASE("History tab: the window keeps each diagnosis under the chosen tag while orchard-cli writes the same file")
{
    ServerFixture server(withWorkers(2));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString dark = darkCopy(folder, QStringLiteral("bag_0.png"));
    WindowFixture fixture;
    fixture.window->tagChooser()->setCurrentText(QStringLiteral("north-plot"));
    const QStringList photos { kSamples + "/trouser_0.png", kSamples + "/sneaker_1.png", dark };
    fixture.load(photos);
    REQUIRE(fixture.window->images()->count() == 3);

    // orchard-cli predicts into the same history while the window does.
    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("ORCHARD_HISTORY"), fixture.historyPath());
    cli.setProcessEnvironment(environment);
    QStringList cliArguments { QStringLiteral("predict"), QStringLiteral("--port"), QString::number(server.port()),
                               QStringLiteral("--tag"), QStringLiteral("cli-plot") };
    for (const char *sample : { "coat_0.png", "coat_1.png", "bag_1.png", "dress_0.png", "shirt_0.png" })
        cliArguments.append(kSamples + QLatin1Char('/') + QLatin1String(sample));
    cli.start(QStringLiteral(ORCHARD_CLI_PATH), cliArguments);
    REQUIRE(cli.waitForStarted(kWaitMs));
    fixture.connectTo(server.port());
    fixture.window->predictAll();
    REQUIRE(fixture.waitAllDone());
    REQUIRE(QTest::qWaitFor([&] { return cli.state() == QProcess::NotRunning; }, kWaitMs));
    const QString cliErrors = QString::fromUtf8(cli.readAllStandardError());
    INFO(cliErrors.toStdString());
    CHECK(cli.exitCode() == 0);
    CHECK_FALSE(cliErrors.contains("history not saved"));
    CHECK_FALSE(fixture.window->logText().contains("Not kept in the history"));

    HistoryStore *store = fixture.window->history();
    REQUIRE(store->isOpen());
    const QVector<HistoryRecord> windowRecords = store->find([] {
        HistoryFilter filter;
        filter.tag = QStringLiteral("north-plot");
        return filter;
    }());
    REQUIRE(windowRecords.size() == 3);
    for (const HistoryRecord &record : windowRecords) {
        INFO(record.filePath.toStdString());
        CHECK(photos.contains(record.filePath));
        CHECK(record.source == HistoryRecord::Source::Desktop);
        CHECK(record.model == "fashion-mnist");
        CHECK_FALSE(record.thumbnailImage().isNull());
        CHECK(record.thumbnailImage().width() <= HistoryRecord::kThumbnailSide);
        CHECK_FALSE(record.topK.isEmpty());
        const ImageBatch::Item &item = fixture.window->batch()->item(fixture.rowOf(record.filePath));
        CHECK(record.label == item.reply.label);
        CHECK(record.uncertain == item.reply.uncertain);
    }
    const auto darkRecord = std::find_if(windowRecords.cbegin(), windowRecords.cend(),
                                         [&](const HistoryRecord &record) { return record.filePath == dark; });
    REQUIRE(darkRecord != windowRecords.cend());
    CHECK(darkRecord->qualityWarnings.contains("dark"));
    HistoryFilter fromCli;
    fromCli.tag = QStringLiteral("cli-plot");
    CHECK(store->find(fromCli).size() == 5);

    // The tab lists all eight, newest first, and its filters narrow them.
    showHistory(fixture);
    HistoryPanel *panel = fixture.window->historyPanel();
    CHECK(panel->model()->rowCount() == 8);
    CHECK(panel->countText() == "8 diagnoses");
    QComboBox *tags = panel->tagCombo();
    REQUIRE(tags->findText("north-plot") > 0);
    REQUIRE(tags->findText("cli-plot") > 0);
    CHECK(afterFilter(panel, [&] { tags->setCurrentIndex(tags->findText("north-plot")); }) == 3);
    QComboBox *labels = panel->labelCombo();
    REQUIRE(labels->findText("Trouser") > 0);
    CHECK(afterFilter(panel, [&] { labels->setCurrentIndex(labels->findText("Trouser")); }) == 1);
    CHECK(panel->model()->record(0).filePath == photos.at(0));
    CHECK(afterFilter(panel, [&] { labels->setCurrentIndex(0); }) == 3);
    // Typing pauses before the search runs: one query for the word, not one per key.
    CHECK(afterFilter(panel, [&] { QTest::keyClicks(panel->searchEdit(), "dark_"); }) == 1);
    CHECK(panel->model()->record(0).filePath == dark);
    CHECK(afterFilter(panel, [&] { panel->searchEdit()->clear(); }) == 3);
    const int uncertainInWindow = int(std::count_if(windowRecords.cbegin(), windowRecords.cend(),
                                                    [](const HistoryRecord &record) { return record.uncertain; }));
    CHECK(darkRecord->uncertain); // 8 % of the light: the model hesitates
    CHECK(afterFilter(panel, [&] { panel->uncertainCheck()->setChecked(true); }) == uncertainInWindow);
    CHECK(afterFilter(panel, [&] { panel->uncertainCheck()->setChecked(false); }) == 3);
    // Tomorrow onwards: nothing yet.
    panel->fromEdit()->setDate(QDate::currentDate().addDays(1));
    CHECK(afterFilter(panel, [&] { panel->fromCheck()->setChecked(true); }) == 0);
    CHECK(panel->countText() == "0 diagnoses");
    CHECK(afterFilter(panel, [&] { panel->fromEdit()->setDate(QDate::currentDate()); }) == 3);

    // A diagnosis made while the tab is shown appears in it.
    fixture.load({ kSamples + "/pullover_0.png" });
    fixture.select({ fixture.rowOf(kSamples + "/pullover_0.png") });
    fixture.window->predictSelected();
    REQUIRE(QTest::qWaitFor([&] { return panel->model()->rowCount() == 4; }, kWaitMs));
    CHECK(panel->model()->record(0).label == "Pullover");
}

TEST_CASE("History tab: an entry opens again, its tag and note are edited, entries deleted and exported")
{
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString historyPath = folder.filePath(QStringLiteral("history.sqlite"));
    QList<qint64> ids;
    {
        HistoryStore prepared(historyPath);
        REQUIRE(prepared.open());
        for (const HistoryRecord &record :
             { madeRecord(kSamples + "/coat_0.png", "Coat", "east", false),
               madeRecord(kSamples + "/shirt_0.png", "Pullover", "east", true),
               madeRecord(folder.filePath("gone.png"), "Bag", "west", false) }) {
            const auto id = prepared.add(record);
            REQUIRE(id);
            ids.append(*id);
        }
    }
    WindowFixture fixture(QStringLiteral("orchard-client-history-tests"), historyPath);
    showHistory(fixture);
    HistoryPanel *panel = fixture.window->historyPanel();
    HistoryTableModel *model = panel->model();
    REQUIRE(model->rowCount() == 3);
    CHECK(model->record(0).filePath.endsWith("gone.png")); // newest first

    // The uncertain entry says so, in the table and when opened.
    const int shirt = model->rowOfId(ids.at(1));
    REQUIRE(shirt >= 0);
    CHECK(model->data(model->index(shirt, HistoryTableModel::Diagnosis)).toString() == "Not sure: Pullover");
    panel->view()->setCurrentIndex(model->index(shirt, HistoryTableModel::Time));
    INFO(panel->detailText().toStdString());
    CHECK(panel->detailText().startsWith("Not sure\nIt could be Pullover (31.0 %) or Shirt (20.0 %)."));
    CHECK(panel->detailText().contains("fashion-mnist, version 1"));
    CHECK(panel->openPhotoButton()->isEnabled());
    // "Open the Photo" puts it back in the image list, selected.
    QSignalSpy loaded(fixture.window.get(), &MainWindow::imagesLoaded);
    panel->openPhotoButton()->click();
    REQUIRE(QTest::qWaitFor([&] { return fixture.rowOf(kSamples + "/shirt_0.png") >= 0; }, kWaitMs));
    REQUIRE(QTest::qWaitFor([&] {
        return fixture.window->imageList()->currentIndex().row() == fixture.rowOf(kSamples + "/shirt_0.png");
    }, kWaitMs));
    // A photo no longer on disk cannot be opened, and the button says why.
    panel->view()->setCurrentIndex(model->index(model->rowOfId(ids.at(2)), HistoryTableModel::Time));
    CHECK_FALSE(panel->openPhotoButton()->isEnabled());
    CHECK(panel->openPhotoButton()->toolTip().contains("no longer"));

    // A tag edited in the table, a note in the detail pane: both kept in the file.
    const int coat = model->rowOfId(ids.at(0));
    REQUIRE(model->flags(model->index(coat, HistoryTableModel::Tag)) & Qt::ItemIsEditable);
    CHECK_FALSE(model->flags(model->index(coat, HistoryTableModel::Diagnosis)) & Qt::ItemIsEditable);
    REQUIRE(model->setData(model->index(coat, HistoryTableModel::Tag), QStringLiteral("=HYPERLINK(\"x\")")));
    panel->view()->setCurrentIndex(model->index(coat, HistoryTableModel::Time));
    CHECK(panel->tagEdit()->text() == "=HYPERLINK(\"x\")");
    panel->noteEdit()->setPlainText(QStringLiteral("Sprayed copper on the 3rd row.\nCheck again Friday."));
    REQUIRE(panel->saveDetail());
    {
        HistoryStore reader(historyPath);
        REQUIRE(reader.open());
        const auto stored = reader.record(ids.at(0));
        REQUIRE(stored);
        CHECK(stored->tag == "=HYPERLINK(\"x\")");
        CHECK(stored->note == "Sprayed copper on the 3rd row.\nCheck again Friday.");
    }
    // The new tag is among the filter's choices; the note is found by the search.
    CHECK(panel->tagCombo()->findText("=HYPERLINK(\"x\")") > 0);
    CHECK(afterFilter(panel, [&] { QTest::keyClicks(panel->searchEdit(), "copper"); }) == 1);
    CHECK(afterFilter(panel, [&] { panel->searchEdit()->clear(); }) == 3);

    // Export writes the rows shown; the formula-like tag is defused.
    const QString csvPath = folder.filePath(QStringLiteral("export.csv"));
    REQUIRE(panel->exportCsv(csvPath));
    QFile csv(csvPath);
    REQUIRE(csv.open(QIODevice::ReadOnly));
    const QString written = QString::fromUtf8(csv.readAll());
    CHECK(written.count(QStringLiteral("\r\n")) == 4); // header and three rows
    CHECK(written.contains(QStringLiteral("\"'=HYPERLINK(\"\"x\"\")\"")));
    CHECK(panel->countText().startsWith("Saved 3 diagnoses to "));

    // Delete: gone from the table and from the file.
    REQUIRE(panel->deleteRows({ model->rowOfId(ids.at(2)) }));
    CHECK(model->rowCount() == 2);
    CHECK(model->rowOfId(ids.at(2)) == -1);
    HistoryStore reader(historyPath);
    REQUIRE(reader.open());
    CHECK_FALSE(reader.record(ids.at(2)));
    CHECK(reader.find().size() == 2);
}

TEST_CASE("History tab: photos diagnosed as one plant share a group, and the entry says so")
{
    ServerFixture server(withWorkers(2));
    WindowFixture fixture(QStringLiteral("orchard-client-history-plant-tests"));
    const QStringList files { kSamples + "/trouser_0.png", kSamples + "/trouser_1.png", kSamples + "/bag_0.png" };
    fixture.load(files);
    fixture.window->setServer(QStringLiteral("127.0.0.1"), server.port());
    fixture.select({ fixture.rowOf(files.at(0)), fixture.rowOf(files.at(1)) });
    fixture.window->diagnoseAsPlant();
    PlantResultPanel *plant = fixture.window->plantPanel();
    REQUIRE(QTest::qWaitFor([&] { return !plant->headlineText().isEmpty(); }, kWaitMs));
    REQUIRE(plant->agreementText() == "2 of 2 photos: Trouser");
    // The bag, diagnosed alone afterwards, joins no group.
    fixture.window->imageList()->setCurrentIndex(fixture.window->images()->index(fixture.rowOf(files.at(2))));
    fixture.select({ fixture.rowOf(files.at(2)) });
    fixture.window->predictSelected();
    REQUIRE(fixture.waitAllDone());

    const QVector<HistoryRecord> records = fixture.window->history()->find();
    REQUIRE(records.size() == 3);
    QString group;
    for (const HistoryRecord &record : records) {
        INFO(record.filePath.toStdString());
        if (record.filePath == files.at(2)) {
            CHECK(record.plantGroup.isEmpty());
            continue;
        }
        CHECK_FALSE(record.plantGroup.isEmpty());
        CHECK(record.plantSummary == "2 of 2 photos: Trouser");
        CHECK((group.isEmpty() || group == record.plantGroup));
        group = record.plantGroup;
    }
    CHECK(fixture.window->history()->plantGroup(group).size() == 2);

    showHistory(fixture);
    HistoryPanel *panel = fixture.window->historyPanel();
    HistoryTableModel *model = panel->model();
    const int trouser = [&] {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->record(row).filePath == files.at(0))
                return row;
        }
        return -1;
    }();
    REQUIRE(trouser >= 0);
    CHECK(model->data(model->index(trouser, HistoryTableModel::Diagnosis)).toString() == "Trouser (plant)");
    panel->view()->setCurrentIndex(model->index(trouser, HistoryTableModel::Time));
    CHECK(panel->plantText() == "Diagnosed with 1 other photo as one plant: 2 of 2 photos: Trouser");
}

TEST_CASE("History: a damaged history file turns it off in words, and diagnosing goes on")
{
    ServerFixture server(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString damaged = folder.filePath(QStringLiteral("history.sqlite"));
    QFile file(damaged);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x')); // not SQLite at all
    file.close();
    WindowFixture fixture(QStringLiteral("orchard-client-history-damaged-tests"), damaged);
    CHECK_FALSE(fixture.window->history()->isOpen());
    CHECK(fixture.window->logText().contains("History is off: "));
    showHistory(fixture);
    HistoryPanel *panel = fixture.window->historyPanel();
    INFO(panel->countText().toStdString());
    CHECK(panel->countText().startsWith("History is off: "));
    CHECK(panel->countText().contains("damaged"));
    CHECK(panel->model()->rowCount() == 0);

    fixture.load({ kSamples + "/coat_0.png" });
    fixture.connectTo(server.port());
    fixture.window->predictAll();
    REQUIRE(fixture.waitAllDone());
    CHECK(fixture.window->images()->countWithStatus(ImageListModel::Status::Done) == 1);
    // The file is left as it was: the farmer's data is not overwritten.
    QFile after(damaged);
    REQUIRE(after.open(QIODevice::ReadOnly));
    CHECK(after.readAll() == QByteArray(4096, 'x'));
}

TEST_CASE("History: the field tag chosen in the window is remembered for the next start")
{
    WindowFixture fixture(QStringLiteral("orchard-client-history-tag-tests"));
    QComboBox *chooser = fixture.window->tagChooser();
    CHECK(chooser->currentText().isEmpty());
    chooser->setFocus();
    chooser->lineEdit()->selectAll();
    QTest::keyClicks(chooser->lineEdit(), "orchard row 4");
    QTest::keyClick(chooser->lineEdit(), Qt::Key_Return); // editingFinished
    CHECK(fixture.window->settings().historyTag == "orchard row 4");
    fixture.window->close();
    fixture.open();
    CHECK(fixture.window->tagChooser()->currentText() == "orchard row 4");
    CHECK(fixture.window->tagChooser()->lineEdit()->maxLength() == 100);
}
