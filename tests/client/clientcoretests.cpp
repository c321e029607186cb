// The client core end to end: ServerConnection and RequestQueue against a real in-process
// OrchardServer with the real default model, over loopback. The server lives in this
// thread's event loop, so every wait here spins it (QSignalSpy::wait, QTest::qWaitFor).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <QBuffer>
#include <QImage>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "common/inference/inferenceengine.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "server/core/modelcatalog.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
const QString kLocalHost = QStringLiteral("127.0.0.1");

using State = ServerConnection::State;

void connectAndWaitForWelcome(ServerConnection &connection, quint16 port)
{
    connection.connectToServer(kLocalHost, port);
    REQUIRE(QTest::qWaitFor([&connection] { return connection.isConnected(); }, kWaitMs));
}

/** What a RequestQueue reported, kept in the order it happened. */
struct QueueRecorder
{
    explicit QueueRecorder(RequestQueue &queue)
    {
        QObject::connect(&queue, &RequestQueue::jobFinished, &queue,
                         [this](int jobId, const PredictionReply &reply) {
                             finishedIds.append(jobId);
                             replies.insert(jobId, reply);
                         });
        QObject::connect(&queue, &RequestQueue::jobFailed, &queue,
                         [this](int jobId, const ProtocolError &error) {
                             failedIds.append(jobId);
                             errors.insert(jobId, error);
                         });
        QObject::connect(&queue, &RequestQueue::jobSent, &queue, [this, &queue](int) {
            maxInFlight = std::max(maxInFlight, queue.inFlightCount());
        });
        QObject::connect(&queue, &RequestQueue::progressChanged, &queue,
                         [this](int done, int total) { progress = { done, total }; });
        QObject::connect(&queue, &RequestQueue::batchFinished, &queue, [this] { ++batches; });
    }

    bool waitForBatches(int count) const
    {
        return QTest::qWaitFor([this, count] { return batches >= count; }, kWaitMs);
    }

    QList<int> finishedIds;
    QList<int> failedIds;
    QHash<int, PredictionReply> replies;
    QHash<int, ProtocolError> errors;
    int maxInFlight = 0;
    std::pair<int, int> progress { -1, -1 };
    int batches = 0;
};

/** A port that refuses connections: one the system just handed out and took back. */
quint16 closedPort()
{
    QTcpServer probe;
    REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

/**
 * What a client puts on the wire, where no server's answer shows it: a listening socket
 * that says the welcome it is given, then records every frame and answers nothing. Only
 * for what a real server cannot tell apart; everything a server answers is tested against
 * a real one (RepositoryServer).
 */
struct WireRecorder
{
    explicit WireRecorder(const WelcomeInfo &welcome)
    {
        REQUIRE(listener.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&listener, &QTcpServer::newConnection, &listener, [this, welcome] {
            QTcpSocket *socket = listener.nextPendingConnection();
            channel = new FrameChannel(socket, FrameReader::kDefaultMaxBodyLength, socket);
            QObject::connect(channel, &FrameChannel::frameReceived, socket,
                             [this](const Frame &frame) { frames.append(frame); });
            channel->send(*encodeFrame(MessageType::ServerMessage, ServerMessage::welcome(welcome).toBody()));
        });
    }

    quint16 port() const { return listener.serverPort(); }
    bool waitForFrames(int count)
    {
        return QTest::qWaitFor([this, count] { return frames.size() >= count; }, kWaitMs);
    }
    ImageRequest request(int at) const
    {
        const Result<ImageRequest> read = ImageRequest::fromFrame(frames.at(at));
        REQUIRE(read);
        return *read;
    }

    QTcpServer listener;
    QPointer<FrameChannel> channel;
    QList<Frame> frames;
};

WelcomeInfo twoModelWelcome()
{
    WelcomeInfo info;
    info.model = QStringLiteral("fashion-mnist");
    info.maxMessageLength = 1 << 20;
    ServedModelInfo fashion;
    fashion.name = info.model;
    fashion.versions = { 1, 2 };
    fashion.isDefault = true;
    ServedModelInfo apple;
    apple.name = QStringLiteral("apple-leaf");
    apple.versions = { 3 };
    info.models = { fashion, apple };
    return info;
}

const QString kFashion = QStringLiteral("fashion-mnist");
const QString kLeafDemo = QStringLiteral("leaf-demo");

/**
 * A real server of two models, each a copy of the shipped one: fashion-mnist 1 and 2 (the
 * default, both served, 2 the latest) and leaf-demo 3. Explicit control, so that only the
 * test changes what is served.
 */
struct TwoModelServer
{
    TwoModelServer()
    {
        repository.addVersion(kFashion, 1);
        repository.addVersion(kFashion, 2);
        repository.writeConfig(kFashion, R"({"default": true, "version_policy": {"latest": 2}})");
        repository.addVersion(kLeafDemo, 3);
        served = std::make_unique<RepositoryServer>(repository, ModelControl::Explicit, withWorkers(1));
    }

    quint16 port() const { return served->port(); }

    Repository repository;
    std::unique_ptr<RepositoryServer> served;
};

} // namespace

