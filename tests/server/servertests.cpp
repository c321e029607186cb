// The server end to end: real OrchardServer, the real default model, real loopback
// sockets, the test's event loop serving both sides.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/protocol/clientmessage.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;
using namespace std::chrono_literals;

namespace {

PredictionReply predictionOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerPrediction);
    const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
    REQUIRE(reply.ok());
    return reply.value();
}

ProtocolError errorOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

ServerMessage messageOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerMessage);
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    REQUIRE(message.ok());
    return message.value();
}

/** Connects and consumes the welcome. */
std::unique_ptr<TestClient> welcomedClient(quint16 port)
{
    auto client = std::make_unique<TestClient>(port);
    REQUIRE(client->waitForNext());
    REQUIRE(client->nextKind() == "welcome");
    return client;
}

void sendImage(TestClient &client, const QByteArray &bytes, ImageBodyForm form, qint64 id,
               const QString &name = {})
{
    ImageRequest request;
    request.imageData = bytes;
    request.messageId = id;
    request.name = name;
    client.sendRaw(*request.toFrame(form));
}

QByteArray sampleBytes()
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    return samples.first().bytes;
}

} // namespace

TEST_CASE("The welcome names the server, model, labels, limit and encodings")
{
    ServerFixture fixture(withWorkers(2));
    TestClient client(fixture.port());
    REQUIRE(client.waitForNext());
    const ServerMessage welcome = messageOf(client.next());
    CHECK(welcome.kind() == "welcome");
    CHECK(welcome.fields().value("server").toString() == "Orchard");
    CHECK(welcome.fields().value("model").toString() == defaultEngine()->manifest().name);
    CHECK(welcome.fields().value("labels").toArray().size() == defaultEngine()->manifest().labels.size());
    CHECK(welcome.fields().value("max_msg_len").toInteger() == FrameReader::kDefaultMaxBodyLength);
    CHECK(welcome.acceptsBinary());
    CHECK(welcome.workers() == 2);
}

TEST_CASE("Every sample image is diagnosed right in all three body forms")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);

    qint64 id = 0;
    for (ImageBodyForm form : { ImageBodyForm::Base64Text, ImageBodyForm::Base64Json, ImageBodyForm::Binary }) {
        for (const SampleImage &sample : samples)
            sendImage(*client, sample.bytes, form, ++id, sample.fileName);
    }
    REQUIRE(client->waitForFrames(1 + 3 * samples.size()));

    int right = 0;
    for (int i = 0; i < 3 * samples.size(); ++i) {
        const PredictionReply reply = predictionOf(client->next());
        const SampleImage &sample = samples.at(i % samples.size());
        CHECK(reply.messageId == i + 1);
        CHECK(reply.imageWidth == 28);
        CHECK(reply.topK.size() == 3);
        CHECK(reply.timing.total >= reply.timing.infer);
        // Only the JSON form carries the name.
        CHECK(reply.name == (i / samples.size() == 1 ? sample.fileName : QString()));
        right += reply.label == sample.expectedLabel;
    }
    // The three forms carry the same bytes, so each form gets the same answers; the model
    // is ~91% accurate, so allow a miss or two per form among 20 samples.
    CHECK(right >= 3 * 18);
    CHECK(right % 3 == 0);
}

TEST_CASE("An original base64 text client gets the photo's quality and uncertain in the reply")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    // A dim photo of the kind a phone takes at night: 800 × 600, mean luminance about 2.5 %,
    // under even the default model's dark_below (0.05: its garments are on black).
    cv::Mat photo(600, 800, CV_8UC3, cv::Scalar::all(6));
    cv::circle(photo, cv::Point(400, 300), 150, cv::Scalar(8, 16, 10), cv::FILLED);
    std::vector<uchar> jpeg;
    REQUIRE(cv::imencode(".jpg", photo, jpeg));
    sendImage(*client, QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size())),
              ImageBodyForm::Base64Text, 1);
    sendImage(*client, sampleBytes(), ImageBodyForm::Base64Text, 2);
    REQUIRE(client->waitForFrames(1 + 2));

    // What an original client reads: the JSON body as it is on the wire.
    const Frame dim = client->next();
    REQUIRE(dim.type() == MessageType::ServerPrediction);
    const QJsonObject body = QJsonDocument::fromJson(dim.body).object();
    INFO(dim.body.toStdString());
    REQUIRE(body.value("quality").isObject());
    const QJsonObject quality = body.value("quality").toObject();
    CHECK(quality.value("sharpness").isDouble());
    CHECK(quality.value("brightness").toDouble() < 0.05);
    CHECK(quality.value("warnings").toArray().contains(QStringLiteral("dark")));
    CHECK(body.value("uncertain").isBool());

    const PredictionReply sample = predictionOf(client->next());
    REQUIRE(sample.quality);
    CHECK_FALSE(sample.quality->warnings.contains("small"));
    CHECK(sample.quality->brightness > 0.0);
}

