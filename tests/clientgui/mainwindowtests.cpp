// The farmer's window, offscreen, against real servers: an in-process OrchardServer on an
// ephemeral port, or a real orchard-server process when the test must kill it.
#include <catch2/catch.hpp>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSettings>
#include <QTcpServer>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QUrl>

#include "client/core/clientsettings.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/reconnectpolicy.h"
#include "client/core/requestqueue.h"
#include "client/core/resultstablemodel.h"
#include "client/core/serverconnection.h"
#include "client/ui/imagepreview.h"
#include "client/ui/mainwindow.h"
#include "client/ui/resultpanel.h"
#include "client/ui/settingsdialog.h"
#include "tests/clientgui/windowfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = kWindowWaitMs;
const QString kSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/** The window with the shipped samples at hand. */
struct SampleWindow : WindowFixture
{
    using WindowFixture::select;

    void select(const QString &fileName)
    {
        const int row = window->images()->rowOf(kSamples + QLatin1Char('/') + fileName);
        REQUIRE(row >= 0);
        window->imageList()->setCurrentIndex(window->images()->index(row));
    }

    /** Loads the 20 samples, connects, clicks Predict All and waits for every answer. */
    void predictAllSamples(quint16 port)
    {
        load({ kSamples });
        connectTo(port);
        window->predictAll();
        REQUIRE(waitAllDone());
    }
};

/** A real orchard-server process on a free port, for tests that must kill it. */
struct ServerProcess
{
    ServerProcess()
    {
        process.setProgram(QStringLiteral(ORCHARD_SERVER_PATH));
        process.setArguments({ QStringLiteral("--headless"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                               QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--threads"),
                               QStringLiteral("2") });
        process.start();
        static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+) \\(model"));
        REQUIRE(QTest::qWaitFor([&] {
            output += process.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch())
                port = static_cast<quint16>(match.captured(1).toUInt());
            return port != 0 || process.state() == QProcess::NotRunning;
        }, kWaitMs));
        REQUIRE(port != 0);
    }
    ~ServerProcess()
    {
        process.kill();
        process.waitForFinished(5000);
    }

    QProcess process;
    QByteArray output;
    quint16 port = 0;
};

} // namespace

TEST_CASE("Images load from a folder in natural order with thumbnails, without duplicates")
{
    SampleWindow fixture;
    fixture.load({ kSamples });
    ImageListModel *images = fixture.window->images();
    REQUIRE(images->count() == 20);
    CHECK(images->item(0).image.fileName == "ankle_boot_0.png");
    CHECK(images->item(19).image.fileName == "trouser_1.png");
    for (int row = 0; row < images->count(); ++row) {
        CHECK_FALSE(images->item(row).image.thumbnail.isNull());
        CHECK(images->item(row).image.dimensions == QSize(28, 28));
    }
    // The dialog stand-in: the same file again adds nothing; a missing one is reported.
    fixture.load({ kSamples + "/bag_0.png", kSamples + "/no_such_leaf.jpg" });
    CHECK(images->count() == 20);
    CHECK(fixture.window->logText().contains("no_such_leaf.jpg"));
}

TEST_CASE("Dropping files onto the window loads them")
{
    SampleWindow fixture;
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(kSamples + "/bag_0.png"), QUrl::fromLocalFile(kSamples + "/coat_1.png") });
    QSignalSpy loaded(fixture.window.get(), &MainWindow::imagesLoaded);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(fixture.window.get(), &enter);
    CHECK(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(fixture.window.get(), &drop);
    REQUIRE(loaded.wait(kWaitMs));
    REQUIRE(fixture.window->images()->count() == 2);
    CHECK(fixture.window->images()->item(1).image.fileName == "coat_1.png");
}

TEST_CASE("The preview keeps the aspect ratio and scales with the window")
{
    SampleWindow fixture;
    QTemporaryDir directory;
    QImage wide(300, 100, QImage::Format_RGB32);
    wide.fill(Qt::darkGreen);
    const QString path = directory.filePath("wide_leaf.png");
    REQUIRE(wide.save(path));
    fixture.load({ path });
    ImagePreview *preview = fixture.window->preview();
    REQUIRE(QTest::qWaitFor([&] { return !preview->image().isNull(); }, kWaitMs));
    CHECK(preview->caption().contains("wide_leaf.png"));
    CHECK(preview->caption().contains("300 × 100"));

    const QRect before = preview->imageRect();
    CHECK(before.width() == Approx(3.0 * before.height()).margin(2));
    CHECK(preview->rect().contains(before));
    fixture.window->resize(fixture.window->width() + 400, fixture.window->height() + 200);
    REQUIRE(QTest::qWaitFor([&] { return preview->imageRect().width() > before.width(); }, kWaitMs));
    const QRect after = preview->imageRect();
    CHECK(after.width() == Approx(3.0 * after.height()).margin(2));
    CHECK(preview->rect().contains(after));
}