TEST_CASE("Connecting shows Connecting, then Connected with the welcome's model and labels")
{
    ServerFixture fixture(withWorkers(2));
    ServerConnection connection;
    QList<State> states;
    QObject::connect(&connection, &ServerConnection::stateChanged, &connection,
                     [&states](State state) { states.append(state); });
    QSignalSpy welcomed(&connection, &ServerConnection::welcomed);

    connection.connectToServer(kLocalHost, fixture.port());
    CHECK(connection.state() == State::Connecting);
    CHECK(connection.statusText() == QStringLiteral("Connecting to 127.0.0.1:%1…").arg(fixture.port()));
    REQUIRE(welcomed.wait(kWaitMs));

    CHECK(states == QList<State> { State::Connecting, State::Connected });
    CHECK(connection.isConnected());
    CHECK(connection.modelName() == "fashion-mnist");
    CHECK(connection.labels() == defaultEngine()->manifest().labels);
    CHECK(connection.labels().size() == 10);
    CHECK(connection.serverName() == "Orchard test"); // the fixture's server calls its version "test"
    CHECK(connection.serverWorkers() == 2);
    CHECK(connection.usesBinary());
    CHECK(connection.queuePosition() == 0);
    CHECK(connection.statusText().startsWith("Connected to Orchard test at 127.0.0.1:"));
    CHECK(connection.statusText().endsWith("model fashion-mnist"));
}

TEST_CASE("RequestQueue pipelines all 20 samples and matches every reply to its job")
{
    ServerFixture fixture(withWorkers(2));
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    ServerConnection connection;
    RequestQueue queue(&connection);
    REQUIRE(queue.maxInFlight() == 4);
    QueueRecorder recorder(queue);

    // Queued before the connection exists: nothing may go out until the welcome.
    QHash<int, SampleImage> sampleOfJob;
    for (const SampleImage &sample : samples)
        sampleOfJob.insert(queue.enqueue(sample.fileName, sample.bytes), sample);
    CHECK(queue.pendingCount() == 20);
    CHECK(queue.inFlightCount() == 0);
    CHECK(recorder.progress == std::pair { 0, 20 });

    connectAndWaitForWelcome(connection, fixture.port());
    REQUIRE(recorder.waitForBatches(1));

    CHECK(recorder.failedIds.isEmpty());
    REQUIRE(recorder.finishedIds.size() == 20);
    CHECK(QSet<int>(recorder.finishedIds.cbegin(), recorder.finishedIds.cend()).size() == 20);
    // The server answers in order, so jobs finish in the order they were queued.
    CHECK(std::is_sorted(recorder.finishedIds.cbegin(), recorder.finishedIds.cend()));
    CHECK(recorder.maxInFlight == 4); // pipelined, and never more than allowed
    CHECK(recorder.progress == std::pair { 20, 20 });
    CHECK(queue.isIdle());
    CHECK(queue.doneCount() == 20);
    CHECK(queue.failedCount() == 0);
    CHECK(queue.imagesPerSecond() > 0.0);

    int right = 0;
    for (auto it = sampleOfJob.cbegin(); it != sampleOfJob.cend(); ++it) {
        const PredictionReply reply = recorder.replies.value(it.key());
        INFO(it->fileName.toStdString() << " answered " << reply.label.toStdString());
        // The same model in this process gives the exact answer for that very image, so a
        // reply handed to the wrong job shows in its confidence, not just its label.
        const auto local = defaultEngine()->predict(it->bytes, 3);
        REQUIRE(local);
        CHECK(reply.label == local->label);
        CHECK(reply.confidence == Approx(local->confidence).epsilon(1e-5));
        CHECK(reply.topK.size() == 3);
        right += reply.label == it->expectedLabel;
    }
    CHECK(right >= 18);

    // Nothing more arrives once the batch is done.
    CHECK_FALSE(QTest::qWaitFor([&recorder] { return recorder.batches > 1; }, 200));
}

