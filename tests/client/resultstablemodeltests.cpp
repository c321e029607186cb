// ResultsTableModel, the results table's view of an ImageBatch: rows appear as images get
// results, in batch order; a re-run updates its row; CSV quotes what needs quoting.
#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>

#include "client/core/imagebatch.h"
#include "client/core/requestqueue.h"
#include "client/core/resultstablemodel.h"
#include "client/core/serverconnection.h"
#include "tests/support/retranslatecheck.h"

using namespace orchard;

namespace {

struct TableFixture
{
    TableFixture()
        : queue(&connection)
        , batch(&queue)
        , model(&batch)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal)
    {
        for (const char *name : { "a.jpg", "b.jpg", "c.jpg" }) {
            LoadedImage image;
            image.path = image.fileName = QString::fromLatin1(name);
            batch.add(image);
        }
    }

    void answer(int row, const QString &label, double confidence, double ms)
    {
        PredictionReply reply;
        reply.label = label;
        reply.confidence = confidence;
        reply.timing.total = ms;
        batch.answer(row, reply);
    }

    ServerConnection connection; // never connected: nothing here needs the server
    RequestQueue queue;
    ImageBatch batch;
    ResultsTableModel model;
    QAbstractItemModelTester tester;
};

QString cell(const ResultsTableModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

TEST_CASE("ResultsTableModel: a row per image with a result, in batch order")
{
    TableFixture fixture;
    CHECK(fixture.model.rowCount() == 0);
    CHECK(fixture.model.columnCount() == ResultsTableModel::ColumnCount);
    fixture.answer(2, QStringLiteral("rust"), 0.8, 12.5);
    fixture.batch.fail(0, QStringLiteral("BAD_IMAGE"), QStringLiteral("not an image"));
    REQUIRE(fixture.model.rowCount() == 2);
    CHECK(fixture.model.batchRow(0) == 0); // c.jpg answered first, but a.jpg comes first
    CHECK(fixture.model.batchRow(1) == 2);
    CHECK(cell(fixture.model, 0, ResultsTableModel::File) == "a.jpg");
    CHECK(cell(fixture.model, 0, ResultsTableModel::Label) == "error: not an image");
    CHECK(cell(fixture.model, 0, ResultsTableModel::Confidence).isEmpty());
    CHECK(fixture.model.index(0, ResultsTableModel::File).data(Qt::ToolTipRole) == "not an image");
    CHECK(cell(fixture.model, 1, ResultsTableModel::Label) == "rust");
    CHECK(cell(fixture.model, 1, ResultsTableModel::Confidence) == "80.0 %");
    CHECK(cell(fixture.model, 1, ResultsTableModel::Milliseconds) == "12.5");
    CHECK(fixture.model.headerData(ResultsTableModel::Label, Qt::Horizontal, Qt::DisplayRole) == "Diagnosis");
}

TEST_CASE("ResultsTableModel: a re-run changes its row in place, queueing alone adds none")
{
    TableFixture fixture;
    fixture.batch.fail(1, QStringLiteral("INTERNAL"), QStringLiteral("the engine failed"));
    QSignalSpy inserted(&fixture.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&fixture.model, &QAbstractItemModel::dataChanged);
    fixture.answer(1, QStringLiteral("scab"), 0.5, 3.0);
    CHECK(inserted.isEmpty());
    REQUIRE(changed.count() == 1);
    CHECK(fixture.model.rowCount() == 1);
    CHECK(cell(fixture.model, 0, ResultsTableModel::Label) == "scab");
    fixture.batch.enqueue(0, 1); // not connected: it waits in the queue, no result yet
    CHECK(fixture.model.rowCount() == 1);
}

TEST_CASE("ResultsTableModel: CSV has a header, one line per row, and quotes where needed")
{
    ServerConnection connection;
    RequestQueue queue(&connection);
    ImageBatch batch(&queue);
    ResultsTableModel model(&batch);
    LoadedImage quoted;
    quoted.path = quoted.fileName = QStringLiteral("leaf, \"north\" field.jpg");
    LoadedImage broken;
    broken.path = broken.fileName = QStringLiteral("broken.png");
    PredictionReply reply;
    reply.label = QStringLiteral("rust");
    reply.confidence = 0.5;
    reply.timing.total = 1.0;
    reply.model = QStringLiteral("apple-leaf");
    reply.modelVersion = 3;
    batch.answer(batch.add(quoted), reply);
    batch.fail(batch.add(broken), QStringLiteral("BAD_IMAGE"), QStringLiteral("bad data,\nsorry"));
    LoadedImage older;
    older.path = older.fileName = QStringLiteral("older.jpg");
    reply.model = QStringLiteral("fashion, mnist"); // a server of one model may not name the version
    reply.modelVersion.reset();
    batch.answer(batch.add(older), reply);
    // The first five columns are what they always were: existing readers of the file still work.
    CHECK(model.toCsv()
          == "file,label,confidence,ms,error,model,model_version\r\n"
             "\"leaf, \"\"north\"\" field.jpg\",rust,0.5000,1.00,,apple-leaf,3\r\n"
             "broken.png,,,,\"bad data,\nsorry\",,\r\n"
             "older.jpg,rust,0.5000,1.00,,\"fashion, mnist\",\r\n");
}

TEST_CASE("ResultsTableModel: the Model column names the model and version that answered")
{
    TableFixture fixture;
    CHECK(fixture.model.headerData(ResultsTableModel::Model, Qt::Horizontal, Qt::DisplayRole) == "Model");
    PredictionReply reply;
    reply.label = QStringLiteral("scab");
    reply.model = QStringLiteral("apple-leaf");
    reply.modelVersion = 3;
    fixture.batch.answer(0, reply);
    reply.model = QStringLiteral("fashion-mnist");
    reply.modelVersion.reset();
    fixture.batch.answer(1, reply);
    fixture.batch.fail(2, QStringLiteral("UNKNOWN_MODEL"), QStringLiteral("No model named pear-leaf."));
    CHECK(cell(fixture.model, 0, ResultsTableModel::Model) == "apple-leaf v3");
    CHECK(cell(fixture.model, 1, ResultsTableModel::Model) == "fashion-mnist");
    CHECK(cell(fixture.model, 2, ResultsTableModel::Model).isEmpty());
}

TEST_CASE("ResultsTableModel: images taken out of the batch take their rows, the rest keep theirs")
{
    TableFixture fixture; // a.jpg, b.jpg, c.jpg
    for (const char *name : { "d.jpg", "e.jpg", "f.jpg" }) {
        LoadedImage image;
        image.path = image.fileName = QString::fromLatin1(name);
        fixture.batch.add(image);
    }
    // Results for a, c, d and f: table rows 0..3 are batch rows 0, 2, 3, 5.
    for (int row : { 0, 2, 3, 5 })
        fixture.answer(row, QStringLiteral("scab"), 0.5, 1.0);
    REQUIRE(fixture.model.rowCount() == 4);
    QSignalSpy removed(&fixture.model, &QAbstractItemModel::rowsRemoved);

    // b (no result), c and d (results) go: one range of the batch, two rows of the table.
    fixture.batch.remove({ 1, 2, 3 });
    REQUIRE(removed.count() == 1);
    CHECK(removed.at(0).at(1).toInt() == 1);
    CHECK(removed.at(0).at(2).toInt() == 2);
    REQUIRE(fixture.model.rowCount() == 2);
    CHECK(cell(fixture.model, 0, ResultsTableModel::File) == "a.jpg");
    CHECK(cell(fixture.model, 1, ResultsTableModel::File) == "f.jpg");
    CHECK(fixture.model.batchRow(1) == 2); // f.jpg moved up from batch row 5

    // An image without a result goes without a table row going; the rows behind still map.
    fixture.batch.remove({ 1 }); // e.jpg
    CHECK(removed.count() == 1);
    CHECK(fixture.model.batchRow(1) == 1);
    CHECK(cell(fixture.model, 1, ResultsTableModel::File) == "f.jpg");
    // A result that comes afterwards finds its row by the new numbering.
    fixture.answer(1, QStringLiteral("rust"), 0.9, 2.0);
    CHECK(cell(fixture.model, 1, ResultsTableModel::Label) == "rust");
    CHECK(fixture.model.rowCount() == 2);
    CHECK(fixture.model.toCsv().count(QStringLiteral("\r\n")) == 3);

    fixture.batch.clear();
    CHECK(fixture.model.rowCount() == 0);
    CHECK(fixture.model.toCsv() == "file,label,confidence,ms,error,model,model_version\r\n");
}

TEST_CASE("ResultsTableModel: a failed row is said in words to a screen reader, and retranslate() renews all")
{
    TableFixture fixture;
    fixture.batch.fail(0, QStringLiteral("BAD_IMAGE"), QStringLiteral("not an image"));
    fixture.answer(1, QStringLiteral("rust"), 0.8, 1234.5);
    CHECK(fixture.model.index(0, ResultsTableModel::File).data(Qt::AccessibleTextRole) == "a.jpg, failed: not an image");
    CHECK(fixture.model.index(1, ResultsTableModel::File).data(Qt::AccessibleTextRole) == "b.jpg");
    // The table's numbers as the language writes them; the CSV's stay machine-readable.
    CHECK(cell(fixture.model, 1, ResultsTableModel::Milliseconds) == QLocale().toString(1234.5, 'f', 1));
    CHECK(fixture.model.toCsv().contains("b.jpg,rust,0.8000,1234.50,"));

    orchard::test::checkRetranslateAnnounces(fixture.model, [&] { fixture.model.retranslate(); },
                                             { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}
