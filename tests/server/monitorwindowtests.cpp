// The monitor window over a real server, shown offscreen.
#include <catch2/catch.hpp>

#include <vector>

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include "common/protocol/imagerequest.h"
#include "server/core/eventlogmodel.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/modeltablemodel.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/monitor/monitorwindow.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

struct MonitorFixture : ServerFixture
{
    explicit MonitorFixture(ServerConfig config = withWorkers(1))
        : ServerFixture(std::move(config))
        , sessions(server->events())
        , eventLog(server->events())
        , stats(server->events())
        , window(server.get(), &sessions, &eventLog, &stats)
    {
        sessions.setClosedRowLinger(0);
        window.show();
        REQUIRE(QTest::qWaitForWindowExposed(&window));
    }

    template<typename T>
    T *child(const char *name)
    {
        T *widget = window.findChild<T *>(QLatin1String(name));
        REQUIRE(widget);
        return widget;
    }

    SessionTableModel sessions;
    EventLogModel eventLog;
    ServerStats stats;
    MonitorWindow window;
};

/** The monitor over a server that serves a model repository (as --model-repository). */
struct RepositoryMonitor
{
    explicit RepositoryMonitor(const Repository &repository, ModelControl control = ModelControl::Explicit)
        : served(repository, control)
        , sessions(served.server->events())
        , eventLog(served.server->events())
        , stats(served.server->events())
        , window(served.server.get(), &sessions, &eventLog, &stats)
    {
        window.show();
        REQUIRE(QTest::qWaitForWindowExposed(&window));
        view = window.findChild<QTableView *>(QStringLiteral("modelView"));
        reload = window.findChild<QPushButton *>(QStringLiteral("reloadModelsButton"));
        REQUIRE(view);
        REQUIRE(reload);
    }

    /** The row of one version in the panel's table; -1 when it is not there. */
    int rowOf(qint64 version) const
    {
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            if (view->model()->index(row, ModelTableModel::Model).data().toString() == "fashion-mnist"
                && view->model()->index(row, ModelTableModel::Version).data().toLongLong() == version)
                return row;
        }
        return -1;
    }

    QString cell(qint64 version, int column, int role = Qt::DisplayRole) const
    {
        const int row = rowOf(version);
        return row < 0 ? QString() : view->model()->index(row, column).data(role).toString();
    }

    /** Clicks Reload models and waits, the event loop running, for the load it started to end. */
    void clickReloadAndWait()
    {
        REQUIRE(reload->isEnabled());
        QTest::mouseClick(reload, Qt::LeftButton);
        // The scan ran in the click; a new version is loading on the store's own thread.
        REQUIRE(served.store->isLoading());
        CHECK_FALSE(reload->isEnabled());
        CHECK(reload->text() == QStringLiteral("Reloading…"));
        QSignalSpy statusChanged(served.store.get(), &ModelStore::statusChanged);
        REQUIRE(QTest::qWaitFor([&] { return !served.store->isLoading(); }, 60000));
        CHECK(reload->isEnabled());
        CHECK(reload->text() == QStringLiteral("Reload models"));
        CHECK(statusChanged.count() >= 1);
    }

    RepositoryServer served;
    SessionTableModel sessions;
    EventLogModel eventLog;
    ServerStats stats;
    MonitorWindow window;
    /** The title of the tab the Models panel is in. */
    QString modelsTabTitle() const
    {
        const auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sessionsAndModelsTabs"));
        REQUIRE(tabs);
        return tabs->tabText(tabs->indexOf(window.findChild<QWidget *>(QStringLiteral("modelsPanel"))));
    }

    QTableView *view = nullptr;
    QPushButton *reload = nullptr;
};

