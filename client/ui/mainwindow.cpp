#include "client/ui/mainwindow.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileIconProvider>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSslCertificate>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "client/core/componentversions.h"
#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/modelchoice.h"
#include "client/core/plantdiagnosis.h"
#include "client/core/recentpaths.h"
#include "client/core/requestqueue.h"
#include "client/core/resultstablemodel.h"
#include "client/core/serverconnection.h"
#include "client/ui/historypanel.h"
#include "client/ui/imagepreview.h"
#include "client/ui/modelpicker.h"
#include "client/ui/plantresultpanel.h"
#include "client/ui/resultpanel.h"
#include "client/ui/settingsdialog.h"
#include "common/i18n/uilanguage.h"
#include "common/protocol/protocolerror.h"

// Outside any namespace, as Q_INIT_RESOURCE must be: the resources of a static library
// (the icons in resources/orchard.qrc) are linked in only when something refers to them.
static void initOrchardResources()
{
    Q_INIT_RESOURCE(orchard);
}

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
    initOrchardResources();
    // The SVG stays sharp at any scale; the PNG for a Qt without its SVG icon plugin.
    QIcon icon(QStringLiteral(":/icons/orchard.svg"));
    if (icon.availableSizes().isEmpty() && icon.pixmap(64).isNull())
        icon = QIcon(QStringLiteral(":/icons/orchard.png"));
    setWindowIcon(icon);
    setAcceptDrops(true);
    // Once, from the keychain (or the settings file where the farmer chose that): never
    // replaced by a later ClientSettings::load(), which does not read it.
    m_settings.loadAccessToken();
    m_queue->setSendsOriginals(m_settings.sendOriginals);
    // Opened before the window shows: a first diagnosis must have somewhere to go. A
    // history that cannot be opened is said in the log and the History tab, not a dialog:
    // diagnosing does not need it.
    m_history = std::make_unique<HistoryStore>(HistoryStore::defaultPath());
    const bool historyOpen = m_history->open();
    createActions();
    createLayout();
    createMenus();
    connectConnection();
    connectBatch();
    retranslateUi();
    updateActions();
    if (!historyOpen) {
        appendLog(tr("History is off: %1").arg(m_history->errorString()));
        statusBar()->showMessage(tr("History is off (see the History tab)."), 10000);
    }
    restoreLayout();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    updateWindowTitle();
    m_openAction->setText(tr("&Open Images…"));
    m_openAction->setToolTip(tr("Open leaf photos (Ctrl+O)"));
    // The toolbar's words: at the window's 1180 px every button must show, none behind "»".
    m_openAction->setIconText(tr("Open"));
    m_openFolderAction->setText(tr("Open &Folder…"));
    m_openFolderAction->setToolTip(tr("Open every photo in a folder (Ctrl+Shift+O)"));
    m_openFolderAction->setIconText(tr("Folder"));
    m_predictAction->setText(tr("&Predict"));
    m_predictAction->setToolTip(tr("Diagnose the selected image (Ctrl+P)"));
    m_predictAction->setIconText(tr("Predict"));
    m_predictAllAction->setText(tr("Predict &All"));
    m_predictAllAction->setToolTip(tr("Diagnose every image in the list (Ctrl+Shift+P)"));
    m_predictAllAction->setIconText(tr("Predict All"));
    m_plantAction->setText(tr("Diagnose as One P&lant"));
    m_plantAction->setIconText(tr("One Plant"));
    m_plantAction->setToolTip(tr("Combine the selected photos of one plant into one diagnosis (Ctrl+L)"));
    m_cancelAction->setText(tr("&Cancel"));
    m_cancelAction->setIconText(tr("Cancel"));
    m_cancelAction->setToolTip(tr("Stop sending the rest of the batch (Esc)"));
    m_exportAction->setText(tr("&Export CSV…"));
    m_exportAction->setToolTip(tr("Save the results table as a CSV file (Ctrl+E)"));
    m_exportAction->setIconText(tr("Export"));
    m_settingsAction->setText(tr("&Settings…"));
    m_settingsAction->setIconText(tr("Settings"));
    m_settingsAction->setToolTip(tr("Server address, language and display options"));
    m_removeAction->setText(tr("&Remove Selected"));
    m_removeAction->setToolTip(tr("Take the selected photos out of the list (Delete); the history keeps their diagnoses"));
    m_clearAction->setText(tr("C&lear List"));
    m_clearAction->setToolTip(tr("Take every photo out of the list (Ctrl+Shift+Delete)"));
    m_clearRecentAction->setText(tr("&Clear Recent"));
    m_modelCardAction->setText(tr("&Model Card"));
    m_modelCardAction->setToolTip(tr("What the model that answers Predict was trained on and how well it does (F1)"));
    m_aboutAction->setText(tr("&About Orchard"));
    m_quitAction->setText(tr("&Quit"));
    m_toolbar->setWindowTitle(tr("Toolbar"));
    m_toolbar->toggleViewAction()->setText(tr("Show &Toolbar"));
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_diagnoseMenu->setTitle(tr("&Diagnose"));
    m_helpMenu->setTitle(tr("&Help"));

    const QStringList tabTitles { tr("Results"), tr("Plant"), tr("History"), tr("Log") };
    const QStringList tabMenuTexts { tr("&Results"), tr("&Plant"), tr("&History"), tr("&Log") };
    for (int tab = 0; tab < m_tabs->count() && tab < tabTitles.size(); ++tab) {
        m_tabs->setTabText(tab, tabTitles.at(tab));
        m_tabActions.at(tab)->setText(tabMenuTexts.at(tab));
    }
    m_tabs->setAccessibleName(tr("Results, plant, history and log"));

    m_imageList->setAccessibleName(tr("Photos"));
    m_imageList->setAccessibleDescription(tr("The photos to diagnose, each with its state; Delete takes the selected "
                                             "ones out of the list"));
    m_resultsView->setAccessibleName(tr("Results table"));
    m_resultsView->setAccessibleDescription(tr("One row per photo diagnosed: file, diagnosis, confidence, model"));
    m_log->setAccessibleName(tr("Log"));
    m_tagLabel->setText(tr("Field/&plot:"));
    m_tagChooser->lineEdit()->setPlaceholderText(tr("no tag"));
    m_tagChooser->setToolTip(tr("The field or plot the photos come from: new diagnoses are kept under it "
                                "in the history"));
    m_tagChooser->setAccessibleName(tr("Field or plot"));
    m_tagChooser->setAccessibleDescription(m_tagChooser->toolTip());
    m_reconnectButton->setText(tr("Reconnect"));
    m_reconnectButton->setToolTip(tr("Connect to the server again; images not yet diagnosed are sent"));
    m_reconnectButton->setAccessibleName(m_reconnectButton->text());
    m_statusLabel->setAccessibleName(tr("Connection"));
    m_progress->setFormat(tr("%v of %m"));
    m_progress->setAccessibleName(tr("Batch progress"));
    m_rateLabel->setAccessibleName(tr("Images per second"));
    // The diagnosis column is sized for its longest usual text, in this language.
    m_resultsView->horizontalHeader()->resizeSection(
            ResultsTableModel::Label,
            m_resultsView->fontMetrics().horizontalAdvance(tr("Not sure: T-shirt/top")) + 24);
    m_images->retranslate(); // the badges and tooltips of the photo list
    m_results->retranslate(); // the results table's titles and "Not sure: …"
    // The photo shown: its result and caption were written in the language of the moment.
    m_preview->setProperty("path", QString());
    showSelected();
    updateStatus();
    updateProgress();
    updateRecentMenu();
}

