// Failover: the server goes away mid-batch, another comes up on the same host and port (as
// HAProxy hands a client to another backend), and the client library, then `orchard-cli
// predict`, reconnect by themselves and have every image answered exactly once. The servers
// are real: in-process OrchardServers with the real default model, stopped here, or real
// orchard-server processes killed with SIGKILL. An in-process server lives in this thread's
// event loop, so every wait here spins it (QSignalSpy::wait, QTest::qWaitFor).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/reconnectpolicy.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "server/core/accesstokens.h"
#include "server/core/orchardserver.h"
#include "tests/client/cliprocess.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 60000;
const QString kLocalHost = QStringLiteral("127.0.0.1");
const QString kSamplesDir = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

using State = ServerConnection::State;

/**
 * A real in-process server on 127.0.0.1:port (0: any free port). Each forward pass waits
 * 100 ms for its batch to fill, so that a batch of 20 tiny images lasts about a second
 * instead of a few milliseconds and is still running when the test takes the server away.
 */
std::unique_ptr<OrchardServer> startServer(quint16 port, ServerConfig config = {})
{
    config.host = QHostAddress::LocalHost;
    config.port = port;
    config.workers = 2;
    config.batchDelay = std::chrono::milliseconds(100);
    auto server = std::make_unique<OrchardServer>(config, defaultEngine(), QStringLiteral("test"));
    INFO(server->startError().toStdString());
    REQUIRE(server->start());
    return server;
}

std::shared_ptr<const AccessTokens> fieldTeamToken()
{
    auto parsed = AccessTokens::parse("field-team field-team-7f3a9c2e51d4b8a0\n", QStringLiteral("tokens.txt"));
    REQUIRE(parsed.ok());
    return std::make_shared<const AccessTokens>(std::move(parsed).value());
}

/** What a RequestQueue did with each job: how often it was sent, and its answers. */
struct BatchRecorder
{
    explicit BatchRecorder(RequestQueue &queue)
    {
        QObject::connect(&queue, &RequestQueue::jobSent, &queue, [this](int jobId) { ++sends[jobId]; });
        QObject::connect(&queue, &RequestQueue::jobFinished, &queue,
                         [this](int jobId, const PredictionReply &) { answers.append(jobId); });
        QObject::connect(&queue, &RequestQueue::jobFailed, &queue,
                         [this](int jobId, const ProtocolError &) { failures.append(jobId); });
        QObject::connect(&queue, &RequestQueue::batchFinished, &queue, [this] { ++batches; });
    }

    QHash<int, int> sends;
    QList<int> answers;
    QList<int> failures;
    int batches = 0;
};

bool between(int value, int low, int high)
{
    return value >= low && value <= high;
}


/**
 * A real orchard-server process on 127.0.0.1, for the test that kills one as a crash or an
 * operator's kill -9 would. port 0: a free one, read from its banner. Each forward pass
 * waits 200 ms to fill its batch, so that 40 tiny images take seconds, not milliseconds.
 */
class ServerProcess
{
public:
    explicit ServerProcess(quint16 port)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(ORCHARD_SERVER_PATH),
                        { QStringLiteral("--headless"), QStringLiteral("--host"), kLocalHost, QStringLiteral("--port"),
                          QString::number(port), QStringLiteral("--threads"), QStringLiteral("2"),
                          QStringLiteral("--batch-delay-us"), QStringLiteral("200000") });
        static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+) \\(model"));
        const bool up = QTest::qWaitFor([this] {
            m_output += m_process.readAll();
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
            if (match.hasMatch())
                m_port = static_cast<quint16>(match.captured(1).toUInt());
            return m_port != 0 || m_process.state() == QProcess::NotRunning;
        }, kWaitMs);
        INFO("orchard-server --port " << port << ":\n" << m_output.toStdString());
        REQUIRE(up);
        REQUIRE(m_port != 0);
    }

    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    /** SIGKILL: no goodbye, no answers for what it had read, sockets reset by the kernel. */
    void kill()
    {
        m_process.kill();
        REQUIRE(m_process.waitForFinished(kWaitMs));
    }

    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace

TEST_CASE("A server gone mid-batch: the client reconnects to a new one on the same port by itself, each image answered once")
{
    auto first = startServer(0);
    const quint16 port = first->serverPort();
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    ServerConnection connection;
    RequestQueue queue(&connection);
    BatchRecorder recorder(queue);
    QSignalSpy reconnecting(&connection, &ServerConnection::reconnecting);
    QSignalSpy reconnected(&connection, &ServerConnection::reconnected);
    QSignalSpy failed(&connection, &ServerConnection::reconnectFailed);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    QHash<int, QString> nameOfJob;
    for (const SampleImage &sample : samples)
        nameOfJob.insert(queue.enqueue(sample.fileName, sample.bytes), sample.fileName);
    connection.connectToServer(kLocalHost, port);
    REQUIRE(QTest::qWaitFor([&recorder] { return !recorder.answers.isEmpty(); }, kWaitMs));

    first.reset(); // stops listening and ends its sessions: this backend is gone
    // Nothing listens now, so attempt 1 fails: wait until attempt 2 is announced.
    REQUIRE(QTest::qWaitFor([&] { return reconnecting.size() >= 2 || !lost.isEmpty(); }, kWaitMs));
    REQUIRE(lost.isEmpty());
    const QList<int> answeredBeforeDrop = recorder.answers;
    INFO(answeredBeforeDrop.size() << " answered before the drop");
    CHECK(answeredBeforeDrop.size() < 20);
    CHECK(connection.state() == State::Reconnecting);
    CHECK(connection.isReconnecting());
    CHECK(connection.statusText().startsWith(QStringLiteral("Connection lost — reconnecting (attempt 2 of 5) in 0.")));
    // Nothing left on the dead wire: every job without an answer waits to be sent again.
    CHECK(queue.inFlightCount() == 0);
    CHECK(queue.pendingCount() == 20 - answeredBeforeDrop.size());
    // attempt, maxAttempts, delayMs, reason: 250 ms ±20 % before attempt 1, 500 ms ±20 % before 2.
    CHECK(reconnecting.at(0).at(0).toInt() == 1);
    CHECK(reconnecting.at(0).at(1).toInt() == 5);
    CHECK(between(reconnecting.at(0).at(2).toInt(), 200, 300));
    CHECK_FALSE(reconnecting.at(0).at(3).toString().isEmpty());
    CHECK(reconnecting.at(1).at(0).toInt() == 2);
    CHECK(between(reconnecting.at(1).at(2).toInt(), 400, 600));
    CHECK(reconnecting.at(1).at(3).toString().startsWith(QStringLiteral("Cannot reach the server at 127.0.0.1:%1").arg(port)));

    auto second = startServer(port); // the same address, as HAProxy gives it to another backend
    REQUIRE(QTest::qWaitFor([&] { return recorder.batches >= 1 || !lost.isEmpty(); }, kWaitMs));
    INFO((lost.isEmpty() ? QString() : lost.first().first().toString()).toStdString());
    REQUIRE(lost.isEmpty());
    CHECK(failed.isEmpty());
    CHECK(reconnected.size() == 1);
    CHECK(reconnecting.size() == 2);
    CHECK(recorder.failures.isEmpty());
    CHECK(connection.isConnected());
    CHECK_FALSE(connection.isReconnecting());
    CHECK(connection.reconnectPolicy().attemptsMade() == 0); // the new backend's answers reset it

    // Every image answered, each exactly once, counted by its name.
    QStringList answeredNames;
    for (int job : std::as_const(recorder.answers))
        answeredNames.append(nameOfJob.value(job));
    CHECK(answeredNames.size() == 20);
    CHECK(QSet<QString>(answeredNames.cbegin(), answeredNames.cend()).size() == 20);
    // What was answered before the drop was never sent again.
    for (int job : answeredBeforeDrop) {
        INFO(nameOfJob.value(job).toStdString());
        CHECK(recorder.sends.value(job) == 1);
    }
}

