// SIGHUP on a real orchard-server process: the token file read again (a revoked token
// refused to new connections, an added one let in, open sessions left alone, a bad file
// leaving the tokens as they were) and the log file reopened after logrotate renamed it.
// A new model version loaded on SIGHUP. And --log-format json: every line a JSON object with the event's facts.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "common/inference/inferenceengine.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/errorcode.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/eventlogmodel.h"
#include "tests/operations/serverprocess.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

const QByteArray kFieldToken = "field-team-7f3a9c2e51d4b8a0";
const QByteArray kLabToken = "lab-staff-0c9d8e7f6a5b4c3d";
const QByteArray kVisitorToken = "visitor-5e6f7a8b9c0d1e2f";

/** Reads the welcome, shows the token: "authenticated", or the error's code ("UNAUTHORIZED"). */
QString authenticate(TestClient &client, const QByteArray &token)
{
    if (!client.waitForNext())
        return QStringLiteral("no welcome");
    if (client.nextKind() != QLatin1String("welcome"))
        return QStringLiteral("not welcomed");
    client.sendFrame(MessageType::ClientMessage, ClientMessage::authBody(token), 1);
    if (!client.waitForNext())
        return QStringLiteral("no answer");
    const Frame answer = client.next();
    if (answer.type() == MessageType::ServerError) {
        const std::optional<ProtocolError> error = parseServerErrorBody(answer.body);
        return error ? errorCodeName(error->code) : QStringLiteral("unreadable error");
    }
    const Result<ServerMessage> message = ServerMessage::fromBody(answer.body);
    return message.ok() ? message->kind() : QStringLiteral("unreadable answer");
}

/** Sends a sample image and waits for its answer: whether it was a prediction. */
bool predicts(TestClient &client, qint64 messageId)
{
    client.sendFrame(MessageType::ClientImage, sampleImages().first().bytes.toBase64(), messageId);
    return client.waitForNext() && client.next().type() == MessageType::ServerPrediction;
}

QStringList serverArguments(const ServerProcess &server)
{
    return { "--headless", "--host", "127.0.0.1", "--port", "0", "--threads", "4", "--token-file",
             server.path("tokens"), "--log-file", server.path("events.log") };
}

} // namespace

TEST_CASE("SIGHUP reads the token file again: revoked tokens are refused, new ones let in, open sessions go on")
{
    ServerProcess server;
    server.writeFile("tokens", "field " + kFieldToken + "\nlab " + kLabToken + "\n");
    server.start(serverArguments(server));
    REQUIRE(server.waitListening());

    TestClient open(server.port());
    REQUIRE(authenticate(open, kFieldToken) == "authenticated");

    server.writeFile("tokens", "lab " + kLabToken + "\nvisitor " + kVisitorToken + "\n");
    server.signal(SIGHUP);
    REQUIRE(server.waitForText("events.log",
                               "reload tokens reloaded: 2 tokens (1 added, 1 removed; added: visitor; removed: field)"));
    CHECK(server.out().contains("tokens reloaded: 2 tokens"));

    TestClient revoked(server.port());
    CHECK(authenticate(revoked, kFieldToken) == "UNAUTHORIZED");
    CHECK(revoked.waitDisconnected());
    TestClient added(server.port());
    CHECK(authenticate(added, kVisitorToken) == "authenticated");
    CHECK(predicts(added, 2));
    TestClient kept(server.port());
    CHECK(authenticate(kept, kLabToken) == "authenticated");

    // Authenticated before the reload with the token since revoked: served until it ends.
    CHECK(predicts(open, 2));
    CHECK(open.isConnected());
    CHECK(server.running());
}