void MainWindow::updateWindowTitle()
{
    // Qt adds the application's display name ("— Orchard") itself. The server once: the
    // status bar says how the connection is, the title which server this window works with.
    if (m_connection->isConnected())
        setWindowTitle(tr("Leaf diagnosis — %1:%2").arg(m_connection->host()).arg(m_connection->port()));
    else
        setWindowTitle(tr("Leaf diagnosis"));
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
    connect(m_batch, &ImageBatch::itemsRemoved, this, &MainWindow::forgetRows);
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
    // Texts, tooltips and shortcuts' words are set in retranslateUi(), in the language installed.
    const auto action = [this](QStyle::StandardPixmap icon, const char *name) {
        auto *created = new QAction(icon == QStyle::SP_CustomBase ? QIcon() : this->style()->standardIcon(icon), QString(), this);
        created->setObjectName(QString::fromLatin1(name));
        return created;
    };
    m_openAction = action(QStyle::SP_DialogOpenButton, "openAction");
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openFiles);

    m_openFolderAction = action(QStyle::SP_DirOpenIcon, "openFolderAction");
    m_openFolderAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_O);
    connect(m_openFolderAction, &QAction::triggered, this, &MainWindow::openFolder);

    m_predictAction = action(QStyle::SP_MediaPlay, "predictAction");
    m_predictAction->setShortcut(Qt::CTRL | Qt::Key_P);
    connect(m_predictAction, &QAction::triggered, this, &MainWindow::predictSelected);

    m_predictAllAction = action(QStyle::SP_MediaSeekForward, "predictAllAction");
    m_predictAllAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    connect(m_predictAllAction, &QAction::triggered, this, &MainWindow::predictAll);

    m_plantAction = action(QStyle::SP_FileDialogContentsView, "plantAction");
    m_plantAction->setShortcut(Qt::CTRL | Qt::Key_L);
    connect(m_plantAction, &QAction::triggered, this, &MainWindow::diagnoseAsPlant);

    m_cancelAction = action(QStyle::SP_MediaStop, "cancelAction");
    m_cancelAction->setShortcut(Qt::Key_Escape);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelBatch);

    m_connectAction = action(QStyle::SP_BrowserReload, "connectAction");
    m_connectAction->setShortcut(Qt::CTRL | Qt::Key_K);
    connect(m_connectAction, &QAction::triggered, this, [this] {
        if (m_connection->state() == ServerConnection::State::Disconnected)
            connectToServer();
        else
            disconnectFromServer();
    });

    m_exportAction = action(QStyle::SP_DialogSaveButton, "exportAction");
    m_exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::chooseCsvFile);

    m_settingsAction = action(QStyle::SP_FileDialogDetailedView, "settingsAction");
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettings);

    // Delete removes photos only while the list has the focus: in the tag's text field or
    // the history's search it deletes characters, as everywhere else.
    m_removeAction = action(QStyle::SP_TrashIcon, "removeAction");
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeSelected);

    m_clearAction = action(QStyle::SP_DialogResetButton, "clearAction");
    m_clearAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete);
    connect(m_clearAction, &QAction::triggered, this, &MainWindow::clearList);

    m_clearRecentAction = action(QStyle::SP_CustomBase, "clearRecentAction");
    connect(m_clearRecentAction, &QAction::triggered, this, [this] {
        RecentPaths::clear();
        updateRecentMenu();
    });

    m_modelCardAction = action(QStyle::SP_FileDialogInfoView, "modelCardAction");
    m_modelCardAction->setShortcut(QKeySequence::HelpContents);
    connect(m_modelCardAction, &QAction::triggered, this, &MainWindow::showModelCard);

    m_aboutAction = action(QStyle::SP_MessageBoxInformation, "aboutAction");
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    m_quitAction = action(QStyle::SP_DialogCloseButton, "quitAction");
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);

    m_toolbar = addToolBar(QString());
    m_toolbar->setObjectName(QStringLiteral("mainToolbar"));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->setMovable(false);
    for (QAction *action : { m_openAction, m_openFolderAction })
        m_toolbar->addAction(action);
    m_toolbar->addSeparator();
    for (QAction *action : { m_predictAction, m_predictAllAction, m_plantAction, m_cancelAction })
        m_toolbar->addAction(action);
    m_toolbar->addSeparator();
    // Next to Predict: which model answers is part of what Predict does.
    m_modelPicker = new ModelPicker(m_modelChoice, this);
    m_modelPicker->setObjectName(QStringLiteral("modelPicker"));
    connect(m_modelPicker, &ModelPicker::chosenByUser, this, &MainWindow::rememberModelChoice);
    m_toolbar->addWidget(m_modelPicker);
    for (QAction *action : { m_exportAction, m_connectAction, m_settingsAction })
        m_toolbar->addAction(action);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_fileMenu->addActions({ m_openAction, m_openFolderAction });
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->setObjectName(QStringLiteral("editMenu"));
    m_editMenu->addActions({ m_removeAction, m_clearAction });
    m_editMenu->addSeparator();
    m_editMenu->addAction(m_settingsAction);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    QAction *toolbarShown = m_toolbar->toggleViewAction();
    toolbarShown->setObjectName(QStringLiteral("toolbarShownAction"));
    m_viewMenu->addAction(toolbarShown);
    m_viewMenu->addSeparator();
    // Alt+1…4: each tab of the bottom pane from the keyboard, wherever the focus is.
    for (int tab = 0; tab < m_tabs->count(); ++tab) {
        auto *show = m_viewMenu->addAction(QString());
        show->setObjectName(QStringLiteral("showTab%1Action").arg(tab + 1));
        show->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + tab)));
        connect(show, &QAction::triggered, this, [this, tab] {
            m_tabs->setCurrentIndex(tab);
            m_tabs->currentWidget()->setFocus(Qt::ShortcutFocusReason);
        });
        m_tabActions.append(show);
    }

    m_diagnoseMenu = menuBar()->addMenu(QString());
    m_diagnoseMenu->setObjectName(QStringLiteral("diagnoseMenu"));
    m_diagnoseMenu->addActions({ m_predictAction, m_predictAllAction, m_plantAction, m_cancelAction });
    m_diagnoseMenu->addSeparator();
    m_diagnoseMenu->addAction(m_connectAction);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_helpMenu->addActions({ m_modelCardAction, m_aboutAction });
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentPaths::load();
    const QFileIconProvider icons;
    for (int i = 0; i < paths.size(); ++i) {
        const QFileInfo info(paths.at(i));
        // "&1 leaf.jpg": a digit to choose it with, the name to recognise it, the folder in the tooltip.
        const QString name = info.isDir() ? tr("%1 (folder)").arg(info.fileName()) : info.fileName();
        QAction *open = m_recentMenu->addAction(icons.icon(info), i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(name)
                                                                       : name);
        open->setToolTip(QDir::toNativeSeparators(info.absoluteFilePath()));
        open->setStatusTip(open->toolTip());
        open->setData(info.absoluteFilePath());
        connect(open, &QAction::triggered, this, [this, path = info.absoluteFilePath()] { addPaths({ path }); });
    }
    if (paths.isEmpty()) {
        QAction *none = m_recentMenu->addAction(tr("No recent photos or folders"));
        none->setEnabled(false);
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(m_clearRecentAction);
    m_clearRecentAction->setEnabled(!paths.isEmpty());
    m_recentMenu->setEnabled(true);
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
    m_imageList->addActions({ m_predictAction, m_plantAction, m_removeAction });

    m_preview = new ImagePreview(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_resultPanel = new ResultPanel(this);
    m_resultPanel->setObjectName(QStringLiteral("resultPanel"));
    // A box clicked on the photo: the result panel shows that one's diagnosis and advice.
    connect(m_preview, &ImagePreview::detectionClicked, this, [this](int index) {
        const QModelIndex current = m_imageList->currentIndex();
        if (!current.isValid())
            return;
        const ImageBatch::Item &item = m_batch->item(current.row());
        if (!item.reply.detections || index >= item.reply.detections->size())
            return;
        const DetectionReport &detection = item.reply.detections->at(index);
        PredictionReply chosen = item.reply;
        chosen.label = detection.label;
        chosen.index = detection.index;
        chosen.confidence = detection.confidence;
        chosen.topK = detection.topK;
        chosen.advice = detection.advice;
        chosen.uncertain = detection.uncertain;
        m_resultPanel->showReply(chosen, item.roundTripMs);
    });

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
    // The tabs' titles are set in retranslateUi(), in this order.
    m_tabs->addTab(m_resultsView, QString());
    m_tabs->addTab(m_plantPanel, QString());
    m_historyPanel = new HistoryPanel(m_history.get(), this);
    m_historyPanel->setObjectName(QStringLiteral("historyPanel"));
    m_tabs->addTab(m_historyPanel, QString());
    connect(m_historyPanel, &HistoryPanel::photoRequested, this, &MainWindow::showPhoto);
    m_tabs->addTab(m_log, QString());
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::fitTabs);

    // The tag sits over the photos it will be given to.
    auto *imageSide = new QWidget(this);
    auto *imageLayout = new QVBoxLayout(imageSide);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    imageLayout->addWidget(createTagRow());
    imageLayout->addWidget(m_imageList, 1);
    m_horizontal = new QSplitter(Qt::Horizontal, this);
    m_horizontal->setObjectName(QStringLiteral("photoSplitter"));
    m_horizontal->addWidget(imageSide);
    m_horizontal->addWidget(m_preview);
    m_horizontal->addWidget(m_resultPanel);
    m_horizontal->setStretchFactor(1, 1);
    m_horizontal->setSizes({ 260, 560, 340 });
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->setObjectName(QStringLiteral("paneSplitter"));
    m_vertical->addWidget(m_horizontal);
    m_vertical->addWidget(m_tabs);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 1);
    m_vertical->setSizes({ 520, 200 });
    setCentralWidget(m_vertical);
    // Tab goes as the eye does: the tag over the photos, the photos, then the bottom pane's
    // tabs before the page they show (the pages were made before the tab bar had its place).
    setTabOrder(m_tagChooser, m_imageList);
    setTabOrder(m_imageList, m_tabs);
    createStatusBar();
}

