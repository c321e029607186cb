// Dynamic batching end to end (server/core/inferencebatcher.*, the read-ahead in
// server/core/session.cpp, docs/architecture.md "Two pools"): InferenceEngine::classify()
// over real batches of real images, and a real OrchardServer on loopback whose sessions
// pipeline real images into shared forward passes. Besides the shipped model, a second
// real model comes from models/train.py export-untrained (seeded, about a second), so that
// two models, or two versions of one, give different answers for the same image: only then
// does "each image got its own model's answer" mean that no forward pass mixed them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "common/inference/inferenceengine.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"
#include "server/core/servedmodel.h"
#include "tests/http/httpclient.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

/** docs: every image of a batch gets what it would get alone, to float rounding. */
constexpr double kTolerance = 1e-5;
/** Two models' (or versions') answers for one image differ by more than this somewhere. */
constexpr double kDifferent = 1e-3;
/** The models here all have Fashion-MNIST's ten labels; asking for all ten gives every score. */
constexpr int kAllLabels = 10;
const QString kDefaultName = QStringLiteral("fashion-mnist");

/** Softmax scores by label index. */
using Scores = std::vector<double>;

/** What an engine gives one image alone (predict(), a batch of one). */
struct Alone
{
    QString label;
    Scores scores;
};

Scores scoresOf(const QVector<LabelScore> &topK, int labels)
{
    REQUIRE(topK.size() == labels);
    Scores scores(std::size_t(labels), -1.0);
    for (const LabelScore &entry : topK) {
        REQUIRE(entry.index >= 0);
        REQUIRE(entry.index < labels);
        scores[std::size_t(entry.index)] = entry.score;
    }
    REQUIRE(std::count(scores.begin(), scores.end(), -1.0) == 0);
    return scores;
}

double largestDifference(const Scores &a, const Scores &b)
{
    REQUIRE(a.size() == b.size());
    double largest = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        largest = std::max(largest, std::abs(a[i] - b[i]));
    return largest;
}

Alone aloneAnswer(const InferenceEngine &engine, const QByteArray &bytes)
{
    const int labels = int(engine.manifest().labels.size());
    const InferenceResult<Prediction> prediction = engine.predict(bytes, labels);
    REQUIRE(prediction);
    return { prediction->label, scoresOf(prediction->topK, labels) };
}

/** Every sample's answer alone from engine, by sample index. */
std::vector<Alone> aloneAnswers(const InferenceEngine &engine, const QList<SampleImage> &samples)
{
    std::vector<Alone> answers;
    for (const SampleImage &sample : samples)
        answers.push_back(aloneAnswer(engine, sample.bytes));
    return answers;
}

QList<SampleImage> twentySamples()
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);
    return samples;
}

std::shared_ptr<const InferenceEngine> loadEngine(const QString &folder,
                                                  const InferenceEngine::Options &options = {})
{
    const auto engine = InferenceEngine::load(folder, options);
    INFO(folder.toStdString() << ": " << (engine ? std::string() : engine.error().message.toStdString()));
    REQUIRE(engine);
    return engine.value();
}

/**
 * Writes MODEL_FOLDER/<version>/ with models/train.py export-untrained: a real TorchScript
 * model with seeded random weights (train.py stages it and renames it into place). Returns
 * the version's folder.
 */