TEST_CASE("Predict shows the right label, bars, advice and timing for a sample")
{
    ServerFixture server;
    SampleWindow fixture;
    fixture.load({ kSamples });
    fixture.connectTo(server.port());
    REQUIRE(fixture.waitConnected());
    CHECK(fixture.window->statusText().contains("Connected to Orchard"));
    CHECK(fixture.window->statusText().contains("fashion-mnist"));

    fixture.select("trouser_0.png");
    fixture.window->predictSelected();
    ResultPanel *panel = fixture.window->resultPanel();
    REQUIRE(QTest::qWaitFor([&] { return panel->labelText() == "Trouser"; }, kWaitMs));
    CHECK(panel->barCount() == 3);
    CHECK(panel->adviceText().contains("Fashion-MNIST"));
    const int row = fixture.window->images()->rowOf(kSamples + "/trouser_0.png");
    CHECK(fixture.window->images()->item(row).status == ImageListModel::Status::Done);
    CHECK(fixture.window->images()->countWithStatus(ImageListModel::Status::Done) == 1);
}

TEST_CASE("Predict all fills the results table and the progress bar reaches 100%")
{
    ServerFixture server;
    SampleWindow fixture;
    fixture.predictAllSamples(server.port());
    CHECK(fixture.window->results()->rowCount() == 20);
    auto *progress = fixture.window->findChild<QProgressBar *>("batchProgress");
    REQUIRE(progress);
    CHECK(progress->isVisible());
    CHECK(progress->maximum() == 20);
    CHECK(progress->value() == 20);
    int right = 0;
    for (const SampleImage &sample : sampleImages()) {
        const int row = fixture.window->images()->rowOf(sample.path);
        right += fixture.window->images()->item(row).reply.label == sample.expectedLabel;
    }
    CHECK(right >= 18);
}

TEST_CASE("CSV export writes every result with a header, quoting where needed")
{
    ServerFixture server;
    SampleWindow fixture;
    fixture.predictAllSamples(server.port());

    QTemporaryDir directory;
    const QString path = directory.filePath("results.csv");
    REQUIRE(fixture.window->exportCsv(path));
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split("\r\n", Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 21);
    CHECK(lines.first() == "file,label,confidence,ms,error,model,model_version");
    CHECK(lines.at(1).startsWith("ankle_boot_0.png,Ankle boot,0.9"));
    CHECK(lines.filter(QRegularExpression("^trouser_0\\.png,Trouser,0\\.\\d{4},\\d+\\.\\d{2},,fashion-mnist,\\d+$")).size() == 1);

    // A file name that needs quoting, in a batch of its own.
    ServerConnection connection;
    RequestQueue queue(&connection);
    ImageBatch batch(&queue);
    ResultsTableModel model(&batch);
    LoadedImage leaf;
    leaf.path = leaf.fileName = "leaf, \"north\" field.jpg";
    PredictionReply reply;
    reply.label = "rust";
    reply.confidence = 0.5;
    reply.timing.total = 1.0;
    batch.answer(batch.add(leaf), reply);
    CHECK(model.toCsv().contains("\"leaf, \"\"north\"\" field.jpg\",rust,0.5000,1.00,"));
}

TEST_CASE("The status bar says when we wait for a free worker, and clears when served")
{
    ServerFixture server(withWorkers(1));
    auto holder = std::make_unique<TestClient>(server.port());
    REQUIRE(holder->waitForNext());
    SampleWindow fixture;
    fixture.connectTo(server.port());
    REQUIRE(QTest::qWaitFor([&] {
        return fixture.window->statusText() == "Waiting for a free server worker (position 1 of 1)";
    }, kWaitMs));
    holder->sendOffline();
    REQUIRE(fixture.waitConnected());
    CHECK(fixture.window->statusText().startsWith("Connected to"));
    CHECK_FALSE(fixture.window->statusText().contains("Waiting"));
}

TEST_CASE("An unreachable server is reported in words with Reconnect offered")
{
    QTcpServer probe;
    REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    SampleWindow fixture;
    fixture.connectTo(closedPort);
    REQUIRE(QTest::qWaitFor([&] { return fixture.window->statusText().startsWith("Disconnected:"); }, kWaitMs));
    CHECK(fixture.window->statusText().contains(QStringLiteral("Cannot reach the server at 127.0.0.1:%1").arg(closedPort)));
    bool offered = false;
    for (QToolButton *button : fixture.window->findChildren<QToolButton *>())
        offered = offered || (button->text() == "Reconnect" && button->isVisible());
    CHECK(offered);
}