void MainWindow::createStatusBar()
{
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("connectionStatus"));
    m_reconnectButton = new QToolButton(this);
    m_reconnectButton->setObjectName(QStringLiteral("reconnectButton"));
    connect(m_reconnectButton, &QToolButton::clicked, this, &MainWindow::connectToServer);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("batchProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    m_rateLabel = new QLabel(this);
    m_rateLabel->setObjectName(QStringLiteral("rateLabel"));
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
    RecentPaths::add(paths);
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
    // Read here, on the GUI thread: thumbnails made with as many pixels as the screen shows.
    const qreal ratio = ImageLoader::screenPixelRatio();
    watcher->setFuture(QtConcurrent::mapped(files, [ratio](const QString &path) {
        return ImageLoader::load(path, ImageLoader::kThumbnailSize, ratio);
    }));
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
    m_tagChooser->lineEdit()->setClearButtonEnabled(true);
    if (m_history->isOpen())
        m_tagChooser->addItems(m_history->tags());
    m_tagChooser->setCurrentText(m_settings.historyTag);
    connect(m_tagChooser->lineEdit(), &QLineEdit::editingFinished, this, &MainWindow::rememberTag);
    connect(m_tagChooser, &QComboBox::activated, this, &MainWindow::rememberTag);

    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tagLabel = new QLabel(row);
    m_tagLabel->setBuddy(m_tagChooser);
    layout->addWidget(m_tagLabel);
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
    // A pipeline's boxes over the photo, in its own pixels (the reply's are, RequestQueue scales them).
    const bool found = item.status == ImageBatch::Status::Done && item.reply.detections;
    m_preview->setDetections(found ? *item.reply.detections : QVector<DetectionReport>(), item.image.dimensions);
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
    updateWindowTitle();
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
    m_removeAction->setEnabled(!selectedRows().isEmpty());
    m_clearAction->setEnabled(haveImages);
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
    if (chosen.language != m_settings.language)
        applyLanguage(chosen.language); // every window retranslates itself on the LanguageChange
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

void MainWindow::removeSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const int current = m_imageList->currentIndex().row();
    m_batch->remove(rows);
    statusBar()->showMessage(tr("Removed %n photo(s) from the list; the history keeps their diagnoses.", nullptr,
                                int(rows.size())),
                             5000);
    // The photo that took the first removed one's place, so Delete can go on down the list.
    if (m_images->count() > 0) {
        const int next = std::min(rows.constFirst() <= current ? rows.constFirst() : current, m_images->count() - 1);
        m_imageList->setCurrentIndex(m_images->index(std::max(next, 0)));
    }
    updateProgress();
    updateActions();
}