TEST_CASE("50 pipelined requests are answered in order with their msg_ids")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    const QByteArray image = sampleBytes();
    for (qint64 id = 1000; id < 1050; ++id)
        sendImage(*client, image, ImageBodyForm::Binary, id);
    REQUIRE(client->waitForFrames(51));
    for (qint64 id = 1000; id < 1050; ++id)
        CHECK(predictionOf(client->next()).messageId == id);
}

TEST_CASE("The QA demo: with 2 workers, clients 3 and 4 wait and are served in turn")
{
    ServerFixture fixture(withWorkers(2));
    const QByteArray image = sampleBytes();
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TestClient>(fixture.port()));
        REQUIRE(clients.back()->waitForNext()); // in order, so positions are deterministic
    }
    CHECK(clients[0]->nextKind() == "welcome");
    CHECK(clients[1]->nextKind() == "welcome");
    const ServerMessage third = messageOf(clients[2]->next());
    const ServerMessage fourth = messageOf(clients[3]->next());
    CHECK(third.kind() == "queued");
    CHECK(third.position() == 1);
    CHECK(third.workers() == 2);
    CHECK(third.waiting() == 1); // the line as it was when client 3 joined
    CHECK(fourth.kind() == "queued");
    CHECK(fourth.position() == 2);
    CHECK(fourth.waiting() == 2);

    // Everyone clicks Predict, waiting clients first.
    for (int i : { 2, 3, 0, 1 })
        sendImage(*clients[i], image, ImageBodyForm::Base64Text, i + 1);
    REQUIRE(clients[0]->waitForFrames(2));
    REQUIRE(clients[1]->waitForFrames(2));
    CHECK(predictionOf(clients[0]->next()).messageId == 1);
    CHECK(predictionOf(clients[1]->next()).messageId == 2);
    CHECK(clients[2]->predictionCount() == 0);
    CHECK(clients[3]->predictionCount() == 0);

    // Client 1 goes offline: its worker goes to client 3, client 4 moves up.
    clients[0]->sendOffline();
    REQUIRE(clients[0]->waitForNext());
    CHECK(clients[0]->nextKind() == "offline");
    REQUIRE(clients[0]->waitDisconnected());
    REQUIRE(clients[2]->waitForFrames(3));
    CHECK(clients[2]->nextKind() == "welcome");
    CHECK(predictionOf(clients[2]->next()).messageId == 3);
    REQUIRE(clients[3]->waitForFrames(2));
    const ServerMessage movedUp = messageOf(clients[3]->next());
    CHECK(movedUp.kind() == "queued");
    CHECK(movedUp.position() == 1);
    CHECK(movedUp.waiting() == 1);
    CHECK(clients[3]->predictionCount() == 0);

    // Client 2 goes offline: client 4 is served.
    clients[1]->sendOffline();
    REQUIRE(clients[3]->waitForFrames(4));
    CHECK(clients[3]->nextKind() == "welcome");
    CHECK(predictionOf(clients[3]->next()).messageId == 4);
}

TEST_CASE("Past --max-queued a connection gets BUSY and is closed")
{
    ServerFixture fixture(withWorkers(1, 1));
    auto active = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    TestClient refused(fixture.port());
    REQUIRE(refused.waitForNext());
    const ProtocolError busy = errorOf(refused.next());
    CHECK(busy.code == ErrorCode::Busy);
    CHECK(busy.message.contains("busy"));
    CHECK(refused.waitDisconnected());
    CHECK(fixture.server->waitingCount() == 1);
}

