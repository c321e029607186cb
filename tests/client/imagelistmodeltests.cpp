// ImageListModel, the image list's view of an ImageBatch, checked as Gwenview checks its
// models: Qt's QAbstractItemModelTester watches every change for broken model contracts.
#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/imageloader.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "tests/support/retranslatecheck.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

struct ModelFixture
{
    ModelFixture()
        : queue(&connection)
        , batch(&queue)
        , model(&batch)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal)
    { }

    int addSample(int index)
    {
        const SampleImage sample = sampleImages().at(index);
        return batch.add(ImageLoader::load(sample.path));
    }

    ServerConnection connection; // never connected: nothing here needs the server
    RequestQueue queue;
    ImageBatch batch;
    ImageListModel model;
    QAbstractItemModelTester tester;
};

} // namespace

TEST_CASE("ImageListModel: rows follow the batch, one per image, inserted as they are added")
{
    ModelFixture fixture;
    QSignalSpy inserted(&fixture.model, &QAbstractItemModel::rowsInserted);
    CHECK(fixture.model.rowCount() == 0);
    fixture.addSample(0);
    fixture.addSample(1);
    fixture.addSample(0); // listed already: no new row
    CHECK(fixture.model.rowCount() == 2);
    CHECK(inserted.count() == 2);
    CHECK(fixture.model.rowCount(fixture.model.index(0)) == 0); // a list: no children
    const QModelIndex first = fixture.model.index(0);
    CHECK(first.data(ImageListModel::PathRole).toString() == sampleImages().at(0).path);
    CHECK(first.data(Qt::DisplayRole).toString() == sampleImages().at(0).fileName);
    CHECK(first.data(ImageListModel::StatusRole).toInt() == static_cast<int>(ImageBatch::Status::New));
    CHECK(first.data(Qt::ToolTipRole).toString().contains("28 × 28 pixels"));
}

TEST_CASE("ImageListModel: the label, the badge and the tooltip show the batch's result")
{
    ModelFixture fixture;
    const int answered = fixture.addSample(0);
    const int failed = fixture.addSample(1);
    const QImage plain = fixture.model.index(answered).data(Qt::DecorationRole).value<QImage>();
    REQUIRE_FALSE(plain.isNull());
    QSignalSpy changed(&fixture.model, &QAbstractItemModel::dataChanged);

    PredictionReply reply;
    reply.label = QStringLiteral("Ankle boot");
    reply.confidence = 0.93;
    fixture.batch.answer(answered, reply);
    fixture.batch.fail(failed, QStringLiteral("BAD_IMAGE"), QStringLiteral("not an image"));

    REQUIRE(changed.count() == 2);
    CHECK(changed.at(0).at(0).toModelIndex().row() == answered);
    CHECK(changed.at(1).at(0).toModelIndex().row() == failed);
    CHECK(fixture.model.index(answered).data().toString().endsWith("\nAnkle boot (93 %)"));
    CHECK(fixture.model.index(failed).data().toString().endsWith("\nerror"));
    CHECK(fixture.model.index(failed).data(Qt::ToolTipRole).toString().endsWith("\nFailed: not an image"));
    // The badge is painted over the thumbnail: the picture changes with the result.
    const QImage badged = fixture.model.index(answered).data(Qt::DecorationRole).value<QImage>();
    CHECK(badged.size() == plain.size());
    CHECK(badged != plain);
    CHECK(fixture.model.countWithStatus(ImageBatch::Status::Done) == 1);
    CHECK(fixture.model.item(failed).status == ImageBatch::Status::Failed);
}

TEST_CASE("ImageListModel: the badge says in words what its colour says, in the tooltip and to a screen reader")
{
    ModelFixture fixture;
    const int answered = fixture.addSample(0);
    const int failed = fixture.addSample(1);
    const int waiting = fixture.addSample(2);
    const QString waitingName = fixture.model.item(waiting).image.fileName;
    CHECK(fixture.model.index(answered).data(Qt::ToolTipRole).toString().endsWith("\nNot diagnosed yet"));

    PredictionReply reply;
    reply.label = QStringLiteral("Trouser");
    reply.confidence = 0.991;
    fixture.batch.answer(answered, reply);
    fixture.batch.fail(failed, QStringLiteral("BAD_IMAGE"), QStringLiteral("not an image"));
    fixture.batch.enqueue(waiting, 1); // never connected: it waits

    CHECK(ImageListModel::statusText(fixture.model.item(answered)) == "Done: Trouser 99 %");
    CHECK(ImageListModel::statusText(fixture.model.item(failed)) == "Failed: not an image");
    CHECK(ImageListModel::statusText(fixture.model.item(waiting)) == "Waiting");
    const QModelIndex done = fixture.model.index(answered);
    CHECK(done.data(Qt::ToolTipRole).toString().endsWith("\nDone: Trouser 99 %"));
    CHECK(done.data(Qt::AccessibleTextRole).toString()
          == fixture.model.item(answered).image.fileName + ", Done: Trouser 99 %");
    CHECK(done.data(Qt::AccessibleDescriptionRole) == done.data(Qt::ToolTipRole));
    CHECK(fixture.model.index(waiting).data(Qt::AccessibleTextRole).toString() == waitingName + ", Waiting");
    CHECK(fixture.model.index(failed).data(Qt::AccessibleTextRole).toString().endsWith(", Failed: not an image"));

    reply.uncertain = true;
    reply.confidence = 0.4;
    fixture.batch.answer(answered, reply);
    CHECK(ImageListModel::statusText(fixture.model.item(answered)) == "Done: Not sure: Trouser 40 %");

    // retranslate() tells the views that every row's words may have changed.
    checkRetranslateAnnounces(fixture.model, [&] { fixture.model.retranslate(); },
                              { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole });
}