bool logHas(const EventLogModel &log, const QString &event)
{
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.entry(row).event == event)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("Session rows appear and disappear with sessions, and the gauges follow")
{
    MonitorFixture fixture;
    auto *view = fixture.child<QTableView>("sessionView");
    auto *busy = fixture.child<QProgressBar>("busyGauge");
    auto *waiting = fixture.child<QProgressBar>("waitingGauge");

    auto first = std::make_unique<TestClient>(fixture.port());
    TestClient second(fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return view->model()->rowCount() == 2; }, 10000));
    REQUIRE(QTest::qWaitFor([&] { return busy->value() == 1 && waiting->value() == 1; }, 5000));
    CHECK(fixture.sessions.countInState(SessionTableModel::SessionState::Waiting) == 1);

    first->sendOffline();
    REQUIRE(first->waitDisconnected());
    REQUIRE(QTest::qWaitFor([&] { return view->model()->rowCount() == 1; }, 10000));
    REQUIRE(QTest::qWaitFor([&] { return waiting->value() == 0; }, 5000));
    CHECK(fixture.sessions.countInState(SessionTableModel::SessionState::Active) == 1);
}

TEST_CASE("The worker spin box resizes the pool while running")
{
    MonitorFixture fixture;
    auto *spin = fixture.child<QSpinBox>("workerSpin");
    CHECK(spin->value() == 1);
    auto first = std::make_unique<TestClient>(fixture.port());
    TestClient second(fixture.port());
    REQUIRE(second.waitForNext());
    CHECK(second.nextKind() == "queued");

    spin->setValue(3);
    CHECK(fixture.server->workerCount() == 3);
    REQUIRE(second.waitForNext());
    CHECK(second.nextKind() == "welcome");
}

TEST_CASE("The event log shows events and its filter narrows them")
{
    MonitorFixture fixture;
    auto *logView = fixture.child<QTableView>("eventLogView");
    auto *filter = fixture.child<QLineEdit>("logFilter");
    auto first = std::make_unique<TestClient>(fixture.port());
    TestClient second(fixture.port());
    REQUIRE(second.waitForNext());
    REQUIRE(QTest::qWaitFor([&] { return logHas(fixture.eventLog, "queued"); }, 5000));
    REQUIRE(QTest::qWaitFor([&] { return logHas(fixture.eventLog, "started"); }, 5000));
    CHECK(logHas(fixture.eventLog, "listening") == false); // started before the log existed

    const int all = logView->model()->rowCount();
    QTest::keyClicks(filter, "queued");
    CHECK(logView->model()->rowCount() == 1);
    CHECK(logView->model()->index(0, EventLogModel::Event).data().toString() == "queued");
    filter->clear();
    CHECK(logView->model()->rowCount() == all);
}

TEST_CASE("The inference line shows the threads, and the recent average batch once predictions ran")
{
    ServerConfig config = withWorkers(2);
    config.inferenceThreads = 2;
    config.maxBatch = 4;
    MonitorFixture fixture(std::move(config));
    auto *label = fixture.child<QLabel>("batchingLabel");
    CHECK(label->text().startsWith("Inference: 2 threads, batches of up to 4; 0 queued."));
    CHECK(label->text().endsWith("No predictions yet."));
    CHECK(label->toolTip().contains("--max-batch"));
    CHECK(label->toolTip().contains("--inference-threads"));

    // Two clients pipelining images, so the inference threads may find more than one queued.
    const QList<SampleImage> samples = sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int c = 0; c < 2; ++c) {
        clients.push_back(std::make_unique<TestClient>(fixture.port()));
        REQUIRE(clients.back()->waitForNext());
        REQUIRE(clients.back()->nextKind() == "welcome");
    }
    constexpr int kImagesEach = 12;
    for (int i = 0; i < kImagesEach; ++i) {
        for (auto &client : clients) {
            ImageRequest request;
            request.imageData = samples.at(i % samples.size()).bytes;
            request.messageId = i + 1;
            client->sendRaw(*request.toFrame(ImageBodyForm::Binary));
        }
    }
    for (auto &client : clients)
        REQUIRE(QTest::qWaitFor([&] { return client->predictionCount() == kImagesEach; }, 30000));
    CHECK(fixture.server->batcher().images() == 2 * kImagesEach);

    // The refresh timer samples the batcher's totals; the next refresh shows the passes.
    const QRegularExpression busy(
            QStringLiteral(R"(Last 5 s: average batch (\d+\.\d) images, queue (\d+\.\d\d) ms\.$)"));
    REQUIRE(QTest::qWaitFor([&] { return busy.match(label->text()).hasMatch(); }, 5000));
    const QString text = label->text();
    INFO(text.toStdString());
    CHECK(text.startsWith("Inference: 2 threads, batches of up to 4; 0 queued.\n"));
    const QRegularExpressionMatch figures = busy.match(text);
    const double averageBatch = figures.captured(1).toDouble();
    CHECK(averageBatch >= 1.0);
    CHECK(averageBatch <= 4.0);
    CHECK(figures.captured(2).toDouble() >= 0.0);

    // Five seconds with no pass and the line says so, rather than keep the old averages.
    REQUIRE(QTest::qWaitFor(
            [&] { return label->text().endsWith("Last 5 s: idle, no forward pass."); }, 15000));
}

