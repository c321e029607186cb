// A server serving a model repository (server/core/modelstore.*, docs/models.md): several
// models at once, chosen per request; versions that appear, change, break and go while
// clients keep predicting; the HTTP load and unload endpoints. Real server, real sockets,
// real model files (copies of the shipped model, some of them broken on purpose).
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <vector>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "common/inference/inferenceengine.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/accesstokens.h"
#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"
#include "tests/http/httpclient.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"
#include "tests/support/testdata.h"

using namespace orchard;
using namespace orchard::test;

namespace {

/** What one request got: a prediction (model, version) or an error code and message. */
struct Answer
{
    bool predicted = false;
    QString model;
    std::optional<qint64> version;
    QString label;
    QString errorCode;
    QString errorMessage;
};

QByteArray sampleBytes()
{
    static const QByteArray bytes = sampleImages().constFirst().bytes;
    return bytes;
}

/** Sends one image request on client (welcome already taken) and reads its answer. */
Answer ask(TestClient &client, const QString &model = {}, std::optional<qint64> version = {},
           ImageBodyForm form = ImageBodyForm::Binary)
{
    static qint64 nextId = 1;
    ImageRequest request;
    request.imageData = sampleBytes();
    request.messageId = nextId++;
    request.model = model;
    request.modelVersion = version;
    const Result<QByteArray> frame = request.toFrame(form);
    REQUIRE(frame);
    client.sendRaw(*frame);
    REQUIRE(client.waitForNext());
    const Frame reply = client.next();
    Answer answer;
    if (reply.type() == MessageType::ServerPrediction) {
        const Result<PredictionReply> prediction = PredictionReply::fromBody(reply.body);
        REQUIRE(prediction);
        answer.predicted = true;
        answer.model = prediction->model;
        answer.version = prediction->modelVersion;
        answer.label = prediction->label;
    } else {
        REQUIRE(reply.type() == MessageType::ServerError);
        const std::optional<ProtocolError> error = parseServerErrorBody(reply.body);
        REQUIRE(error);
        answer.errorCode = errorCodeName(error->code);
        answer.errorMessage = error->message;
    }
    return answer;
}

/** A connected client whose welcome has been read; the welcome's fields. */
WelcomeInfo connectAndGreet(TestClient &client)
{
    REQUIRE(client.waitConnected());
    REQUIRE(client.waitForNext());
    const Frame welcome = client.next();
    const Result<ServerMessage> message = ServerMessage::fromBody(welcome.body);
    REQUIRE(message);
    REQUIRE(message->welcomeInfo());
    return *message->welcomeInfo();
}

/** Polls (the event loop running) until condition holds or the deadline passes. */
template <typename Condition>
bool eventually(Condition condition, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

/** The status of one version now, by value: statuses() makes a new list every call. */
std::optional<ModelStore::VersionStatus> statusOf(const ModelStore &store, const QString &name, qint64 version)
{
    for (const ModelStore::VersionStatus &status : store.statuses()) {
        if (status.name == name && status.version == version)
            return status;
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("Two models are served at once: by name, by name and version, and the default without a name")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addVersion(QStringLiteral("second"), 1);
    repository.addVersion(QStringLiteral("second"), 2);
    repository.writeConfig(QStringLiteral("second"), R"({"version_policy": {"latest": 2}})");
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"default": true})");
    RepositoryServer served(repository, ModelControl::None);

    TestClient client(served.port());
    const WelcomeInfo welcome = connectAndGreet(client);
    CHECK(welcome.model == QStringLiteral("fashion-mnist"));
    REQUIRE(welcome.models.size() == 2);
    CHECK(welcome.models.at(0).name == QStringLiteral("fashion-mnist"));
    CHECK(welcome.models.at(0).isDefault);
    CHECK(welcome.models.at(1).name == QStringLiteral("second"));
    CHECK(welcome.models.at(1).versions == QList<qint64> { 1, 2 });
    CHECK_FALSE(welcome.models.at(1).isDefault);
    CHECK(welcome.models.at(1).labels.size() == 10);
    CHECK_FALSE(welcome.models.at(1).card.isEmpty()); // README.md, for the client's tooltip

    const Answer byDefault = ask(client);
    REQUIRE(byDefault.predicted);
    CHECK(byDefault.model == QStringLiteral("fashion-mnist"));
    CHECK(byDefault.version == 1);
    CHECK(byDefault.label == sampleImages().constFirst().expectedLabel);

    const Answer byName = ask(client, QStringLiteral("second"));
    REQUIRE(byName.predicted);
    CHECK(byName.model == QStringLiteral("second"));
    CHECK(byName.version == 2); // the highest served

    const Answer byVersion = ask(client, QStringLiteral("second"), 1, ImageBodyForm::Base64Json);
    REQUIRE(byVersion.predicted);
    CHECK(byVersion.model == QStringLiteral("second"));
    CHECK(byVersion.version == 1);

    const Answer unknownName = ask(client, QStringLiteral("apple-leaf"));
    CHECK(unknownName.errorCode == QStringLiteral("UNKNOWN_MODEL"));
    CHECK(unknownName.errorMessage.contains(QStringLiteral("\"apple-leaf\"")));
    CHECK(unknownName.errorMessage.contains(QStringLiteral("second (version 1, 2)")));

    const Answer unknownVersion = ask(client, QStringLiteral("second"), 7, ImageBodyForm::Base64Text);
    CHECK(unknownVersion.errorCode == QStringLiteral("UNKNOWN_MODEL"));
    CHECK(unknownVersion.errorMessage.contains(QStringLiteral("version 7 of second")));

    // UNKNOWN_MODEL leaves the session open: the next request is served.
    const Answer after = ask(client, QStringLiteral("second"), 1);
    CHECK(after.predicted);
    CHECK(client.isConnected());
}

TEST_CASE("The original protocol, base64 text with no model key, gets the default model")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addVersion(QStringLiteral("other"), 3);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"default": true})");
    RepositoryServer served(repository, ModelControl::None);

    TestClient client(served.port());
    connectAndGreet(client);
    // The seed client's frame: a CLIENT_IMAGE header naming no model, base64 text body.
    client.sendFrame(MessageType::ClientImage, sampleBytes().toBase64(), std::nullopt, BodyEncoding::Base64);
    REQUIRE(client.waitForNext());
    const Frame reply = client.next();
    REQUIRE(reply.type() == MessageType::ServerPrediction);
    const Result<PredictionReply> prediction = PredictionReply::fromBody(reply.body);
    REQUIRE(prediction);
    CHECK(prediction->model == QStringLiteral("fashion-mnist"));
    CHECK(prediction->modelVersion == 1);
    CHECK(prediction->label == sampleImages().constFirst().expectedLabel);
}