TEST_CASE("A frame stalled midway gets TIMEOUT and frees the worker")
{
    ServerConfig config = withWorkers(1);
    config.readTimeout = 300ms;
    ServerFixture fixture(config);
    auto stalled = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    stalled->sendRaw(QByteArray(40, ' ')); // part of a header, then silence
    REQUIRE(stalled->waitForNext());
    const ProtocolError timeout = errorOf(stalled->next());
    CHECK(timeout.code == ErrorCode::Timeout);
    CHECK(timeout.message.contains("not completed"));
    CHECK(stalled->waitDisconnected());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome");
}

TEST_CASE("An idle connection gets TIMEOUT after --idle-timeout")
{
    ServerConfig config;
    config.idleTimeout = 300ms;
    ServerFixture fixture(config);
    auto idle = welcomedClient(fixture.port());
    REQUIRE(idle->waitForNext());
    const ProtocolError timeout = errorOf(idle->next());
    CHECK(timeout.code == ErrorCode::Timeout);
    CHECK(timeout.message.contains("No message arrived"));
    CHECK(idle->waitDisconnected());
}

TEST_CASE("A client that vanishes mid-body frees its worker for the next in line")
{
    ServerFixture fixture(withWorkers(1));
    auto vanishing = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    const QByteArray frame = *encodeFrame(MessageType::ClientImage, QByteArray(100000, 'A'));
    vanishing->sendRaw(frame.left(128 + 5000));
    QSignalSpy ended(fixture.server->events(), &ServerEvents::sessionEnded);
    vanishing->hangUp();
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome");
    REQUIRE(QTest::qWaitFor([&] { return ended.count() >= 1; }, 5000));
    CHECK(ended.at(0).at(1).toString() == "client vanished mid-message");
}

TEST_CASE("A waiting client that hangs up leaves the line without taking a worker")
{
    ServerFixture fixture(withWorkers(1));
    auto active = welcomedClient(fixture.port());
    auto leaving = std::make_unique<TestClient>(fixture.port());
    REQUIRE(leaving->waitForNext());
    TestClient last(fixture.port());
    REQUIRE(last.waitForNext());
    CHECK(messageOf(last.next()).position() == 2);

    QSignalSpy left(fixture.server->events(), &ServerEvents::waitingConnectionLeft);
    QSignalSpy started(fixture.server->events(), &ServerEvents::sessionStarted);
    leaving->abort();
    REQUIRE(last.waitForNext());
    const ServerMessage movedUp = messageOf(last.next());
    CHECK(movedUp.kind() == "queued");
    CHECK(movedUp.position() == 1);
    CHECK(left.count() == 1);
    CHECK(started.count() == 0);
    CHECK(fixture.server->waitingCount() == 1);
    CHECK(fixture.server->activeSessionCount() == 1);
}

TEST_CASE("Many waiting clients hanging up at once move the rest up in one announcement")
{
    ServerFixture fixture(withWorkers(1));
    auto active = welcomedClient(fixture.port());
    constexpr int kLeaving = 30;
    std::vector<std::unique_ptr<TestClient>> leaving;
    for (int i = 0; i < kLeaving; ++i) {
        leaving.push_back(std::make_unique<TestClient>(fixture.port()));
        REQUIRE(leaving.back()->waitForNext());
    }
    TestClient last(fixture.port());
    REQUIRE(last.waitForNext());
    CHECK(messageOf(last.next()).position() == kLeaving + 1);

    // All hang up before the server's thread (this one) looks again: one poll finds them
    // all, and the line is announced once, not once per client (which was quadratic in
    // the length of the line and froze the server's thread when thousands left at once).
    QSignalSpy left(fixture.server->events(), &ServerEvents::waitingConnectionLeft);
    QSignalSpy lineChanged(fixture.server->events(), &ServerEvents::waitingLineChanged);
    for (auto &client : leaving)
        client->abort();
    REQUIRE(last.waitForNext());
    const ServerMessage movedUp = messageOf(last.next());
    CHECK(movedUp.kind() == "queued");
    CHECK(movedUp.position() == 1);
    CHECK(left.count() == kLeaving);
    CHECK(lineChanged.count() == 1);
    CHECK(fixture.server->waitingCount() == 1);
}