TEST_CASE("With every worker busy the connection waits in line, then sends its jobs when served")
{
    ServerFixture fixture(withWorkers(1));
    TestClient holder(fixture.port());
    REQUIRE(holder.waitForNext());
    REQUIRE(holder.nextKind() == "welcome");

    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    QSignalSpy queued(&connection, &ServerConnection::queued);
    QSignalSpy welcomed(&connection, &ServerConnection::welcomed);
    connection.connectToServer(kLocalHost, fixture.port());
    REQUIRE(QTest::qWaitFor([&connection] { return connection.state() == State::Waiting; }, kWaitMs));

    REQUIRE(queued.size() == 1);
    CHECK(queued.first() == QVariantList { 1, 1, 1 });
    CHECK(connection.queuePosition() == 1);
    CHECK(connection.queueLength() == 1);
    CHECK(connection.serverWorkers() == 1);
    CHECK(connection.statusText() == "Waiting for a free server worker (position 1 of 1)");

    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() >= 3);
    for (int i = 0; i < 3; ++i)
        queue.enqueue(samples.at(i).fileName, samples.at(i).bytes);
    CHECK(queue.pendingCount() == 3); // a waiting connection sends nothing
    CHECK(queue.inFlightCount() == 0);
    CHECK_FALSE(welcomed.wait(300)); // still in line while the holder stays
    CHECK(connection.state() == State::Waiting);

    holder.sendOffline();
    REQUIRE(holder.waitForNext());
    CHECK(holder.nextKind() == "offline");
    REQUIRE(recorder.waitForBatches(1));
    CHECK(welcomed.size() == 1);
    CHECK(connection.state() == State::Connected);
    CHECK(connection.queuePosition() == 0);
    CHECK(recorder.finishedIds.size() == 3);
    CHECK(recorder.failedIds.isEmpty());
}

TEST_CASE("A server stopped mid-batch loses no job: they finish once after reconnecting")
{
    auto fixture = std::make_unique<ServerFixture>(withWorkers(2));
    QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    ServerConnection connection;
    // The user's Reconnect, as after the last automatic attempt failed (or with
    // --reconnect-attempts 0): reconnecting by itself is tests/client/failovertests.cpp's.
    connection.setReconnectPolicy(ReconnectPolicy(0));
    RequestQueue queue(&connection);
    queue.setMaxInFlight(1); // one at a time, so the batch is still running when the server stops
    QueueRecorder recorder(queue);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);

    QList<int> jobIds;
    for (int round = 0; round < 2; ++round) {
        for (const SampleImage &sample : samples)
            jobIds.append(queue.enqueue(sample.fileName, sample.bytes));
    }
    REQUIRE(jobIds.size() == 40);
    connectAndWaitForWelcome(connection, fixture->port());
    REQUIRE(QTest::qWaitFor([&recorder] { return recorder.finishedIds.size() >= 5; }, kWaitMs));

    fixture.reset(); // graceful shutdown: the session says "shutdown" and closes
    REQUIRE(QTest::qWaitFor([&lost] { return !lost.isEmpty(); }, kWaitMs));
    const QString reason = lost.first().first().toString();
    INFO(reason.toStdString());
    CHECK_FALSE(reason.isEmpty());
    CHECK(reason.endsWith('.'));
    CHECK(connection.state() == State::Disconnected);
    const int answeredBefore = static_cast<int>(recorder.finishedIds.size());
    CHECK(answeredBefore < 40);
    // Every job not answered is back in line, none left on the dead wire.
    CHECK(queue.inFlightCount() == 0);
    CHECK(queue.pendingCount() == 40 - answeredBefore);
    CHECK(recorder.batches == 0);

    ServerFixture second(withWorkers(2));
    connectAndWaitForWelcome(connection, second.port());
    REQUIRE(recorder.waitForBatches(1));
    CHECK(recorder.failedIds.isEmpty());
    CHECK(recorder.finishedIds.size() == 40);
    QList<int> answered = recorder.finishedIds;
    std::sort(answered.begin(), answered.end());
    CHECK(answered == jobIds); // each job answered exactly once
    CHECK(recorder.progress == std::pair { 40, 40 });
    CHECK(lost.size() == 1);
}

