#include "loadgenerator.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include "processcpu.h"

namespace orchard {

namespace {

double millisecondsSince(const QElapsedTimer &clock, qint64 sinceNs)
{
    return (clock.nsecsElapsed() - sinceNs) / 1e6;
}

/** One simulated farmer: its connection and where it stands. */
struct LoadClient
{
    BenchConnection *connection = nullptr;
    qint64 connectNs = 0;
    qint64 sentNs = 0;
    int sent = 0;
    bool waitingForAnswer = false;
    bool served = false;
    bool leaving = false;
    bool done = false;
    bool errorRecorded = false; ///< the connection's own error (BUSY…) is already counted
};

} // namespace

LoadGenerator::LoadGenerator(QObject *parent) : QObject(parent) { }

BenchLevelResult LoadGenerator::run(const LoadLevelOptions &options)
{
    BenchLevelResult result;
    result.target = options.legacyServer ? QStringLiteral("legacy") : QStringLiteral("orchard");
    result.clients = options.clients;
    result.requested = options.requestsPerClient > 0 ? options.clients * options.requestsPerClient : 0;
    result.queueMeasured = !options.legacyServer;
    if (options.images.isEmpty() || options.clients < 1)
        return result;

    BenchRecorder recorder;
    QEventLoop loop;
    QElapsedTimer clock;
    std::vector<LoadClient> clients(options.clients);
    int remaining = options.clients;
    bool deadlinePassed = false;
    qint64 lastAnswerNs = 0;
    const bool byDuration = options.requestsPerClient <= 0;

    auto finishClient = [&](LoadClient &client) {
        if (client.done)
            return;
        client.done = true;
        recorder.addBytesSent(client.connection->bytesSent());
        if (--remaining == 0)
            loop.quit();
    };
    auto leave = [&](LoadClient &client) {
        if (client.leaving || client.done)
            return;
        client.leaving = true;
        client.connection->disconnectFromServer(QStringLiteral("orchard-cli bench done"));
    };
    auto wantsMore = [&](const LoadClient &client) {
        if (deadlinePassed)
            return false;
        return byDuration || client.sent < options.requestsPerClient;
    };
    auto sendNext = [&](LoadClient &client, int index) {
        if (!wantsMore(client)) {
            leave(client);
            return;
        }
        // Client i's j-th request is image (i + j) mod K: every client cycles through the
        // whole set, and at any moment the clients are on different images.
        const BenchImage &image = options.images.at((index + client.sent) % options.images.size());
        client.sentNs = clock.nsecsElapsed();
        if (!client.connection->sendImage(image.name, image.bytes, options.topK)) {
            recorder.recordError(QStringLiteral("SEND_FAILED"));
            leave(client);
            return;
        }
        ++client.sent;
        client.waitingForAnswer = true;
    };

    m_serverDescription.clear();
    m_serverWorkers = 0;
    m_lastConnectionProblem.clear();
    for (int i = 0; i < options.clients; ++i) {
        LoadClient &client = clients[i];
        client.connection = new BenchConnection(options.legacyServer, options.bodyForm, this);
        client.connection->setSecurity(options.tls, options.accessToken);
        BenchConnection *connection = client.connection;
        connect(connection, &BenchConnection::ready, this, [&, i] {
            LoadClient &c = clients[i];
            c.served = true;
            if (!options.legacyServer)
                recorder.recordQueueWait(millisecondsSince(clock, c.connectNs));
            if (m_serverDescription.isEmpty())
                m_serverDescription = c.connection->serverDescription();
            m_serverWorkers = std::max(m_serverWorkers, c.connection->serverWorkers());
            sendNext(c, i);
        });
        connect(connection, &BenchConnection::queued, this, [&](int, int, int workers) {
            m_serverWorkers = std::max(m_serverWorkers, workers);
        });
        connect(connection, &BenchConnection::replied, this, [&, i](const PredictionReply &) {
            LoadClient &c = clients[i];
            if (!c.waitingForAnswer)
                return;
            c.waitingForAnswer = false;
            recorder.recordAnswer(millisecondsSince(clock, c.sentNs));
            lastAnswerNs = clock.nsecsElapsed();
            sendNext(c, i);
        });
        connect(connection, &BenchConnection::failed, this, [&, i](const QString &code, const QString &) {
            LoadClient &c = clients[i];
            recorder.recordError(code);
            if (!c.waitingForAnswer) {
                c.errorRecorded = true; // a connection-level error (BUSY, TIMEOUT): the close follows
                return;
            }
            c.waitingForAnswer = false;
            sendNext(c, i);
        });
        connect(connection, &BenchConnection::closed, this, [&, i](const QString &reason, bool expected) {
            LoadClient &c = clients[i];
            if (!expected && !reason.isEmpty())
                m_lastConnectionProblem = reason;
            // An error the server named (BUSY, TIMEOUT…) is already counted; this is the rest.
            if (!expected && !c.errorRecorded)
                recorder.recordError(c.served ? QStringLiteral("CONNECTION_LOST") : QStringLiteral("CONNECT_FAILED"));
            if (!c.served)
                recorder.recordUnserved();
            finishClient(c);
        });
    }

    QTimer firstMessageTimer;
    firstMessageTimer.setSingleShot(true);
    connect(&firstMessageTimer, &QTimer::timeout, this, [&] {
        // A connection in line has heard `queued`; one that heard nothing is talking to
        // something that is not an Orchard server (or a stuck one).
        for (LoadClient &client : clients) {
            if (client.done || client.served || client.connection->serverWorkers() > 0)
                continue;
            recorder.recordError(QStringLiteral("NO_WELCOME"));
            client.errorRecorded = true;
            client.leaving = true;
            client.connection->abort();
            recorder.recordUnserved();
            finishClient(client);
        }
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, this, [&] {
        deadlinePassed = true;
        // Served clients stop after the answer in hand; those still in line just leave.
        for (LoadClient &client : clients) {
            if (!client.done && !client.waitingForAnswer)
                leave(client);
        }
    });
    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, this, [&] {
        for (LoadClient &client : clients) {
            if (client.done)
                continue;
            recorder.recordError(QStringLiteral("LEVEL_TIMEOUT"));
            client.connection->abort();
            if (!client.served)
                recorder.recordUnserved();
            finishClient(client);
        }
    });

    const double processCpuBefore = processCpuMilliseconds();
    const std::optional<double> serverCpuBefore =
            options.serverPid > 0 ? processCpuMilliseconds(options.serverPid) : std::nullopt;
    QTimer::singleShot(0, this, [&] {
        clock.start();
        for (LoadClient &client : clients) {
            client.connectNs = clock.nsecsElapsed();
            client.connection->connectToServer(options.host, options.port);
        }
        if (!options.legacyServer)
            firstMessageTimer.start(options.firstMessageTimeoutMs);
        if (byDuration)
            deadline.start(static_cast<int>(options.durationSeconds * 1000));
        giveUp.start(options.levelTimeoutMs);
    });
    loop.exec();

    recorder.summarise(lastAnswerNs / 1e9, result);
    result.processCpuMs = processCpuMilliseconds() - processCpuBefore;
    if (serverCpuBefore) {
        if (const std::optional<double> serverCpuAfter = processCpuMilliseconds(options.serverPid))
            result.serverCpuMs = *serverCpuAfter - *serverCpuBefore;
    }
    if (!options.legacyServer && !clients.empty()) {
        // Every client uses the same form; the first that was served says which.
        for (const LoadClient &client : clients) {
            if (client.served) {
                result.bodyForm = client.connection->usesBinary() ? QStringLiteral("binary") : QStringLiteral("base64");
                break;
            }
        }
    } else {
        result.bodyForm = QStringLiteral("base64");
    }
    for (LoadClient &client : clients) {
        client.connection->disconnect(this);
        delete client.connection; // nothing of theirs is on the stack once the loop has returned
    }
    return result;
}

} // namespace orchard
