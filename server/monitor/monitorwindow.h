#pragma once

#include <functional>

#include <QElapsedTimer>
#include <QMainWindow>

#include "server/core/batchingsummary.h"

class QAction;
class QActionGroup;
class QGroupBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTimer;

namespace orchard {

class EventLogModel;
class ModelTableModel;
class OrchardServer;
class ServerStats;
class SessionTableModel;
class ThroughputPlot;

/**
 * The lab staff's view of a running server: where it listens and with which model, how
 * many workers are busy and how many connections wait, how the inference threads batch
 * lately, every session, the served model versions, throughput and latency over time, and
 * the event log.
 *
 * It only displays what the models and ServerStats hold and never waits on a session;
 * what it changes is the worker count, Start/Stop, and (Reload models) the served models.
 *
 * It speaks the language chosen in View > Language and switches at once (retranslateUi());
 * the event log's messages stay in English, as the journal has them.
 */
class MonitorWindow : public QMainWindow
{
    Q_OBJECT

public:
    MonitorWindow(OrchardServer *server, SessionTableModel *sessions, EventLogModel *eventLog,
                  ServerStats *stats, QWidget *parent = nullptr);

    /** The language the lab chose in View > Language ("en", "zh_CN"); empty: the system's. */
    static QString savedLanguage();

signals:
    /** The user closed the window: the server should shut down. */
    void closed();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    /** Every static text, tooltip and accessible name in the current language; then the figures again. */
    void retranslateUi();
    void createMenus();
    /** Checks the View > Language entry of the saved choice. */
    void checkSavedLanguage();
    /** Speaks code ("" = the system's language) at once and keeps it for the next start. */
    void chooseLanguage(const QString &code);
    void showAbout();
    /**
     * A status bar message that follows a language switch: text is asked again then,
     * while the message still shows.
     */
    void showStatus(std::function<QString()> text, int timeoutMs = 0);
    QWidget *createHeader();
    /** The header's model label: the default model now (a reload may change it). */
    void showDefaultModel();
    QWidget *createPoolPanel();
    QWidget *createModelsPanel();
    QWidget *createEventLog(EventLogModel *eventLog);
    /** The Models panel's line: where the models come from and --model-control. */
    void showModelSource();
    /** Scans the repository again; the outcome goes to the status bar. */
    void reloadModels();
    /** Reload models: disabled while a load runs, and for good under --model-control none. */
    void updateReloadButton();
    /** The Models tab's title: how many versions are loading or failed. */
    void updateModelsTab();
    /** Reads the server's figures (the timer, every 250 ms) and shows them. */
    void refresh();
    /** The header, the gauges and the totals as last read, in the current language. */
    void showFigures();
    /** The inference line: threads, batch limit, and the last few seconds' batches and queue. */
    void showBatching();
    void toggleListening();

    OrchardServer *m_server;
    SessionTableModel *m_sessions;
    EventLogModel *m_eventLog;
    ServerStats *m_stats;
    std::function<QString()> m_statusText;
    int m_statusTimeoutMs = 0;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_systemLanguageAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    QElapsedTimer m_uptime;
    QTimer *m_refreshTimer = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLabel *m_modelLabel = nullptr;
    QLabel *m_uptimeLabel = nullptr;
    QLabel *m_totalsLabel = nullptr;
    QLabel *m_batchingLabel = nullptr;
    BatchingSummary m_batching;
    QGroupBox *m_poolBox = nullptr;
    QLabel *m_busyLabel = nullptr;
    QLabel *m_waitingLabel = nullptr;
    QLabel *m_workersLabel = nullptr;
    QGroupBox *m_plotBox = nullptr;
    ThroughputPlot *m_plot = nullptr;
    QGroupBox *m_logBox = nullptr;
    QPushButton *m_startStopButton = nullptr;
    QProgressBar *m_busyGauge = nullptr;
    QProgressBar *m_waitingGauge = nullptr;
    QSpinBox *m_workerSpin = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_sessionsPage = nullptr;
    QTableView *m_sessionView = nullptr;
    QWidget *m_modelsPanel = nullptr;
    QLabel *m_modelSourceLabel = nullptr;
    ModelTableModel *m_modelTable = nullptr;
    QTableView *m_modelView = nullptr;
    QPushButton *m_reloadButton = nullptr;
    QLineEdit *m_logFilter = nullptr;
    QSortFilterProxyModel *m_logProxy = nullptr;
    QTableView *m_logView = nullptr;
};

} // namespace orchard