TEST_CASE("An unreachable server gives connectionLost with a sentence naming it")
{
    const quint16 port = closedPort();
    ServerConnection connection;
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    connection.connectToServer(kLocalHost, port);
    REQUIRE(lost.wait(kWaitMs));
    const QString reason = lost.first().first().toString();
    INFO(reason.toStdString());
    CHECK(reason.startsWith(QStringLiteral("Cannot reach the server at 127.0.0.1:%1: ").arg(port)));
    CHECK(reason.contains("refused", Qt::CaseInsensitive));
    CHECK(connection.state() == State::Disconnected);
    CHECK(connection.statusText() == "Disconnected");
    CHECK(lost.size() == 1);
}

TEST_CASE("disconnectFromServer says goodbye, gets the offline reply, then is Disconnected")
{
    ServerFixture fixture(withWorkers(1));
    ServerConnection connection;
    connectAndWaitForWelcome(connection, fixture.port());
    QStringList events;
    QObject::connect(&connection, &ServerConnection::offlineAcknowledged, &connection,
                     [&events](const QString &text) { events.append("offline: " + text); });
    QObject::connect(&connection, &ServerConnection::stateChanged, &connection, [&events](State state) {
        events.append(QStringLiteral("state %1").arg(static_cast<int>(state)));
    });
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);

    connection.disconnectFromServer(QStringLiteral("farm 3 done"));
    CHECK(connection.state() == State::Closing);
    REQUIRE(QTest::qWaitFor([&connection] { return connection.state() == State::Disconnected; }, kWaitMs));

    REQUIRE(events.size() == 3);
    CHECK(events.at(0) == QStringLiteral("state %1").arg(static_cast<int>(State::Closing)));
    static const QRegularExpression offline(
            QStringLiteral("^offline: farm 3 done \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$"));
    CHECK(offline.match(events.at(1)).hasMatch());
    CHECK(events.at(2) == QStringLiteral("state %1").arg(static_cast<int>(State::Disconnected)));
    // The worker is free again: the server saw a clean goodbye, not a dropped connection.
    REQUIRE(QTest::qWaitFor([&fixture] { return fixture.server->activeSessionCount() == 0; }, kWaitMs));
    CHECK(lost.isEmpty());
}

TEST_CASE("A file that is not an image fails with BAD_IMAGE and the batch still finishes")
{
    ServerFixture fixture(withWorkers(1));
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() >= 2);
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    connectAndWaitForWelcome(connection, fixture.port());

    const int first = queue.enqueue(samples.at(0).fileName, samples.at(0).bytes);
    const int text = queue.enqueue(QStringLiteral("notes.txt"),
                                   QByteArrayLiteral("Leaf spots seen on row 3, photos to follow.\n"));
    const int last = queue.enqueue(samples.at(1).fileName, samples.at(1).bytes);
    REQUIRE(recorder.waitForBatches(1));

    CHECK(recorder.finishedIds == QList<int> { first, last });
    REQUIRE(recorder.failedIds == QList<int> { text });
    const ProtocolError error = recorder.errors.value(text);
    CHECK(error.code == ErrorCode::BadImage);
    CHECK_FALSE(error.message.isEmpty());
    CHECK(error.messageId.has_value());
    CHECK(queue.failedCount() == 1);
    CHECK(queue.doneCount() == 3);
    CHECK(recorder.progress == std::pair { 3, 3 });
    CHECK(connection.isConnected()); // BAD_IMAGE leaves the session open
}