TEST_CASE("ImageListModel: rows removed from the batch leave the list, pending ones too")
{
    ModelFixture fixture;
    for (int i = 0; i < 5; ++i)
        fixture.addSample(i);
    REQUIRE(fixture.model.rowCount() == 5);
    const QString third = fixture.model.item(3).image.path;
    fixture.batch.enqueue(1, 1); // never connected: it waits in the queue
    QSignalSpy aboutToRemove(&fixture.model, &QAbstractItemModel::rowsAboutToBeRemoved);
    QSignalSpy removed(&fixture.model, &QAbstractItemModel::rowsRemoved);

    fixture.batch.remove({ 0, 1, 4 });
    REQUIRE(removed.count() == 2);
    CHECK(removed.at(0).at(1).toInt() == 4);
    CHECK(removed.at(0).at(2).toInt() == 4);
    CHECK(removed.at(1).at(1).toInt() == 0);
    CHECK(removed.at(1).at(2).toInt() == 1);
    CHECK(aboutToRemove.count() == 2);
    CHECK(fixture.model.rowCount() == 2);
    CHECK(fixture.model.index(1).data(ImageListModel::PathRole).toString() == third);
    CHECK(fixture.queue.isIdle()); // the waiting photo's request went with it

    fixture.batch.clear();
    CHECK(fixture.model.rowCount() == 0);
    CHECK(removed.count() == 3);
    fixture.addSample(0); // and the list fills again
    CHECK(fixture.model.rowCount() == 1);
}

TEST_CASE("ImageListModel: thumbnails are made for the screen's density, 2x real pixels at a scale of 2")
{
    // A photo larger than a thumbnail, so that the density decides how many pixels it keeps.
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    QImage photo(400, 300, QImage::Format_RGB32);
    photo.fill(QColor(0x4c, 0xaf, 0x50));
    const QString path = folder.filePath(QStringLiteral("leaf.png"));
    REQUIRE(photo.save(path, "PNG"));

    const QImage made = ImageLoader::thumbnail(photo, ImageLoader::kThumbnailSize, 2.0);
    CHECK(made.size() == QSize(192, 144));
    CHECK(made.devicePixelRatio() == 2.0);
    CHECK(made.deviceIndependentSize() == QSizeF(96, 72));
    CHECK(ImageLoader::thumbnail(photo, 32, 1.0).size() == QSize(32, 24));
    // A small image is enlarged to the thumbnail's size, at any density.
    CHECK(ImageLoader::thumbnail(photo.scaled(28, 21), 96, 2.0).size() == QSize(192, 144));
    CHECK(ImageLoader::thumbnail(QImage(), 96, 2.0).isNull());

    const LoadedImage sharp = ImageLoader::load(path, ImageLoader::kThumbnailSize, 2.0);
    REQUIRE(sharp.isValid());
    CHECK(sharp.thumbnail.size() == QSize(192, 144));
    CHECK(sharp.thumbnail.devicePixelRatio() == 2.0);
    CHECK(sharp.dimensions == QSize(400, 300));
    const LoadedImage plain = ImageLoader::load(path);
    CHECK(plain.thumbnail.size() == QSize(96, 72));
    CHECK(plain.thumbnail.devicePixelRatio() == 1.0);

    // The list's decoration: 96 device-independent pixels, 192 real ones at 2x.
    ImageBatch::Item item;
    item.image = sharp;
    item.status = ImageBatch::Status::Done;
    const QImage badged = ImageListModel::badged(item, 2.0);
    CHECK(badged.size() == QSize(192, 192));
    CHECK(badged.devicePixelRatio() == 2.0);
    CHECK(badged.deviceIndependentSize() == QSizeF(96, 96));
    // The thumbnail fills its middle at full resolution: a real pixel there is the photo's green.
    CHECK(QColor(badged.pixel(96, 96)) == QColor(0x4c, 0xaf, 0x50));

    // Without a GUI (orchard-cli, this test) the density is 1.
    CHECK(ImageLoader::screenPixelRatio() == 1.0);
    ModelFixture fixture;
    fixture.batch.add(sharp);
    CHECK(fixture.model.index(0).data(Qt::DecorationRole).value<QImage>().devicePixelRatio() == 1.0);
}