TEST_CASE("A reconnect that the new server refuses for its access token is not tried again")
{
    auto first = startServer(0); // asks for no token
    const quint16 port = first->serverPort();
    ServerConnection connection;
    connection.setAccessToken("not-the-right-token-at-all"); // only sent when a server asks
    RequestQueue queue(&connection);
    BatchRecorder recorder(queue);
    QSignalSpy reconnecting(&connection, &ServerConnection::reconnecting);
    QSignalSpy failed(&connection, &ServerConnection::reconnectFailed);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    for (const SampleImage &sample : sampleImages())
        queue.enqueue(sample.fileName, sample.bytes);
    connection.connectToServer(kLocalHost, port);
    REQUIRE(QTest::qWaitFor([&recorder] { return !recorder.answers.isEmpty(); }, kWaitMs));

    first.reset();
    REQUIRE(reconnecting.wait(kWaitMs));
    ServerConfig guarded;
    guarded.accessTokens = fieldTeamToken();
    auto second = startServer(port, guarded); // up before attempt 1, which it turns away
    REQUIRE(QTest::qWaitFor([&lost] { return !lost.isEmpty(); }, kWaitMs));

    const QString reason = lost.first().first().toString();
    INFO(reason.toStdString());
    CHECK(reason.contains("refused the access token"));
    CHECK_FALSE(reason.contains("Gave up")); // it did not run through its attempts
    REQUIRE(failed.size() == 1);
    CHECK(failed.first().first().toString() == reason);
    CHECK(reconnecting.size() == 1);
    CHECK(connection.state() == State::Disconnected);
    CHECK_FALSE(connection.isReconnecting());
    // Kept for a Reconnect with the right token; none failed for it.
    CHECK(queue.pendingCount() == 20 - recorder.answers.size());
    CHECK(recorder.failures.isEmpty());
    // Attempt 2 would have been announced within 600 ms.
    CHECK_FALSE(reconnecting.wait(1500));
    CHECK(connection.state() == State::Disconnected);
    CHECK(lost.size() == 1);
}

TEST_CASE("An idle session that the server ends on its idle timeout is not reconnected")
{
    ServerConfig config;
    config.idleTimeout = std::chrono::milliseconds(300);
    auto server = startServer(0, config);
    ServerConnection connection;
    QSignalSpy reconnecting(&connection, &ServerConnection::reconnecting);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    connection.connectToServer(kLocalHost, server->serverPort());
    REQUIRE(QTest::qWaitFor([&connection] { return connection.isConnected(); }, kWaitMs));

    REQUIRE(lost.wait(kWaitMs)); // the server wants its worker back: coming back would be rude
    CHECK(reconnecting.isEmpty());
    CHECK(connection.state() == State::Disconnected);
    CHECK_FALSE(lost.first().first().toString().isEmpty());
}

TEST_CASE("Disconnecting while a reconnect waits stops it, with no loss reported")
{
    auto first = startServer(0);
    ServerConnection connection;
    QSignalSpy reconnecting(&connection, &ServerConnection::reconnecting);
    QSignalSpy failed(&connection, &ServerConnection::reconnectFailed);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    QList<State> states;
    connection.connectToServer(kLocalHost, first->serverPort());
    REQUIRE(QTest::qWaitFor([&connection] { return connection.isConnected(); }, kWaitMs));

    // An idle session reconnects too: the user still wants to be connected.
    first.reset();
    REQUIRE(reconnecting.wait(kWaitMs));
    CHECK(connection.state() == State::Reconnecting);
    QObject::connect(&connection, &ServerConnection::stateChanged, &connection,
                     [&states](State state) { states.append(state); });

    connection.disconnectFromServer();
    CHECK(connection.state() == State::Disconnected);
    CHECK_FALSE(connection.isReconnecting());
    // Attempt 1 was due within 300 ms; it never starts.
    CHECK_FALSE(reconnecting.wait(1000));
    CHECK(states == QList<State> { State::Disconnected });
    CHECK(lost.isEmpty());
    CHECK(failed.isEmpty());
}

