// Orchard servers behind a real HAProxy (scripts/cluster.sh, resources/haproxy), all on
// loopback: sessions spread over backends, draining, the PROXY protocol end to end, the
// agent check as HAProxy reads it, and clients failing over when a backend is killed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <memory>
#include <numeric>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "tests/http/httpclient.h"
#include "tests/scaleout/cluster.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30'000;

QString kindOf(const Frame &frame)
{
    if (frame.type() != MessageType::ServerMessage)
        return {};
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    return message.ok() ? message.value().kind() : QString();
}

void sendSample(TestClient &client, qint64 id)
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    ImageRequest request;
    request.imageData = samples.at(static_cast<int>(id % samples.size())).bytes;
    request.messageId = id;
    client.sendRaw(*request.toFrame(ImageBodyForm::Base64Json));
}

/** The next frame as a SERVER_ERROR; nullopt when it is none (or none comes). */
std::optional<ProtocolError> nextError(TestClient &client)
{
    if (!client.waitForNext())
        return std::nullopt;
    const Frame frame = client.next();
    return frame.type() == MessageType::ServerError ? parseServerErrorBody(frame.body) : std::nullopt;
}

/** Takes frames until a welcome (queued ones before it are the waiting line's); false if none came. */
bool waitWelcome(TestClient &client, int timeoutMs = kWaitMs)
{
    return QTest::qWaitFor(
            [&client] {
                while (client.untaken() > 0) {
                    if (kindOf(client.next()) == QLatin1String("welcome"))
                        return true;
                }
                return false;
            },
            timeoutMs);
}

/** A client that connects, is served one image, and hangs up: one session. */
struct OneImageClient
{
    std::unique_ptr<TestClient> client;
    bool welcomed = false;
    bool answered = false;

    /** One step, as far as the frames that arrived allow; true once answered. */
    bool step()
    {
        while (!answered && client->untaken() > 0) {
            const Frame frame = client->next();
            if (!welcomed && kindOf(frame) == QLatin1String("welcome")) {
                welcomed = true;
                sendSample(*client, 1);
            } else if (welcomed && frame.type() == MessageType::ServerPrediction) {
                answered = true;
                client->hangUp();
            }
        }
        return answered;
    }
};

/** Polls f (the event loop running) until it is true or timeoutMs passed. */
template<typename F>
bool eventually(F f, int timeoutMs = kWaitMs)
{
    return QTest::qWaitFor(f, timeoutMs);
}

QByteArray agentAnswer(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { answer += socket.readAll(); });
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000))
        return {};
    return answer + socket.readAll();
}

} // namespace

TEST_CASE("3 backends x 2 workers behind HAProxy, 12 clients: every backend serves at least 3 sessions")
{
    Cluster cluster(3);
    INFO(cluster.output().toStdString());
    REQUIRE(cluster.started());

    std::vector<OneImageClient> clients;
    for (int i = 0; i < 12; ++i)
        clients.push_back({ std::make_unique<TestClient>(cluster.port()) });
    const bool allAnswered = eventually([&] {
        return std::count_if(clients.begin(), clients.end(), [](OneImageClient &c) { return c.step(); }) == 12;
    });
    CHECK(allAnswered);

    // Each backend counts the sessions it started; together they are the 12 clients.
    QList<int> sessions;
    eventually([&] {
        sessions = cluster.sessionsStarted();
        return std::accumulate(sessions.begin(), sessions.end(), 0) >= 12;
    });
    QStringList counts;
    for (const int count : std::as_const(sessions))
        counts << QString::number(count);
    INFO("sessions per backend: " << counts.join(u' ').toStdString());
    CHECK(std::accumulate(sessions.begin(), sessions.end(), 0) == 12);
    for (const int count : std::as_const(sessions))
        CHECK(count >= 3);
}

