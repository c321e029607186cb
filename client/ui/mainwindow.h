#pragma once

#include <QHash>
#include <QMainWindow>

#include <memory>

#include "client/core/clientsettings.h"
#include "client/core/imageloader.h"
#include "client/core/serverconnection.h"

class QAction;
class QComboBox;
class QLabel;
class QListView;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolBar;
class QToolButton;

namespace orchard {

class ImageBatch;
class ImageListModel;
class ImagePreview;
class HistoryPanel;
class HistoryStore;
class ModelChoice;
class ModelPicker;
class PlantResultPanel;
class RequestQueue;
class ResultPanel;
class ResultsTableModel;
class PlantDiagnosis;

/**
 * The farmer's window: load leaf photos, look at them, click Predict, read the diagnosis.
 *
 * A thin layer over orchard_client: files load on worker threads (QtConcurrent), the
 * network is event-driven (ServerConnection), requests are pipelined (RequestQueue), so
 * nothing the user does waits on the disk or the network. The status bar always says
 * where the connection stands; when it drops, images and results stay, the connection
 * reconnects by itself (the status bar counts the attempts) and the images not yet
 * diagnosed are sent again; only once it gives up is Reconnect offered. Several photos of
 * one plant selected together can be diagnosed as one (the Plant tab): the photos not yet
 * diagnosed are sent, and once all have answered PlantDiagnosis combines them.
 *
 * Every diagnosis is kept in the history (HistoryStore, SQLite) under the field or plot
 * tag chosen above the image list, and the History tab looks back over it. When the
 * history cannot be opened or written, the window says why once and goes on without it.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /** Loads image files and folders in the background (what Open, Open Folder and drops do). */
    void addPaths(const QStringList &paths);
    void predictSelected();
    void predictAll();
    /**
     * Diagnose as One Plant: the selected photos (two or more) combined into one diagnosis,
     * shown in the Plant tab once every one of them has its answer; those never diagnosed
     * are sent first.
     */
    void diagnoseAsPlant();
    void cancelBatch();
    /** Writes the results table as CSV; false (and a message for the user) on failure. */
    bool exportCsv(const QString &path);
    /** Edit > Remove Selected (Delete in the list): the selected photos leave the list. */
    void removeSelected();
    /** Edit > Clear List: every photo leaves the list (the history keeps its diagnoses). */
    void clearList();
    /** Speaks code ("en", "zh_CN"; empty: the system's language) at once, without a restart. */
    void applyLanguage(const QString &code);

    /** Connects with the saved settings, or the given server (the command line's --host/--port). */
    void connectToServer();
    void setServer(const QString &host, quint16 port);
    /** TLS for this run (the command line's --tls/--ca), without changing the saved settings. */
    void setTls(bool enabled, const QString &caFile);
    void disconnectFromServer();