TEST_CASE("Binary and forced base64 bodies get the same answers, binary a quarter fewer bytes")
{
    ServerFixture fixture(withWorkers(2));
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);

    struct Run
    {
        QStringList labels;
        QStringList names;
        qint64 bytesSent = 0;
    };
    const auto runAll = [&](bool forceBase64) {
        ServerConnection connection;
        connection.setForceBase64(forceBase64);
        RequestQueue queue(&connection);
        QueueRecorder recorder(queue);
        connectAndWaitForWelcome(connection, fixture.port());
        CHECK(connection.usesBinary() == !forceBase64);
        for (const SampleImage &sample : samples)
            queue.enqueue(sample.fileName, sample.bytes);
        REQUIRE(recorder.waitForBatches(1));
        REQUIRE(recorder.finishedIds.size() == samples.size());
        Run run;
        for (int id : std::as_const(recorder.finishedIds)) {
            run.labels.append(recorder.replies.value(id).label);
            run.names.append(recorder.replies.value(id).name);
        }
        run.bytesSent = connection.bytesSent();
        connection.disconnectFromServer();
        REQUIRE(QTest::qWaitFor([&connection] { return connection.state() == State::Disconnected; }, kWaitMs));
        return run;
    };

    const Run binary = runAll(false);
    const Run base64 = runAll(true);
    CHECK(binary.labels == base64.labels);
    // Only the base64 JSON form carries the file name; a binary body is the bare file.
    CHECK(base64.names.first() == samples.first().fileName);
    CHECK(binary.names.first().isEmpty());
    INFO("binary " << binary.bytesSent << " bytes, base64 " << base64.bytesSent << " bytes");
    CHECK(binary.bytesSent > 0);
    CHECK(binary.bytesSent * 4 <= base64.bytesSent * 3);
}

TEST_CASE("Reconnecting mid-batch sends the jobs that were on the old connection again")
{
    ServerFixture fixture(withWorkers(2));
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    ServerConnection connection;
    RequestQueue queue(&connection);
    queue.setMaxInFlight(2);
    QueueRecorder recorder(queue);
    QList<int> jobIds;
    for (const SampleImage &sample : samples)
        jobIds.append(queue.enqueue(sample.fileName, sample.bytes));
    connectAndWaitForWelcome(connection, fixture.port());
    REQUIRE(QTest::qWaitFor([&recorder] { return recorder.finishedIds.size() >= 3; }, kWaitMs));
    REQUIRE(queue.inFlightCount() > 0);

    // Straight from Connected to a new connection, as a user who picks another server does:
    // the old socket's replies will never come, so its jobs must go out again.
    connection.connectToServer(kLocalHost, fixture.port());
    CHECK(queue.inFlightCount() == 0);
    REQUIRE(recorder.waitForBatches(1));
    QList<int> answered = recorder.finishedIds;
    std::sort(answered.begin(), answered.end());
    CHECK(answered == jobIds);
}

TEST_CASE("An image over the server's limit is refused here, and the connection carries on")
{
    ServerConfig config = withWorkers(1);
    config.maxMessageLength = 2000; // the samples are under 1 KB
    ServerFixture fixture(config);
    const QList<SampleImage> samples = sampleImages();
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    connectAndWaitForWelcome(connection, fixture.port());
    CHECK(connection.maxMessageLength() == 2000);

    const int small = queue.enqueue(samples.at(0).fileName, samples.at(0).bytes);
    const int big = queue.enqueue(QStringLiteral("field.jpg"), QByteArray(5000, 'x'));
    const int after = queue.enqueue(samples.at(1).fileName, samples.at(1).bytes);
    REQUIRE(recorder.waitForBatches(1));

    CHECK(recorder.finishedIds == QList<int> { small, after });
    REQUIRE(recorder.failedIds == QList<int> { big });
    CHECK(recorder.errors.value(big).code == ErrorCode::TooLarge);
    CHECK(recorder.errors.value(big).message.contains("at most"));
    CHECK(connection.isConnected()); // the server never saw it, so never closed
}

