#pragma once

#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QVector>

#include "client/bench/loadgenerator.h"
#include "client/bench/saturationverdict.h"
#include "common/protocol/errorcode.h"

class QEventLoop;
class QTimer;

namespace orchard {

/** How the saturation scenario runs: the original QA demo, with its knobs. */
struct SaturationOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 5050;
    bool legacyServer = false;
    int clients = 4;
    /** Time between one client connecting and the next, so the server sees them in order. */
    int staggerMs = 250;
    /** How long each client keeps its worker after its diagnosis arrives, then says goodbye. */
    double holdSeconds = 2.0;
    /** The pool size to judge against; 0: what the server's welcome says. */
    int expectedWorkers = 0;
    int topK = 3;
    QVector<BenchImage> images; ///< client k asks about image (k − 1) mod size
    /** The whole scenario gives up after this long (the verdict then fails). */
    int timeoutMs = 120'000;
    ServerConnection::TlsOptions tls;
    QByteArray accessToken; ///< for a server started with --token-file
};

/**
 * The original QA demo against any server: N clients connect one after another and each
 * asks for a diagnosis at once; every client keeps its worker for the hold time after its
 * answer, then goes offline. With W workers, clients 1…W are served at once, W+1… wait
 * (an Orchard server tells them `queued` and where they stand) and are served, in order,
 * as the earlier clients leave.
 *
 * Every event is recorded with its time (and emitted as it happens, for a live timeline);
 * judgeSaturation() then says whether the server behaved as a pool of W predicts.
 */
class SaturationScenario : public QObject
{
    Q_OBJECT

public:
    explicit SaturationScenario(QObject *parent = nullptr);

    /** Runs the scenario to the end (spinning an event loop). */
    void run(const SaturationOptions &options);

    const QVector<SaturationEvent> &events() const { return m_events; }
    /** The pool size judged against: the expected one, else the server's own word (0: unknown). */
    int workers() const { return m_workers; }
    QString serverDescription() const { return m_serverDescription; }
    bool timedOut() const { return m_timedOut; }
    SaturationVerdict verdict() const;

    /** One timeline line's text for an event, without the time and client columns. */
    static QString describe(const SaturationEvent &event, bool legacyServer);

signals:
    void eventRecorded(const orchard::SaturationEvent &event);

private:
    /** One client of the scenario while it runs. */
    struct Client
    {
        BenchConnection *connection = nullptr;
        const BenchImage *image = nullptr; ///< in m_options.images
        QTimer *holdTimer = nullptr;       ///< from its answer to going offline
        qint64 connectNs = 0;
        bool served = false;
        bool diagnosed = false;
        bool closed = false;
    };

    void createClient(int index);
    void destroyClients();
    /** Client `index`'s turn to connect (they come staggerMs apart) and ask. */
    void connectClient(int index);
    void onQueued(int index, int position, int waiting, int workers);
    void onReady(int index);
    void onReplied(int index, const PredictionReply &reply);
    void onFailed(int index, ErrorCode code, const QString &message);
    void onOfflineAcknowledged(int index, const QString &text);
    void onClosed(int index, const QString &reason, bool expected);
    /** The hold after its answer is over: the client says goodbye, freeing its worker. */
    void goOffline(int index);
    void holdWorker(int index);
    void recordServed(int index);
    void closeClient(int index);
    SaturationEvent eventFor(int index, SaturationEvent::Kind kind) const;
    double millisecondsSinceConnect(int index) const;
    void record(SaturationEvent event);

    SaturationOptions m_options;
    // While run() runs: its clients, its clock, its loop and how many are still open.
    std::vector<Client> m_clients;
    QElapsedTimer m_clock;
    QEventLoop *m_loop = nullptr;
    int m_open = 0;
    QVector<SaturationEvent> m_events;
    int m_workers = 0;
    QString m_serverDescription;
    bool m_timedOut = false;
};

} // namespace orchard