namespace {

int queuedCount(const TestClient &client)
{
    return static_cast<int>(std::count_if(client.frames().begin(), client.frames().end(), [](const Frame &frame) {
        return frame.type() == MessageType::ServerMessage && ServerMessage::fromBody(frame.body)->kind() == "queued";
    }));
}

/** The kind of the last frame the client got ("" when none). */
QString lastKind(const TestClient &client)
{
    if (client.frames().isEmpty() || client.frames().last().type() != MessageType::ServerMessage)
        return QString();
    return ServerMessage::fromBody(client.frames().last().body)->kind();
}

int lastPosition(const TestClient &client)
{
    if (lastKind(client) != "queued")
        return 0;
    return ServerMessage::fromBody(client.frames().last().body)->position();
}

} // namespace

TEST_CASE("A long line moving up tells the front at once and the rest at most about once a second")
{
    // Every move used to re-announce every position: a move cost one send per waiting client,
    // and draining 2000 quick clients took 11.7 s. The front still hears each move at once
    // (the tests above), the back at most about once a second, and everyone learns where
    // it stands.
    ServerFixture fixture(withWorkers(1, 500));
    auto active = welcomedClient(fixture.port());
    constexpr int kWaiting = 150;
    constexpr int kMoves = 40;
    std::vector<std::unique_ptr<TestClient>> line;
    for (int i = 0; i < kWaiting; ++i) {
        line.push_back(std::make_unique<TestClient>(fixture.port()));
        REQUIRE(line.back()->waitForNext());
    }
    REQUIRE(lastPosition(*line.back()) == kWaiting);

    QElapsedTimer timer;
    timer.start();
    // Whoever holds the worker goes offline at once; the next in line takes it.
    active->sendOffline();
    for (int i = 0; i < kMoves; ++i) {
        REQUIRE(QTest::qWaitFor([&] { return lastKind(*line[i]) == "welcome"; }, 15000));
        if (i + 1 < kMoves)
            line[i]->sendOffline();
    }
    const qint64 elapsedMs = timer.elapsed();
    INFO(kMoves << " moves in " << elapsedMs << " ms");
    // Admission, then at most one a second (and one to spare for the second it ended in);
    // the old code sent it one per move: 41.
    CHECK(queuedCount(*line.back()) <= 2 + elapsedMs / 1000);

    // Everyone still waiting hears its true position soon.
    const auto allTold = [&] {
        for (int i = kMoves; i < kWaiting; ++i) {
            if (lastPosition(*line[i]) != i - kMoves + 1)
                return false;
        }
        return true;
    };
    CHECK(QTest::qWaitFor(allTold, 5000));
    CHECK(lastPosition(*line[kMoves]) == 1);
}

TEST_CASE("Bad images and unknown types get their error and the session continues")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    client->sendFrame(MessageType::ClientImage, "%%% not base64 %%%", 1);
    sendImage(*client, QByteArray("this is plain text, not an image"), ImageBodyForm::Binary, 2);
    client->sendFrame(MessageType::ClientImage, R"({"name":"x.png"})", 3);
    sendImage(*client, sampleBytes().left(200), ImageBodyForm::Binary, 4); // truncated PNG
    const QByteArray video = R"({"msg_id":5,"msg_len":10,"msg_type":"CLIENT_VIDEO"})";
    client->sendRaw(QByteArray(128 - video.size(), ' ') + video + QByteArray(10, 'v'));
    client->sendFrame(MessageType::ClientMessage, R"({"action":"dance"})", 6);
    client->sendFrame(MessageType::ServerError, R"({"code":"BUSY"})", 7);
    client->sendFrame(MessageType::ClientMessage, ClientMessage::actionBody("ping"), 8);
    sendImage(*client, sampleBytes(), ImageBodyForm::Binary, 9);
    REQUIRE(client->waitForFrames(1 + 9));

    for (qint64 id : { 1, 2, 3, 4 }) {
        const ProtocolError error = errorOf(client->next());
        CHECK(error.code == ErrorCode::BadImage);
        CHECK(error.messageId == id);
        CHECK_FALSE(error.message.isEmpty());
    }
    CHECK(errorOf(client->next()).code == ErrorCode::UnknownType);
    const ProtocolError action = errorOf(client->next());
    CHECK(action.code == ErrorCode::UnknownType);
    CHECK(action.message.contains("dance"));
    CHECK(errorOf(client->next()).code == ErrorCode::UnknownType);
    CHECK(client->nextKind() == "pong");
    CHECK(predictionOf(client->next()).messageId == 9);
    CHECK(client->isConnected());
}

