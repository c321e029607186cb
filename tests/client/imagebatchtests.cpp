// ImageBatch, the client's record of a batch, driven as the window and `orchard-cli
// predict` drive it: through a real RequestQueue and ServerConnection against a real
// in-process server with the default model, over loopback.
#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QTest>

#include "client/core/imagebatch.h"
#include "client/core/imageloader.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
using Status = ImageBatch::Status;

LoadedImage loaded(const SampleImage &sample)
{
    LoadedImage image;
    image.path = sample.path;
    image.fileName = sample.fileName;
    image.bytes = sample.bytes;
    return image;
}

/** A batch over a live connection to a fresh server. */
struct BatchFixture
{
    BatchFixture()
        : queue(&connection)
        , batch(&queue)
    {
        connection.connectToServer(QStringLiteral("127.0.0.1"), server.port());
        REQUIRE(QTest::qWaitFor([this] { return connection.isConnected(); }, kWaitMs));
    }

    ServerFixture server;
    ServerConnection connection;
    RequestQueue queue;
    ImageBatch batch;
};

} // namespace

TEST_CASE("ImageBatch: add() lists a path once, append() as often as it is given")
{
    ServerConnection connection;
    RequestQueue queue(&connection);
    ImageBatch batch(&queue);
    QSignalSpy aboutToAdd(&batch, &ImageBatch::itemAboutToBeAdded);
    QSignalSpy added(&batch, &ImageBatch::itemAdded);
    const SampleImage sample = sampleImages().first();

    CHECK(batch.add(loaded(sample)) == 0);
    CHECK(batch.add(loaded(sample)) == 0);
    CHECK(batch.count() == 1);
    CHECK(batch.append(loaded(sample)) == 1);
    CHECK(batch.count() == 2);
    CHECK(aboutToAdd.count() == 2);
    CHECK(added.count() == 2);
    CHECK(batch.rowOf(sample.path) == 0);
    CHECK(batch.rowOf(QStringLiteral("/no/such/leaf.png")) == -1);
    CHECK(batch.countWithStatus(Status::New) == 2);
    CHECK(batch.rowsWithResult().isEmpty());
}

TEST_CASE("ImageBatch: each item goes New → Queued → Sent → Done, with the server's reply")
{
    BatchFixture fixture;
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() >= 3);
    QList<QList<Status>> seen(3);
    QObject::connect(&fixture.batch, &ImageBatch::itemChanged, &fixture.batch,
                     [&](int row) { seen[row].append(fixture.batch.item(row).status); });
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    for (int i = 0; i < 3; ++i)
        fixture.batch.add(loaded(samples.at(i)));
    for (int row = 0; row < 3; ++row)
        CHECK(fixture.batch.enqueue(row, 2));
    CHECK_FALSE(fixture.batch.enqueue(0, 2)); // already pending: not sent twice
    REQUIRE(QTest::qWaitFor([&] { return finished.count() == 3; }, kWaitMs));

    for (int row = 0; row < 3; ++row) {
        INFO("row " << row);
        const ImageBatch::Item &item = fixture.batch.item(row);
        CHECK(item.status == Status::Done);
        CHECK(item.hasResult);
        REQUIRE(item.reply.topK.size() == 2);
        CHECK_FALSE(item.reply.label.isEmpty());
        CHECK(item.reply.label == item.reply.topK.first().label);
        CHECK(item.reply.name == samples.at(row).fileName);
        CHECK(item.roundTripMs > 0.0);
        CHECK(item.error.isEmpty());
        CHECK(seen.at(row) == QList<Status> { Status::Queued, Status::Sent, Status::Done });
    }
    CHECK(fixture.batch.rowsWithResult() == QList<int> { 0, 1, 2 });
    // The window keeps the bytes for a re-run and the preview.
    CHECK(fixture.batch.item(0).image.bytes == samples.at(0).bytes);
}

TEST_CASE("ImageBatch: a bad image fails with the server's code, the others are answered")
{
    BatchFixture fixture;
    const SampleImage sample = sampleImages().first();
    LoadedImage text;
    text.path = text.fileName = QStringLiteral("notes.txt");
    text.bytes = "this is not an image";
    fixture.batch.add(text);
    fixture.batch.add(loaded(sample));
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    fixture.batch.enqueue(0, 3);
    fixture.batch.enqueue(1, 3);
    REQUIRE(QTest::qWaitFor([&] { return finished.count() == 2; }, kWaitMs));
    CHECK(fixture.batch.item(0).status == Status::Failed);
    CHECK(fixture.batch.item(0).errorCode == "BAD_IMAGE");
    CHECK_FALSE(fixture.batch.item(0).error.isEmpty());
    CHECK(fixture.batch.item(1).status == Status::Done);
}

