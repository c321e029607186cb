// The monitor window over a real server, shown offscreen.
#include <catch2/catch.hpp>

#include "tests/support/retranslatecheck.h"

#include <algorithm>
#include <vector>

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTranslator>

#include "common/i18n/uilanguage.h"
#include "common/protocol/imagerequest.h"
#include "server/core/eventlogmodel.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/modeltablemodel.h"
#include "server/core/serverevents.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/monitor/monitorwindow.h"
#include "server/monitor/throughputplot.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

namespace Catch {
template<>
struct StringMaker<QString>
{
    static std::string convert(const QString &text) { return '"' + text.toStdString() + '"'; }
};
} // namespace Catch

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

/** A text of the window as the installed catalogs have it (the source itself when none does). */
QString monitorText(const char *source, int n = -1)
{
    return QCoreApplication::translate("orchard::MonitorWindow", source, nullptr, n);
}

bool hasCjk(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
}

/**
 * Sends the LanguageChange events a translator change posted, as the event loop would:
 * QApplication posts one to each window, which hands it to every widget in it.
 */
void deliverLanguageChange()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
}

/**
 * A stand-in catalog for the switch itself, independent of what the .ts files hold yet:
 * every text of ours comes back with kMark in front, so a text that is not marked after
 * the switch either does not go through tr() or is not set again in retranslateUi().
 */
class MarkingTranslator : public QTranslator
{
public:
    static inline const QString kMark = QStringLiteral("\u8bd1\u00b7"); // "译·"

    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        if (!QByteArray(context).startsWith("orchard::"))
            return {};
        return kMark + QString::fromUtf8(sourceText);
    }
};

bool marked(const QString &text)
{
    return text.startsWith(MarkingTranslator::kMark);
}

/** Installs a MarkingTranslator for its lifetime, each change delivered. */
struct MarkedLanguage
{
    MarkedLanguage()
    {
        REQUIRE(QCoreApplication::installTranslator(&translator));
        deliverLanguageChange();
    }
    ~MarkedLanguage()
    {
        QCoreApplication::removeTranslator(&translator);
        deliverLanguageChange();
    }
    MarkingTranslator translator;
};

/** English again (and its catalog, as orchard-server installs it) when a test that switched ends. */
struct EnglishAtEnd
{
    ~EnglishAtEnd()
    {
        UiLanguage::apply(QStringLiteral("orchard-monitor"), QStringLiteral("en"));
        deliverLanguageChange();
    }
};

/** QSettings of a test organisation, in QStandardPaths' test folder, with no language saved. */
struct TestSettings
{
    TestSettings()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("OrchardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("orchard-monitor-tests"));
        QSettings().remove(QStringLiteral("display/language"));
    }
    ~TestSettings() { QSettings().remove(QStringLiteral("display/language")); }
};

/** The texts of the window a language switch must change: titles, labels, buttons, headers, menus. */
QStringList visibleTexts(MonitorWindow &window)
{
    QStringList texts { window.windowTitle(), window.statusBar()->currentMessage() };
    for (const QTabWidget *tabs : window.findChildren<QTabWidget *>()) {
        for (int tab = 0; tab < tabs->count(); ++tab)
            texts << tabs->tabText(tab) << tabs->tabToolTip(tab);
    }
    for (const QGroupBox *box : window.findChildren<QGroupBox *>())
        texts << box->title();
    for (const QLabel *label : window.findChildren<QLabel *>()) {
        if (label->objectName() != QLatin1String("uptimeLabel")) // its figure moves on meanwhile
            texts << label->text();
    }
    for (const QPushButton *button : window.findChildren<QPushButton *>())
        texts << button->text() << button->toolTip() << button->accessibleName();
    for (const QLineEdit *edit : window.findChildren<QLineEdit *>()) {
        if (!edit->placeholderText().isEmpty())
            texts << edit->placeholderText() << edit->accessibleName();
    }
    for (const QProgressBar *gauge : window.findChildren<QProgressBar *>())
        texts << gauge->format() << gauge->toolTip() << gauge->accessibleName();
    for (const QTableView *view : window.findChildren<QTableView *>()) {
        texts << view->accessibleName();
        for (int column = 0; column < view->model()->columnCount(); ++column)
            texts << view->model()->headerData(column, Qt::Horizontal).toString();
    }
    for (const QAction *menu : window.menuBar()->actions()) {
        texts << menu->text();
        for (const QAction *action : menu->menu()->actions()) {
            if (!action->isSeparator() && !action->menu())
                texts << action->text();
        }
    }
    const auto *plot = window.findChild<ThroughputPlot *>();
    texts << plot->toolTip() << plot->accessibleName() << plot->accessibleDescription();
    return texts;
}