TEST_CASE("Through HAProxy the backend sees the client's own address, and PROXY headers from elsewhere are refused")
{
    Cluster cluster(1);
    INFO(cluster.output().toStdString());
    REQUIRE(cluster.started());
    const Cluster::Backend backend = cluster.backends().first();

    // HAProxy connects from 127.0.0.2 (its "source"); the backend names the client on 127.0.0.1.
    TestClient client(cluster.port());
    REQUIRE(waitWelcome(client));
    sendSample(client, 1);
    REQUIRE(client.waitForNext());
    CHECK(client.next().type() == MessageType::ServerPrediction);
    const QString clientAddress = QStringLiteral("127.0.0.1:%1").arg(client.localPort());
    CHECK(eventually([&] { return cluster.backendLog(0).contains(clientAddress + QStringLiteral(" started")); }));
    INFO(cluster.backendLog(0).toStdString());
    CHECK_FALSE(cluster.backendLog(0).contains(QStringLiteral("127.0.0.2:") + QString::number(client.localPort())));

    // A PROXY header straight from 127.0.0.1, which is not the trusted balancer.
    TestClient forger(backend.port, QHostAddress::LocalHost, "PROXY TCP4 203.0.113.9 127.0.0.1 1234 5050\r\n");
    REQUIRE(waitWelcome(forger));
    sendSample(forger, 1);
    const std::optional<ProtocolError> error = nextError(forger);
    REQUIRE(error);
    CHECK(error->code == ErrorCode::BadHeader);
    CHECK(error->message.contains("--trusted-proxies"));
    CHECK_FALSE(cluster.backendLog(0).contains("203.0.113.9"));

    // The trusted address without a header: refused before anything else.
    TestClient bare(backend.port, QHostAddress(QStringLiteral("127.0.0.2")));
    REQUIRE(bare.waitConnected());
    sendSample(bare, 1);
    const std::optional<ProtocolError> missingError = nextError(bare);
    REQUIRE(missingError);
    CHECK(missingError->code == ErrorCode::BadHeader);
    CHECK(missingError->message.contains("did not begin with a PROXY protocol header"));
    CHECK(eventually([&] { return cluster.backendLog(0).contains("did not begin with a PROXY protocol header"); }));
}

TEST_CASE("The agent's answers change as workers fill, and HAProxy weights the backend by them")
{
    Cluster cluster(1);
    INFO(cluster.output().toStdString());
    REQUIRE(cluster.started());
    const Cluster::Backend backend = cluster.backends().first();
    const auto weight = [&cluster] { return cluster.serverStats().value("orchard1").value("weight"); };
    CHECK(agentAnswer(backend.agentPort) == "up ready 100%\n");
    CHECK(eventually([&] { return weight() == "100"; }));

    TestClient first(cluster.port());
    REQUIRE(waitWelcome(first));
    CHECK(agentAnswer(backend.agentPort) == "up ready 50%\n");
    CHECK(eventually([&] { return weight() == "50"; }));

    TestClient second(cluster.port());
    REQUIRE(waitWelcome(second));
    CHECK(agentAnswer(backend.agentPort) == "up ready 1%\n");
    CHECK(eventually([&] { return weight() == "1"; }));

    first.hangUp();
    second.hangUp();
    CHECK(eventually([&] { return agentAnswer(backend.agentPort) == "up ready 100%\n"; }));
    CHECK(eventually([&] { return weight() == "100"; }));
}