TEST_CASE("Poll: a new version takes over while 4 clients keep predicting, and none of their requests fails")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    RepositoryServer served(repository, ModelControl::Poll, withWorkers(4));
    const std::weak_ptr<const ServedModel> first = served.store->catalog()->defaultModel();

    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TestClient>(served.port()));
        connectAndGreet(*clients.back());
    }
    const auto round = [&] {
        QList<Answer> answers;
        for (auto &client : clients)
            answers.append(ask(*client));
        return answers;
    };
    for (const Answer &answer : round()) {
        REQUIRE(answer.predicted);
        CHECK(answer.version == 1);
    }

    QSignalSpy swapped(served.store.get(), &ModelStore::catalogChanged);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    int failed = 0, rounds = 0;
    QList<qint64> versionsSeen;
    // Bounded: at most 3000 rounds or 60 s, until every client has been answered by 2.
    QDeadlineTimer deadline(60000);
    bool allOnTwo = false;
    while (!allOnTwo && rounds < 3000 && !deadline.hasExpired()) {
        allOnTwo = true;
        for (const Answer &answer : round()) {
            failed += answer.predicted ? 0 : 1;
            allOnTwo = allOnTwo && answer.version == 2;
            if (answer.version && !versionsSeen.contains(*answer.version))
                versionsSeen.append(*answer.version);
        }
        ++rounds;
        QCoreApplication::processEvents(); // the poll timer and the loader's result
    }
    INFO("rounds " << rounds);
    CHECK(failed == 0);
    REQUIRE(allOnTwo);
    CHECK(versionsSeen == QList<qint64> { 1, 2 });
    CHECK(swapped.count() >= 1);
    // Version 1 is out of the catalog and no request holds it: it is freed.
    CHECK(first.expired());
    CHECK(served.store->loadCounts().value({ QStringLiteral("fashion-mnist"), QStringLiteral("success") }) == 2);

    // A version that comes and goes: once its folder is gone the latest left (2) serves again.
    repository.addVersion(QStringLiteral("fashion-mnist"), 3);
    REQUIRE(eventually([&] { return served.store->catalog()->defaultModel()->version() == 3; }));
    const std::weak_ptr<const ServedModel> third = served.store->catalog()->defaultModel();
    repository.removeVersion(QStringLiteral("fashion-mnist"), 3);
    REQUIRE(eventually([&] { return served.store->catalog()->defaultModel()->version() == 2; }));
    CHECK(third.expired());
    for (const Answer &answer : round()) {
        REQUIRE(answer.predicted);
        CHECK(answer.version == 2);
    }
}