TEST_CASE("predict survives its orchard-server killed mid-batch: 40 images, each answered once, exit 0")
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    QSet<QString> expected;
    for (const QString &round : { QStringLiteral("a_"), QStringLiteral("b_") }) {
        for (const SampleImage &sample : samples) {
            const QString name = round + sample.fileName;
            REQUIRE(QFile::copy(sample.path, folder.filePath(name)));
            expected.insert(name);
        }
    }
    REQUIRE(expected.size() == 40);

    auto first = std::make_unique<ServerProcess>(0);
    const quint16 port = first->port();
    // 8 attempts, not the default 5: a new server process loads its model first, which on a
    // loaded machine can take longer than the default's 7.75 s of waiting.
    CliProcess cli({ "--port", QString::number(port), "--json", "--reconnect-attempts", "8", folder.path() });
    REQUIRE(cli.waitForLines(1));
    first->kill();
    const int printedBeforeKill = static_cast<int>(cli.lines().size());
    INFO(printedBeforeKill << " lines before the kill");
    REQUIRE(cli.waitForStderr("reconnecting in"));
    ServerProcess second(port);
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    CHECK(printedBeforeKill < 40);

    const QStringList lines = cli.lines();
    CHECK(lines.size() == 40);
    QStringList files;
    for (const QString &line : lines) {
        INFO(line.toStdString());
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
        CHECK_FALSE(object.contains("error"));
        CHECK(object.value("label").isString());
        files.append(QFileInfo(object.value("file").toString()).fileName());
    }
    const QSet<QString> answered(files.cbegin(), files.cend());
    CHECK(answered.size() == files.size()); // none twice
    CHECK(answered == expected);            // none lost
    // In the order given, as without a reconnect.
    QStringList sorted = files;
    std::sort(sorted.begin(), sorted.end());
    CHECK(files == sorted);

    static const QRegularExpression announced(QStringLiteral(
            "orchard-cli: connection lost \\(.+\\); reconnecting in \\d+\\.\\d s \\(attempt 1 of 8\\)\\n"));
    CHECK(announced.match(cli.stderrText()).hasMatch());
    CHECK(cli.stderrText().contains(QStringLiteral("orchard-cli: reconnected to Orchard")));
    CHECK(cli.stderrText().contains(QStringLiteral("at 127.0.0.1:%1; re-sending").arg(port)));
}

TEST_CASE("predict gives up after its reconnect attempts with exit 2 and says how many got no answer")
{
    auto server = startServer(0);
    const quint16 port = server->serverPort();
    CliProcess cli({ "--port", QString::number(port), "--json", "--reconnect-attempts", "2", kSamplesDir });
    REQUIRE(cli.waitForLines(1));
    server.reset(); // and none comes back
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 2);
    CHECK(cli.lines().size() < 20);
    const QString err = cli.stderrText();
    CHECK(err.contains("reconnecting in 0.") );
    CHECK(err.contains("(attempt 1 of 2)"));
    CHECK(err.contains(QStringLiteral("orchard-cli: attempt 1 failed (cannot reach the server at 127.0.0.1:%1").arg(port)));
    CHECK(err.contains("(attempt 2 of 2)"));
    CHECK(err.contains(QStringLiteral("orchard-cli: gave up reconnecting to 127.0.0.1:%1 after 2 attempts.").arg(port)));
    CHECK(err.contains(QStringLiteral("of 20 files got no answer")));
}