/** The widgets a keyboard or a screen reader reaches; not the parts of one (a spin box's line edit). */
QList<QWidget *> interactiveWidgets(QWidget &window)
{
    const auto isInteractive = [](QWidget *widget) {
        return qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget)
                || qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractSpinBox *>(widget)
                || qobject_cast<QAbstractItemView *>(widget) || qobject_cast<QTabWidget *>(widget)
                || qobject_cast<QTabBar *>(widget) || qobject_cast<QSlider *>(widget) || qobject_cast<QProgressBar *>(widget)
                || qobject_cast<QMenuBar *>(widget) || qobject_cast<ThroughputPlot *>(widget);
    };
    const auto isPart = [&window](QWidget *widget) {
        for (QWidget *parent = widget->parentWidget(); parent && parent != &window; parent = parent->parentWidget()) {
            if (qobject_cast<QAbstractSpinBox *>(parent) || qobject_cast<QLineEdit *>(parent)
                || qobject_cast<QComboBox *>(parent) || qobject_cast<QAbstractItemView *>(parent)
                || qobject_cast<QTabBar *>(parent) || qobject_cast<QMenuBar *>(parent))
                return true;
        }
        return false;
    };
    QList<QWidget *> found;
    for (QWidget *widget : window.findChildren<QWidget *>()) {
        if (isInteractive(widget) && !isPart(widget) && !widget->isWindow())
            found.append(widget);
    }
    return found;
}

QString describe(const QWidget *widget)
{
    return QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName());
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
    // The count in a plural form: "2 threads" once the English catalog has it (see "With the
    // English catalog…" below); the line itself is checked whichever catalog is installed.
    const QString inference = monitorText("Inference: %n thread(s), batches of up to %1; %2 queued.", 2).arg("4", "0");
    CHECK(label->text().startsWith(inference));
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
    CHECK(text.startsWith(inference + "\n"));
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

TEST_CASE("Every text of the window follows a language switch at run time, and comes back")
{
    MonitorFixture fixture;
    // A session and its events, so the tables have rows whose words are the models' own.
    TestClient client(fixture.port());
    REQUIRE(client.waitForNext());
    REQUIRE(QTest::qWaitFor([&] { return fixture.sessions.rowCount() == 1 && logHas(fixture.eventLog, "started"); }, 5000));
    auto *sessionView = fixture.child<QTableView>("sessionView");
    auto *logView = fixture.child<QTableView>("eventLogView");
    const auto startedRow = [&] {
        for (int row = 0; row < logView->model()->rowCount(); ++row) {
            if (fixture.eventLog.entry(row).event == "started")
                return row; // the proxy is unfiltered: its rows are the log's
        }
        return -1;
    };
    REQUIRE(startedRow() >= 0);
    // The figures as they stand, so that only the language differs between the snapshots.
    auto *totals = fixture.child<QLabel>("totalsLabel");
    REQUIRE(QTest::qWaitFor([&] { return totals->text().contains("sessions: 1,"); }, 5000));
    const QStringList english = visibleTexts(fixture.window);
    CHECK(english.contains("Sessions"));
    CHECK(english.contains("Peer"));

    {
        MarkedLanguage marking;
        const QStringList texts = visibleTexts(fixture.window);
        for (const QString &text : texts) {
            INFO(text.toStdString());
            // The languages' own names stay as they are; a model's folder is a path.
            if (text == "English" || text == QStringLiteral("\u7b80\u4f53\u4e2d\u6587"))
                continue;
            CHECK(marked(text));
        }
        CHECK(marked(sessionView->model()->index(0, SessionTableModel::State).data().toString()));
        CHECK(marked(logView->model()->index(startedRow(), EventLogModel::Event).data().toString()));
        // The details stay English: the journal has them so.
        CHECK_FALSE(marked(logView->model()->index(startedRow(), EventLogModel::Details).data().toString()));
        // The journal's word still finds the row.
        CHECK(logView->model()->index(startedRow(), EventLogModel::Event).data(EventLogModel::FilterTextRole)
                      .toString()
                      .contains("started"));
    }

    const QStringList back = visibleTexts(fixture.window);
    CHECK(back == english);
    CHECK(sessionView->model()->index(0, SessionTableModel::State).data().toString() == "active");
}