TEST_CASE("A broken version is reported and what served before keeps serving")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    RepositoryServer served(repository, ModelControl::Poll);
    QSignalSpy events(served.store.get(), &ModelStore::modelEvent);

    SECTION("model.pt is not a model")
    {
        repository.addGarbageVersion(QStringLiteral("fashion-mnist"), 2);
    }
    SECTION("model.json has 3 labels for 10 outputs")
    {
        repository.addMislabelledVersion(QStringLiteral("fashion-mnist"), 2);
    }
    REQUIRE(eventually([&] {
        const auto status = statusOf(*served.store, QStringLiteral("fashion-mnist"), 2);
        return status && status->state == ModelStore::State::Failed;
    }));
    const auto failed = statusOf(*served.store, QStringLiteral("fashion-mnist"), 2);
    REQUIRE(failed);
    INFO("reason: " << failed->reason.toStdString());
    CHECK_FALSE(failed->reason.isEmpty());
    CHECK(served.store->loadCounts().value({ QStringLiteral("fashion-mnist"), QStringLiteral("failure") }) == 1);
    bool reported = false;
    for (const QList<QVariant> &event : events)
        reported = reported || (event.at(1).toLongLong() == 2 && event.at(3).toBool());
    CHECK(reported);

    TestClient client(served.port());
    connectAndGreet(client);
    const Answer answer = ask(client);
    REQUIRE(answer.predicted);
    CHECK(answer.version == 1);

    // Scans that follow (a poll's, a reload's) do not try the same broken files again.
    for (int scan = 0; scan < 2; ++scan) {
        bool done = false;
        served.store->reload([&done](bool, const QString &) { done = true; });
        REQUIRE(eventually([&] { return done; }));
    }
    CHECK(served.store->loadCounts().value({ QStringLiteral("fashion-mnist"), QStringLiteral("failure") }) == 1);
    CHECK(served.store->catalog()->defaultModel()->version() == 1);
}

TEST_CASE("Explicit: the HTTP load and unload endpoints, with and without the admin token")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"default": true})");
    repository.addVersion(QStringLiteral("second"), 1);
    QTemporaryDir tokenDir;
    REQUIRE(tokenDir.isValid());
    const QString tokenFile = tokenDir.filePath(QStringLiteral("tokens"));
    {
        QFile file(tokenFile);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write("lab-admin aaaaaaaaaaaaaaaaaaaaaaaa\nfarmer bbbbbbbbbbbbbbbbbbbbbbbb\n");
    }
    auto tokens = AccessTokens::load(tokenFile);
    REQUIRE(tokens);
    ServerConfig config;
    config.httpPort = 0;
    config.accessTokens = std::make_shared<const AccessTokens>(std::move(tokens).value());
    config.adminLabels = { QStringLiteral("lab-admin") };
    RepositoryServer served(repository, ModelControl::Explicit, config);
    const quint16 http = served.server->httpPort();
    REQUIRE(http != 0);
    const QByteArray admin = "Authorization: Bearer aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    const QByteArray farmer = "Authorization: Bearer bbbbbbbbbbbbbbbbbbbbbbbb\r\n";

    const HttpReply noToken = httpRequest(http, "POST", "/v2/repository/models/second/unload");
    REQUIRE(noToken.complete);
    CHECK(noToken.status == 401);
    const HttpReply notAdmin = httpRequest(http, "POST", "/v2/repository/models/second/unload", 10000, farmer);
    REQUIRE(notAdmin.complete);
    CHECK(notAdmin.status == 403);
    CHECK(notAdmin.body.contains("farmer"));
    CHECK(served.store->catalog()->models().contains(QStringLiteral("second")));

    const HttpReply unloaded = httpRequest(http, "POST", "/v2/repository/models/second/unload", 10000, admin);
    REQUIRE(unloaded.complete);
    CHECK(unloaded.status == 200);
    CHECK_FALSE(served.store->catalog()->models().contains(QStringLiteral("second")));
    const HttpReply defaultOne = httpRequest(http, "POST", "/v2/repository/models/fashion-mnist/unload", 10000, admin);
    CHECK(defaultOne.status == 400);
    CHECK(defaultOne.body.contains("default model"));

    // A new version while unloaded; load brings the model back with it, answering when warm.
    repository.addVersion(QStringLiteral("second"), 2);
    const HttpReply loaded = httpRequest(http, "POST", "/v2/repository/models/second/load", 30000, admin);
    REQUIRE(loaded.complete);
    INFO(loaded.body.toStdString());
    CHECK(loaded.status == 200);
    REQUIRE(served.store->catalog()->models().contains(QStringLiteral("second")));
    CHECK(served.store->catalog()->models().value(QStringLiteral("second")).lastKey() == 2);

    const HttpReply missing = httpRequest(http, "POST", "/v2/repository/models/nothing-here/load", 10000, admin);
    CHECK(missing.status == 404);
    repository.addGarbageVersion(QStringLiteral("second"), 3);
    const HttpReply broken = httpRequest(http, "POST", "/v2/repository/models/second/load", 30000, admin);
    CHECK(broken.status == 400);
    CHECK(broken.body.contains("version 3"));
    CHECK(served.store->catalog()->models().value(QStringLiteral("second")).lastKey() == 2);

    const HttpReply index = httpRequest(http, "POST", "/v2/repository/index");
    REQUIRE(index.complete);
    CHECK(index.status == 200);
    const QJsonArray states = QJsonDocument::fromJson(index.body).array();
    QStringList seen;
    for (const QJsonValue &state : states)
        seen.append(state[QStringLiteral("name")].toString() + u' ' + state[QStringLiteral("version")].toString()
                    + u' ' + state[QStringLiteral("state")].toString());
    CHECK(seen.contains(QStringLiteral("second 2 READY")));
    CHECK(seen.contains(QStringLiteral("second 3 UNAVAILABLE")));
    CHECK(seen.contains(QStringLiteral("fashion-mnist 1 READY")));
}

