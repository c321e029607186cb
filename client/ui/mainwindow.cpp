#include "client/ui/mainwindow.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QSslCertificate>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/modelchoice.h"
#include "client/core/plantdiagnosis.h"
#include "client/core/requestqueue.h"
#include "client/core/resultstablemodel.h"
#include "client/core/serverconnection.h"
#include "client/ui/historypanel.h"
#include "client/ui/imagepreview.h"
#include "client/ui/modelpicker.h"
#include "client/ui/plantresultpanel.h"
#include "client/ui/resultpanel.h"
#include "client/ui/settingsdialog.h"
#include "common/protocol/protocolerror.h"

namespace orchard {

namespace {
/** The preview is decoded at most this large: plenty for a screen, cheap for a 12 MP photo. */
constexpr int kPreviewMaxSide = 1600;
/** As long a tag as orchard-cli predict --tag accepts: a field's name, not a note. */
constexpr int kMaxTagLength = 100;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_settings(ClientSettings::load())
    , m_connection(new ServerConnection(this))
    , m_queue(new RequestQueue(m_connection, this))
    , m_batch(new ImageBatch(m_queue, this))
    , m_images(new ImageListModel(m_batch, this))
    , m_results(new ResultsTableModel(m_batch, this))
    , m_modelChoice(new ModelChoice(this))
{
    // Qt adds the application's display name ("— Orchard") itself.
    setWindowTitle(tr("Leaf diagnosis"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/orchard.png")));
    setAcceptDrops(true);
    m_queue->setSendsOriginals(m_settings.sendOriginals);
    // Opened before the window shows: a first diagnosis must have somewhere to go. A
    // history that cannot be opened is said in the log and the History tab, not a dialog:
    // diagnosing does not need it.
    m_history = std::make_unique<HistoryStore>(HistoryStore::defaultPath());
    const bool historyOpen = m_history->open();
    createActions();
    createLayout();
    connectConnection();
    connectBatch();
    updateStatus();
    updateActions();
    if (!historyOpen) {
        appendLog(tr("History is off: %1").arg(m_history->errorString()));
        statusBar()->showMessage(tr("History is off (see the History tab)."), 10000);
    }
    resize(1180, 780);
}

void MainWindow::connectConnection()
{
    connect(m_connection, &ServerConnection::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_connection, &ServerConnection::queued, this, [this](int position, int waiting, int workers) {
        appendLog(tr("All %1 server workers are busy: waiting in line at position %2 of %3.")
                          .arg(workers).arg(position).arg(waiting));
    });
    connect(m_connection, &ServerConnection::modelsListed, this, &MainWindow::onModelsListed);
    connect(m_connection, &ServerConnection::welcomed, this, [this] {
        m_lastError.clear();
        appendLog(tr("Connected: %1.").arg(m_connection->statusText()));
        updateStatus();
    });
    connect(m_connection, &ServerConnection::connectionLost, this, &MainWindow::onConnectionLost);
    connect(m_connection, &ServerConnection::reconnecting, this, &MainWindow::onReconnecting);
    connect(m_connection, &ServerConnection::reconnected, this, &MainWindow::onReconnected);
    connect(m_connection, &ServerConnection::certificateNotTrusted, this, &MainWindow::askToTrust);
    connect(m_connection, &ServerConnection::certificateChanged, this, &MainWindow::warnCertificateChanged);
    connect(m_connection, &ServerConnection::offlineAcknowledged, this, [this](const QString &text) {
        appendLog(tr("Server says goodbye: %1").arg(text));
    });
    connect(m_connection, &ServerConnection::requestFailed, this, [this](const ProtocolError &error) {
        if (!error.messageId) // an image's own error is the batch's to report
            appendLog(tr("Server error %1: %2").arg(errorCodeName(error.code), error.message));
    });
}

void MainWindow::connectBatch()
{
    connect(m_batch, &ImageBatch::itemFinished, this, [this](int row) {
        const ImageBatch::Item &item = m_batch->item(row);
        if (item.status == ImageBatch::Status::Failed)
            appendLog(tr("%1: %2").arg(item.image.fileName, item.error));
        if (item.errorCode == errorCodeName(ErrorCode::UnknownModel))
            onUnknownModel(item.error);
        if (item.status == ImageBatch::Status::Done)
            recordDiagnosis(row);
        updatePlant();
    });
    // A cancel sends the plant's photos back to New without finishing them.
    // Only that: a photo answered is itemFinished's, once it has been kept in the history.
    connect(m_batch, &ImageBatch::itemChanged, this, [this](int row) {
        if (m_batch->item(row).status == ImageBatch::Status::New)
            updatePlant();
    });
    // Read when each photo is sent: a choice made mid-batch holds for the photos still waiting.
    connect(m_modelChoice, &ModelChoice::choiceChanged, this, [this] {
        m_queue->setModel(m_modelChoice->requestModel(), m_modelChoice->requestVersion());
    });
    connect(m_queue, &RequestQueue::progressChanged, this, &MainWindow::updateProgress);
    connect(m_queue, &RequestQueue::batchFinished, this, &MainWindow::onBatchFinished);
    connect(m_imageList->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::showSelected);
    connect(m_imageList->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_images, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &from) {
        if (from.row() == m_imageList->currentIndex().row())
            showSelected();
    });
}

void MainWindow::onStateChanged(ServerConnection::State state)
{
    updateStatus();
    updateActions();
    if (state == ServerConnection::State::Disconnected && m_connectAfterDisconnect && !m_closeAfterDisconnect) {
        m_connectAfterDisconnect = false;
        connectToServer();
    }
}

void MainWindow::warnCertificateChanged(const QString &presented, const QString &pinned)
{
    // Possibly someone impersonating the server: the user must know, not just the log.
    QMessageBox::critical(this, tr("The server's certificate has changed"),
                          tr("<p>The server at <b>%1:%2</b> presented a different certificate "
                             "from the one you trusted, so Orchard did not send it anything.</p>"
                             "<p>Presented: <tt>%3</tt><br>Trusted: <tt>%4</tt></p>"
                             "<p>Someone may be impersonating the server. If its administrator "
                             "replaced the certificate, clear the trusted fingerprint in Settings "
                             "and connect again.</p>")
                                  .arg(m_settings.host.toHtmlEscaped())
                                  .arg(m_settings.port)
                                  .arg(presented, pinned));
}

void MainWindow::onBatchFinished()
{
    updateProgress();
    updateActions();
    if (m_queue->totalCount() > 1) {
        appendLog(tr("Batch done: %1 of %2 images diagnosed, %3 failed, %4 images/s.")
                          .arg(m_queue->doneCount() - m_queue->failedCount())
                          .arg(m_queue->totalCount())
                          .arg(m_queue->failedCount())
                          .arg(m_queue->imagesPerSecond(), 0, 'f', 1));
    }
}

void MainWindow::onModelsListed()
{
    m_unknownModelReported = false;
    m_modelChoice->setOffer(m_connection->servedModels(), m_connection->modelName());
    if (m_settings.modelName.isEmpty() || !m_modelChoice->isSelectable())
        return;
    // The choice stays remembered when it is not offered: the lab may bring the model back,
    // another server may have it.
    QString sentence;
    switch (m_modelChoice->restore(m_settings.modelName, m_settings.modelVersion)) {
    case ModelChoice::Restored::Exactly:
        return;
    case ModelChoice::Restored::LatestInstead:
        sentence = tr("The server no longer offers version %1 of model %2, your last choice; its latest version "
                      "answers instead.")
                           .arg(m_settings.modelVersion.value_or(0))
                           .arg(m_settings.modelName);
        break;
    case ModelChoice::Restored::NotOffered:
        sentence = tr("The server does not offer model %1, your last choice; its default model, %2, answers "
                      "instead.")
                           .arg(m_settings.modelName, m_modelChoice->defaultModel());
        break;
    }
    statusBar()->showMessage(sentence, 15000);
    appendLog(sentence);
}

void MainWindow::rememberModelChoice()
{
    m_settings.modelName = m_modelChoice->chosenModel();
    m_settings.modelVersion = m_modelChoice->chosenVersion();
    ClientSettings saved = ClientSettings::load();
    saved.modelName = m_settings.modelName;
    saved.modelVersion = m_settings.modelVersion;
    saved.save();
    appendLog(tr("Model %1 chosen: the photos sent from now on are diagnosed by it.").arg(m_modelChoice->chosenText()));
}

void MainWindow::onUnknownModel(const QString &serverMessage)
{
    if (m_unknownModelReported)
        return;
    m_unknownModelReported = true;
    // After the queue has finished handling the answer that brought us here: cancelling
    // from inside it would count the batch's end twice.
    QTimer::singleShot(0, this, [this, serverMessage] {
        const QString asked = m_queue->model();
        const std::optional<qint64> askedVersion = m_queue->modelVersion();
        const QString askedText = asked.isEmpty() ? tr("the model asked for")
                : askedVersion ? tr("model %1, version %2").arg(asked).arg(*askedVersion)
                               : tr("model %1").arg(asked);
        const int kept = m_queue->pendingCount() + m_queue->inFlightCount();
        m_batch->cancel(); // what waits would otherwise go to whatever the picker falls back to
        m_modelChoice->withdraw(asked, askedVersion);
        QString sentence = tr("The server does not serve %1: %2").arg(askedText, serverMessage);
        if (kept == 1)
            sentence += tr(" The photo not yet diagnosed was kept back.");
        else if (kept > 1)
            sentence += tr(" The %1 photos not yet diagnosed were kept back.").arg(kept);
        sentence += tr(" Choose another model in the list and click Predict again.");
        // The whole sentence in the log and beside the photo; the status bar has room for little.
        const QString shortName = askedVersion ? tr("%1 v%2").arg(asked).arg(*askedVersion) : asked;
        statusBar()->showMessage(asked.isEmpty() ? tr("The model asked for is not served.")
                                                 : tr("Model %1 is not served: choose another.").arg(shortName),
                                 30000);
        appendLog(sentence);
        updateProgress();
        updateActions();
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QStyle *style = this->style();
    m_openAction = new QAction(style->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Images…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open leaf photos (Ctrl+O)"));
    m_openAction->setIconText(tr("Open"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openFiles);

    m_openFolderAction = new QAction(style->standardIcon(QStyle::SP_DirOpenIcon), tr("Open &Folder…"), this);
    m_openFolderAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_O);
    m_openFolderAction->setToolTip(tr("Open every photo in a folder (Ctrl+Shift+O)"));
    m_openFolderAction->setIconText(tr("Folder"));
    connect(m_openFolderAction, &QAction::triggered, this, &MainWindow::openFolder);

    m_predictAction = new QAction(style->standardIcon(QStyle::SP_MediaPlay), tr("&Predict"), this);
    m_predictAction->setShortcut(Qt::CTRL | Qt::Key_P);
    m_predictAction->setToolTip(tr("Diagnose the selected image (Ctrl+P)"));
    connect(m_predictAction, &QAction::triggered, this, &MainWindow::predictSelected);

    m_predictAllAction = new QAction(style->standardIcon(QStyle::SP_MediaSeekForward), tr("Predict &All"), this);
    m_predictAllAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    m_predictAllAction->setToolTip(tr("Diagnose every image in the list (Ctrl+Shift+P)"));
    connect(m_predictAllAction, &QAction::triggered, this, &MainWindow::predictAll);

    m_plantAction = new QAction(style->standardIcon(QStyle::SP_FileDialogContentsView), tr("Diagnose as One P&lant"),
                                this);
    m_plantAction->setObjectName(QStringLiteral("plantAction"));
    // The toolbar's words: at the window's 1180 px every button must show, none behind "»".
    m_plantAction->setIconText(tr("One Plant"));
    m_plantAction->setShortcut(Qt::CTRL | Qt::Key_L);
    m_plantAction->setToolTip(tr("Combine the selected photos of one plant into one diagnosis (Ctrl+L)"));
    connect(m_plantAction, &QAction::triggered, this, &MainWindow::diagnoseAsPlant);

    m_cancelAction = new QAction(style->standardIcon(QStyle::SP_MediaStop), tr("&Cancel"), this);
    m_cancelAction->setShortcut(Qt::Key_Escape);
    m_cancelAction->setToolTip(tr("Stop sending the rest of the batch (Esc)"));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelBatch);

    m_connectAction = new QAction(style->standardIcon(QStyle::SP_BrowserReload), tr("&Connect"), this);
    m_connectAction->setShortcut(Qt::CTRL | Qt::Key_K);
    connect(m_connectAction, &QAction::triggered, this, [this] {
        if (m_connection->state() == ServerConnection::State::Disconnected)
            connectToServer();
        else
            disconnectFromServer();
    });

    m_exportAction = new QAction(style->standardIcon(QStyle::SP_DialogSaveButton), tr("&Export CSV…"), this);
    m_exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    m_exportAction->setToolTip(tr("Save the results table as a CSV file (Ctrl+E)"));
    m_exportAction->setIconText(tr("Export"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::chooseCsvFile);

    m_settingsAction = new QAction(style->standardIcon(QStyle::SP_FileDialogDetailedView), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_settingsAction->setToolTip(tr("Server address and display options"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettings);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    for (QAction *action : { m_openAction, m_openFolderAction })
        toolbar->addAction(action);
    toolbar->addSeparator();
    for (QAction *action : { m_predictAction, m_predictAllAction, m_plantAction, m_cancelAction })
        toolbar->addAction(action);
    toolbar->addSeparator();
    // Next to Predict: which model answers is part of what Predict does.
    m_modelPicker = new ModelPicker(m_modelChoice, this);
    m_modelPicker->setObjectName(QStringLiteral("modelPicker"));
    connect(m_modelPicker, &ModelPicker::chosenByUser, this, &MainWindow::rememberModelChoice);
    toolbar->addWidget(m_modelPicker);
    for (QAction *action : { m_exportAction, m_connectAction, m_settingsAction })
        toolbar->addAction(action);
}

void MainWindow::createLayout()
{
    m_imageList = new QListView(this);
    m_imageList->setObjectName(QStringLiteral("imageList"));
    m_imageList->setModel(m_images);
    m_imageList->setIconSize(QSize(ImageLoader::kThumbnailSize, ImageLoader::kThumbnailSize));
    m_imageList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_imageList->setUniformItemSizes(true);
    m_imageList->setSpacing(2);
    m_imageList->setMinimumWidth(240);
    // Right-click on the selection: what can be done with it.
    m_imageList->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_imageList->addActions({ m_predictAction, m_plantAction });

    m_preview = new ImagePreview(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_resultPanel = new ResultPanel(this);
    m_resultPanel->setObjectName(QStringLiteral("resultPanel"));

    m_resultsView = new QTableView(this);
    m_resultsView->setObjectName(QStringLiteral("resultsView"));
    m_resultsView->setModel(m_results);
    m_resultsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_resultsView->verticalHeader()->hide();
    m_resultsView->horizontalHeader()->setMinimumSectionSize(m_resultsView->fontMetrics().horizontalAdvance(QStringLiteral("000000.0")));
    m_resultsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_resultsView->horizontalHeader()->setSectionResizeMode(ResultsTableModel::File, QHeaderView::Stretch);
    // The diagnosis and model columns are sized for their longest usual text, not to
    // their contents: a header sized to its contents does not follow rows whose text
    // changes ("waiting…" → "Not sure: T-shirt/top"), and the text wrapped, cut short.
    const QFontMetrics metrics = m_resultsView->fontMetrics();
    m_resultsView->setWordWrap(false);
    m_resultsView->horizontalHeader()->setSectionResizeMode(ResultsTableModel::Label, QHeaderView::Interactive);
    m_resultsView->horizontalHeader()->resizeSection(ResultsTableModel::Label,
                                                     metrics.horizontalAdvance(tr("Not sure: T-shirt/top")) + 24);
    m_resultsView->horizontalHeader()->setSectionResizeMode(ResultsTableModel::Model, QHeaderView::Interactive);
    m_resultsView->horizontalHeader()->resizeSection(ResultsTableModel::Model,
                                                     metrics.horizontalAdvance(QStringLiteral("fashion-mnist v10")) + 24);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_plantPanel = new PlantResultPanel(this);
    m_plantPanel->setObjectName(QStringLiteral("plantPanel"));
    connect(m_plantPanel, &PlantResultPanel::photoActivated, this, [this](int photo) {
        if (photo >= 0 && photo < m_plantRows.size())
            m_imageList->setCurrentIndex(m_images->index(m_plantRows.at(photo)));
    });
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("bottomTabs"));
    m_tabs->addTab(m_resultsView, tr("Results"));
    m_tabs->addTab(m_plantPanel, tr("Plant"));
    m_historyPanel = new HistoryPanel(m_history.get(), this);
    m_historyPanel->setObjectName(QStringLiteral("historyPanel"));
    m_tabs->addTab(m_historyPanel, tr("History"));
    connect(m_historyPanel, &HistoryPanel::photoRequested, this, &MainWindow::showPhoto);
    m_tabs->addTab(m_log, tr("Log"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::fitTabs);

    // The tag sits over the photos it will be given to.
    auto *imageSide = new QWidget(this);
    auto *imageLayout = new QVBoxLayout(imageSide);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    imageLayout->addWidget(createTagRow());
    imageLayout->addWidget(m_imageList, 1);
    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(imageSide);
    top->addWidget(m_preview);
    top->addWidget(m_resultPanel);
    top->setStretchFactor(1, 1);
    top->setSizes({ 260, 560, 340 });
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->addWidget(top);
    m_vertical->addWidget(m_tabs);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 1);
    m_vertical->setSizes({ 520, 200 });
    setCentralWidget(m_vertical);
    createStatusBar();
}

void MainWindow::createStatusBar()
{
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("connectionStatus"));
    m_reconnectButton = new QToolButton(this);
    m_reconnectButton->setText(tr("Reconnect"));
    m_reconnectButton->setToolTip(tr("Connect to the server again; images not yet diagnosed are sent"));
    connect(m_reconnectButton, &QToolButton::clicked, this, &MainWindow::connectToServer);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("batchProgress"));
    m_progress->setFormat(tr("%v of %m"));
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    m_rateLabel = new QLabel(this);
    // Permanent widgets, so that passing messages ("Loaded 20 images.") never hide where
    // the connection stands.
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->addPermanentWidget(m_reconnectButton);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_progress);
}

void MainWindow::setServer(const QString &host, quint16 port)
{
    m_settings.host = host;
    m_settings.port = port;
}

void MainWindow::setTls(bool enabled, const QString &caFile)
{
    m_settings.useTls = enabled;
    if (!caFile.isEmpty())
        m_settings.caFile = caFile;
}

void MainWindow::connectToServer()
{
    m_lastError.clear();
    appendLog(tr("Connecting to %1:%2…").arg(m_settings.host).arg(m_settings.port));
    m_connection->setAccessToken(m_settings.accessToken);
    m_connection->setTls(tlsOptions());
    m_connection->connectToServer(m_settings.host, m_settings.port);
}

void MainWindow::disconnectFromServer()
{
    m_connection->disconnectFromServer();
}

void MainWindow::addPaths(const QStringList &paths)
{
    const QStringList files = ImageLoader::expand(paths);
    if (files.isEmpty()) {
        statusBar()->showMessage(tr("No image files there."), 5000);
        emit imagesLoaded(0, 0);
        return;
    }
    if (!paths.isEmpty())
        m_settings.lastDirectory = QFileInfo(paths.constFirst()).absolutePath();
    // Reading and thumbnailing run on the pool, so results complete in any order; they are
    // listed in the order the files were given, each as soon as it and all before it are ready.
    auto *watcher = new QFutureWatcher<LoadedImage>(this);
    auto failed = std::make_shared<int>(0);
    auto added = std::make_shared<int>(0);
    auto nextIndex = std::make_shared<int>(0);
    connect(watcher, &QFutureWatcher<LoadedImage>::resultReadyAt, this, [this, watcher, failed, added, nextIndex] {
        while (watcher->future().isResultReadyAt(*nextIndex)) {
            const LoadedImage image = watcher->resultAt((*nextIndex)++);
            if (image.bytes.isEmpty()) {
                ++*failed;
                appendLog(tr("Cannot load %1: %2").arg(QDir::toNativeSeparators(image.path), image.error));
                continue;
            }
            if (!image.isValid())
                appendLog(tr("%1: %2; it will still be sent to the server.").arg(image.fileName, image.error));
            ++*added;
            const int row = m_batch->add(image);
            if (!m_imageList->currentIndex().isValid())
                m_imageList->setCurrentIndex(m_images->index(row));
        }
    });
    connect(watcher, &QFutureWatcher<LoadedImage>::finished, this, [this, watcher, failed, added] {
        statusBar()->showMessage(*failed ? tr("Loaded %1 images; %2 could not be read (see the log).").arg(*added).arg(*failed)
                                         : tr("Loaded %1 images.").arg(*added),
                                 5000);
        updateActions();
        emit imagesLoaded(*added, *failed);
        watcher->deleteLater();
    });
    statusBar()->showMessage(tr("Loading %1 images…").arg(files.size()));
    watcher->setFuture(QtConcurrent::mapped(files, [](const QString &path) { return ImageLoader::load(path); }));
}

void MainWindow::openFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Open leaf photos"), m_settings.lastDirectory,
            tr("Images (%1);;All files (*)").arg(ImageLoader::nameFilters().join(QLatin1Char(' '))));
    if (!files.isEmpty())
        addPaths(files);
}

void MainWindow::openFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a folder of leaf photos"),
                                                             m_settings.lastDirectory);
    if (!folder.isEmpty())
        addPaths({ folder });
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

QList<int> MainWindow::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_imageList->selectionModel()->selectedIndexes())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

void MainWindow::predictSelected()
{
    QList<int> rows = selectedRows();
    if (rows.isEmpty() && m_imageList->currentIndex().isValid())
        rows.append(m_imageList->currentIndex().row());
    enqueue(rows);
}

void MainWindow::diagnoseAsPlant()
{
    const QList<int> rows = selectedRows();
    if (rows.size() < 2)
        return;
    m_plantRows = rows;
    m_plantWaiting = false; // not while sending: the rows not yet sent would look cancelled
    QList<int> unsent;
    for (int row : rows) {
        if (m_batch->item(row).status == ImageBatch::Status::New)
            unsent.append(row);
    }
    enqueue(unsent);
    m_plantWaiting = true;
    m_tabs->setCurrentWidget(m_plantPanel);
    updatePlant();
}

void MainWindow::updatePlant()
{
    if (!m_plantWaiting)
        return;
    int answered = 0;
    bool abandoned = false;
    for (int row : std::as_const(m_plantRows)) {
        const ImageBatch::Item &item = m_batch->item(row);
        if (item.status == ImageBatch::Status::Done || item.status == ImageBatch::Status::Failed)
            ++answered;
        else if (item.status == ImageBatch::Status::New)
            abandoned = true; // it was sent, so only a cancel brings it back here
    }
    if (abandoned) {
        m_plantWaiting = false;
        m_plantPanel->showAbandoned(tr("Not every photo of the plant was diagnosed (the batch was cancelled). "
                                       "Click Diagnose as One Plant again."));
        return;
    }
    if (answered < m_plantRows.size()) {
        m_plantPanel->showPending(answered, int(m_plantRows.size()));
        return;
    }
    m_plantWaiting = false;
    showPlantDiagnosis();
}

void MainWindow::showPlantDiagnosis()
{
    const PlantDiagnosis plant =
            PlantDiagnosis::ofRows(*m_batch, m_plantRows, *m_connection, PlantDiagnosis::PhotoNames::FileNames);
    m_plantPanel->showDiagnosis(plant);
    recordPlantGroup(plant);
    appendLog(plant.summaryLine());
    statusBar()->showMessage(plant.isValid() ? tr("One plant — %1").arg(plant.agreementText())
                                             : tr("None of the plant's photos could be diagnosed."),
                             10000);
}

QWidget *MainWindow::createTagRow()
{
    m_tagChooser = new QComboBox(this);
    m_tagChooser->setObjectName(QStringLiteral("tagChooser"));
    m_tagChooser->setEditable(true);
    m_tagChooser->setInsertPolicy(QComboBox::NoInsert); // a tag joins the list once used
    m_tagChooser->lineEdit()->setMaxLength(kMaxTagLength);
    m_tagChooser->lineEdit()->setPlaceholderText(tr("no tag"));
    m_tagChooser->lineEdit()->setClearButtonEnabled(true);
    m_tagChooser->setToolTip(tr("The field or plot the photos come from: new diagnoses are kept under it "
                                "in the history"));
    if (m_history->isOpen())
        m_tagChooser->addItems(m_history->tags());
    m_tagChooser->setCurrentText(m_settings.historyTag);
    connect(m_tagChooser->lineEdit(), &QLineEdit::editingFinished, this, &MainWindow::rememberTag);
    connect(m_tagChooser, &QComboBox::activated, this, &MainWindow::rememberTag);

    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Field/&plot:"), row);
    label->setBuddy(m_tagChooser);
    layout->addWidget(label);
    layout->addWidget(m_tagChooser, 1);
    return row;
}

void MainWindow::showPhoto(const QString &path)
{
    const int row = m_batch->rowOf(path);
    if (row >= 0) {
        m_imageList->setCurrentIndex(m_images->index(row));
        return;
    }
    // Loaded like any other photo (in the background), and shown once it is in the list.
    auto *once = new QObject(this);
    connect(this, &MainWindow::imagesLoaded, once, [this, path, once] {
        once->deleteLater();
        const int loaded = m_batch->rowOf(path);
        if (loaded >= 0)
            m_imageList->setCurrentIndex(m_images->index(loaded));
    });
    addPaths({ path });
}

void MainWindow::fitTabs()
{
    // The history's filters, table and detail need more than the strip the results table
    // lives in: it takes the larger part of the window while shown, and gives it back after.
    const bool history = m_tabs->currentWidget() == m_historyPanel;
    const QList<int> sizes = m_vertical->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (history && m_sizesBeforeHistory.isEmpty() && sizes.value(1) < total * 55 / 100) {
        m_sizesBeforeHistory = sizes;
        m_vertical->setSizes({ total * 40 / 100, total - total * 40 / 100 });
    } else if (!history && !m_sizesBeforeHistory.isEmpty()) {
        m_vertical->setSizes(m_sizesBeforeHistory);
        m_sizesBeforeHistory.clear();
    }
}

void MainWindow::rememberTag()
{
    const QString tag = m_tagChooser->currentText().trimmed();
    if (tag == m_settings.historyTag)
        return;
    m_settings.historyTag = tag;
    ClientSettings saved = ClientSettings::load();
    saved.historyTag = tag;
    saved.save();
}

void MainWindow::recordDiagnosis(int row)
{
    m_historyIds.remove(row);
    if (!m_history->isOpen())
        return;
    const ImageBatch::Item &item = m_batch->item(row);
    const QString tag = m_tagChooser->currentText().trimmed();
    const HistoryRecord record = HistoryRecord::ofReply(item.image.path, item.reply, item.image.thumbnail, tag,
                                                        HistoryRecord::Source::Desktop);
    const std::optional<qint64> id = m_history->add(record);
    if (!id) {
        reportHistoryFailure();
        return;
    }
    m_historyFailureShown = false;
    m_historyIds.insert(row, *id);
    if (!tag.isEmpty() && m_tagChooser->findText(tag, Qt::MatchExactly) < 0) {
        const QSignalBlocker quiet(m_tagChooser);
        m_tagChooser->addItem(tag);
        m_tagChooser->setCurrentText(tag);
    }
    m_historyPanel->recordsChanged();
}

void MainWindow::recordPlantGroup(const PlantDiagnosis &plant)
{
    if (!plant.isValid() || !m_history->isOpen())
        return;
    QList<qint64> ids;
    for (int photo = 0; photo < m_plantRows.size(); ++photo) {
        const int row = m_plantRows.at(photo);
        if (plant.isCombined(photo) && m_historyIds.contains(row))
            ids.append(m_historyIds.value(row));
    }
    if (ids.isEmpty())
        return;
    if (!m_history->setPlantGroup(ids, QUuid::createUuid().toString(QUuid::WithoutBraces), plant.agreementText())) {
        reportHistoryFailure();
        return;
    }
    m_historyPanel->recordsChanged();
}

void MainWindow::reportHistoryFailure()
{
    // A batch of 200 photos against a locked file would otherwise log 200 times.
    if (m_historyFailureShown)
        return;
    m_historyFailureShown = true;
    appendLog(tr("Not kept in the history: %1").arg(m_history->errorString()));
    statusBar()->showMessage(tr("A diagnosis could not be kept in the history (see the log)."), 10000);
}

void MainWindow::predictAll()
{
    QList<int> rows;
    for (int row = 0; row < m_images->count(); ++row) {
        if (!m_batch->item(row).isPending())
            rows.append(row);
    }
    enqueue(rows);
}

void MainWindow::enqueue(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    m_unknownModelReported = false;
    for (int row : rows)
        m_batch->enqueue(row, m_settings.topK);
    if (m_connection->state() == ServerConnection::State::Disconnected)
        connectToServer();
    else if (m_connection->state() == ServerConnection::State::Closing)
        m_connectAfterDisconnect = true;
    updateProgress();
    updateActions();
}

void MainWindow::cancelBatch()
{
    const int dropped = m_queue->pendingCount() + m_queue->inFlightCount();
    m_batch->cancel();
    if (dropped)
        appendLog(tr("Cancelled: %1 images were not diagnosed.").arg(dropped));
    updateProgress();
    updateActions();
}

void MainWindow::onConnectionLost(const QString &reason)
{
    // Final: ServerConnection tried to reconnect first where that could help.
    m_lastError = reason;
    appendLog(reason);
    const int unsent = m_queue->pendingCount();
    if (unsent > 0)
        appendLog(tr("%1 images are kept and will be sent after reconnecting (click Reconnect).").arg(unsent));
    updateStatus();
    updateActions();
}

void MainWindow::onReconnecting(int attempt, int maxAttempts, int delayMs, const QString &reason)
{
    // The status label says it from the connection's state; the log keeps why, attempt by attempt.
    appendLog(tr("%1 Reconnecting in %2 s (attempt %3 of %4)…")
                      .arg(reason)
                      .arg(delayMs / 1000.0, 0, 'f', 1)
                      .arg(attempt)
                      .arg(maxAttempts));
}

void MainWindow::onReconnected()
{
    // Before the queue sends again: items still marked Sent were on the lost connection.
    const int resent = m_batch->countWithStatus(ImageBatch::Status::Sent);
    const QString sentence = resent > 0 ? tr("Reconnected — re-sending %1 images").arg(resent)
                                        : tr("Reconnected to %1:%2").arg(m_connection->host()).arg(m_connection->port());
    statusBar()->showMessage(sentence, 10000);
    appendLog(sentence + QLatin1Char('.'));
}

ServerConnection::TlsOptions MainWindow::tlsOptions()
{
    ServerConnection::TlsOptions options;
    options.enabled = m_settings.useTls;
    options.pinnedFingerprint = m_settings.pinnedFingerprint;
    if (options.enabled && !m_settings.caFile.isEmpty()) {
        options.caCertificates = QSslCertificate::fromPath(m_settings.caFile, QSsl::Pem);
        if (options.caCertificates.isEmpty())
            appendLog(tr("No CA certificate could be read from %1; the server's fingerprint will be checked instead.")
                              .arg(QDir::toNativeSeparators(m_settings.caFile)));
    }
    return options;
}

void MainWindow::askToTrust(const QString &fingerprint, const QString &subject)
{
    // A security decision only the user can make: worth a dialog.
    const auto answer = QMessageBox::question(
            this, tr("Trust this server?"),
            tr("<p>The server at <b>%1:%2</b> presents a certificate this computer has not seen "
               "before%3.</p><p>SHA-256 fingerprint:<br><tt>%4</tt></p><p>Trust it only if the "
               "server's administrator confirms this fingerprint. Orchard will remember it and "
               "warn you if it ever changes.</p>")
                    .arg(m_settings.host.toHtmlEscaped())
                    .arg(m_settings.port)
                    .arg(subject.isEmpty() ? QString() : tr(" (issued to %1)").arg(subject.toHtmlEscaped()))
                    .arg(fingerprint),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return;
    m_settings.pinnedFingerprint = fingerprint;
    ClientSettings saved = ClientSettings::load();
    saved.pinnedFingerprint = fingerprint;
    saved.save();
    appendLog(tr("Trusting the server's certificate %1.").arg(fingerprint));
    connectToServer();
}

void MainWindow::showSelected()
{
    const QModelIndex current = m_imageList->currentIndex();
    if (!current.isValid()) {
        m_preview->clear();
        m_resultPanel->showNothing();
        return;
    }
    const ImageBatch::Item &item = m_batch->item(current.row());
    switch (item.status) {
    case ImageBatch::Status::New:
        m_resultPanel->showNothing();
        break;
    case ImageBatch::Status::Queued:
    case ImageBatch::Status::Sent:
        m_resultPanel->showPending(item.image.fileName);
        break;
    case ImageBatch::Status::Done:
        m_resultPanel->showReply(item.reply, item.roundTripMs);
        break;
    case ImageBatch::Status::Failed:
        if (item.errorCode == errorCodeName(ErrorCode::UnknownModel))
            m_resultPanel->showError(item.image.fileName,
                                     tr("%1\nChoose another model in the model list and click Predict again.")
                                             .arg(item.error));
        else
            m_resultPanel->showError(item.image.fileName, item.error);
        break;
    }
    if (m_preview->property("path").toString() == item.image.path)
        return;
    m_preview->setProperty("path", item.image.path);
    const QString caption = tr("%1 — %2 — %3 × %4 pixels")
                                    .arg(item.image.fileName, QLocale().formattedDataSize(item.image.bytes.size()))
                                    .arg(item.image.dimensions.width())
                                    .arg(item.image.dimensions.height());
    // Decoding a 12 MP photo takes long enough to notice: do it off the GUI thread.
    auto *watcher = new QFutureWatcher<QImage>(this);
    const QString path = item.image.path;
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, path, caption] {
        if (m_preview->property("path").toString() == path) {
            const QImage image = watcher->result();
            if (image.isNull())
                m_preview->clear(tr("This computer cannot display %1,\nbut the server may still diagnose it.")
                                         .arg(QFileInfo(path).fileName()));
            else
                m_preview->setImage(image, caption);
        }
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(&ImageLoader::preview, item.image.bytes, kPreviewMaxSide));
}

void MainWindow::updateStatus()
{
    QString text = m_connection->statusText();
    if (m_connection->state() == ServerConnection::State::Disconnected && !m_lastError.isEmpty())
        text = tr("Disconnected: %1").arg(m_lastError);
    m_statusLabel->setText(text);
    const bool offerReconnect = m_connection->state() == ServerConnection::State::Disconnected && !m_lastError.isEmpty();
    m_reconnectButton->setVisible(offerReconnect);
    m_connectAction->setText(m_connection->state() == ServerConnection::State::Disconnected ? tr("&Connect")
                                                                                             : tr("&Disconnect"));
    m_connectAction->setToolTip(m_connection->state() == ServerConnection::State::Disconnected
                                        ? tr("Connect to %1:%2 (Ctrl+K)").arg(m_settings.host).arg(m_settings.port)
                                        : m_connection->isReconnecting()
                                        ? tr("Stop reconnecting (Ctrl+K)")
                                        : tr("Say goodbye to the server and disconnect (Ctrl+K)"));
}

void MainWindow::updateActions()
{
    const bool haveImages = m_images->count() > 0;
    m_predictAction->setEnabled(haveImages);
    m_predictAllAction->setEnabled(haveImages);
    m_plantAction->setEnabled(selectedRows().size() >= 2);
    m_cancelAction->setEnabled(!m_queue->isIdle());
    m_exportAction->setEnabled(m_results->rowCount() > 0 || haveImages);
}

void MainWindow::updateProgress()
{
    const int total = m_queue->totalCount();
    if (total == 0)
        return;
    m_progress->show();
    m_progress->setMaximum(total);
    m_progress->setValue(m_queue->doneCount());
    const double rate = m_queue->imagesPerSecond();
    m_rateLabel->setText(rate > 0 ? tr("%1 images/s").arg(rate, 0, 'f', 1) : QString());
}

QString MainWindow::statusText() const
{
    return m_statusLabel->text();
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::appendLog(const QString &line)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

void MainWindow::chooseCsvFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"),
                                                      QDir(m_settings.lastDirectory).filePath(QStringLiteral("orchard-results.csv")),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

bool MainWindow::exportCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(m_results->toCsv().toUtf8()) < 0) {
        // The user asked for this file and must choose another place: worth a dialog.
        QMessageBox::warning(this, tr("Export results"),
                             tr("Cannot write %1:\n%2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1 results to %2").arg(m_results->rowCount()).arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ClientSettings chosen = dialog.settings();
    const bool serverChanged = chosen.host != m_settings.host || chosen.port != m_settings.port
            || chosen.accessToken != m_settings.accessToken || chosen.useTls != m_settings.useTls
            || chosen.caFile != m_settings.caFile || chosen.pinnedFingerprint != m_settings.pinnedFingerprint;
    m_settings = chosen;
    m_queue->setSendsOriginals(chosen.sendOriginals);
    if (serverChanged && m_connection->state() != ServerConnection::State::Disconnected) {
        appendLog(tr("Server changed to %1:%2; reconnecting.").arg(chosen.host).arg(chosen.port));
        m_connection->abort();
        connectToServer();
    }
    updateStatus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Say goodbye first, as the original client did; close once the server answered (or
    // after ServerConnection's timeout), without freezing the window meanwhile.
    if (m_connection->state() == ServerConnection::State::Connected) {
        m_closeAfterDisconnect = true;
        connect(m_connection, &ServerConnection::stateChanged, this, [this](ServerConnection::State state) {
            if (state == ServerConnection::State::Disconnected && m_closeAfterDisconnect)
                close();
        });
        statusBar()->showMessage(tr("Saying goodbye to the server…"));
        m_connection->disconnectFromServer();
        event->ignore();
        return;
    }
    if (m_connection->state() == ServerConnection::State::Closing && m_closeAfterDisconnect) {
        event->ignore(); // the goodbye is on its way; its answer closes the window
        return;
    }
    m_connection->abort();
    // Only the folder is remembered here: a --host/--port given for this run is not a setting.
    ClientSettings saved = ClientSettings::load();
    saved.lastDirectory = m_settings.lastDirectory;
    saved.historyTag = m_tagChooser->currentText().trimmed();
    saved.save();
    event->accept();
}

} // namespace orchard
