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
