#include "server/monitor/monitorwindow.h"

#include <chrono>

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "common/i18n/uilanguage.h"
#include "common/inference/inferenceengine.h"
#include "server/core/eventlogmodel.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelcontrol.h"
#include "server/core/modelstore.h"
#include "server/core/modeltablemodel.h"
#include "server/core/orchardserver.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/monitor/throughputplot.h"

namespace orchard {

namespace {

const QString kLanguageKey = QStringLiteral("display/language");
const QString kCatalog = QStringLiteral("orchard-monitor");

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

/** How many of the Models panel's rows are in this state. */
int countIn(const ModelTableModel &table, ModelStore::State state)
{
    int count = 0;
    for (int row = 0; row < table.rowCount(); ++row)
        count += table.status(row).state == state ? 1 : 0;
    return count;
}

/** "1:02:03": hours, minutes and seconds in the current locale's digits. */
QString formatDuration(qint64 seconds)
{
    const QLocale locale;
    const auto twoDigits = [&locale](qint64 value) {
        return locale.toString(value).rightJustified(2, locale.zeroDigit().at(0));
    };
    return MonitorWindow::tr("%1:%2:%3", "hours:minutes:seconds")
            .arg(locale.toString(seconds / 3600), twoDigits(seconds / 60 % 60), twoDigits(seconds % 60));
}

/**
 * Sets what the refresh timer sets every 250 ms only when it changed: each setter sends
 * its change event (and an accessibility event) even for the same text.
 */
void setToolTipIfChanged(QWidget *widget, const QString &toolTip)
{
    if (widget->toolTip() != toolTip)
        widget->setToolTip(toolTip);
}

void setAccessibleIfChanged(QWidget *widget, const QString &name, const QString &description)
{
    if (widget->accessibleName() != name)
        widget->setAccessibleName(name);
    if (widget->accessibleDescription() != description)
        widget->setAccessibleDescription(description);
}

/** What the inference line's figures mean and which options set them. */
QString batchingToolTip(const InferenceBatcher::Options &options, std::chrono::milliseconds window)
{
    const QLocale locale;
    const qint64 seconds = std::chrono::duration_cast<std::chrono::seconds>(window).count();
    const QString delay = options.maxDelay.count() == 0
            ? MonitorWindow::tr("A pass never waits for its batch to fill: it takes what is queued\n"
                                "(<b>--batch-delay-us</b> 0).")
            : MonitorWindow::tr("A pass waits at most %1 µs for its batch to fill (<b>--batch-delay-us</b>).")
                      .arg(locale.toString(static_cast<qint64>(options.maxDelay.count())));
    // Lines broken by hand ("pre"): Qt's own wrapping breaks option names at their hyphens.
    return MonitorWindow::tr(
                   "<p style=\"white-space:pre\">Sessions decode and preprocess images on their workers, "
                   "then queue them\nfor the inference threads (<b>--inference-threads</b>, %1 here).\n"
                   "Each thread runs one forward pass over a <i>batch</i>: the oldest queued image\n"
                   "with the others queued for the same model version, up to %2 in all\n"
                   "(<b>--max-batch</b>, or a model's max_batch_size in config.json).\n%3</p>"
                   "<p style=\"white-space:pre\"><b>Average batch</b>: images per forward pass over "
                   "the last %4 s.\n<b>Queue</b>: how long a preprocessed image waited for an inference "
                   "thread,\non average over the last %4 s.\n<b>Queued</b>: images waiting for an "
                   "inference thread now.</p>")
            .arg(locale.toString(options.threads), locale.toString(options.maxBatch), delay,
                 locale.toString(seconds));
}

} // namespace

MonitorWindow::MonitorWindow(OrchardServer *server, SessionTableModel *sessions,
                             EventLogModel *eventLog, ServerStats *stats, QWidget *parent)
    : QMainWindow(parent)
    , m_server(server)
    , m_sessions(sessions)
    , m_eventLog(eventLog)
    , m_stats(stats)
{
    m_uptime.start();
    createMenus();

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(createHeader());

    auto *middle = new QHBoxLayout;
    middle->addWidget(createPoolPanel());
    m_plotBox = new QGroupBox(central);
    auto *plotLayout = new QVBoxLayout(m_plotBox);
    m_plot = new ThroughputPlot(stats, m_plotBox);
    plotLayout->addWidget(m_plot);
    middle->addWidget(m_plotBox, 1);
    layout->addLayout(middle);

    auto *splitter = new QSplitter(Qt::Vertical, central);
    // Sessions and Models share one place: models change rarely, and a third pane left the
    // sessions and the log four rows each at the default size. The Models tab's title says
    // when a version failed or is loading, so that is not missed behind the Sessions tab.
    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName(QStringLiteral("sessionsAndModelsTabs"));
    m_sessionsPage = new QWidget(m_tabs);
    auto *sessionsLayout = new QVBoxLayout(m_sessionsPage);
    m_sessionView = makeTable(sessions, m_sessionsPage);
    m_sessionView->setObjectName(QStringLiteral("sessionView"));
    m_sessionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_sessionView->horizontalHeader()->setSectionResizeMode(SessionTableModel::Peer, QHeaderView::Stretch);
    m_sessionView->horizontalHeader()->setStretchLastSection(false);
    sessionsLayout->addWidget(m_sessionView);
    m_tabs->addTab(m_sessionsPage, QString());
    m_modelsPanel = createModelsPanel();
    m_tabs->addTab(m_modelsPanel, QString());
    splitter->addWidget(m_tabs);
    splitter->addWidget(createEventLog(eventLog));
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    // Keyboard focus goes as the eye reads (the header's button, the pool, the tabs and
    // their tables, then the log) because the widgets are created in that order; the tests
    // check it. Not setTabOrder(): with the spin box's and the tab widget's focus proxies,
    // Qt 6.4's dropped the tables and the log from the chain altogether.

    retranslateUi();
    showStatus([] { return tr("Ready"); });
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(250);
    connect(m_refreshTimer, &QTimer::timeout, this, &MonitorWindow::refresh);
    m_refreshTimer->start();
    connect(server->events(), &ServerEvents::workerCountChanged, this, [this](int workers) {
        const QSignalBlocker blocker(m_workerSpin);
        m_workerSpin->setValue(workers);
    });
    refresh();
    resize(1000, 760);
}

void MonitorWindow::retranslateUi()
{
    setWindowTitle(tr("Orchard server monitor"));

    m_fileMenu->setTitle(tr("&File"));
    m_quitAction->setText(tr("&Quit"));
    m_quitAction->setStatusTip(tr("Stop the server and close the monitor"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    // The languages keep their own names ("English", "简体中文"): whoever cannot read the
    // current one still finds theirs.
    m_systemLanguageAction->setText(tr("As the system"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About"));
    menuBar()->setAccessibleName(tr("Menu bar"));

    m_poolBox->setTitle(tr("Worker pool"));
    m_busyLabel->setText(tr("Busy:"));
    m_waitingLabel->setText(tr("Waiting:"));
    m_workersLabel->setText(tr("Workers:"));
    m_busyGauge->setFormat(tr("%v of %m busy"));
    m_busyGauge->setToolTip(tr("Sessions being served: each holds one worker for as long as it is connected"));
    m_busyGauge->setAccessibleName(tr("Busy workers"));
    m_busyGauge->setAccessibleDescription(m_busyGauge->toolTip());
    m_waitingGauge->setFormat(tr("%v waiting (room for %m)"));
    m_waitingGauge->setToolTip(tr("Connections waiting for a free worker; past the limit they get BUSY"));
    m_waitingGauge->setAccessibleName(tr("Connections waiting"));
    m_waitingGauge->setAccessibleDescription(m_waitingGauge->toolTip());
    m_workerSpin->setToolTip(tr("Change how many sessions are served at once, while running"));
    m_workerSpin->setAccessibleName(tr("Workers"));
    m_workerSpin->setAccessibleDescription(m_workerSpin->toolTip());
    m_batchingLabel->setToolTip(batchingToolTip(m_server->batcher().options(), m_batching.window()));
    m_plotBox->setTitle(tr("Throughput and latency"));

    m_tabs->setTabText(m_tabs->indexOf(m_sessionsPage), tr("Sessions"));
    m_tabs->setTabToolTip(m_tabs->indexOf(m_sessionsPage),
                          tr("Every connection: waiting for a worker, served, or closed a moment ago"));
    m_tabs->setAccessibleName(tr("Sessions and models"));
    m_tabs->tabBar()->setAccessibleName(tr("Sessions and models tabs"));
    m_sessionView->setAccessibleName(tr("Sessions"));
    m_sessionView->setAccessibleDescription(
            tr("One row per connection: waiting for a worker, served, or closed a moment ago"));
    m_modelView->setAccessibleName(tr("Model versions"));
    m_modelView->setAccessibleDescription(
            tr("One row per model version the repository selects: served, loading, or failed to load"));

    m_logBox->setTitle(tr("Event log"));
    m_logFilter->setPlaceholderText(tr("Filter: session, peer, event or text (e.g. error, #3, queued)"));
    m_logFilter->setAccessibleName(tr("Filter the event log"));
    m_logFilter->setAccessibleDescription(
            tr("Shows only the events whose session, peer, event or text contains what is typed"));
    m_logView->setAccessibleName(tr("Event log"));
    m_logView->setAccessibleDescription(tr("What happened, newest last: connections, predictions, errors, "
                                           "model loads"));

    m_sessions->retranslate();
    m_modelTable->retranslate();
    m_eventLog->retranslate();

    // The texts that change while the window shows, in the new language now.
    showDefaultModel();
    showModelSource();
    updateReloadButton();
    updateModelsTab();
    showFigures();
    if (m_statusText && !statusBar()->currentMessage().isEmpty())
        statusBar()->showMessage(m_statusText(), m_statusTimeoutMs);
}

void MonitorWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MonitorWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_quitAction = m_fileMenu->addAction(QString());
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    // Closing is what shuts the server down (closed()): Quit is the same close.
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    m_languageGroup = new QActionGroup(this);
    m_languageGroup->setExclusive(true);
    m_systemLanguageAction = m_languageMenu->addAction(QString());
    m_systemLanguageAction->setObjectName(QStringLiteral("languageAction_system"));
    m_systemLanguageAction->setData(QString()); // what MonitorWindow::savedLanguage() calls the system's
    m_systemLanguageAction->setCheckable(true);
    m_languageGroup->addAction(m_systemLanguageAction);
    m_languageMenu->addSeparator();
    for (const UiLanguage::Language &language : UiLanguage::available()) {
        QAction *action = m_languageMenu->addAction(language.name);
        action->setObjectName(QStringLiteral("languageAction_%1").arg(language.code));
        action->setData(language.code);
        action->setCheckable(true);
        m_languageGroup->addAction(action);
    }
    checkSavedLanguage();
    connect(m_languageGroup, &QActionGroup::triggered, this,
            [this](QAction *action) { chooseLanguage(action->data().toString()); });

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_aboutAction = m_helpMenu->addAction(QString());
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MonitorWindow::showAbout);
}

void MonitorWindow::checkSavedLanguage()
{
    const QString saved = savedLanguage();
    QAction *checked = m_systemLanguageAction;
    for (QAction *action : m_languageGroup->actions()) {
        if (!saved.isEmpty() && action->data().toString() == saved)
            checked = action;
    }
    checked->setChecked(true);
}

void MonitorWindow::chooseLanguage(const QString &code)
{
    QSettings().setValue(kLanguageKey, code);
    // Every window hears QEvent::LanguageChange and retranslates itself; the log and the
    // journal keep writing English.
    UiLanguage::apply(kCatalog, code);
}

void MonitorWindow::showAbout()
{
    // open(), not QMessageBox::about(): about() runs its own event loop until the box is
    // closed, which nothing (a test included) gets past; open() returns, window-modal all the same.
    auto *box = new QMessageBox(QMessageBox::Information, tr("About the Orchard server monitor"),
                                tr("<h3>Orchard server monitor</h3>"
                                   "<p>Orchard %1<br>Qt %2</p>"
                                   "<p>Watches a running Orchard server: its workers, sessions, models, "
                                   "throughput and events.</p>")
                                        .arg(QCoreApplication::applicationVersion().toHtmlEscaped(),
                                             QString::fromLatin1(qVersion())),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MonitorWindow::showStatus(std::function<QString()> text, int timeoutMs)
{
    m_statusText = std::move(text);
    m_statusTimeoutMs = timeoutMs;
    statusBar()->showMessage(m_statusText(), timeoutMs);
}

void MonitorWindow::showDefaultModel()
{
    const std::shared_ptr<const ModelCatalog> catalog = m_server->models().catalog();
    const std::shared_ptr<const ServedModel> model = catalog->defaultModel();
    if (!model)
        return;
    const ModelManifest &manifest = model->engine().manifest();
    const int labels = static_cast<int>(manifest.labels.size());
    m_modelLabel->setText(tr("Model: <b>%1</b> version %2, %n label(s)", nullptr, labels)
                                  .arg(model->name().toHtmlEscaped())
                                  .arg(model->version()));
    m_modelLabel->setToolTip(model->directory());
}

QWidget *MonitorWindow::createHeader()
{
    auto *strip = new QWidget(this);
    auto *layout = new QHBoxLayout(strip);
    layout->setContentsMargins(0, 0, 0, 0);
    m_addressLabel = new QLabel(strip);
    m_addressLabel->setObjectName(QStringLiteral("addressLabel"));
    m_addressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelLabel = new QLabel(strip);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    connect(&m_server->models(), &ModelStore::catalogChanged, this, &MonitorWindow::showDefaultModel);
    m_uptimeLabel = new QLabel(strip);
    m_uptimeLabel->setObjectName(QStringLiteral("uptimeLabel"));
    m_startStopButton = new QPushButton(strip);
    m_startStopButton->setObjectName(QStringLiteral("startStopButton"));
    connect(m_startStopButton, &QPushButton::clicked, this, &MonitorWindow::toggleListening);
    layout->addWidget(m_addressLabel);
    layout->addSpacing(24);
    layout->addWidget(m_modelLabel);
    layout->addSpacing(24);
    layout->addWidget(m_uptimeLabel);
    layout->addStretch(1);
    layout->addWidget(m_startStopButton);
    return strip;
}

QWidget *MonitorWindow::createPoolPanel()
{
    m_poolBox = new QGroupBox(this);
    auto *form = new QFormLayout(m_poolBox);
    m_busyGauge = new QProgressBar(m_poolBox);
    m_busyGauge->setObjectName(QStringLiteral("busyGauge"));
    m_waitingGauge = new QProgressBar(m_poolBox);
    m_waitingGauge->setObjectName(QStringLiteral("waitingGauge"));
    m_workerSpin = new QSpinBox(m_poolBox);
    m_workerSpin->setObjectName(QStringLiteral("workerSpin"));
    m_workerSpin->setRange(1, 256);
    m_workerSpin->setValue(m_server->workerCount());
    connect(m_workerSpin, &QSpinBox::valueChanged, m_server, &OrchardServer::setWorkerCount);
    m_totalsLabel = new QLabel(m_poolBox);
    m_totalsLabel->setObjectName(QStringLiteral("totalsLabel"));
    m_busyLabel = new QLabel(m_poolBox);
    m_busyLabel->setBuddy(m_busyGauge);
    m_waitingLabel = new QLabel(m_poolBox);
    m_waitingLabel->setBuddy(m_waitingGauge);
    m_workersLabel = new QLabel(m_poolBox);
    m_workersLabel->setBuddy(m_workerSpin);
    form->addRow(m_busyLabel, m_busyGauge);
    form->addRow(m_waitingLabel, m_waitingGauge);
    form->addRow(m_workersLabel, m_workerSpin);
    form->addRow(m_totalsLabel);
    m_batchingLabel = new QLabel(m_poolBox);
    m_batchingLabel->setObjectName(QStringLiteral("batchingLabel"));
    form->addRow(m_batchingLabel);
    m_poolBox->setMinimumWidth(300);
    return m_poolBox;
}

QWidget *MonitorWindow::createModelsPanel()
{
    ModelStore &store = m_server->models();
    auto *box = new QWidget(this);
    box->setObjectName(QStringLiteral("modelsPanel"));
    auto *layout = new QVBoxLayout(box);
    auto *bar = new QHBoxLayout;
    m_modelSourceLabel = new QLabel(box);
    m_modelSourceLabel->setObjectName(QStringLiteral("modelSourceLabel"));
    m_modelSourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reloadButton = new QPushButton(box);
    m_reloadButton->setObjectName(QStringLiteral("reloadModelsButton"));
    connect(m_reloadButton, &QPushButton::clicked, this, &MonitorWindow::reloadModels);
    bar->addWidget(m_modelSourceLabel, 1);
    bar->addWidget(m_reloadButton);
    layout->addLayout(bar);

    m_modelTable = new ModelTableModel(&store, box);
    m_modelView = makeTable(m_modelTable, box);
    m_modelView->setObjectName(QStringLiteral("modelView"));
    m_modelView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // A failure's reason is one long sentence: Details takes the width left and wraps it,
    // its row as tall as it needs, so nobody has to hover to read why (the tooltip has it too).
    m_modelView->horizontalHeader()->setSectionResizeMode(ModelTableModel::Details, QHeaderView::Stretch);
    m_modelView->setWordWrap(true);
    m_modelView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_modelView->verticalHeader()->setMinimumSectionSize(m_modelView->verticalHeader()->defaultSectionSize());
    layout->addWidget(m_modelView);
    connect(&store, &ModelStore::statusChanged, this, &MonitorWindow::updateReloadButton);
    connect(&store, &ModelStore::statusChanged, this, &MonitorWindow::updateModelsTab);
    return box;
}

void MonitorWindow::showModelSource()
{
    const ModelStore &store = m_server->models();
    // The option as it is typed on the command line: not translated.
    const QString control = QStringLiteral("--model-control %1").arg(modelControlName(store.options().control));
    const QString source = store.options().source.toHtmlEscaped();
    if (source.isEmpty())
        m_modelSourceLabel->setText(tr("Models given at start-up, %1").arg(control));
    else if (store.isRepository())
        m_modelSourceLabel->setText(tr("Repository <b>%1</b>, %2").arg(source, control));
    else
        m_modelSourceLabel->setText(tr("Model folder <b>%1</b>, %2").arg(source, control));
}

void MonitorWindow::updateModelsTab()
{
    const int tab = m_tabs->indexOf(m_modelsPanel);
    const int failed = countIn(*m_modelTable, ModelStore::State::Failed);
    const int loading = countIn(*m_modelTable, ModelStore::State::Loading);
    QString title;
    if (loading > 0 && failed > 0)
        title = tr("Models (%1 loading, %2 failed)").arg(QLocale().toString(loading), QLocale().toString(failed));
    else if (loading > 0)
        title = tr("Models (%n loading)", nullptr, loading);
    else if (failed > 0)
        title = tr("Models (%n failed)", nullptr, failed);
    else
        title = tr("Models");
    m_tabs->setTabText(tab, title);
    // The icon is a second sign only: the title says "failed" in words.
    m_tabs->setTabIcon(tab, failed > 0 ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
    m_tabs->setTabToolTip(tab, tr("Every version the repository selects: served, loading, or failed to load"));
}

void MonitorWindow::updateReloadButton()
{
    const ModelStore &store = m_server->models();
    m_reloadButton->setAccessibleName(tr("Reload models"));
    if (store.options().control == ModelControl::None) {
        m_reloadButton->setText(tr("Reload models"));
        m_reloadButton->setEnabled(false);
        m_reloadButton->setToolTip(tr("Models never change while this server runs: --model-control none"));
        m_reloadButton->setAccessibleDescription(m_reloadButton->toolTip());
        return;
    }
    const bool loading = store.isLoading();
    m_reloadButton->setText(loading ? tr("Reloading…") : tr("Reload models"));
    m_reloadButton->setEnabled(!loading);
    if (loading)
        m_reloadButton->setToolTip(tr("Loading and warming up new versions; the served ones answer meanwhile"));
    else if (store.options().control == ModelControl::Poll)
        m_reloadButton->setToolTip(tr("Scan the repository now for new, changed and removed versions "
                                      "(it is also scanned every %1 s)")
                                           .arg(QLocale().toString(static_cast<qint64>(store.options().pollInterval.count()))));
    else
        m_reloadButton->setToolTip(tr("Scan the repository for new, changed and removed versions and load "
                                      "them beside the served ones"));
    m_reloadButton->setAccessibleDescription(m_reloadButton->toolTip());
}

void MonitorWindow::reloadModels()
{
    const QString source = m_server->models().options().source;
    showStatus([source] { return tr("Reloading models: scanning %1…").arg(source); });
    // The store outlives the window (it is the server's): the answer may come after it closed.
    const QPointer<MonitorWindow> window(this);
    m_server->models().reload([window](bool ok, const QString &message) {
        if (!window)
            return;
        // The store's message is in English, as the log has it; the sentence around it is not.
        if (!ok)
            window->showStatus([message] { return tr("Reload failed: %1").arg(message); });
        else if (message.isEmpty() && countIn(*window->m_modelTable, ModelStore::State::Failed) > 0)
            // A reload does not retry the same broken files (ModelStore): say so, or the
            // click looks like it did nothing.
            window->showStatus([] {
                return tr("Reload: nothing changed on disk; a version that failed to load "
                          "is tried again once its files change");
            });
        else if (message.isEmpty())
            window->showStatus([] { return tr("Reload: nothing changed on disk"); });
        else
            window->showStatus([message] { return tr("Reload: %1").arg(message); });
        window->updateReloadButton();
    });
    updateReloadButton();
}

QWidget *MonitorWindow::createEventLog(EventLogModel *eventLog)
{
    m_logBox = new QGroupBox(this);
    auto *layout = new QVBoxLayout(m_logBox);
    m_logFilter = new QLineEdit(m_logBox);
    m_logFilter->setObjectName(QStringLiteral("logFilter"));
    m_logFilter->setClearButtonEnabled(true);
    m_logProxy = new QSortFilterProxyModel(m_logBox);
    m_logProxy->setSourceModel(eventLog);
    m_logProxy->setFilterKeyColumn(-1);
    // The event column shown in the window's language, filtered in it and in English: the
    // words of the journal (queued, error) find the same rows.
    m_logProxy->setFilterRole(EventLogModel::FilterTextRole);
    m_logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_logFilter, &QLineEdit::textChanged, m_logProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_logView = makeTable(m_logProxy, m_logBox);
    m_logView->setObjectName(QStringLiteral("eventLogView"));
    m_logView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    // Follow new events unless the user scrolled up to read older ones.
    connect(m_logProxy, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar *bar = m_logView->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 2)
            QTimer::singleShot(0, m_logView, &QTableView::scrollToBottom);
    });
    layout->addWidget(m_logFilter);
    layout->addWidget(m_logView);
    return m_logBox;
}

void MonitorWindow::refresh()
{
    const InferenceBatcher &batcher = m_server->batcher();
    m_batching.addSample(std::chrono::milliseconds(m_uptime.elapsed()),
                         { batcher.passes(), batcher.images(), batcher.queueMilliseconds() });
    showFigures();
}

void MonitorWindow::showFigures()
{
    const QLocale locale;
    const bool listening = m_server->isListening();
    // The address and the port as typed, not as numbers: no group separator in 50,000.
    m_addressLabel->setText(listening ? tr("Listening on <b>%1</b> port <b>%2</b>")
                                                .arg(m_server->serverAddress().toString())
                                                .arg(m_server->serverPort())
                                      : tr("<b>Stopped</b>: not accepting connections"));
    m_startStopButton->setText(listening ? tr("Stop") : tr("Start"));
    setToolTipIfChanged(m_startStopButton, listening ? tr("Stop accepting; tell clients the server is shutting down")
                                                     : tr("Listen for clients again"));
    setAccessibleIfChanged(m_startStopButton,
                           listening ? tr("Stop accepting connections") : tr("Start accepting connections"),
                           m_startStopButton->toolTip());
    m_uptimeLabel->setText(tr("Up %1").arg(formatDuration(m_uptime.elapsed() / 1000)));

    m_busyGauge->setMaximum(m_server->workerCount());
    m_busyGauge->setValue(std::min(m_server->activeSessionCount(), m_server->workerCount()));
    m_waitingGauge->setMaximum(std::max(1, m_server->config().maxQueued));
    m_waitingGauge->setValue(std::min(m_server->waitingCount(), m_waitingGauge->maximum()));

    const LatencySummary latency = m_stats->recentLatency();
    const QString totals = tr("Images served: %1, sessions: %2, errors: %3.")
                                   .arg(locale.toString(m_stats->totalImages()),
                                        locale.toString(m_stats->totalSessions()),
                                        locale.toString(m_stats->totalErrors()));
    const QString latencyLine = latency.count == 0
            ? tr("Latency: no images yet.")
            : tr("Latency of the last %n image(s): p50 %1 ms, p95 %2 ms.", nullptr, latency.count)
                      .arg(locale.toString(latency.p50, 'f', 1), locale.toString(latency.p95, 'f', 1));
    m_totalsLabel->setText(totals + QLatin1Char('\n') + latencyLine);
    showBatching();
}

void MonitorWindow::showBatching()
{
    const QLocale locale;
    const InferenceBatcher &batcher = m_server->batcher();
    const InferenceBatcher::Options &options = batcher.options();
    const QString queued = locale.toString(batcher.queued());
    // "queued", not "waiting": the Waiting gauge above counts connections waiting for a worker.
    const QString inference = options.maxBatch == 1
            ? tr("Inference: %n thread(s), one image a pass; %1 queued.", nullptr, options.threads).arg(queued)
            : tr("Inference: %n thread(s), batches of up to %1; %2 queued.", nullptr, options.threads)
                      .arg(locale.toString(options.maxBatch), queued);
    const BatchingSummary::Recent recent = m_batching.recent();
    const QString windowSeconds = locale.toString(
            static_cast<qint64>(std::chrono::duration_cast<std::chrono::seconds>(m_batching.window()).count()));
    QString lately;
    switch (recent.activity) {
    case BatchingSummary::Activity::NothingYet:
        lately = tr("No predictions yet.");
        break;
    case BatchingSummary::Activity::Idle:
        lately = tr("Last %1 s: idle, no forward pass.").arg(windowSeconds);
        break;
    case BatchingSummary::Activity::Busy:
        lately = tr("Last %1 s: average batch %2 images, queue %3 ms.")
                         .arg(windowSeconds, locale.toString(recent.averageBatch, 'f', 1),
                              locale.toString(recent.averageQueueMs, 'f', 2));
        break;
    }
    m_batchingLabel->setText(inference + QLatin1Char('\n') + lately);
}

void MonitorWindow::toggleListening()
{
    if (m_server->isListening()) {
        showStatus([] { return tr("Stopping: clients are told the server is shutting down…"); });
        m_server->shutdown();
        showStatus([] { return tr("Stopped"); }, 5000);
    } else if (m_server->start()) {
        showStatus([] { return tr("Listening again"); }, 5000);
    } else {
        const QString error = m_server->errorString();
        showStatus([error] { return tr("Cannot listen: %1").arg(error); });
    }
    refresh();
}

void MonitorWindow::closeEvent(QCloseEvent *event)
{
    emit closed();
    event->accept();
}

QString MonitorWindow::savedLanguage()
{
    return QSettings().value(kLanguageKey).toString();
}

} // namespace orchard
