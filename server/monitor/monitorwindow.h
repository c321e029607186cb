#pragma once

#include <QElapsedTimer>
#include <QMainWindow>

#include "server/core/batchingsummary.h"

class QLabel;
class QLineEdit;
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

/**
 * The lab staff's view of a running server: where it listens and with which model, how
 * many workers are busy and how many connections wait, how the inference threads batch
 * lately, every session, the served model versions, throughput and latency over time, and
 * the event log.
 *
 * It only displays what the models and ServerStats hold and never waits on a session;
 * what it changes is the worker count, Start/Stop, and (Reload models) the served models.
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

private:
    QWidget *createHeader();
    /** The header's model label: the default model now (a reload may change it). */
    void showDefaultModel();
    QWidget *createPoolPanel();
    QWidget *createModelsPanel();
    QWidget *createEventLog(EventLogModel *eventLog);
    /** Scans the repository again; the outcome goes to the status bar. */
    void reloadModels();
    /** Reload models: disabled while a load runs, and for good under --model-control none. */
    void updateReloadButton();
    /** The Models tab's title: how many versions are loading or failed. */
    void updateModelsTab();
    void refresh();
    /** The inference line: threads, batch limit, and the last few seconds' batches and queue. */
    void showBatching();
    void toggleListening();

    OrchardServer *m_server;
    ServerStats *m_stats;
    QElapsedTimer m_uptime;
    QTimer *m_refreshTimer = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLabel *m_modelLabel = nullptr;
    QLabel *m_uptimeLabel = nullptr;
    QLabel *m_totalsLabel = nullptr;
    QLabel *m_batchingLabel = nullptr;
    BatchingSummary m_batching;
    QPushButton *m_startStopButton = nullptr;
    QProgressBar *m_busyGauge = nullptr;
    QProgressBar *m_waitingGauge = nullptr;
    QSpinBox *m_workerSpin = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_sessionView = nullptr;
    QWidget *m_modelsPanel = nullptr;
    ModelTableModel *m_modelTable = nullptr;
    QTableView *m_modelView = nullptr;
    QPushButton *m_reloadButton = nullptr;
    QLineEdit *m_logFilter = nullptr;
    QSortFilterProxyModel *m_logProxy = nullptr;
    QTableView *m_logView = nullptr;
};

} // namespace orchard