TEST_CASE("Photos go as copies at twice the model's input, unless originals are asked for")
{
    ServerFixture fixture(withWorkers(2));
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    QList<QSize> sent;
    QObject::connect(&queue, &RequestQueue::jobPrepared, &queue,
                     [&sent](int, bool downscaled, const QSize &, const QSize &size) {
                         if (downscaled)
                             sent.append(size);
                     });
    connectAndWaitForWelcome(connection, fixture.port());
    REQUIRE(connection.modelInput().has_value());
    CHECK(connection.modelInput()->width == 28);
    CHECK(connection.modelInput()->height == 28);
    CHECK(connection.modelInput()->channels == 1);
    CHECK(connection.modelInput()->color == "gray");
    CHECK(connection.modelInput()->resize == "area");
    CHECK(queue.sendsCopies());

    // A 1024 × 1024 photo of a sample: the server decodes what it was sent.
    const QImage sample(sampleImages().first().path);
    QByteArray photo;
    QBuffer buffer(&photo);
    REQUIRE(sample.scaled(1024, 1024).save(&buffer, "PNG"));
    const int copy = queue.enqueue(QStringLiteral("big.png"), photo, 3);
    REQUIRE(recorder.waitForBatches(1));
    REQUIRE(recorder.replies.contains(copy));
    CHECK(recorder.replies.value(copy).imageWidth == 56);
    CHECK(recorder.replies.value(copy).imageHeight == 56);
    CHECK(recorder.replies.value(copy).label == sampleImages().first().expectedLabel);
    CHECK(sent == QList<QSize> { QSize(56, 56) });

    queue.setSendsOriginals(true);
    CHECK_FALSE(queue.sendsCopies());
    const int original = queue.enqueue(QStringLiteral("big.png"), photo, 3);
    REQUIRE(recorder.waitForBatches(2));
    CHECK(recorder.replies.value(original).imageWidth == 1024);
    CHECK(sent.size() == 1);
}

TEST_CASE("A model chosen by name, or by name and version, is the one the server answers with")
{
    TwoModelServer models;
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    QSignalSpy listed(&connection, &ServerConnection::modelsListed);
    connectAndWaitForWelcome(connection, models.port());
    CHECK(listed.count() == 1);
    REQUIRE(connection.servedModels().size() == 2);
    REQUIRE(connection.servedModel(kFashion));
    CHECK(connection.servedModel(kFashion)->versions == QList<qint64> { 1, 2 });
    CHECK(connection.servedModel(kFashion)->isDefault);
    REQUIRE(connection.servedModel(kLeafDemo));
    CHECK(connection.servedModel(kLeafDemo)->versions == QList<qint64> { 3 });
    CHECK_FALSE(connection.servedModel("pear-leaf"));
    CHECK(connection.statusText().endsWith(", 2 models (default fashion-mnist)"));
    REQUIRE(connection.usesBinary());
    const SampleImage sample = sampleImages().first();

    const int byDefault = queue.enqueue(QStringLiteral("a.png"), sample.bytes);
    queue.setModel(kLeafDemo);
    const int byName = queue.enqueue(QStringLiteral("b.png"), sample.bytes);
    queue.setModel(kLeafDemo, 3);
    const int byNameAndVersion = queue.enqueue(QStringLiteral("c.png"), sample.bytes);
    queue.setModel(kFashion, 1);
    const int olderVersion = queue.enqueue(QStringLiteral("d.png"), sample.bytes);
    REQUIRE(recorder.waitForBatches(1));
    REQUIRE(recorder.failedIds.isEmpty());
    REQUIRE(recorder.finishedIds == QList<int> { byDefault, byName, byNameAndVersion, olderVersion });

    const auto answered = [&recorder](int job) {
        const PredictionReply reply = recorder.replies.value(job);
        return reply.model + u':' + (reply.modelVersion ? QString::number(*reply.modelVersion) : QStringLiteral("-"));
    };
    CHECK(answered(byDefault) == "fashion-mnist:2"); // no name: the default's latest
    CHECK(answered(byName) == "leaf-demo:3");
    CHECK(answered(byNameAndVersion) == "leaf-demo:3");
    CHECK(answered(olderVersion) == "fashion-mnist:1"); // not the latest, because it was asked for
    for (int job : std::as_const(recorder.finishedIds)) {
        CHECK(recorder.replies.value(job).label == sample.expectedLabel); // every version is the same model
        CHECK(recorder.replies.value(job).name.isEmpty()); // binary bodies, a name in the header
    }
}