TEST_CASE("Switching to Chinese at run time shows the catalog's translations, and English again")
{
    // Passes once server/translations/orchard-monitor_zh_CN.ts has its translations.
    MonitorFixture fixture;
    EnglishAtEnd english;
    auto *tabs = fixture.child<QTabWidget>("sessionsAndModelsTabs");
    auto *startStop = fixture.child<QPushButton>("startStopButton");
    auto *sessionView = fixture.child<QTableView>("sessionView");
    auto *viewMenu = fixture.child<QMenu>("viewMenu");
    const auto sessionsTab = [&] { return tabs->tabText(0); };
    const auto peerHeader = [&] {
        return sessionView->model()->headerData(SessionTableModel::Peer, Qt::Horizontal).toString();
    };
    CHECK(sessionsTab() == "Sessions");
    CHECK(startStop->text() == "Stop");
    CHECK(peerHeader() == "Peer");
    CHECK(viewMenu->title() == "&View");

    REQUIRE(UiLanguage::apply(QStringLiteral("orchard-monitor"), QStringLiteral("zh_CN")) == "zh_CN");
    deliverLanguageChange();
    const QString sessions = monitorText("Sessions");
    INFO("Sessions: " << sessions.toStdString());
    CHECK(hasCjk(sessions));
    CHECK(sessionsTab() == sessions);
    CHECK(hasCjk(startStop->text()));
    CHECK(startStop->text() == monitorText("Stop"));
    CHECK(hasCjk(peerHeader()));
    CHECK(peerHeader() == QCoreApplication::translate("orchard::SessionTableModel", "Peer"));
    CHECK(hasCjk(viewMenu->title()));
    CHECK(viewMenu->title() == monitorText("&View"));
    CHECK(hasCjk(fixture.window.windowTitle()));

    REQUIRE(UiLanguage::apply(QStringLiteral("orchard-monitor"), QStringLiteral("en")) == "en");
    deliverLanguageChange();
    CHECK(sessionsTab() == "Sessions");
    CHECK(startStop->text() == "Stop");
    CHECK(peerHeader() == "Peer");
    CHECK(viewMenu->title() == "&View");
    CHECK(fixture.window.windowTitle() == "Orchard server monitor");
}

TEST_CASE("With the English catalog, counts are written in their English plural forms")
{
    // Passes once server/translations/orchard-monitor_en.ts has the plural forms.
    EnglishAtEnd english;
    UiLanguage::apply(QStringLiteral("orchard-monitor"), QStringLiteral("en"));
    ServerConfig config = withWorkers(2);
    config.inferenceThreads = 2;
    config.maxBatch = 4;
    MonitorFixture fixture(std::move(config));
    CHECK(fixture.child<QLabel>("batchingLabel")->text().startsWith("Inference: 2 threads, batches of up to 4; 0 queued."));
    CHECK(fixture.child<ThroughputPlot>("throughputPlot")->toolTip().endsWith("over the last 5 minutes"));
}

TEST_CASE("View > Language applies the choice at once and keeps it for the next start")
{
    TestSettings settings;
    EnglishAtEnd english;
    {
        MonitorFixture fixture;
        auto *system = fixture.child<QAction>("languageAction_system");
        auto *chinese = fixture.child<QAction>("languageAction_zh_CN");
        auto *englishAction = fixture.child<QAction>("languageAction_en");
        CHECK(system->isChecked()); // nothing saved: as the system
        CHECK(chinese->text() == QStringLiteral("\u7b80\u4f53\u4e2d\u6587")); // in its own language
        CHECK(englishAction->text() == "English");

        chinese->trigger();
        CHECK(UiLanguage::current() == "zh_CN");
        CHECK(MonitorWindow::savedLanguage() == "zh_CN");
        CHECK(chinese->isChecked());
        CHECK_FALSE(system->isChecked());
        deliverLanguageChange();
        CHECK(chinese->text() == QStringLiteral("\u7b80\u4f53\u4e2d\u6587")); // the languages keep their names

        englishAction->trigger();
        CHECK(UiLanguage::current() == "en");
        CHECK(MonitorWindow::savedLanguage() == "en");
        CHECK_FALSE(chinese->isChecked());

        system->trigger();
        CHECK(MonitorWindow::savedLanguage().isEmpty());
        CHECK(UiLanguage::current() == UiLanguage::resolve(QString()));
        chinese->trigger();
    }
    // The next window (orchard-server applies the saved language before making it) shows the choice.
    MonitorFixture next;
    CHECK(next.child<QAction>("languageAction_zh_CN")->isChecked());
    CHECK_FALSE(next.child<QAction>("languageAction_system")->isChecked());
}

TEST_CASE("File > Quit closes the window as closing it does, and Help > About names the versions")
{
    MonitorFixture fixture;
    fixture.child<QAction>("aboutAction")->trigger();
    auto *about = fixture.child<QMessageBox>("aboutBox");
    CHECK(about->isVisible());
    CHECK(about->text().contains(QString::fromLatin1(qVersion())));
    CHECK(about->text().contains(QCoreApplication::applicationVersion()));
    about->close();

    QSignalSpy closed(&fixture.window, &MonitorWindow::closed);
    auto *quit = fixture.child<QAction>("quitAction");
    CHECK(quit->shortcut() == QKeySequence(QKeySequence::Quit));
    quit->trigger();
    CHECK(closed.count() == 1);
    CHECK_FALSE(fixture.window.isVisible());
}