void MainWindow::clearList()
{
    const int removed = m_images->count();
    if (removed == 0)
        return;
    m_batch->clear();
    statusBar()->showMessage(tr("Cleared the list (%n photo(s)); the history keeps their diagnoses.", nullptr, removed),
                             5000);
    showSelected();
    updateProgress();
    updateActions();
}

void MainWindow::forgetRows(int first, int last)
{
    // Rows after the removed ones move up: what the window keeps by row follows them.
    const int removed = last - first + 1;
    QHash<int, qint64> ids;
    for (auto id = m_historyIds.cbegin(); id != m_historyIds.cend(); ++id) {
        if (id.key() < first)
            ids.insert(id.key(), id.value());
        else if (id.key() > last)
            ids.insert(id.key() - removed, id.value());
    }
    m_historyIds = ids;
    QList<int> plantRows;
    for (int row : std::as_const(m_plantRows)) {
        if (row >= first && row <= last) {
            // A plant whose photo left the list cannot be combined any more.
            if (m_plantWaiting)
                m_plantPanel->showAbandoned(tr("A photo of the plant was taken out of the list. Select its photos "
                                               "and click Diagnose as One Plant again."));
            m_plantWaiting = false;
            plantRows.clear();
            break;
        }
        plantRows.append(row > last ? row - removed : row);
    }
    m_plantRows = plantRows;
}

