// The farmer's window, offscreen, when its server goes away mid-batch: the status bar counts
// the reconnect attempts, says when the session is back and how many images go again, and
// offers Reconnect only after the last attempt failed. Real in-process servers with the
// real default model, in this thread's event loop: every wait here spins it.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>

#include "client/core/clientsettings.h"
#include "client/core/imagelistmodel.h"
#include "client/core/reconnectpolicy.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "client/ui/mainwindow.h"
#include "server/core/orchardserver.h"
#include "tests/clientgui/windowfixture.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
const QString kSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/** A real server on 127.0.0.1:port (0: any); batches wait 100 ms to fill, so 20 images last a while. */
std::unique_ptr<OrchardServer> startServer(quint16 port)
{
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = port;
    config.workers = 2;
    config.batchDelay = std::chrono::milliseconds(100);
    auto server = std::make_unique<OrchardServer>(config, defaultEngine(), QStringLiteral("test"));
    INFO(server->startError().toStdString());
    REQUIRE(server->start());
    return server;
}

/** A window with settings of its own (QSettings in test mode), shown offscreen, the samples loaded. */
struct Window : IsolatedSettings
{
    Window()
        : IsolatedSettings(QStringLiteral("orchard-client-failover-tests"))
    {
        window = std::make_unique<MainWindow>();
        window->show();
        REQUIRE(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy loaded(window.get(), &MainWindow::imagesLoaded);
        window->addPaths({ kSamples });
        REQUIRE((loaded.count() > 0 || loaded.wait(kWaitMs)));
        REQUIRE(window->images()->count() == 20);
    }

    bool reconnectOffered() const
    {
        for (const QToolButton *button : window->findChildren<QToolButton *>()) {
            if (button->text() == QLatin1String("Reconnect") && button->isVisible())
                return true;
        }
        return false;
    }

    int done() const { return window->images()->countWithStatus(ImageListModel::Status::Done); }

    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_CASE("Window: a server gone mid-batch is reconnected by itself and the batch finishes, each image once")
{
    Window fixture;
    auto first = startServer(0);
    const quint16 port = first->serverPort();
    fixture.window->setServer(QStringLiteral("127.0.0.1"), port);
    fixture.window->predictAll(); // connects, as a click on Predict All does
    REQUIRE(QTest::qWaitFor([&] { return fixture.done() >= 2; }, kWaitMs));

    first.reset();
    REQUIRE(QTest::qWaitFor([&] {
        return fixture.window->statusText().startsWith(QStringLiteral("Connection lost — reconnecting (attempt 2 of 5) in "));
    }, kWaitMs));
    INFO(fixture.window->statusText().toStdString());
    CHECK(fixture.window->statusText().endsWith(QStringLiteral(" s…")));
    CHECK_FALSE(fixture.reconnectOffered()); // not while it tries by itself
    CHECK(fixture.window->logText().contains(QStringLiteral("Reconnecting in ")));
    const int doneBefore = fixture.done();
    CHECK(doneBefore < 20);

    auto second = startServer(port);
    REQUIRE(QTest::qWaitFor([&] { return fixture.done() == 20; }, kWaitMs));
    CHECK(fixture.window->images()->countWithStatus(ImageListModel::Status::Failed) == 0);
    CHECK(fixture.window->statusText().startsWith(QStringLiteral("Connected to Orchard test at 127.0.0.1:")));
    CHECK_FALSE(fixture.reconnectOffered());
    CHECK(fixture.window->logText().contains(QRegularExpression(QStringLiteral("Reconnected — re-sending \\d+ images|Reconnected to 127\\.0\\.0\\.1"))));
    CHECK(fixture.window->queue()->isIdle());
    CHECK(fixture.window->queue()->doneCount() == 20);
}

TEST_CASE("Window: after the last reconnect attempt fails, Reconnect is offered with the reason")
{
    Window fixture;
    fixture.window->connection()->setReconnectPolicy(ReconnectPolicy(2)); // two tries, not five: a shorter test
    auto server = startServer(0);
    const quint16 port = server->serverPort();
    fixture.window->setServer(QStringLiteral("127.0.0.1"), port);
    fixture.window->predictAll();
    REQUIRE(QTest::qWaitFor([&] { return fixture.done() >= 2; }, kWaitMs));

    server.reset(); // and none comes back
    REQUIRE(QTest::qWaitFor([&] { return fixture.window->statusText().startsWith(QStringLiteral("Disconnected:")); },
                            kWaitMs));
    INFO(fixture.window->statusText().toStdString());
    CHECK(fixture.window->statusText().startsWith(
            QStringLiteral("Disconnected: Gave up reconnecting to 127.0.0.1:%1 after 2 attempts. Cannot reach").arg(port)));
    CHECK(fixture.reconnectOffered());
    const int kept = fixture.window->queue()->pendingCount();
    CHECK(kept == 20 - fixture.done());
    CHECK(fixture.window->logText().contains(QStringLiteral("%1 images are kept").arg(kept)));

    // The button's click starts over, with the whole policy again.
    auto back = startServer(port);
    for (QToolButton *button : fixture.window->findChildren<QToolButton *>()) {
        if (button->text() == QLatin1String("Reconnect"))
            button->click();
    }
    REQUIRE(QTest::qWaitFor([&] { return fixture.done() == 20; }, kWaitMs));
    CHECK_FALSE(fixture.reconnectOffered());
}