TEST_CASE("Server killed mid-batch: error in the status bar, images kept, reconnect finishes the batch")
{
    SampleWindow fixture;
    fixture.load({ kSamples });
    fixture.window->queue()->setMaxInFlight(1);
    // The manual path: no automatic reconnecting (tests/client/windowfailovertests.cpp has it).
    fixture.window->connection()->setReconnectPolicy(ReconnectPolicy(0));
    auto first = std::make_unique<ServerProcess>();
    fixture.connectTo(first->port);
    REQUIRE(fixture.waitConnected());
    fixture.window->predictAll();
    REQUIRE(QTest::qWaitFor([&] { return fixture.window->results()->rowCount() >= 3; }, kWaitMs));
    first->process.kill();
    REQUIRE(QTest::qWaitFor([&] { return fixture.window->statusText().startsWith("Disconnected:"); }, kWaitMs));
    const int doneBefore = fixture.window->images()->countWithStatus(ImageListModel::Status::Done);
    CHECK(doneBefore < 20);
    CHECK(fixture.window->images()->count() == 20);
    CHECK(fixture.window->results()->rowCount() == doneBefore);
    CHECK(fixture.window->queue()->pendingCount() == 20 - doneBefore);

    ServerProcess second;
    fixture.window->setServer("127.0.0.1", second.port);
    fixture.window->connectToServer();
    REQUIRE(fixture.waitAllDone());
    CHECK(fixture.window->images()->countWithStatus(ImageListModel::Status::Done) == 20);
    CHECK(fixture.window->results()->rowCount() == 20);
    CHECK(fixture.window->statusText().startsWith("Connected to"));
}

TEST_CASE("Closing the window sends the offline message and shows the server's reply")
{
    ServerFixture server;
    QSignalSpy ended(server.server->events(), &ServerEvents::sessionEnded);
    SampleWindow fixture;
    fixture.connectTo(server.port());
    REQUIRE(fixture.waitConnected());
    fixture.window->close();
    REQUIRE(QTest::qWaitFor([&] { return !fixture.window->isVisible(); }, kWaitMs));
    CHECK(fixture.window->logText().contains("Server says goodbye: Orchard client signing off 20"));
    REQUIRE(QTest::qWaitFor([&] { return ended.count() == 1; }, kWaitMs));
    CHECK(ended.at(0).at(1).toString() == "offline");
}

TEST_CASE("Settings chosen in the dialog persist for the next start")
{
    IsolatedSettings isolated;
    {
        SettingsDialog dialog(ClientSettings::load());
        dialog.findChild<QLineEdit *>("hostEdit")->setText("orchard.farm.local");
        dialog.findChild<QSpinBox *>("portSpin")->setValue(6060);
        dialog.findChild<QSpinBox *>("topKSpin")->setValue(5);
        dialog.accept();
        CHECK(dialog.result() == QDialog::Accepted);
    }
    const ClientSettings loaded = ClientSettings::load();
    CHECK(loaded.host == "orchard.farm.local");
    CHECK(loaded.port == 6060);
    CHECK(loaded.topK == 5);
    MainWindow window;
    CHECK(window.settings().host == "orchard.farm.local");
    CHECK(window.settings().port == 6060);
}

TEST_CASE("The window keeps handling events while a 10 MB photo uploads")
{
    ServerFixture server;
    SampleWindow fixture;
    // Noise does not compress: a 1900 × 1800 RGB PNG of noise is about 10 MB.
    QImage noise(1900, 1800, QImage::Format_RGB888);
    for (int y = 0; y < noise.height(); ++y) {
        auto *line = reinterpret_cast<quint32 *>(noise.scanLine(y));
        QRandomGenerator::global()->fillRange(line, noise.bytesPerLine() / 4);
    }
    QTemporaryDir directory;
    const QString path = directory.filePath("big_field_photo.png");
    REQUIRE(noise.save(path, "PNG", 0));
    REQUIRE(QFileInfo(path).size() > 9'000'000);
    fixture.load({ path });
    fixture.connectTo(server.port());
    REQUIRE(fixture.waitConnected());
    fixture.window->connection()->setForceBase64(true); // 13 MB on the wire

    int ticks = 0;
    int ticksWhileUploading = 0;
    QTimer timer;
    timer.setInterval(0);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        ++ticks;
        if (fixture.window->connection()->bytesToWrite() > 0)
            ++ticksWhileUploading;
    });
    timer.start();
    fixture.window->predictAll();
    REQUIRE(fixture.waitAllDone());
    timer.stop();
    // If sending blocked the GUI thread, no timer event could run while bytes were queued.
    CHECK(ticksWhileUploading > 0);
    CHECK(ticks > ticksWhileUploading);
    CHECK(fixture.window->images()->item(0).status == ImageListModel::Status::Done);
}