TEST_CASE("A model name too long for a binary header beside a version still reaches the server")
{
    // The header of a binary CLIENT_IMAGE has no room for this name and a version, so the
    // request goes as a base64 JSON body; only that form carries the file name, which the
    // reply echoes.
    const QString longName = QString(40, u'x');
    Repository repository;
    repository.addVersion(kFashion, 1);
    repository.addVersion(longName, 12);
    repository.writeConfig(kFashion, R"({"default": true})");
    RepositoryServer served(repository, ModelControl::Explicit, withWorkers(1));
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    connectAndWaitForWelcome(connection, served.port());
    REQUIRE(connection.usesBinary());

    queue.setModel(longName, 12);
    const int job = queue.enqueue(QStringLiteral("e.png"), sampleImages().first().bytes);
    REQUIRE(recorder.waitForBatches(1));
    REQUIRE(recorder.finishedIds == QList<int> { job });
    const PredictionReply reply = recorder.replies.value(job);
    CHECK(reply.model == longName);
    CHECK(reply.modelVersion == 12);
    CHECK(reply.name == "e.png");
}

TEST_CASE("Asking for the default model puts the original frame on the wire, naming no model")
{
    // A wire-level check on purpose: a real server answers the same whether or not a
    // request names its default model, so only the bytes sent show that a client with no
    // model chosen sends what every server, the original one included, has always read.
    WireRecorder wire(twoModelWelcome());
    ServerConnection connection;
    RequestQueue queue(&connection);
    connectAndWaitForWelcome(connection, wire.port());
    REQUIRE(connection.usesBinary());
    const QByteArray image = sampleImages().first().bytes;
    queue.enqueue(QStringLiteral("a.png"), image);
    REQUIRE(wire.waitForFrames(1));

    CHECK(wire.frames.at(0).header.encoding == BodyEncoding::Binary);
    const QByteArray plainHeader = wire.frames.at(0).header.encode()->trimmed();
    CHECK_FALSE(plainHeader.contains("model"));
    CHECK(wire.request(0).model.isEmpty());
    CHECK_FALSE(wire.request(0).modelVersion);
    CHECK(wire.request(0).imageData == image);
}

TEST_CASE("An unloaded model gets UNKNOWN_MODEL with the server's sentence, and the session carries on")
{
    TwoModelServer models;
    ServerConnection connection;
    RequestQueue queue(&connection);
    QueueRecorder recorder(queue);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    connectAndWaitForWelcome(connection, models.port());
    const QByteArray image = sampleImages().first().bytes;

    queue.setModel(kLeafDemo);
    const int before = queue.enqueue(QStringLiteral("before.png"), image);
    REQUIRE(recorder.waitForBatches(1));
    REQUIRE(recorder.finishedIds == QList<int> { before });
    CHECK(recorder.replies.value(before).model == kLeafDemo);

    std::optional<bool> unloaded;
    models.served->store->unload(kLeafDemo, [&unloaded](bool ok, const QString &) { unloaded = ok; });
    REQUIRE(unloaded == true);
    // What this server now says to anyone asking for leaf-demo, word for word.
    const QString sentence = models.served->store->catalog()->resolve(kLeafDemo, std::nullopt).error;
    INFO(sentence.toStdString());
    CHECK(sentence.contains("\"leaf-demo\""));
    CHECK(sentence.contains("fashion-mnist (version 1, 2)"));

    const int after = queue.enqueue(QStringLiteral("after.png"), image);
    queue.setModel(QStringLiteral("pear-leaf"));
    const int neverServed = queue.enqueue(QStringLiteral("pear.png"), image);
    queue.setModel(kFashion, 1);
    const int next = queue.enqueue(QStringLiteral("next.png"), image);
    REQUIRE(recorder.waitForBatches(2));

    CHECK(recorder.failedIds == QList<int> { after, neverServed });
    const ProtocolError error = recorder.errors.value(after);
    CHECK(error.code == ErrorCode::UnknownModel);
    CHECK(error.message == sentence);
    CHECK(error.messageId.has_value());
    CHECK(recorder.errors.value(neverServed).code == ErrorCode::UnknownModel);
    CHECK(recorder.errors.value(neverServed).message.contains("\"pear-leaf\""));
    // The same session: the next request is served, and nothing was lost on the way.
    CHECK(recorder.finishedIds == QList<int> { before, next });
    CHECK(recorder.replies.value(next).model == kFashion);
    CHECK(recorder.replies.value(next).modelVersion == 1);
    CHECK(connection.isConnected());
    CHECK(lost.isEmpty());
    CHECK(models.served->server->activeSessionCount() == 1);
}