TEST_CASE("ImageBatch: without kept bytes an answered item lets go of its file")
{
    BatchFixture fixture;
    fixture.batch.setKeepsBytes(false);
    const SampleImage sample = sampleImages().first();
    LoadedImage image = loaded(sample);
    image.bytes.clear();
    const int row = fixture.batch.append(image);
    fixture.batch.setBytes(row, sample.bytes); // as the CLI reads it, just before sending
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    fixture.batch.enqueue(row, 1);
    REQUIRE(finished.wait(kWaitMs));
    CHECK(fixture.batch.item(row).status == Status::Done);
    CHECK(fixture.batch.item(row).image.bytes.isEmpty());
}

TEST_CASE("ImageBatch: a re-run keeps the last result until the new one comes, cancel puts items back")
{
    BatchFixture fixture;
    const QList<SampleImage> samples = sampleImages();
    for (const SampleImage &sample : samples)
        fixture.batch.add(loaded(sample));
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    fixture.batch.enqueue(0, 1);
    REQUIRE(finished.wait(kWaitMs));
    const QString firstLabel = fixture.batch.item(0).reply.label;

    fixture.batch.enqueue(0, 1);
    CHECK(fixture.batch.item(0).isPending());
    CHECK(fixture.batch.item(0).hasResult);
    CHECK(fixture.batch.item(0).reply.label == firstLabel);
    REQUIRE(finished.wait(kWaitMs));
    CHECK(fixture.batch.item(0).status == Status::Done);

    // Nothing answers before the event loop runs again: everything queued is cancelled.
    fixture.queue.setMaxInFlight(1);
    for (int row = 1; row < fixture.batch.count(); ++row)
        fixture.batch.enqueue(row, 1);
    fixture.batch.cancel();
    CHECK(fixture.batch.countWithStatus(Status::Queued) == 0);
    CHECK(fixture.batch.countWithStatus(Status::Sent) == 0);
    CHECK(fixture.batch.countWithStatus(Status::New) == fixture.batch.count() - 1);
    CHECK(fixture.queue.isIdle());
}

TEST_CASE("ImageBatch: local failures and answers from elsewhere are results too")
{
    ServerConnection connection;
    RequestQueue queue(&connection);
    ImageBatch batch(&queue);
    LoadedImage folder;
    folder.path = QStringLiteral("/empty/folder");
    LoadedImage leaf;
    leaf.path = leaf.fileName = QStringLiteral("leaf.jpg");
    const int empty = batch.append(folder);
    const int answered = batch.append(leaf);
    QSignalSpy finished(&batch, &ImageBatch::itemFinished);

    batch.fail(empty, QStringLiteral("NO_IMAGES"), QStringLiteral("no image files in this folder"));
    PredictionReply reply;
    reply.label = QStringLiteral("rust");
    batch.answer(answered, reply, 4.0);

    CHECK(finished.count() == 2);
    CHECK(batch.item(empty).status == Status::Failed);
    CHECK(batch.item(empty).errorCode == "NO_IMAGES");
    CHECK(batch.item(answered).status == Status::Done);
    CHECK(batch.item(answered).reply.name == "leaf.jpg"); // filled in: binary replies carry none
    CHECK(batch.item(answered).roundTripMs == 4.0);
    CHECK(batch.rowsWithResult() == QList<int> { empty, answered });
}

TEST_CASE("ImageBatch: remove() takes scattered rows out range by range, the last range first")
{
    ServerConnection connection;
    RequestQueue queue(&connection);
    ImageBatch batch(&queue);
    for (int i = 0; i < 6; ++i) {
        LoadedImage image;
        image.path = image.fileName = QStringLiteral("leaf_%1.jpg").arg(i);
        batch.append(image);
    }
    QSignalSpy aboutToRemove(&batch, &ImageBatch::itemsAboutToBeRemoved);
    QSignalSpy removed(&batch, &ImageBatch::itemsRemoved);
    // Unsorted, repeated and out of range rows are taken as the set of rows in the batch.
    batch.remove({ 4, 1, 2, 5, -1, 9, 2 });

    REQUIRE(aboutToRemove.count() == 2);
    CHECK(aboutToRemove.at(0) == QVariantList { 4, 5 });
    CHECK(aboutToRemove.at(1) == QVariantList { 1, 2 });
    CHECK(removed.count() == 2);
    CHECK(removed.at(0) == QVariantList { 4, 5 });
    CHECK(removed.at(1) == QVariantList { 1, 2 });
    REQUIRE(batch.count() == 2);
    CHECK(batch.item(0).image.path == "leaf_0.jpg");
    CHECK(batch.item(1).image.path == "leaf_3.jpg"); // moved up from row 3
    CHECK(batch.rowOf(QStringLiteral("leaf_4.jpg")) == -1);

    batch.remove({});
    batch.remove({ 7 });
    CHECK(batch.count() == 2);
    CHECK(aboutToRemove.count() == 2); // nothing to take: no signal

    batch.clear();
    CHECK(batch.count() == 0);
    CHECK(aboutToRemove.last() == QVariantList { 0, 1 });
    batch.clear(); // an empty batch: nothing happens
    CHECK(aboutToRemove.count() == 3);
}

