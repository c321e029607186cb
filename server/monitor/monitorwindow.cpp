#include "server/monitor/monitorwindow.h"

#include <chrono>

#include <QCloseEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
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
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

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

QString formatDuration(qint64 seconds)
{
    return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

/** What the inference line's figures mean and which options set them. */
QString batchingToolTip(const InferenceBatcher::Options &options, std::chrono::milliseconds window)
{
    const qint64 seconds = std::chrono::duration_cast<std::chrono::seconds>(window).count();
    const QString delay = options.maxDelay.count() == 0
            ? MonitorWindow::tr("A pass never waits for its batch to fill: it takes what is queued\n"
                                "(<b>--batch-delay-us</b> 0).")
            : MonitorWindow::tr("A pass waits at most %1 µs for its batch to fill (<b>--batch-delay-us</b>).")
                      .arg(options.maxDelay.count());
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
            .arg(options.threads)
            .arg(options.maxBatch)
            .arg(delay)
            .arg(seconds);
}

} // namespace

MonitorWindow::MonitorWindow(OrchardServer *server, SessionTableModel *sessions,
                             EventLogModel *eventLog, ServerStats *stats, QWidget *parent)
    : QMainWindow(parent)
    , m_server(server)
    , m_stats(stats)
{
    setWindowTitle(tr("Orchard server monitor"));
    m_uptime.start();

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(createHeader());

    auto *middle = new QHBoxLayout;
    middle->addWidget(createPoolPanel());
    auto *plotBox = new QGroupBox(tr("Throughput and latency"), central);
    auto *plotLayout = new QVBoxLayout(plotBox);
    plotLayout->addWidget(new ThroughputPlot(stats, plotBox));
    middle->addWidget(plotBox, 1);
    layout->addLayout(middle);

    auto *splitter = new QSplitter(Qt::Vertical, central);
    // Sessions and Models share one place: models change rarely, and a third pane left the
    // sessions and the log four rows each at the default size. The Models tab's title says
    // when a version failed or is loading, so that is not missed behind the Sessions tab.
    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName(QStringLiteral("sessionsAndModelsTabs"));
    auto *sessionsBox = new QWidget(m_tabs);
    auto *sessionsLayout = new QVBoxLayout(sessionsBox);
    m_sessionView = makeTable(sessions, sessionsBox);
    m_sessionView->setObjectName(QStringLiteral("sessionView"));
    m_sessionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_sessionView->horizontalHeader()->setSectionResizeMode(SessionTableModel::Peer, QHeaderView::Stretch);
    m_sessionView->horizontalHeader()->setStretchLastSection(false);
    sessionsLayout->addWidget(m_sessionView);
    m_tabs->addTab(sessionsBox, tr("Sessions"));
    m_modelsPanel = createModelsPanel();
    m_tabs->addTab(m_modelsPanel, tr("Models"));
    splitter->addWidget(m_tabs);
    splitter->addWidget(createEventLog(eventLog));
    layout->addWidget(splitter, 1);
    updateModelsTab();
    setCentralWidget(central);

    statusBar()->showMessage(tr("Ready"));
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

void MonitorWindow::showDefaultModel()
{
    const std::shared_ptr<const ModelCatalog> catalog = m_server->models().catalog();
    const std::shared_ptr<const ServedModel> model = catalog->defaultModel();
    if (!model)
        return;
    const ModelManifest &manifest = model->engine().manifest();
    m_modelLabel->setText(tr("Model: <b>%1</b> version %2, %3 labels")
                                  .arg(model->name().toHtmlEscaped())
                                  .arg(model->version())
                                  .arg(manifest.labels.size()));
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
    showDefaultModel();
    connect(&m_server->models(), &ModelStore::catalogChanged, this, &MonitorWindow::showDefaultModel);
    m_uptimeLabel = new QLabel(strip);
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
    auto *box = new QGroupBox(tr("Worker pool"), this);
    auto *form = new QFormLayout(box);
    m_busyGauge = new QProgressBar(box);
    m_busyGauge->setObjectName(QStringLiteral("busyGauge"));
    m_busyGauge->setFormat(tr("%v of %m busy"));
    m_busyGauge->setToolTip(tr("Sessions being served: each holds one worker for as long as it is connected"));
    m_waitingGauge = new QProgressBar(box);
    m_waitingGauge->setObjectName(QStringLiteral("waitingGauge"));
    m_waitingGauge->setFormat(tr("%v waiting (room for %m)"));
    m_waitingGauge->setToolTip(tr("Connections waiting for a free worker; past the limit they get BUSY"));
    m_workerSpin = new QSpinBox(box);
    m_workerSpin->setObjectName(QStringLiteral("workerSpin"));
    m_workerSpin->setRange(1, 256);
    m_workerSpin->setValue(m_server->workerCount());
    m_workerSpin->setToolTip(tr("Change how many sessions are served at once, while running"));
    connect(m_workerSpin, &QSpinBox::valueChanged, m_server, &OrchardServer::setWorkerCount);
    m_totalsLabel = new QLabel(box);
    m_totalsLabel->setObjectName(QStringLiteral("totalsLabel"));
    form->addRow(tr("Busy:"), m_busyGauge);
    form->addRow(tr("Waiting:"), m_waitingGauge);
    form->addRow(tr("Workers:"), m_workerSpin);
    form->addRow(m_totalsLabel);
    m_batchingLabel = new QLabel(box);
    m_batchingLabel->setObjectName(QStringLiteral("batchingLabel"));
    m_batchingLabel->setToolTip(batchingToolTip(m_server->batcher().options(), m_batching.window()));
    form->addRow(m_batchingLabel);
    box->setMinimumWidth(300);
    return box;
}

QWidget *MonitorWindow::createModelsPanel()
{
    ModelStore &store = m_server->models();
    auto *box = new QWidget(this);
    box->setObjectName(QStringLiteral("modelsPanel"));
    auto *layout = new QVBoxLayout(box);
    auto *bar = new QHBoxLayout;
    auto *source = new QLabel(box);
    source->setObjectName(QStringLiteral("modelSourceLabel"));
    source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString control = tr("--model-control %1").arg(modelControlName(store.options().control));
    if (store.options().source.isEmpty())
        source->setText(control);
    else
        source->setText(tr("%1 <b>%2</b>, %3")
                                .arg(store.isRepository() ? tr("Repository") : tr("Model folder"),
                                     store.options().source.toHtmlEscaped(), control));
    m_reloadButton = new QPushButton(box);
    m_reloadButton->setObjectName(QStringLiteral("reloadModelsButton"));
    connect(m_reloadButton, &QPushButton::clicked, this, &MonitorWindow::reloadModels);
    bar->addWidget(source, 1);
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
    updateReloadButton();
    return box;
}

void MonitorWindow::updateModelsTab()
{
    const int tab = m_tabs->indexOf(m_modelsPanel);
    const int failed = countIn(*m_modelTable, ModelStore::State::Failed);
    const int loading = countIn(*m_modelTable, ModelStore::State::Loading);
    QStringList notes;
    if (loading > 0)
        notes.append(tr("%n loading", nullptr, loading));
    if (failed > 0)
        notes.append(tr("%n failed", nullptr, failed));
    m_tabs->setTabText(tab, notes.isEmpty() ? tr("Models") : tr("Models (%1)").arg(notes.join(QStringLiteral(", "))));
    m_tabs->setTabIcon(tab, failed > 0 ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
    m_tabs->setTabToolTip(tab, tr("Every version the repository selects: served, loading, or failed to load"));
}

void MonitorWindow::updateReloadButton()
{
    const ModelStore &store = m_server->models();
    if (store.options().control == ModelControl::None) {
        m_reloadButton->setText(tr("Reload models"));
        m_reloadButton->setEnabled(false);
        m_reloadButton->setToolTip(tr("Models never change while this server runs: --model-control none"));
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
                                           .arg(store.options().pollInterval.count()));
    else
        m_reloadButton->setToolTip(tr("Scan the repository for new, changed and removed versions and load "
                                      "them beside the served ones"));
}

void MonitorWindow::reloadModels()
{
    statusBar()->showMessage(tr("Reloading models: scanning %1…").arg(m_server->models().options().source));
    // The store outlives the window (it is the server's): the answer may come after it closed.
    const QPointer<MonitorWindow> window(this);
    m_server->models().reload([window](bool ok, const QString &message) {
        if (!window)
            return;
        if (!ok)
            window->statusBar()->showMessage(tr("Reload failed: %1").arg(message));
        else if (message.isEmpty() && countIn(*window->m_modelTable, ModelStore::State::Failed) > 0)
            // A reload does not retry the same broken files (ModelStore): say so, or the
            // click looks like it did nothing.
            window->statusBar()->showMessage(tr("Reload: nothing changed on disk; a version that failed to load "
                                                "is tried again once its files change"));
        else if (message.isEmpty())
            window->statusBar()->showMessage(tr("Reload: nothing changed on disk"));
        else
            window->statusBar()->showMessage(tr("Reload: %1").arg(message));
        window->updateReloadButton();
    });
    updateReloadButton();
}

QWidget *MonitorWindow::createEventLog(EventLogModel *eventLog)
{
    auto *box = new QGroupBox(tr("Event log"), this);
    auto *layout = new QVBoxLayout(box);
    m_logFilter = new QLineEdit(box);
    m_logFilter->setObjectName(QStringLiteral("logFilter"));
    m_logFilter->setPlaceholderText(tr("Filter: session, peer, event or text (e.g. error, #3, queued)"));
    m_logFilter->setClearButtonEnabled(true);
    m_logProxy = new QSortFilterProxyModel(box);
    m_logProxy->setSourceModel(eventLog);
    m_logProxy->setFilterKeyColumn(-1);
    m_logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_logFilter, &QLineEdit::textChanged, m_logProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_logView = makeTable(m_logProxy, box);
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
    return box;
}

void MonitorWindow::refresh()
{
    const bool listening = m_server->isListening();
    m_addressLabel->setText(listening ? tr("Listening on <b>%1</b> port <b>%2</b>")
                                                .arg(m_server->serverAddress().toString())
                                                .arg(m_server->serverPort())
                                      : tr("<b>Stopped</b>: not accepting connections"));
    m_startStopButton->setText(listening ? tr("Stop") : tr("Start"));
    m_startStopButton->setToolTip(listening ? tr("Stop accepting; tell clients the server is shutting down")
                                            : tr("Listen for clients again"));
    m_uptimeLabel->setText(tr("Up %1").arg(formatDuration(m_uptime.elapsed() / 1000)));

    m_busyGauge->setMaximum(m_server->workerCount());
    m_busyGauge->setValue(std::min(m_server->activeSessionCount(), m_server->workerCount()));
    m_waitingGauge->setMaximum(std::max(1, m_server->config().maxQueued));
    m_waitingGauge->setValue(std::min(m_server->waitingCount(), m_waitingGauge->maximum()));

    const LatencySummary latency = m_stats->recentLatency();
    m_totalsLabel->setText(tr("Served %1 images in %2 sessions, %3 errors.\n"
                              "Latency (last %4): p50 %5 ms, p95 %6 ms.")
                                   .arg(m_stats->totalImages())
                                   .arg(m_stats->totalSessions())
                                   .arg(m_stats->totalErrors())
                                   .arg(latency.count)
                                   .arg(latency.p50, 0, 'f', 1)
                                   .arg(latency.p95, 0, 'f', 1));
    showBatching();
}

void MonitorWindow::showBatching()
{
    const InferenceBatcher &batcher = m_server->batcher();
    m_batching.addSample(std::chrono::milliseconds(m_uptime.elapsed()),
                         { batcher.passes(), batcher.images(), batcher.queueMilliseconds() });
    const InferenceBatcher::Options &options = batcher.options();
    const QString threads =
            options.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(options.threads);
    const QString limit = options.maxBatch == 1 ? tr("one image a pass")
                                                : tr("batches of up to %1").arg(options.maxBatch);
    const BatchingSummary::Recent recent = m_batching.recent();
    const qint64 windowSeconds =
            std::chrono::duration_cast<std::chrono::seconds>(m_batching.window()).count();
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
                         .arg(windowSeconds)
                         .arg(recent.averageBatch, 0, 'f', 1)
                         .arg(recent.averageQueueMs, 0, 'f', 2);
        break;
    }
    // "queued", not "waiting": the Waiting gauge above counts connections waiting for a worker.
    m_batchingLabel->setText(tr("Inference: %1, %2; %3 queued.\n%4")
                                     .arg(threads, limit)
                                     .arg(batcher.queued())
                                     .arg(lately));
}

void MonitorWindow::toggleListening()
{
    if (m_server->isListening()) {
        statusBar()->showMessage(tr("Stopping: clients are told the server is shutting down…"));
        m_server->shutdown();
        statusBar()->showMessage(tr("Stopped"), 5000);
    } else if (m_server->start()) {
        statusBar()->showMessage(tr("Listening again"), 5000);
    } else {
        statusBar()->showMessage(tr("Cannot listen: %1").arg(m_server->errorString()));
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
    return QSettings().value(QStringLiteral("display/language")).toString();
}

} // namespace orchard
