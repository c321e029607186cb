// The monitor window over a real server, shown offscreen.
#include <catch2/catch.hpp>

#include <QLineEdit>
#include <QProgressBar>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include "server/core/eventlogmodel.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/monitor/monitorwindow.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

struct MonitorFixture : ServerFixture
{
    MonitorFixture()
        : ServerFixture(withWorkers(1))
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