TEST_CASE("A token file that cannot be used on SIGHUP leaves the tokens in use and says why")
{
    ServerProcess server;
    server.writeFile("tokens", "lab " + kLabToken + "\n");
    server.start(serverArguments(server));
    REQUIRE(server.waitListening());

    server.writeFile("tokens", "lab short\n");
    server.signal(SIGHUP);
    REQUIRE(server.waitForText("events.log", "tokens not reloaded, the 1 in use stay: " + server.path("tokens")
                                                     + " line 1: the token for \"lab\" is shorter than 16 characters"));
    TestClient stillLetIn(server.port());
    CHECK(authenticate(stillLetIn, kLabToken) == "authenticated");

    REQUIRE(std::remove(qPrintable(server.path("tokens"))) == 0);
    server.signal(SIGHUP);
    REQUIRE(server.waitForText("events.log", "tokens not reloaded, the 1 in use stay: Cannot read the token file"));
    TestClient stillLetInAgain(server.port());
    CHECK(authenticate(stillLetInAgain, kLabToken) == "authenticated");
    TestClient stranger(server.port());
    CHECK(authenticate(stranger, kVisitorToken) == "UNAUTHORIZED");
}

TEST_CASE("After logrotate renames the log file, SIGHUP makes a new one and the events go there")
{
    ServerProcess server;
    server.writeFile("tokens", "lab " + kLabToken + "\n");
    server.start(serverArguments(server));
    REQUIRE(server.waitListening());
    REQUIRE(server.waitForText("events.log", "listening on 127.0.0.1"));

    REQUIRE(std::rename(qPrintable(server.path("events.log")), qPrintable(server.path("events.log.1"))) == 0);
    server.signal(SIGHUP);
    REQUIRE(server.waitForText("events.log", "log file " + server.path("events.log") + " reopened"));

    TestClient client(server.port());
    REQUIRE(authenticate(client, kLabToken) == "authenticated");
    CHECK(server.waitForText("events.log", "auth authenticated as lab"));
    const QString rotated = server.readFile("events.log.1");
    CHECK(rotated.contains("listening on 127.0.0.1"));
    CHECK_FALSE(rotated.contains("reopened"));
    CHECK_FALSE(rotated.contains("authenticated as lab"));
}

TEST_CASE("With --log-format json every line is one JSON object with the event's facts")
{
    ServerProcess server;
    server.start({ "--headless", "--host", "127.0.0.1", "--port", "0", "--threads", "2", "--log-format", "json",
                   "--log-file", server.path("events.log") });
    REQUIRE(server.waitListening());
    {
        TestClient client(server.port());
        REQUIRE(client.waitForNext());
        CHECK(client.nextKind() == "welcome");
        CHECK(predicts(client, 7));
        client.sendOffline();
        CHECK(client.waitDisconnected());
    }
    REQUIRE(server.waitForText("events.log", "\"event\":\"offline\""));
    server.signal(SIGTERM);
    REQUIRE(server.waitExit() == 0);

    const SampleImage sample = sampleImages().first();
    static const QRegularExpression isoTime(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    QStringList eventsInFile;
    bool sawPrediction = false;
    for (const QString &name : { QStringLiteral("stdout.log"), QStringLiteral("stderr.log"), QStringLiteral("events.log") }) {
        for (const QString &line : server.readFile(name).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            INFO(name.toStdString() << ": " << line.toStdString());
            QJsonParseError error {};
            const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
            REQUIRE(error.error == QJsonParseError::NoError);
            REQUIRE(document.isObject());
            const QJsonObject object = document.object();
            CHECK(object.value("time").toString().contains(isoTime));
            CHECK(QStringList { "info", "warning", "error" }.contains(object.value("level").toString()));
            CHECK_FALSE(object.value("event").toString().isEmpty());
            // The default model, or (its load events) another of the shipped repository's.
            CHECK(QStringList { "fashion-mnist", "fashion-detect", "fashion-detector", "fashion-crops" }.contains(
                    object.value("model").toString()));
            CHECK(object.value("message").isString());
            if (name == QLatin1String("events.log"))
                eventsInFile << object.value("event").toString();
            if (object.value("event").toString() == QLatin1String("prediction")) {
                sawPrediction = true;
                CHECK(object.value("model").toString() == "fashion-mnist");
                CHECK(object.value("session").toInt() >= 1);
                CHECK(object.value("peer").toString().startsWith("127.0.0.1:"));
                CHECK(object.value("label").toString() == sample.expectedLabel);
                CHECK(object.value("confidence").toDouble() > 0.0);
                CHECK(object.value("confidence").toDouble() <= 1.0);
                CHECK(object.value("latency_ms").toDouble() >= 0.0);
            }
        }
    }
    CHECK(sawPrediction);
    for (const char *event : { "listening", "started", "prediction", "offline", "stopped" })
        CHECK(eventsInFile.contains(QLatin1String(event)));
    // The banner and the shutdown notice are JSON too: nothing a log shipper cannot parse.
    CHECK(server.out().contains("\"event\":\"banner\""));
    CHECK(server.err().contains("\"event\":\"signal\""));
}

TEST_CASE("An event log entry as JSON: when, how bad and what first, its fields after, nothing twice")
{
    EventLogModel::Entry entry;
    entry.time = QDateTime(QDate(2026, 11, 24), QTime(10, 0, 0, 123), Qt::UTC);
    entry.sessionId = 3;
    entry.peer = QStringLiteral("127.0.0.1:50000");
    entry.event = QStringLiteral("error");
    entry.details = QStringLiteral("BAD_IMAGE: \"quoted\"\ttab");
    entry.level = EventLogModel::Level::Warning;
    entry.fields = { { "code", "BAD_IMAGE" }, { "time", "not this" }, { "session", 99 } };
    const QByteArray json = entry.toJson(QStringLiteral("fashion-mnist"));
    CHECK(json.toStdString()
          == R"({"time":"2026-11-24T10:00:00.123Z","level":"warning","event":"error","session":3,)"
             R"("peer":"127.0.0.1:50000","model":"fashion-mnist","message":"BAD_IMAGE: \"quoted\"\ttab",)"
             R"("code":"BAD_IMAGE"})");
    CHECK(QJsonDocument::fromJson(json).isObject());

    EventLogModel::Entry server;
    server.time = entry.time;
    server.event = QStringLiteral("listening");
    const QJsonObject object = QJsonDocument::fromJson(server.toJson(QString())).object();
    CHECK_FALSE(object.contains("session")); // the server's own events have no session
    CHECK_FALSE(object.contains("model"));
    CHECK(object.value("level").toString() == "info");
}