void MainWindow::applyLanguage(const QString &code)
{
    UiLanguage::apply(QStringLiteral("orchard-client"), code);
}

void MainWindow::showModelCard()
{
    const QString name = m_modelChoice->chosenModel().isEmpty() ? m_connection->modelName() : m_modelChoice->chosenModel();
    const std::optional<ServedModelInfo> model = m_connection->servedModel(name);
    if (!model) {
        QMessageBox::information(this, tr("Model Card"),
                                 m_connection->isConnected()
                                         ? tr("The server did not send a card for model %1.").arg(name)
                                         : tr("Connect to a server to read the cards of the models it serves."));
        return;
    }
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("modelCardDialog"));
    dialog.setWindowTitle(tr("Model Card — %1").arg(model->name));
    auto *layout = new QVBoxLayout(&dialog);
    QStringList versions;
    for (qint64 version : model->versions)
        versions.append(QLocale().toString(version));
    auto *facts = new QLabel(tr("<b>%1</b>, version(s) %2, from %3:%4. It tells apart %n label(s): %5.", nullptr,
                                int(model->labels.size()))
                                     .arg(model->name.toHtmlEscaped(), versions.join(QStringLiteral(", ")),
                                          m_connection->host().toHtmlEscaped())
                                     .arg(m_connection->port())
                                     .arg(model->labels.join(QStringLiteral(", ")).toHtmlEscaped()),
                             &dialog);
    facts->setWordWrap(true);
    layout->addWidget(facts);
    auto *card = new QTextBrowser(&dialog);
    card->setObjectName(QStringLiteral("modelCardText"));
    card->setAccessibleName(tr("Model card"));
    card->setOpenExternalLinks(false);
    if (model->card.trimmed().isEmpty())
        card->setPlainText(tr("The lab wrote no card for this model."));
    else
        card->setMarkdown(model->card);
    layout->addWidget(card, 1);
    if (model->card.size() >= ServedModelInfo::kMaxCardLength) {
        layout->addWidget(new QLabel(tr("The server sends the first %1 characters of a card; the whole card is the "
                                        "model's README.md on the server.")
                                             .arg(QLocale().toString(ServedModelInfo::kMaxCardLength)),
                                     &dialog));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(640, 520);
    dialog.exec();
}