TEST_CASE("Load and unload over HTTP are refused unless --model-control is explicit")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    ServerConfig config;
    config.httpPort = 0;
    RepositoryServer served(repository, ModelControl::Poll, config);
    const HttpReply refused = httpRequest(served.server->httpPort(), "POST", "/v2/repository/models/fashion-mnist/load");
    REQUIRE(refused.complete);
    CHECK(refused.status == 409);
    CHECK(refused.body.contains("--model-control explicit"));
    const HttpReply wrongMethod = httpRequest(served.server->httpPort(), "GET", "/v2/repository/index");
    CHECK(wrongMethod.status == 405);
}

TEST_CASE("At start-up a broken latest version leaves the server serving the version below it")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addGarbageVersion(QStringLiteral("fashion-mnist"), 2);
    RepositoryServer served(repository, ModelControl::Poll);
    CHECK(served.store->catalog()->defaultModel()->version() == 1);
    const auto failed = statusOf(*served.store, QStringLiteral("fashion-mnist"), 2);
    REQUIRE(failed);
    CHECK(failed->state == ModelStore::State::Failed);

    TestClient client(served.port());
    connectAndGreet(client);
    const Answer answer = ask(client);
    REQUIRE(answer.predicted);
    CHECK(answer.version == 1);
    // And a fixed version 2 (its files change) is taken by the next poll.
    repository.removeVersion(QStringLiteral("fashion-mnist"), 2);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    REQUIRE(eventually([&] { return served.store->catalog()->defaultModel()->version() == 2; }));
    CHECK(ask(client).version == 2);
}

TEST_CASE("A --model DIR folder is served as version 1, and poll reloads it when its files change")
{
    Repository repository;
    repository.addVersion(QStringLiteral("anything"), 4);
    const QString folder = repository.versionPath(QStringLiteral("anything"), 4);
    ModelStore::Options options;
    options.source = folder;
    options.control = ModelControl::Poll;
    options.pollInterval = std::chrono::seconds(1);
    const auto store = std::make_shared<ModelStore>(options);
    QString error;
    REQUIRE(store->loadNow(&error));
    CHECK_FALSE(store->isRepository());
    // Named by its model.json, as --model always was; the folder's own name does not count.
    const std::shared_ptr<const ServedModel> first = store->catalog()->defaultModel();
    REQUIRE(first);
    CHECK(first->name() == QStringLiteral("fashion-mnist"));
    CHECK(first->version() == 1);
    CHECK(first->directory() == folder);

    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    OrchardServer server(config, store, QStringLiteral("test"));
    REQUIRE(server.start());
    store->startPolling();
    TestClient client(server.serverPort());
    connectAndGreet(client);
    const Answer answer = ask(client);
    REQUIRE(answer.predicted);
    CHECK(answer.model == QStringLiteral("fashion-mnist"));
    CHECK(answer.version == 1);

    // The model card changes in place: the next poll loads the folder again.
    QFile card(QDir(folder).filePath(QStringLiteral("README.md")));
    REQUIRE(card.open(QIODevice::Append));
    card.write("\nRetrained on more photos.\n");
    card.close();
    REQUIRE(eventually([&] { return store->catalog()->defaultModel().get() != first.get(); }));
    CHECK(store->catalog()->defaultModel()->fingerprint() != first->fingerprint());
    CHECK(store->loadCounts().value({ QStringLiteral("fashion-mnist"), QStringLiteral("success") }) == 2);
    CHECK(ask(client).predicted);
}