TEST_CASE("Draining a backend: no new sessions reach it, its session is still served, then it exits")
{
    Cluster cluster(2, 6);
    INFO(cluster.output().toStdString());
    REQUIRE(cluster.started());

    TestClient settled(cluster.port());
    REQUIRE(waitWelcome(settled));
    QList<int> before;
    REQUIRE(eventually([&] {
        before = cluster.sessionsStarted();
        return before.value(0) + before.value(1) == 1;
    }));
    const int drained = before.value(0) == 1 ? 0 : 1;
    const int other = 1 - drained;
    const QString drainedName = QStringLiteral("orchard%1").arg(drained + 1);

    const HttpReply drain = httpRequest(cluster.backends().at(drained).httpPort, "POST", "/admin/drain");
    CHECK(drain.status == 202);
    // HAProxy hears "drain" from the agent (and 503 from the health check) within a second or two.
    CHECK(eventually([&] {
        const QString status = cluster.serverStats().value(drainedName).value("status");
        return status == "DRAIN" || status == "NOLB" || status.startsWith("DOWN");
    }, 10000));

    std::vector<OneImageClient> newcomers;
    for (int i = 0; i < 4; ++i)
        newcomers.push_back({ std::make_unique<TestClient>(cluster.port()) });
    CHECK(eventually([&] {
        return std::count_if(newcomers.begin(), newcomers.end(), [](OneImageClient &c) { return c.step(); }) == 4;
    }));
    const QList<int> after = cluster.sessionsStarted();
    CHECK(after.value(drained) == before.value(drained)); // none new
    CHECK(after.value(other) == before.value(other) + 4);

    // The session it had goes on being served while it drains.
    sendSample(settled, 5);
    REQUIRE(settled.waitForNext());
    CHECK(settled.next().type() == MessageType::ServerPrediction);
    // Then it shuts down: the client hears so, and the process ends.
    CHECK(settled.waitDisconnected(kWaitMs));
    CHECK(eventually([&] { return !cluster.backendRunning(drained); }));
    CHECK(cluster.backendRunning(other));
    CHECK(cluster.backendLog(drained).contains("draining"));
}

TEST_CASE("kill -9 of the backend while orchard-cli predict sends 40 photos: exit 0, 40 answers, none twice")
{
    Cluster cluster(3);
    INFO(cluster.output().toStdString());
    REQUIRE(cluster.started());

    // 40 photos of 2400 x 1800, sent as they are: the batch takes long enough to be cut.
    QTemporaryDir photos;
    REQUIRE(photos.isValid());
    QImage noise(2400, 1800, QImage::Format_RGB32);
    quint32 state = 12345;
    for (int y = 0; y < noise.height(); ++y) {
        auto *line = reinterpret_cast<quint32 *>(noise.scanLine(y));
        for (int x = 0; x < noise.width(); ++x)
            line[x] = (state = state * 1664525u + 1013904223u) >> 8;
    }
    const QString first = photos.filePath(QStringLiteral("leaf-00.jpg"));
    REQUIRE(noise.save(first, "JPEG", 90));
    for (int i = 1; i < 40; ++i)
        REQUIRE(QFile::copy(first, photos.filePath(QStringLiteral("leaf-%1.jpg").arg(i, 2, 10, QLatin1Char('0')))));

    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("ORCHARD_TOKEN"));
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(ORCHARD_CLI_PATH), { "predict", "--port", QString::number(cluster.port()), "--json",
                                                  "--send-originals", "--no-history", photos.path() });
    REQUIRE(cli.waitForStarted());
    QByteArray out;
    REQUIRE(eventually([&] {
        out += cli.readAllStandardOutput();
        return out.contains('\n');
    }));

    // The backend serving it: the one with a session now.
    int serving = -1;
    REQUIRE(eventually([&] {
        for (int i = 0; i < cluster.backends().size(); ++i) {
            const HttpReply metrics = httpGet(cluster.backends().at(i).httpPort, "/metrics");
            if (sampleValue(metrics.body, "orchard_sessions_active").value_or(0) >= 1)
                serving = i;
        }
        return serving >= 0;
    }));
    REQUIRE(::kill(static_cast<pid_t>(cluster.backends().at(serving).pid), SIGKILL) == 0);

    REQUIRE(cli.waitForFinished(120'000));
    out += cli.readAllStandardOutput();
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    INFO("stderr: " << err.toStdString());
    CHECK(cli.exitStatus() == QProcess::NormalExit);
    CHECK(cli.exitCode() == 0);
    CHECK(err.contains("reconnecting"));
    CHECK(err.contains("reconnected"));

    QSet<QString> files;
    int lines = 0;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        ++lines;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        INFO(line.toStdString());
        CHECK_FALSE(object.contains("error"));
        CHECK(object.value("label").isString());
        files.insert(QFileInfo(object.value("file").toString()).fileName());
    }
    CHECK(lines == 40);
    CHECK(files.size() == 40); // every photo once
    CHECK_FALSE(cluster.backendRunning(serving));
}