TEST_CASE("ImageBatch: removing pending photos cancels them and a late answer lands nowhere")
{
    BatchFixture fixture;
    // Named replies (the JSON form echoes the name) show which request an answer was for,
    // and the files themselves go as they are: enqueue() puts the first one on the wire at once.
    fixture.connection.setForceBase64(true);
    fixture.queue.setSendsOriginals(true);
    fixture.queue.setMaxInFlight(1);
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() >= 4);
    for (int i = 0; i < 4; ++i)
        fixture.batch.add(loaded(samples.at(i)));
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    int answers = 0; // every reply the connection reads, ours or dropped
    QObject::connect(&fixture.connection, &ServerConnection::predictionReceived, &fixture.batch,
                     [&answers] { ++answers; });
    for (int row = 0; row < 4; ++row)
        fixture.batch.enqueue(row, 1);
    REQUIRE(fixture.batch.item(0).status == Status::Sent);
    REQUIRE(fixture.batch.item(2).status == Status::Queued);

    // Row 0 is on the wire, row 2 waits in the line: both go, 1 and 3 move up to 0 and 1.
    fixture.batch.remove({ 2, 0 });
    REQUIRE(fixture.batch.count() == 2);
    CHECK(fixture.batch.item(0).image.path == samples.at(1).path);
    CHECK(fixture.batch.item(1).image.path == samples.at(3).path);
    CHECK(fixture.queue.totalCount() == 2);
    CHECK(fixture.batch.item(0).status == Status::Sent); // sent at once in the place row 0 left
    CHECK(fixture.batch.item(1).status == Status::Queued);

    // Three answers come: the removed row 0's (dropped) and the two left's.
    REQUIRE(QTest::qWaitFor([&] { return answers == 3 && finished.count() == 2; }, kWaitMs));
    CHECK(fixture.queue.isIdle());
    CHECK(fixture.queue.doneCount() == 2);
    QList<int> finishedRows;
    for (const QList<QVariant> &emitted : std::as_const(finished))
        finishedRows.append(emitted.at(0).toInt());
    CHECK(finishedRows == QList<int> { 0, 1 });
    for (int row = 0; row < 2; ++row) {
        INFO("row " << row);
        const ImageBatch::Item &item = fixture.batch.item(row);
        CHECK(item.status == Status::Done);
        CHECK(item.reply.name == item.image.fileName); // its own answer, not the removed one's
    }
    CHECK(fixture.batch.countWithStatus(Status::Done) == 2);
    CHECK(fixture.batch.rowsWithResult() == QList<int> { 0, 1 });
}

TEST_CASE("ImageBatch: clear() while photos are on their way leaves an empty batch and an idle queue")
{
    BatchFixture fixture;
    fixture.queue.setSendsOriginals(true);
    fixture.queue.setMaxInFlight(2);
    const QList<SampleImage> samples = sampleImages();
    for (const SampleImage &sample : samples)
        fixture.batch.add(loaded(sample));
    QSignalSpy finished(&fixture.batch, &ImageBatch::itemFinished);
    int answers = 0; // every reply the connection reads, ours or dropped
    QObject::connect(&fixture.connection, &ServerConnection::predictionReceived, &fixture.batch,
                     [&answers] { ++answers; });
    QSignalSpy batchFinished(&fixture.queue, &RequestQueue::batchFinished);
    for (int row = 0; row < fixture.batch.count(); ++row)
        fixture.batch.enqueue(row, 1);
    REQUIRE(fixture.queue.inFlightCount() == 2);

    fixture.batch.clear();
    CHECK(fixture.batch.count() == 0);
    CHECK(fixture.queue.isIdle());
    CHECK(fixture.queue.totalCount() == 0);
    CHECK(batchFinished.count() == 1);

    // The two answers on their way still come, and change nothing.
    REQUIRE(QTest::qWaitFor([&] { return answers == 2; }, kWaitMs));
    QCoreApplication::processEvents();
    CHECK(finished.isEmpty());
    CHECK(fixture.batch.count() == 0);

    // The batch is good for new photos afterwards.
    fixture.batch.add(loaded(samples.first()));
    fixture.batch.enqueue(0, 1);
    REQUIRE(finished.wait(kWaitMs));
    CHECK(fixture.batch.item(0).status == Status::Done);
}