TEST_CASE("The Models panel lists the served version, and Reload models brings a new one in as ready")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    RepositoryMonitor monitor(repository);
    REQUIRE(monitor.view->model()->rowCount() == 1);
    CHECK(monitor.cell(1, ModelTableModel::State) == "ready (default)");
    CHECK(monitor.reload->toolTip().contains("Scan the repository"));
    CHECK(monitor.modelsTabTitle() == "Models");

    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    monitor.clickReloadAndWait();
    REQUIRE(monitor.view->model()->rowCount() == 2);
    CHECK(monitor.cell(2, ModelTableModel::State) == "ready (default)");
    CHECK(monitor.cell(1, ModelTableModel::State) == "ready");
    CHECK(monitor.window.statusBar()->currentMessage() == "Reload: Loaded fashion-mnist version 2.");
    CHECK(logHas(monitor.eventLog, "model"));

    // Nothing new on disk: the reload is done at once, and says so.
    QTest::mouseClick(monitor.reload, Qt::LeftButton);
    CHECK_FALSE(monitor.served.store->isLoading());
    CHECK(monitor.reload->isEnabled());
    CHECK(monitor.window.statusBar()->currentMessage().contains("nothing changed"));
}

TEST_CASE("A version that fails to load shows in the Models panel as failed, with its reason")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    RepositoryMonitor monitor(repository);

    repository.addGarbageVersion(QStringLiteral("fashion-mnist"), 2);
    monitor.clickReloadAndWait();
    REQUIRE(monitor.rowOf(2) >= 0);
    CHECK(monitor.cell(2, ModelTableModel::State) == "failed");
    const QString reason = monitor.cell(2, ModelTableModel::Details);
    INFO(reason.toStdString());
    CHECK_FALSE(reason.isEmpty());
    CHECK(monitor.cell(2, ModelTableModel::State, Qt::ToolTipRole) == reason);
    // Version 1 still serves, and the status bar says what failed.
    CHECK(monitor.cell(1, ModelTableModel::State) == "ready (default)");
    CHECK(monitor.modelsTabTitle() == "Models (1 failed)"); // seen from the Sessions tab too
    const QString message = monitor.window.statusBar()->currentMessage();
    INFO(message.toStdString());
    CHECK(message.startsWith("Reload failed: "));
    CHECK(message.contains("fashion-mnist version 2"));

    // The same broken files again: nothing is retried, and the status bar says why.
    QTest::mouseClick(monitor.reload, Qt::LeftButton);
    CHECK_FALSE(monitor.served.store->isLoading());
    CHECK(monitor.window.statusBar()->currentMessage().contains("tried again once its files change"));
}

TEST_CASE("With --model-control none Reload models is disabled and says why")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    RepositoryMonitor monitor(repository, ModelControl::None);
    CHECK(monitor.view->model()->rowCount() == 1);
    CHECK_FALSE(monitor.reload->isEnabled());
    CHECK(monitor.reload->toolTip().contains("--model-control none"));

    // A click on a disabled button does nothing: no reload starts.
    QSignalSpy statusChanged(monitor.served.store.get(), &ModelStore::statusChanged);
    QTest::mouseClick(monitor.reload, Qt::LeftButton);
    CHECK_FALSE(monitor.served.store->isLoading());
    CHECK(statusChanged.isEmpty());
}
