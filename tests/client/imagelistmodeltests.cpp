// ImageListModel, the image list's view of an ImageBatch, checked as Gwenview checks its
// models: Qt's QAbstractItemModelTester watches every change for broken model contracts.
#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/imageloader.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
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
    CHECK(fixture.model.index(failed).data(Qt::ToolTipRole).toString().endsWith("\nnot an image"));
    // The badge is painted over the thumbnail: the picture changes with the result.
    const QImage badged = fixture.model.index(answered).data(Qt::DecorationRole).value<QImage>();
    CHECK(badged.size() == plain.size());
    CHECK(badged != plain);
    CHECK(fixture.model.countWithStatus(ImageBatch::Status::Done) == 1);
    CHECK(fixture.model.item(failed).status == ImageBatch::Status::Failed);
}
