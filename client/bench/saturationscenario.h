#pragma once

#include <QObject>
#include <QString>
#include <QVector>

#include "loadgenerator.h"
#include "saturationverdict.h"

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
    void record(SaturationEvent event);

    SaturationOptions m_options;
    QVector<SaturationEvent> m_events;
    int m_workers = 0;
    QString m_serverDescription;
    bool m_timedOut = false;
};

} // namespace orchard