TEST_CASE("A header that is not JSON gets BAD_HEADER and the connection closes")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    client->sendRaw(QByteArray(128, '\0'));
    REQUIRE(client->waitForNext());
    CHECK(errorOf(client->next()).code == ErrorCode::BadHeader);
    CHECK(client->waitDisconnected());
}

TEST_CASE("A body over --max-msg-len gets TOO_LARGE before it is sent, and the connection closes")
{
    ServerConfig config;
    config.maxMessageLength = 1000;
    ServerFixture fixture(config);
    auto client = welcomedClient(fixture.port());
    const QByteArray json = R"({"msg_type":"CLIENT_IMAGE","msg_len":1099511627776,"msg_id":42})";
    client->sendRaw(QByteArray(128 - json.size(), ' ') + json);
    REQUIRE(client->waitForNext());
    const ProtocolError error = errorOf(client->next());
    CHECK(error.code == ErrorCode::TooLarge);
    CHECK(error.messageId == 42);
    CHECK(client->waitDisconnected());
}

TEST_CASE("The original client's offline text comes back with a timestamp, then the server closes")
{
    ServerFixture fixture;
    auto client = welcomedClient(fixture.port());
    client->sendFrame(MessageType::ClientMessage, QStringLiteral("客户机下线").toUtf8());
    REQUIRE(client->waitForNext());
    const ServerMessage offline = messageOf(client->next());
    CHECK(offline.kind() == "offline");
    CHECK(offline.text().startsWith(QStringLiteral("客户机下线 ")));
    CHECK(offline.text().size() == QStringLiteral("客户机下线 2026-11-24 10:00:00").size());
    CHECK(client->waitDisconnected());
}

TEST_CASE("More workers at run time serve waiting connections at once")
{
    ServerFixture fixture(withWorkers(1));
    auto active = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");
    fixture.server->setWorkerCount(2);
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome");
    CHECK(fixture.server->workerCount() == 2);
}

TEST_CASE("Every worker thread is warmed up before the server listens and again when the pool grows")
{
    const auto engine = defaultEngine();
    REQUIRE(engine);
    ServerConfig config = withWorkers(3);
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    OrchardServer server(config, engine, QStringLiteral("test"));
    // Both are emitted in the server's thread before start() returns: record their order.
    QStringList order;
    QList<int> warmedThreads;
    QObject::connect(server.events(), &ServerEvents::workersWarmed, &server,
                     [&](int threads, double wallMs, double slowestMs, const QString &error) {
                         order.append(QStringLiteral("warmed"));
                         warmedThreads.append(threads);
                         CHECK(error.isEmpty());
                         CHECK(wallMs > 0.0);
                         CHECK(slowestMs > 0.0);
                         CHECK(slowestMs <= wallMs);
                     });
    QObject::connect(server.events(), &ServerEvents::listening, &server,
                     [&] { order.append(QStringLiteral("listening")); });
    REQUIRE(server.start());
    CHECK(order == QStringList { QStringLiteral("warmed"), QStringLiteral("listening") });
    CHECK(warmedThreads == QList<int> { 3 });

    server.setWorkerCount(5);
    // The two new threads at least; idle threads count as missing too (QThreadPool counts
    // only busy ones) and warm up again, which costs a few milliseconds and nothing else.
    REQUIRE(warmedThreads.size() == 2);
    CHECK(warmedThreads.at(1) >= 2);
    CHECK(warmedThreads.at(1) <= 5);
}

TEST_CASE("Graceful shutdown tells active and waiting clients, and ends within 5 s")
{
    ServerFixture fixture(withWorkers(1));
    auto active = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    QElapsedTimer timer;
    timer.start();
    fixture.server->shutdown();
    CHECK(timer.elapsed() < 5000);
    CHECK_FALSE(fixture.server->isListening());

    REQUIRE(active->waitForNext());
    const ServerMessage activeGoodbye = messageOf(active->next());
    CHECK(activeGoodbye.kind() == "shutdown");
    CHECK(active->waitDisconnected());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "shutdown");
    CHECK(waiting.waitDisconnected());
}
