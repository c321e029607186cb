#include "client/bench/loadgenerator.h"

#include <memory>
#include <optional>
#include <vector>

#include <QEventLoop>
#include <QTimer>

#include "client/bench/loadclient.h"
#include "client/bench/processcpu.h"

namespace orchard {

namespace {

using LoadClients = std::vector<std::unique_ptr<LoadClient>>;

/** What the level sets out to do, before anything is measured. */
BenchLevelResult plannedResult(const LoadLevelOptions &options)
{
    BenchLevelResult result;
    result.target = options.legacyServer ? QStringLiteral("legacy") : QStringLiteral("orchard");
    result.clients = options.clients;
    result.requested = options.requestsPerClient > 0 ? options.clients * options.requestsPerClient : 0;
    result.queueMeasured = !options.legacyServer;
    return result;
}

/** The level's three clocks: how long a silent server has, --duration, and when to give up. */
struct LevelTimers
{
    LevelTimers(LoadLevelState &level, const LoadClients &clients);
    void start();

    const LoadLevelOptions &options;
    QTimer firstMessage;
    QTimer deadline;
    QTimer giveUp;
};

LevelTimers::LevelTimers(LoadLevelState &level, const LoadClients &clients)
    : options(level.options)
{
    for (QTimer *timer : { &firstMessage, &deadline, &giveUp })
        timer->setSingleShot(true);
    QObject::connect(&firstMessage, &QTimer::timeout, &firstMessage, [&clients] {
        for (const std::unique_ptr<LoadClient> &client : clients)
            client->dropIfSilent();
    });
    QObject::connect(&deadline, &QTimer::timeout, &deadline, [&level, &clients] {
        level.deadlinePassed = true;
        // Served clients stop after the answer in hand; those still in line just leave.
        for (const std::unique_ptr<LoadClient> &client : clients)
            client->stopAfterAnswer();
    });
    QObject::connect(&giveUp, &QTimer::timeout, &giveUp, [&clients] {
        for (const std::unique_ptr<LoadClient> &client : clients)
            client->giveUp();
    });
}

void LevelTimers::start()
{
    if (!options.legacyServer)
        firstMessage.start(options.firstMessageTimeoutMs);
    if (options.requestsPerClient <= 0)
        deadline.start(static_cast<int>(options.durationSeconds * 1000));
    giveUp.start(options.levelTimeoutMs);
}

/** CPU time used from its construction to measure(): by this process, and by the server when it runs here. */
class CpuMeter
{
public:
    explicit CpuMeter(qint64 serverPid)
        : m_serverPid(serverPid)
        , m_processBefore(processCpuMilliseconds())
        , m_serverBefore(serverPid > 0 ? processCpuMilliseconds(serverPid) : std::nullopt)
    { }

    void measure(BenchLevelResult &result) const
    {
        result.processCpuMs = processCpuMilliseconds() - m_processBefore;
        if (!m_serverBefore)
            return;
        if (const std::optional<double> serverAfter = processCpuMilliseconds(m_serverPid))
            result.serverCpuMs = *serverAfter - *m_serverBefore;
    }

private:
    const qint64 m_serverPid;
    const double m_processBefore;
    const std::optional<double> m_serverBefore;
};

/** "binary" or "base64": every client uses the same form; the first that was served says which. */
QString bodyFormOf(const LoadClients &clients, bool legacyServer)
{
    if (legacyServer)
        return QStringLiteral("base64");
    for (const std::unique_ptr<LoadClient> &client : clients) {
        if (client->isServed())
            return client->usesBinary() ? QStringLiteral("binary") : QStringLiteral("base64");
    }
    return QString();
}

} // namespace

LoadGenerator::LoadGenerator(QObject *parent) : QObject(parent) { }

BenchLevelResult LoadGenerator::run(const LoadLevelOptions &options)
{
    BenchLevelResult result = plannedResult(options);
    if (options.images.isEmpty() || options.clients < 1)
        return result;

    LoadLevelState level(options); // outlives the clients, which record into it
    QEventLoop loop;
    LoadClients clients;
    int remaining = options.clients;
    for (int i = 0; i < options.clients; ++i) {
        clients.push_back(std::make_unique<LoadClient>(i, level));
        connect(clients.back().get(), &LoadClient::finished, &loop, [&] {
            if (--remaining == 0)
                loop.quit();
        });
    }
    LevelTimers timers(level, clients);
    const CpuMeter cpu(options.serverPid);
    QTimer::singleShot(0, this, [&] {
        level.clock.start();
        for (const std::unique_ptr<LoadClient> &client : clients)
            client->connectToServer();
        timers.start();
    });
    loop.exec();

    level.recorder.summarise(level.lastAnswerNs / 1e9, result);
    cpu.measure(result);
    result.bodyForm = bodyFormOf(clients, options.legacyServer);
    m_serverDescription = level.serverDescription;
    m_serverWorkers = level.serverWorkers;
    m_lastConnectionProblem = level.lastConnectionProblem;
    return result;
}

} // namespace orchard