QString exportUntrained(const QString &modelFolder, qint64 version, const QString &architecture, int seed)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("/usr/bin/python3"),
                  { QStringLiteral(ORCHARD_SOURCE_DIR "/models/train.py"), QStringLiteral("export-untrained"),
                    QStringLiteral("--out"), modelFolder, QStringLiteral("--version"), QString::number(version),
                    QStringLiteral("--arch"), architecture, QStringLiteral("--seed"), QString::number(seed),
                    QStringLiteral("--threads"), QStringLiteral("1") });
    REQUIRE(process.waitForStarted(30'000));
    const bool finished = process.waitForFinished(120'000);
    if (!finished)
        process.kill();
    INFO("train.py export-untrained --arch " << architecture.toStdString() << "\n"
                                             << process.readAll().toStdString());
    REQUIRE(finished);
    REQUIRE(process.exitStatus() == QProcess::NormalExit);
    REQUIRE(process.exitCode() == 0);
    return QDir(modelFolder).filePath(QString::number(version));
}

PredictionReply predictionOf(const Frame &frame)
{
    INFO("a " << frame.header.typeName.toStdString() << " frame: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerPrediction);
    const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
    REQUIRE(reply);
    return reply.value();
}

ProtocolError errorOf(const Frame &frame)
{
    INFO("a " << frame.header.typeName.toStdString() << " frame: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

/** A SERVER_MESSAGE's kind ("shutdown", "pong"…); empty for any other frame. */
QString kindOf(const Frame &frame)
{
    if (frame.type() != MessageType::ServerMessage)
        return {};
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    return message ? message->kind() : QString();
}

std::unique_ptr<TestClient> welcomedClient(quint16 port)
{
    auto client = std::make_unique<TestClient>(port);
    REQUIRE(client->waitForNext());
    REQUIRE(client->nextKind() == QStringLiteral("welcome"));
    return client;
}

/** A binary CLIENT_IMAGE asking model (empty: the default) for every label's score. */
void sendImage(TestClient &client, const QByteArray &bytes, qint64 id, const QString &model = {})
{
    ImageRequest request;
    request.imageData = bytes;
    request.messageId = id;
    request.model = model;
    request.topK = kAllLabels;
    const Result<QByteArray> frame = request.toFrame(ImageBodyForm::Binary);
    REQUIRE(frame);
    client.sendRaw(*frame);
}

void sendPing(TestClient &client, qint64 id)
{
    client.sendFrame(MessageType::ClientMessage, ClientMessage::actionBody(QStringLiteral("ping")), id);
}

/** One image request a client pipelined, in the order it was sent. */
struct Sent
{
    qint64 id = 0;
    int sample = 0;
    QString model; ///< empty: the default model
};

/** A welcomed client and what it has pipelined. */
struct PipeliningClient
{
    std::unique_ptr<TestClient> client;
    QList<Sent> sent;
};

/**
 * clients welcomed clients that each pipeline perClient images without waiting, msg_ids
 * (c + 1) * 1000 + i, samples rotating from a different start for each client;
 * modelFor(i) names the model of request i.
 */
template <typename ModelFor>
std::vector<PipeliningClient> pipeline(quint16 port, int clients, int perClient, const QList<SampleImage> &samples,
                                       ModelFor modelFor)
{
    std::vector<PipeliningClient> flows;
    for (int c = 0; c < clients; ++c)
        flows.push_back({ welcomedClient(port), {} });
    // All connected first, then every request at once: the sessions read ahead together.
    for (int c = 0; c < clients; ++c) {
        for (int i = 0; i < perClient; ++i) {
            const Sent sent { (c + 1) * 1000 + i, (5 * c + i) % int(samples.size()), modelFor(i) };
            sendImage(*flows[std::size_t(c)].client, samples.at(sent.sample).bytes, sent.id, sent.model);
            flows[std::size_t(c)].sent.append(sent);
        }
    }
    return flows;
}

std::vector<PipeliningClient> pipeline(quint16 port, int clients, int perClient, const QList<SampleImage> &samples)
{
    return pipeline(port, clients, perClient, samples, [](int) { return QString(); });
}

/** Waits until every client has had one reply per request it sent (the welcome taken). */
void waitForAllReplies(const std::vector<PipeliningClient> &flows)
{
    for (const PipeliningClient &flow : flows)
        REQUIRE(flow.client->waitForFrames(1 + int(flow.sent.size()), 30'000));
}

/** What a run of replies showed about the batches that made them. */
struct Batches
{
    int replies = 0;
    int largest = 0;
    int smallest = 1 << 30;
};

/**
 * Takes each client's replies and checks them against what it sent, in order: a
 * prediction with its msg_id, from the model it asked, with the image's answer alone
 * (answers[model][sample]). Then a ping round trip shows that nothing else came before it.
 */
Batches checkReplies(std::vector<PipeliningClient> &flows, const std::map<QString, std::vector<Alone>> &answers)
{
    Batches batches;
    for (PipeliningClient &flow : flows) {
        for (const Sent &sent : flow.sent) {
            REQUIRE(flow.client->untaken() > 0);
            const PredictionReply reply = predictionOf(flow.client->next());
            const QString model = sent.model.isEmpty() ? kDefaultName : sent.model;
            const Alone &alone = answers.at(model).at(std::size_t(sent.sample));
            INFO("msg_id " << sent.id << ", sample " << sent.sample << ", model " << model.toStdString()
                           << ", batch of " << reply.batchSize);
            REQUIRE(reply.messageId == sent.id);
            CHECK(reply.model == model);
            CHECK(reply.label == alone.label);
            CHECK(largestDifference(scoresOf(reply.topK, kAllLabels), alone.scores) <= kTolerance);
            CHECK(reply.timing.queue >= 0.0);
            batches.largest = std::max(batches.largest, reply.batchSize);
            batches.smallest = std::min(batches.smallest, reply.batchSize);
            ++batches.replies;
        }
        CHECK(flow.client->untaken() == 0);
        sendPing(*flow.client, 1);
        REQUIRE(flow.client->waitForNext());
        CHECK(kindOf(flow.client->next()) == QStringLiteral("pong"));
    }
    return batches;
}

/** Polls, the event loop running, until condition holds or the deadline passes. */
template <typename Condition>
bool eventually(Condition condition, int timeoutMs = 30'000)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

ServerConfig batchingConfig(int workers, int inferenceThreads, int maxBatch = 8)
{
    ServerConfig config = withWorkers(workers);
    config.inferenceThreads = inferenceThreads;
    config.maxBatch = maxBatch;
    return config;
}

} // namespace

TEST_CASE("classify() over batches of 1 to 16 real images gives each what predict() gives it alone, for three models")
{
    const QList<SampleImage> samples = twentySamples();
    QTemporaryDir repository;
    REQUIRE(repository.isValid());
    // The shipped model; FashionNet with other (random) weights; and another architecture,
    // MobileNetV3-small on 224x224 RGB, whose batch norms and depthwise convolutions take
    // other oneDNN paths.
    struct Case
    {
        const char *what;
        std::shared_ptr<const InferenceEngine> engine;
    };
    const std::vector<Case> cases {
        { "the shipped model", defaultEngine() },
        { "an untrained FashionNet",
          loadEngine(exportUntrained(QDir(repository.path()).filePath(QStringLiteral("second")), 1,
                                     QStringLiteral("fashionnet"), 7)) },
        { "an untrained MobileNetV3-small",
          loadEngine(exportUntrained(QDir(repository.path()).filePath(QStringLiteral("mobilenet")), 1,
                                     QStringLiteral("mobilenet_v3_small"), 7)) },
    };
    std::vector<std::vector<Alone>> answers;
    for (const Case &model : cases) {
        REQUIRE(model.engine);
        REQUIRE(model.engine->manifest().labels.size() >= 2);
        answers.push_back(aloneAnswers(*model.engine, samples));
    }
    // The two FashionNets are really different models: each image gets other scores from each
    // (MobileNet's four labels are other labels altogether).
    for (int i = 0; i < samples.size(); ++i) {
        INFO("sample " << samples.at(i).fileName.toStdString());
        CHECK(largestDifference(answers[0][std::size_t(i)].scores, answers[1][std::size_t(i)].scores) > kDifferent);
    }

    for (std::size_t m = 0; m < cases.size(); ++m) {
        const InferenceEngine &engine = *cases[m].engine;
        const int labels = int(engine.manifest().labels.size());
        std::vector<PreparedImage> prepared;
        for (const SampleImage &sample : samples) {
            InferenceResult<PreparedImage> image = engine.prepare(sample.bytes, DecodePolicy());
            REQUIRE(image);
            prepared.push_back(std::move(image.value()));
        }
        for (const int size : { 1, 2, 3, 5, 7, 8, 16 }) {
            // Different images in each batch, starting from a different one for each size.
            const int first = (3 * size) % int(samples.size());
            std::vector<const PreparedImage *> batch;
            std::vector<int> which;
            for (int k = 0; k < size; ++k) {
                which.push_back((first + k) % int(samples.size()));
                batch.push_back(&prepared[std::size_t(which.back())]);
            }
            const InferenceResult<std::vector<std::vector<float>>> rows = engine.classify(batch);
            INFO(cases[m].what << ", a batch of " << size);
            REQUIRE(rows);
            REQUIRE(int(rows->size()) == size);
            for (int k = 0; k < size; ++k) {
                const std::size_t image = std::size_t(which[std::size_t(k)]);
                const std::vector<float> &row = (*rows)[std::size_t(k)];
                INFO("image " << k << " of the batch: " << samples.at(int(image)).fileName.toStdString());
                REQUIRE(int(row.size()) == labels);
                const Scores batched(row.begin(), row.end());
                CHECK(largestDifference(batched, answers[m][image].scores) <= kTolerance);
                // And finish() makes of that row the Prediction predict() made.
                CHECK(engine.finish(prepared[image], row, labels, 0.0).label == answers[m][image].label);
            }
        }
    }
}

TEST_CASE("Two models served at once, requests alternating between them, each reply is its own model's answer")
{
    const QList<SampleImage> samples = twentySamples();
    Repository repository;
    repository.addVersion(kDefaultName, 1);
    repository.writeConfig(kDefaultName, R"({"default": true})");
    const QString second = QStringLiteral("second");
    exportUntrained(QDir(repository.path()).filePath(second), 1, QStringLiteral("fashionnet"), 7);
    const std::map<QString, std::vector<Alone>> answers {
        { kDefaultName, aloneAnswers(*loadEngine(repository.versionPath(kDefaultName, 1)), samples) },
        { second, aloneAnswers(*loadEngine(repository.versionPath(second, 1)), samples) },
    };
    // Both take 28x28 gray, so a pass that mixed them would run, just with the wrong weights
    // for some images: these differences are what would show it.
    for (int i = 0; i < samples.size(); ++i)
        REQUIRE(largestDifference(answers.at(kDefaultName)[std::size_t(i)].scores,
                                  answers.at(second)[std::size_t(i)].scores)
                > kDifferent);

    RepositoryServer served(repository, ModelControl::None, batchingConfig(3, 1));
    std::vector<PipeliningClient> flows = pipeline(served.port(), 3, 16, samples, [&](int i) {
        return i % 2 == 0 ? kDefaultName : second;
    });
    waitForAllReplies(flows);
    const Batches batches = checkReplies(flows, answers);
    CHECK(batches.replies == 3 * 16);
    // One inference thread, 48 images: the two models' queues filled and passes were shared.
    CHECK(batches.largest > 1);
    CHECK(batches.largest <= 8);
    CHECK(served.server->batcher().images() == 3 * 16);
}

TEST_CASE("4 clients pipelining 20 requests each get exactly their replies, in order, with batches above 1")
{
    const QList<SampleImage> samples = twentySamples();
    const std::map<QString, std::vector<Alone>> answers { { kDefaultName, aloneAnswers(*defaultEngine(), samples) } };
    ServerFixture fixture(batchingConfig(4, 1));
    std::vector<PipeliningClient> flows = pipeline(fixture.port(), 4, 20, samples);
    waitForAllReplies(flows);
    const Batches batches = checkReplies(flows, answers);
    CHECK(batches.replies == 80);
    // 80 images read ahead by 4 sessions onto one inference thread: while one pass runs the
    // others queue up, so some pass must have taken more than one.
    CHECK(batches.largest > 1);
    CHECK(batches.largest <= 8);
    CHECK(batches.smallest >= 1);
    const InferenceBatcher &batcher = fixture.server->batcher();
    CHECK(batcher.images() == 80);
    CHECK(batcher.passes() < 80);
    CHECK(batcher.queued() == 0);
}

TEST_CASE("With --max-batch 1 every image has its own pass and the answers are the same")
{
    const QList<SampleImage> samples = twentySamples();
    const std::map<QString, std::vector<Alone>> answers { { kDefaultName, aloneAnswers(*defaultEngine(), samples) } };
    ServerFixture fixture(batchingConfig(3, 1, 1));
    CHECK(fixture.server->batcher().options().maxBatch == 1);
    std::vector<PipeliningClient> flows = pipeline(fixture.port(), 3, 16, samples);
    waitForAllReplies(flows);
    const Batches batches = checkReplies(flows, answers);
    CHECK(batches.replies == 48);
    CHECK(batches.largest == 1);
    CHECK(batches.smallest == 1);
    CHECK(fixture.server->batcher().images() == 48);
    CHECK(fixture.server->batcher().passes() == fixture.server->batcher().images());
}

TEST_CASE("Shutdown with images in the batcher gives each client its first answers in order, then shutdown, then nothing")
{
    const QList<SampleImage> samples = twentySamples();
    const std::vector<Alone> answers = aloneAnswers(*defaultEngine(), samples);
    ServerFixture fixture(batchingConfig(4, 1));
    constexpr int kClients = 4;
    constexpr int kRequests = 60; // more than Session::kReadAhead: some are never read
    std::vector<PipeliningClient> flows = pipeline(fixture.port(), kClients, kRequests, samples);
    // Shut down as soon as the first answer is back: the rest are being read, decoded,
    // queued for the inference thread or classified.
    REQUIRE(eventually([&] {
        return std::any_of(flows.begin(), flows.end(),
                           [](const PipeliningClient &flow) { return flow.client->predictionCount() > 0; });
    }));
    fixture.server->shutdown();
    CHECK_FALSE(fixture.server->isListening());

    int answered = 0;
    for (std::size_t c = 0; c < flows.size(); ++c) {
        TestClient &client = *flows[c].client;
        INFO("client " << c);
        REQUIRE(client.waitDisconnected());
        int predictions = 0;
        bool goodbye = false;
        while (client.untaken() > 0) {
            const Frame frame = client.next();
            INFO("frame " << predictions << " after the welcome");
            REQUIRE_FALSE(goodbye); // nothing after shutdown
            if (frame.type() == MessageType::ServerPrediction) {
                REQUIRE(predictions < kRequests);
                const Sent &sent = flows[c].sent.at(predictions);
                const PredictionReply reply = predictionOf(frame);
                REQUIRE(reply.messageId == sent.id); // the answers it got are its first ones, in order
                CHECK(largestDifference(scoresOf(reply.topK, kAllLabels), answers[std::size_t(sent.sample)].scores)
                      <= kTolerance);
                ++predictions;
            } else {
                CHECK(kindOf(frame) == QStringLiteral("shutdown"));
                goodbye = true;
            }
        }
        // A request without its answer has had the goodbye instead: every client hears it.
        CHECK(goodbye);
        answered += predictions;
    }
    CHECK(answered > 0);
    CHECK(answered < kClients * kRequests); // the shutdown came while they were in flight
    // Every image the batcher classified reached its client before the goodbye.
    CHECK(fixture.server->batcher().images() == std::uint64_t(answered));
    CHECK(fixture.server->batcher().queued() == 0);
}

TEST_CASE("A version polled in while 4 clients pipeline takes over, and every reply is the answer of the version it names")
{
    const QList<SampleImage> samples = twentySamples();
    Repository repository;
    repository.addVersion(kDefaultName, 1);
    // Version 2, an untrained net, is made beside the repository and renamed into it while
    // the clients pipeline, so that the poll finds it whole in the middle of their requests.
    QTemporaryDir staging;
    REQUIRE(staging.isValid());
    const QString stagedTwo =
            exportUntrained(QDir(staging.path()).filePath(kDefaultName), 2, QStringLiteral("fashionnet"), 11);
    std::map<qint64, std::vector<Alone>> answers {
        { 1, aloneAnswers(*loadEngine(repository.versionPath(kDefaultName, 1)), samples) },
        { 2, aloneAnswers(*loadEngine(stagedTwo), samples) },
    };
    for (int i = 0; i < samples.size(); ++i)
        REQUIRE(largestDifference(answers[1][std::size_t(i)].scores, answers[2][std::size_t(i)].scores) > kDifferent);

    // A pass waits up to 20 ms for its batch to fill, so the queue always holds images and,
    // around the swap, images of both versions: a batcher that mixed them would have to.
    ServerConfig config = batchingConfig(4, 1);
    config.batchDelay = std::chrono::milliseconds(20);
    RepositoryServer served(repository, ModelControl::Poll, config);
    constexpr int kClients = 4;
    // Requests each client keeps in flight, under Session::kReadAhead. Together not a
    // multiple of --max-batch, so that the images of a version do not come and go in whole
    // batches: some pass near the swap has the last images of 1 and the first of 2 to take.
    const int inFlight[kClients] = { 5, 6, 7, 9 };
    struct Flow
    {
        std::unique_ptr<TestClient> client;
        QList<Sent> outstanding;
        qint64 nextId = 1;
        int byTwo = 0;
    };
    std::vector<Flow> flows;
    for (int c = 0; c < kClients; ++c)
        flows.push_back({ welcomedClient(served.port()), {}, 1, 0 });

    int replies = 0, failures = 0, withoutVersion = 0, wrongAnswers = 0, batched = 0;
    std::string firstProblem;
    QList<qint64> versionsSeen;
    const auto takeReplies = [&] {
        for (std::size_t c = 0; c < flows.size(); ++c) {
            Flow &flow = flows[c];
            while (flow.client->untaken() > 0) {
                REQUIRE_FALSE(flow.outstanding.isEmpty());
                const Sent sent = flow.outstanding.takeFirst();
                const Frame frame = flow.client->next();
                ++replies;
                if (frame.type() != MessageType::ServerPrediction) {
                    ++failures;
                    if (firstProblem.empty())
                        firstProblem = "msg_id " + std::to_string(sent.id) + " got " + frame.body.toStdString();
                    continue;
                }
                const PredictionReply reply = predictionOf(frame);
                REQUIRE(reply.messageId == sent.id);
                if (!reply.modelVersion || !answers.count(*reply.modelVersion)) {
                    ++withoutVersion;
                    continue;
                }
                const qint64 version = *reply.modelVersion;
                if (!versionsSeen.contains(version))
                    versionsSeen.append(version);
                flow.byTwo += version == 2 ? 1 : 0;
                batched += reply.batchSize > 1 ? 1 : 0;
                const double difference = largestDifference(scoresOf(reply.topK, kAllLabels),
                                                            answers[version][std::size_t(sent.sample)].scores);
                if (difference > kTolerance) {
                    ++wrongAnswers;
                    if (firstProblem.empty())
                        firstProblem = "msg_id " + std::to_string(sent.id) + " says version " + std::to_string(version)
                                + " in a batch of " + std::to_string(reply.batchSize) + " but differs from its answer by "
                                + std::to_string(difference);
                }
            }
        }
    };
    const auto topUp = [&] {
        for (std::size_t c = 0; c < flows.size(); ++c) {
            Flow &flow = flows[c];
            while (flow.outstanding.size() < inFlight[c]) {
                const Sent sent { flow.nextId, int((flow.nextId + 3 * qint64(c)) % samples.size()), {} };
                ++flow.nextId;
                sendImage(*flow.client, samples.at(sent.sample).bytes, sent.id);
                flow.outstanding.append(sent);
            }
        }
    };
    const auto anyReply = [&] {
        return std::any_of(flows.begin(), flows.end(), [](const Flow &flow) { return flow.client->untaken() > 0; });
    };
    const auto everyClientOnTwo = [&] {
        return std::all_of(flows.begin(), flows.end(), [](const Flow &flow) { return flow.byTwo >= 20; });
    };

    bool moved = false;
    QDeadlineTimer deadline(40'000);
    while (!(moved && everyClientOnTwo()) && !deadline.hasExpired()) {
        topUp();
        REQUIRE(eventually(anyReply, 15'000));
        takeReplies();
        if (!moved && replies >= 40) {
            REQUIRE(QDir().rename(stagedTwo, repository.versionPath(kDefaultName, 2)));
            moved = true;
        }
    }
    // The last ones in flight are answered too.
    for (Flow &flow : flows) {
        const int taken = int(flow.client->frames().size()) - flow.client->untaken();
        REQUIRE(flow.client->waitForFrames(taken + int(flow.outstanding.size()), 15'000));
    }
    takeReplies();

    INFO(replies << " replies; first problem: " << firstProblem);
    REQUIRE(moved);
    REQUIRE(everyClientOnTwo());
    CHECK(failures == 0);
    CHECK(withoutVersion == 0);
    CHECK(wrongAnswers == 0);
    CHECK(versionsSeen == QList<qint64> { 1, 2 });
    CHECK(batched > 0); // the versions were batched, each on its own
    CHECK(served.store->catalog()->defaultModel()->version() == 2);
}

TEST_CASE("A bad image among pipelined good ones fails alone, in its place, and the session stays open")
{
    const QList<SampleImage> samples = twentySamples();
    const std::vector<Alone> answers = aloneAnswers(*defaultEngine(), samples);
    ServerFixture fixture(batchingConfig(2, 1));
    auto client = welcomedClient(fixture.port());

    QByteArray noise(400, '\0');
    QRandomGenerator random(20261202);
    for (char &byte : noise)
        byte = char(random.bounded(256));
    // msg_id → what it carries: a sample's index, or a bad image (-1 truncated, -2 noise).
    const QList<std::pair<qint64, int>> requests {
        { 1, 0 }, { 2, -1 }, { 3, 1 }, { 4, 2 }, { 5, -2 }, { 6, 3 }, { 7, 4 }, { 8, 5 }, { 9, -1 }, { 10, 6 },
    };
    for (const auto &[id, what] : requests) {
        if (what >= 0)
            sendImage(*client, samples.at(what).bytes, id);
        else
            sendImage(*client, what == -1 ? samples.at(7).bytes.left(200) /* a PNG cut short */ : noise, id);
    }
    sendPing(*client, 11);
    REQUIRE(client->waitForFrames(1 + int(requests.size()) + 1));

    for (const auto &[id, what] : requests) {
        INFO("msg_id " << id);
        const Frame frame = client->next();
        if (what >= 0) {
            const PredictionReply reply = predictionOf(frame);
            CHECK(reply.messageId == id);
            CHECK(largestDifference(scoresOf(reply.topK, kAllLabels), answers[std::size_t(what)].scores) <= kTolerance);
        } else {
            const ProtocolError error = errorOf(frame);
            CHECK(error.code == ErrorCode::BadImage);
            CHECK(error.messageId == id);
        }
    }
    const Frame pong = client->next();
    CHECK(kindOf(pong) == QStringLiteral("pong"));
    CHECK(pong.messageId() == 11);
    CHECK(client->isConnected());
    CHECK(fixture.server->batcher().images() == 7); // only the good ones reached a forward pass
}

TEST_CASE("/metrics counts the forward passes, the images in them and the inference threads")
{
    const QList<SampleImage> samples = twentySamples();
    ServerConfig config = batchingConfig(2, 2);
    config.httpPort = 0;
    ServerFixture fixture(config);
    REQUIRE(fixture.server->httpPort() != 0);
    constexpr int kPredictions = 2 * 12;
    std::vector<PipeliningClient> flows = pipeline(fixture.port(), 2, 12, samples);
    waitForAllReplies(flows);
    for (PipeliningClient &flow : flows) {
        for (int i = 0; i < flow.sent.size(); ++i)
            CHECK(predictionOf(flow.client->next()).messageId == flow.sent.at(i).id);
    }

    const HttpReply metrics = httpGet(fixture.server->httpPort(), "/metrics");
    REQUIRE(metrics.complete);
    REQUIRE(metrics.status == 200);
    const InferenceBatcher &batcher = fixture.server->batcher();
    const double passes = double(batcher.passes());
    INFO(metrics.body.toStdString());
    CHECK(passes >= 1);
    CHECK(passes <= kPredictions);
    CHECK(batcher.images() == std::uint64_t(kPredictions));
    CHECK(sampleValue(metrics.body, R"(orchard_inference_exec_total{model="fashion-mnist"})") == passes);
    CHECK(sampleValue(metrics.body, "orchard_inference_batch_size_count") == passes);
    CHECK(sampleValue(metrics.body, "orchard_inference_batch_size_sum") == double(kPredictions));
    CHECK(sampleValue(metrics.body, R"(orchard_inference_batch_size_bucket{le="+Inf"})") == passes);
    CHECK(sampleValue(metrics.body, "orchard_inference_queue_seconds_count") == double(kPredictions));
    CHECK(sampleValue(metrics.body, "orchard_inference_threads") == 2);
    CHECK(sampleValue(metrics.body, "orchard_inference_queued") == 0);
}

TEST_CASE("16 workers on 2 inference threads never run more than 2 forward passes at once")
{
    const QList<SampleImage> samples = twentySamples();
    const std::map<QString, std::vector<Alone>> answers { { kDefaultName, aloneAnswers(*defaultEngine(), samples) } };
    ServerFixture fixture(batchingConfig(16, 2));
    std::vector<PipeliningClient> flows = pipeline(fixture.port(), 16, 8, samples);
    waitForAllReplies(flows);
    const Batches batches = checkReplies(flows, answers);
    CHECK(batches.replies == 16 * 8);
    const InferenceBatcher &batcher = fixture.server->batcher();
    CHECK(batcher.options().threads == 2);
    CHECK(batcher.images() == 16 * 8); // every image went through the batcher's threads
    CHECK(batcher.peakConcurrentPasses() >= 1);
    CHECK(batcher.peakConcurrentPasses() <= 2);
}

TEST_CASE("A model whose config.json says max_batch_size 2 is never batched above 2 under --max-batch 8")
{
    const QList<SampleImage> samples = twentySamples();
    Repository repository;
    repository.addVersion(kDefaultName, 1);
    repository.writeConfig(kDefaultName, R"({"max_batch_size": 2})");
    const std::map<QString, std::vector<Alone>> answers {
        { kDefaultName, aloneAnswers(*loadEngine(repository.versionPath(kDefaultName, 1)), samples) },
    };
    RepositoryServer served(repository, ModelControl::None, batchingConfig(4, 1, 8));
    const std::shared_ptr<const ServedModel> model = served.store->catalog()->defaultModel();
    REQUIRE(model);
    CHECK(model->maxBatchSize() == 2);
    CHECK(served.server->batcher().maxBatchFor(*model) == 2);

    std::vector<PipeliningClient> flows = pipeline(served.port(), 4, 16, samples);
    waitForAllReplies(flows);
    const Batches batches = checkReplies(flows, answers);
    CHECK(batches.replies == 64);
    CHECK(batches.largest == 2); // batched, to its limit and no further
    const InferenceBatcher &batcher = served.server->batcher();
    CHECK(batcher.images() == 64);
    CHECK(batcher.passes() * 2 >= batcher.images());
}