TEST_CASE("Every interactive widget of the window has an accessible name")
{
    Repository repository; // the Models panel with its Reload button enabled, as --model-repository
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    RepositoryMonitor monitor(repository);
    const QList<QWidget *> widgets = interactiveWidgets(monitor.window);
    CHECK(widgets.size() >= 10);
    for (QWidget *widget : widgets) {
        INFO(describe(widget).toStdString());
        CHECK_FALSE(widget->accessibleName().trimmed().isEmpty());
    }
    // Those whose name alone does not say what they do or count say it in a description.
    for (const char *name : { "busyGauge", "waitingGauge", "workerSpin", "startStopButton", "reloadModelsButton",
                              "logFilter", "sessionView", "modelView", "eventLogView" }) {
        INFO(name);
        auto *widget = monitor.window.findChild<QWidget *>(QLatin1String(name));
        REQUIRE(widget);
        CHECK_FALSE(widget->accessibleDescription().isEmpty());
    }
}

TEST_CASE("Keyboard focus moves through the window in the order of its layout")
{
    MonitorFixture fixture;
    const QStringList order { "startStopButton", "workerSpin", "sessionsAndModelsTabs", "sessionView",
                              "reloadModelsButton", "modelView", "logFilter", "eventLogView" };
    QStringList seen;
    QWidget *widget = fixture.child<QWidget>("startStopButton");
    // One round of the chain: each widget of the window once at most.
    for (int step = 0; step < 500 && seen.size() < order.size(); ++step) {
        if (order.contains(widget->objectName()) && !seen.contains(widget->objectName()))
            seen << widget->objectName();
        widget = widget->nextInFocusChain();
    }
    CHECK(seen == order);
}

TEST_CASE("The throughput plot says its latest figures in its accessible description")
{
    MonitorFixture fixture;
    auto *plot = fixture.child<ThroughputPlot>("throughputPlot");
    CHECK_FALSE(plot->accessibleName().isEmpty());
    CHECK_FALSE(plot->accessibleDescription().isEmpty());
    CHECK(plot->focusPolicy() == Qt::NoFocus);

    for (double latency : { 10.0, 12.0, 14.0, 80.0 })
        fixture.stats.recordImage(latency);
    fixture.stats.closeSample();
    REQUIRE_FALSE(fixture.stats.samples().empty());
    const ServerStats::Sample &latest = fixture.stats.samples().back();
    REQUIRE(latest.images == 4);
    const QString description = plot->accessibleDescription();
    INFO(description.toStdString());
    const QLocale locale;
    CHECK(description.contains(QStringLiteral("p50 %1 ms").arg(locale.toString(latest.p50, 'f', 1))));
    CHECK(description.contains(QStringLiteral("p95 %1 ms").arg(locale.toString(latest.p95, 'f', 1))));
    CHECK(description.contains(QCoreApplication::translate(
            "orchard::ThroughputPlot", "Last second: %n image(s) per second, latency p50 %1 ms, p95 %2 ms.", nullptr, 4)
                                       .arg(locale.toString(latest.p50, 'f', 1), locale.toString(latest.p95, 'f', 1))));

    // A second with nothing served says so rather than repeat the last figures.
    fixture.stats.closeSample();
    CHECK(plot->accessibleDescription().startsWith(
            QCoreApplication::translate("orchard::ThroughputPlot", "Last second: no images served.")));
}

TEST_CASE("The event log model announces new titles and texts on retranslate()")
{
    ServerEvents events;
    EventLogModel log(&events);
    log.add(0, QStringLiteral("queued"), QStringLiteral("all workers busy; waiting at position 1"));
    log.add(0, QStringLiteral("reload"), QStringLiteral("models not reloaded: --model-control none"));
    REQUIRE(log.rowCount() == 2);
    CHECK(log.headerData(EventLogModel::Event, Qt::Horizontal, Qt::DisplayRole).toString() == "Event");
    CHECK(log.index(0, EventLogModel::Event).data().toString() == "queued");

    checkRetranslateAnnounces(log, [&] { log.retranslate(); });

    MarkedLanguage marking;
    CHECK(marked(log.headerData(EventLogModel::Event, Qt::Horizontal, Qt::DisplayRole).toString()));
    CHECK(marked(log.index(0, EventLogModel::Event).data().toString()));
    CHECK(log.entry(0).event == "queued"); // what the journal and the JSON get
    CHECK(log.entry(0).line().contains(" queued all workers busy"));
}