    ServerConnection *connection() const { return m_connection; }
    RequestQueue *queue() const { return m_queue; }
    ImageBatch *batch() const { return m_batch; }
    ImageListModel *images() const { return m_images; }
    ResultsTableModel *results() const { return m_results; }
    ResultPanel *resultPanel() const { return m_resultPanel; }
    PlantResultPanel *plantPanel() const { return m_plantPanel; }
    QAction *plantAction() const { return m_plantAction; }
    ImagePreview *preview() const { return m_preview; }
    ModelChoice *modelChoice() const { return m_modelChoice; }
    ModelPicker *modelPicker() const { return m_modelPicker; }
    QListView *imageList() const { return m_imageList; }
    QString statusText() const;
    QString logText() const;
    const ClientSettings &settings() const { return m_settings; }
    /** The diagnosis history; open unless it could not be (then errorString() says why). */
    HistoryStore *history() const { return m_history.get(); }
    HistoryPanel *historyPanel() const { return m_historyPanel; }
    /** The field or plot tag new diagnoses are kept under (editable, remembered). */
    QComboBox *tagChooser() const { return m_tagChooser; }
    /** File > Open Recent: the photos and folders opened lately (RecentPaths). */
    QMenu *recentMenu() const { return m_recentMenu; }
    QTableView *resultsView() const { return m_resultsView; }
    QTabWidget *tabs() const { return m_tabs; }

signals:
    /** A call of addPaths() finished: added images, and files that could not be read. */
    void imagesLoaded(int added, int failed);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createLayout();
    void createStatusBar();
    /** Every text the window sets itself, in the language now installed (also on LanguageChange). */
    void retranslateUi();
    /** The window's size, toolbar, splitters and column widths as the farmer left them. */
    void restoreLayout();
    void saveLayout();
    void updateRecentMenu();
    /** Photos first…last left the list: the rows the window keeps move up with the rest. */
    void forgetRows(int first, int last);
    /** Help > Model Card: the card of the model that answers Predict now, as the server sent it. */
    void showModelCard();
    void showAbout();
    /** "Leaf diagnosis — lab.example:5050" while connected; Qt adds "— Orchard". */
    void updateWindowTitle();
    void openFiles();
    void openFolder();
    void chooseCsvFile();
    void showSettings();
    void enqueue(const QList<int> &rows);
    /** The selected rows of the image list, in list order. */
    QList<int> selectedRows() const;
    /** Called as the plant's photos are answered: shows the combination once all are. */
    void updatePlant();
    void showPlantDiagnosis();
    /** A photo was diagnosed: keeps it in the history under the chosen tag. */
    void recordDiagnosis(int row);
    /** The plant's combined photos share one plant group and its verdict in the history. */
    void recordPlantGroup(const PlantDiagnosis &plant);
    /** A history write failed: said once in the log and the status bar, until one succeeds. */
    void reportHistoryFailure();
    QWidget *createTagRow();
    void rememberTag();
    /** Gives the History tab room while it is shown. */
    void fitTabs();
    /** The History tab's "Open the Photo": the file selected in the list, loaded first if need be. */
    void showPhoto(const QString &path);
    void showSelected();
    void updateStatus();
    void updateActions();
    void updateProgress();
    void appendLog(const QString &line);
    void connectConnection();
    void connectBatch();
    void onStateChanged(ServerConnection::State state);
    /** The welcome's models are known: list them, and take back the remembered choice if offered. */
    void onModelsListed();
    /** The farmer picked a model or version: remembered in the settings for the next run. */
    void rememberModelChoice();
    /**
     * The server does not serve the model asked for (UNKNOWN_MODEL): says so with its words,
     * takes the model out of the picker and keeps the photos not yet sent, so that none goes
     * to another model without the farmer choosing it.
     */
    void onUnknownModel(const QString &serverMessage);
    void onBatchFinished();
    void warnCertificateChanged(const QString &presented, const QString &pinned);
    void onConnectionLost(const QString &reason);
    void onReconnecting(int attempt, int maxAttempts, int delayMs, const QString &reason);
    void onReconnected();
    void askToTrust(const QString &fingerprint, const QString &subject);
    ServerConnection::TlsOptions tlsOptions();

    ClientSettings m_settings;
    ServerConnection *m_connection = nullptr;
    RequestQueue *m_queue = nullptr;
    ImageBatch *m_batch = nullptr; ///< the images and their results; the two models show it
    ImageListModel *m_images = nullptr;
    ResultsTableModel *m_results = nullptr;
    ModelChoice *m_modelChoice = nullptr;
    QString m_lastError;
    bool m_unknownModelReported = false; ///< one UNKNOWN_MODEL answer per batch is enough
    bool m_closeAfterDisconnect = false;
    bool m_connectAfterDisconnect = false; ///< Predict clicked while saying goodbye
    QList<int> m_plantRows; ///< the photos of the plant asked about last, in list order
    bool m_plantWaiting = false; ///< some of them are still being diagnosed
    std::unique_ptr<HistoryStore> m_history;
    /** The history record of each row's latest diagnosis, for its plant group. */
    QHash<int, qint64> m_historyIds;
    bool m_historyFailureShown = false;

    QListView *m_imageList = nullptr;
    ImagePreview *m_preview = nullptr;
    ResultPanel *m_resultPanel = nullptr;
    PlantResultPanel *m_plantPanel = nullptr;
    HistoryPanel *m_historyPanel = nullptr;
    QComboBox *m_tagChooser = nullptr;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_vertical = nullptr; ///< photos above, the tabs below
    QList<int> m_sizesBeforeHistory; ///< the split to go back to when the History tab is left
    ModelPicker *m_modelPicker = nullptr;
    QTableView *m_resultsView = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_rateLabel = nullptr;
    QToolButton *m_reconnectButton = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_openFolderAction = nullptr;
    QAction *m_predictAction = nullptr;
    QAction *m_predictAllAction = nullptr;
    QAction *m_plantAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_clearRecentAction = nullptr;
    QAction *m_modelCardAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_quitAction = nullptr;
    QList<QAction *> m_tabActions; ///< View > Results, Plant, History, Log
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_diagnoseMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QToolBar *m_toolbar = nullptr;
    QSplitter *m_horizontal = nullptr; ///< the photos, the preview, the result
    QLabel *m_tagLabel = nullptr;
};

} // namespace orchard