void MainWindow::showAbout()
{
    const ComponentVersions versions = ComponentVersions::current();
    QString server;
    if (m_connection->isConnected())
        server = tr("<p>Connected to %1 at %2:%3.</p>")
                         .arg(m_connection->serverName().toHtmlEscaped(), m_connection->host().toHtmlEscaped())
                         .arg(m_connection->port());
    QMessageBox::about(this, tr("About Orchard"),
                       tr("<h3>Orchard %1</h3><p>Diagnoses leaf photos with the models an Orchard server serves.</p>"
                          "<p>Qt %2 (built with %3)<br>OpenCV %4<br>LibTorch %5, on the server: the models run "
                          "there, not on this computer</p>%6")
                               .arg(versions.orchard, versions.qtRunning, versions.qtBuilt, versions.openCv,
                                    versions.libTorch, server));
}

void MainWindow::restoreLayout()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1180, 780);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_horizontal->restoreState(settings.value(QStringLiteral("window/photoSplitter")).toByteArray());
    m_vertical->restoreState(settings.value(QStringLiteral("window/paneSplitter")).toByteArray());
    m_resultsView->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/resultsColumns")).toByteArray());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/photoSplitter"), m_horizontal->saveState());
    // Not the History tab's enlarged split: the one the farmer set, which it goes back to.
    if (!m_sizesBeforeHistory.isEmpty()) {
        const QList<int> shown = m_vertical->sizes();
        m_vertical->setSizes(m_sizesBeforeHistory);
        settings.setValue(QStringLiteral("window/paneSplitter"), m_vertical->saveState());
        m_vertical->setSizes(shown);
    } else {
        settings.setValue(QStringLiteral("window/paneSplitter"), m_vertical->saveState());
    }
    settings.setValue(QStringLiteral("window/resultsColumns"), m_resultsView->horizontalHeader()->saveState());
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
    saveLayout();
    // Only the folder is remembered here: a --host/--port given for this run is not a setting.
    ClientSettings saved = ClientSettings::load();
    saved.lastDirectory = m_settings.lastDirectory;
    saved.historyTag = m_tagChooser->currentText().trimmed();
    saved.save();
    event->accept();
}

} // namespace orchard
