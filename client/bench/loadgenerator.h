#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QVector>

#include "client/bench/benchconnection.h"
#include "client/bench/benchlevel.h"

namespace orchard {

/** An image the benchmark sends: its file name and bytes, read once. */
struct BenchImage
{
    QString name;
    QByteArray bytes;
};

/** One load level against a server: who connects, how much each asks, with what. */
struct LoadLevelOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 5050;
    bool legacyServer = false;
    BenchConnection::BodyForm bodyForm = BenchConnection::BodyForm::Auto;
    int clients = 1;
    int requestsPerClient = 100; ///< 0: as many as durationSeconds allows
    double durationSeconds = 0.0;
    int topK = 3;
    QVector<BenchImage> images;
    /** An Orchard server answers a connection at once (queued or welcome); silence means trouble. */
    int firstMessageTimeoutMs = 5000;
    /** The whole level gives up after this long; what was measured is still reported. */
    int levelTimeoutMs = 600'000;
    /** The server's process id when it runs on this machine: its CPU time is reported too. */
    qint64 serverPid = 0;
    ServerConnection::TlsOptions tls;
    QByteArray accessToken; ///< for a server started with --token-file

};

/**
 * Closed-loop load on a server: N real connections in one event loop, each sending its
 * next image only when the last one was answered, as a farmer clicking Predict does.
 *
 * Every client connects at the start and waits its turn like a desktop client: the
 * server's first `workers` connections are served, the rest wait in line and are served
 * as earlier clients finish and say goodbye. Latency is measured per request on the
 * client (sent → answered); queue time per client (connect → welcome). Each connection
 * is a LoadClient (client/bench/loadclient.h); run() only starts them and the clocks.
 */
class LoadGenerator : public QObject
{
    Q_OBJECT

public:
    explicit LoadGenerator(QObject *parent = nullptr);

    /** Runs one level to the end (spinning an event loop) and returns what it measured. */
    BenchLevelResult run(const LoadLevelOptions &options);

    /** From the last run: what the server said it is ("Orchard 0.1.0, model …"), its workers. */
    QString serverDescription() const { return m_serverDescription; }
    int serverWorkers() const { return m_serverWorkers; }
    /** Why the last connection that ended without our asking ended, in the client library's words. */
    QString lastConnectionProblem() const { return m_lastConnectionProblem; }

private:
    QString m_serverDescription;
    int m_serverWorkers = 0;
    QString m_lastConnectionProblem;
};

} // namespace orchard
