// Diagnose as One Plant in the farmer's window, offscreen, against a real in-process server
// with the default model: select photos, trigger the action, read the Plant tab.
#include <catch2/catch.hpp>

#include <QAction>
#include <QFile>
#include <QImage>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/clientsettings.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/ui/mainwindow.h"
#include "client/ui/plantresultpanel.h"
#include "tests/clientgui/windowfixture.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kPlantWaitMs = 30000;
const QString kPlantSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/** The window, under its own settings and history. */
struct PlantWindow : WindowFixture
{
    PlantWindow() : WindowFixture(QStringLiteral("orchard-client-plant-tests")) {}
};

} // namespace

TEST_CASE("Window: Diagnose as One Plant sends the selected photos and shows the combined diagnosis")
{
    ServerFixture server(withWorkers(2));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString mirrored = folder.filePath(QStringLiteral("trouser_0_mirrored.png"));
    REQUIRE(QImage(kPlantSamples + "/trouser_0.png").mirrored(true, false).save(mirrored, "PNG"));
    PlantWindow fixture;
    const QStringList files { kPlantSamples + "/trouser_0.png", kPlantSamples + "/trouser_1.png", mirrored,
                              kPlantSamples + "/bag_0.png" };
    fixture.load(files);
    REQUIRE(fixture.window->images()->count() == 4);
    fixture.window->setServer(QStringLiteral("127.0.0.1"), server.port());
    QAction *action = fixture.window->plantAction();
    QSignalSpy answered(fixture.window->batch(), &ImageBatch::itemFinished);

    // One photo is not a plant's worth of photos.
    fixture.select({ 0 });
    CHECK_FALSE(action->isEnabled());
    fixture.select({ fixture.rowOf(files.at(0)), fixture.rowOf(files.at(1)), fixture.rowOf(files.at(2)) });
    REQUIRE(action->isEnabled());
    action->trigger(); // none was diagnosed yet: it connects and sends all three
    PlantResultPanel *panel = fixture.window->plantPanel();
    const auto *tabs = fixture.window->findChild<QTabWidget *>(QStringLiteral("bottomTabs"));
    REQUIRE(tabs);
    CHECK(tabs->currentWidget() == panel);
    REQUIRE(QTest::qWaitFor([&] { return !panel->headlineText().isEmpty(); }, kPlantWaitMs));
    INFO(panel->agreementText().toStdString());
    CHECK(panel->headlineText().startsWith("Trouser "));
    CHECK(panel->headlineText().endsWith(" %"));
    CHECK(panel->agreementText() == "3 of 3 photos: Trouser");
    CHECK(panel->flaggedText().isEmpty());
    CHECK(fixture.window->batch()->countWithStatus(ImageBatch::Status::Done) == 3);
    CHECK(fixture.window->logText().contains("Plant (3 photos): Trouser "));

    // The bag added to the selection: the three diagnosed photos are not sent again, the
    // bag is, and it is flagged as the one that disagrees.
    fixture.select({ 0, 1, 2, 3 });
    action->trigger();
    REQUIRE(QTest::qWaitFor([&] { return panel->agreementText().startsWith("3 of 4"); }, kPlantWaitMs));
    CHECK(panel->agreementText() == "3 of 4 photos: Trouser");
    REQUIRE(panel->flaggedText().size() == 1);
    CHECK(panel->flaggedText().first().startsWith("bag_0.png — says Bag ("));
    CHECK(answered.count() == 4); // each photo answered once
}

TEST_CASE("Window: a photo that fails is named in the Plant tab and the rest still combine")
{
    ServerFixture server(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    // Loads (the client reads its header) but the server cannot decode it.
    const QString broken = folder.filePath(QStringLiteral("broken.png"));
    QFile file(broken);
    REQUIRE(file.open(QIODevice::WriteOnly));
    QFile original(kPlantSamples + "/sneaker_0.png");
    REQUIRE(original.open(QIODevice::ReadOnly));
    file.write(original.read(60)); // the signature and IHDR, then nothing
    file.close();
    PlantWindow fixture;
    fixture.load({ kPlantSamples + "/sneaker_0.png", kPlantSamples + "/sneaker_1.png", broken });
    REQUIRE(fixture.window->images()->count() == 3);
    fixture.window->setServer(QStringLiteral("127.0.0.1"), server.port());
    fixture.select({ 0, 1, 2 });
    fixture.window->diagnoseAsPlant();
    PlantResultPanel *panel = fixture.window->plantPanel();
    REQUIRE(QTest::qWaitFor([&] { return !panel->headlineText().isEmpty(); }, kPlantWaitMs));
    INFO(panel->agreementText().toStdString());
    CHECK(panel->agreementText() == "2 of 2 photos: Sneaker");
    REQUIRE(panel->flaggedText().size() == 1);
    CHECK(panel->flaggedText().first().startsWith("broken.png — failed: "));
}