TEST_CASE("SIGHUP with --model-control explicit loads a new version, and requests then name it")
{
    ServerProcess server;
    // A repository of one model, version 1: a copy of the shipped model.
    const QDir shipped(InferenceEngine::defaultModelDirectory());
    const auto addVersion = [&](int version) {
        const QString folder = server.path(QStringLiteral("repo/fashion-mnist/%1").arg(version));
        REQUIRE(QDir().mkpath(folder));
        for (const QString &file : { QStringLiteral("model.pt"), QStringLiteral("model.json"), QStringLiteral("README.md") })
            REQUIRE(QFile::copy(shipped.filePath(file), QDir(folder).filePath(file)));
    };
    addVersion(1);
    server.start({ "--headless", "--host", "127.0.0.1", "--port", "0", "--model-repository", server.path("repo"),
                   "--model-control", "explicit", "--log-file", server.path("events.log") });
    REQUIRE(server.waitListening());
    CHECK(server.out().contains("models fashion-mnist 1 (default fashion-mnist)"));

    TestClient client(server.port());
    REQUIRE(client.waitForNext()); // welcome
    client.next();
    const auto answeringVersion = [&](qint64 messageId) -> qint64 {
        client.sendFrame(MessageType::ClientImage, sampleImages().first().bytes.toBase64(), messageId);
        if (!client.waitForNext())
            return -1;
        const Result<PredictionReply> reply = PredictionReply::fromBody(client.next().body);
        return reply && reply->modelVersion ? *reply->modelVersion : -1;
    };
    CHECK(answeringVersion(1) == 1);

    addVersion(2);
    server.signal(SIGHUP);
    REQUIRE(server.waitForText("events.log", "fashion-mnist version 2 loaded and warmed up in"));
    CHECK(server.waitForText("events.log", "fashion-mnist version 1 unloaded (no longer selected)"));
    // The same connection, never dropped: its next request gets version 2.
    CHECK(answeringVersion(2) == 2);
    CHECK(client.isConnected());
}
