// The health and metrics port of a real in-process OrchardServer, asked over real HTTP on
// loopback while real clients hold its workers and fill its line.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "server/core/httpendpoint.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"
#include "httpclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr char kPromtool[] = "/usr/bin/promtool";
/** The answer time the issue asks for while every worker is busy and the line is full. */
constexpr double kAnswerBudgetMs = 100;

ServerConfig withHttp(ServerConfig config = {})
{
    config.httpPort = 0; // any free port; the fixture's server says which
    return config;
}

std::unique_ptr<TestClient> welcomedClient(quint16 port)
{
    auto client = std::make_unique<TestClient>(port);
    REQUIRE(client->waitForNext());
    REQUIRE(client->nextKind() == "welcome");
    return client;
}

void sendImage(TestClient &client, const QByteArray &bytes, qint64 id)
{
    ImageRequest request;
    request.imageData = bytes;
    request.messageId = id;
    client.sendRaw(*request.toFrame(ImageBodyForm::Binary));
}

QByteArray sampleBytes()
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    return samples.first().bytes;
}

QByteArray scrape(quint16 httpPort)
{
    const HttpReply reply = httpGet(httpPort, "/metrics");
    REQUIRE(reply.complete);
    REQUIRE(reply.status == 200);
    return reply.body;
}

double valueOf(const QByteArray &page, const QByteArray &series)
{
    const std::optional<double> value = sampleValue(page, series);
    INFO("series " << series.toStdString());
    REQUIRE(value);
    return *value;
}

QByteArray requests(const char *code)
{
    return QByteArray("orchard_requests_total{code=\"") + code + "\"}";
}

QByteArray connections(const char *outcome)
{
    return QByteArray("orchard_connections_total{outcome=\"") + outcome + "\"}";
}

/** Scrapes until series has reached at least value, or the deadline passed; the last page. */
QByteArray scrapeUntil(quint16 httpPort, const QByteArray &series, double value)
{
    QDeadlineTimer deadline(10000);
    QByteArray page = scrape(httpPort);
    while (sampleValue(page, series).value_or(-1) < value && !deadline.hasExpired()) {
        QTest::qWait(20);
        page = scrape(httpPort);
    }
    return page;
}

} // namespace

TEST_CASE("Live, ready and metrics answer on the HTTP port with their content types")
{
    ServerFixture fixture(withHttp());
    const quint16 http = fixture.server->httpPort();
    REQUIRE(http != 0);
    CHECK(http != fixture.port());

    const HttpReply live = httpGet(http, "/health/live");
    REQUIRE(live.complete);
    CHECK(live.status == 200);
    CHECK(live.reason == "OK");
    CHECK(live.body == "live\n");
    CHECK(live.headers.value("content-type") == "text/plain; charset=utf-8");

    const HttpReply ready = httpGet(http, "/health/ready");
    REQUIRE(ready.complete);
    CHECK(ready.status == 200);
    CHECK(ready.body == "ready\n");

    const HttpReply metrics = httpGet(http, "/metrics?from=prometheus");
    REQUIRE(metrics.complete);
    CHECK(metrics.status == 200);
    CHECK(metrics.headers.value("content-type") == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(valueOf(metrics.body, "orchard_build_info{version=\"test\"}") == 1);
    CHECK(valueOf(metrics.body, "orchard_model_info{name=\"fashion-mnist\",version=\"1\",manifest_version=\"1.0.0\","
                                "default=\"true\"}")
          == 1);
    CHECK(valueOf(metrics.body, "orchard_workers") == fixture.server->workerCount());
    CHECK(valueOf(metrics.body, "orchard_sessions_active") == 0);
    CHECK(valueOf(metrics.body, "orchard_sessions_waiting") == 0);
    CHECK(valueOf(metrics.body, requests("OK")) == 0);
    CHECK(valueOf(metrics.body, "process_resident_memory_bytes") > 1e6);
    CHECK(valueOf(metrics.body, "process_open_fds") > 3);
    CHECK(valueOf(metrics.body, "process_max_fds") >= valueOf(metrics.body, "process_open_fds"));
    CHECK(valueOf(metrics.body, "process_cpu_seconds_total") > 0);
    const double startTime = valueOf(metrics.body, "process_start_time_seconds");
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    CHECK(startTime <= now + 1);
    CHECK(startTime > now - 3600);
    CHECK(metrics.body.contains("# HELP orchard_request_duration_seconds "));
    CHECK(metrics.body.contains("# TYPE orchard_request_duration_seconds histogram\n"));
}

TEST_CASE("Unknown paths get 404 and other methods than GET 405, each saying what is served")
{
    ServerFixture fixture(withHttp());
    const quint16 http = fixture.server->httpPort();

    const HttpReply missing = httpGet(http, "/status");
    REQUIRE(missing.complete);
    CHECK(missing.status == 404);
    CHECK(missing.reason == "Not Found");
    CHECK(missing.body.contains("/health/live, /health/ready, /metrics, /v2/repository/… and POST /admin/drain"));

    const HttpReply post = httpRequest(http, "POST", "/metrics");
    REQUIRE(post.complete);
    CHECK(post.status == 405);
    CHECK(post.reason == "Method Not Allowed");
    CHECK(post.headers.value("allow") == "GET");
    CHECK(post.body.contains("Only GET"));

    const HttpReply head = httpRequest(http, "DELETE", "/health/ready");
    REQUIRE(head.complete);
    CHECK(head.status == 405);

    const HttpReply postMissing = httpRequest(http, "POST", "/nothing");
    REQUIRE(postMissing.complete);
    CHECK(postMissing.status == 404);
}

TEST_CASE("Ready is 503 while the server has not started, and again once it shut down")
{
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    OrchardServer server(config, defaultEngine(), QStringLiteral("test"));
    HttpEndpoint endpoint(&server);
    REQUIRE(endpoint.start(QHostAddress::LocalHost, 0));

    const HttpReply starting = httpGet(endpoint.port(), "/health/ready");
    REQUIRE(starting.complete);
    CHECK(starting.status == 503);
    CHECK(starting.reason == "Service Unavailable");
    CHECK(starting.body.startsWith("not ready: starting"));
    CHECK(starting.body.endsWith('\n'));
    CHECK(starting.body.count('\n') == 1); // one line
    CHECK(httpGet(endpoint.port(), "/health/live").status == 200);

    REQUIRE(server.start());
    CHECK(httpGet(endpoint.port(), "/health/ready").status == 200);

    server.shutdown();
    const HttpReply stopping = httpGet(endpoint.port(), "/health/ready");
    REQUIRE(stopping.complete);
    CHECK(stopping.status == 503);
    CHECK(stopping.body.startsWith("not ready: shutting down"));
    // The event loop still runs: live, and the last metrics can still be read.
    CHECK(httpGet(endpoint.port(), "/health/live").status == 200);
    CHECK(httpGet(endpoint.port(), "/metrics").status == 200);
}

TEST_CASE("The server's own HTTP port says shutting down after shutdown()")
{
    ServerFixture fixture(withHttp());
    const quint16 http = fixture.server->httpPort();
    CHECK(httpGet(http, "/health/ready").status == 200);
    fixture.server->shutdown();
    const HttpReply ready = httpGet(http, "/health/ready");
    REQUIRE(ready.complete);
    CHECK(ready.status == 503);
    CHECK(ready.body.startsWith("not ready: shutting down"));
}

TEST_CASE("Saturated: with both workers busy and the line full, ready is 503 and metrics answer within 100 ms")
{
    ServerConfig config = withHttp(withWorkers(2, 2));
    ServerFixture fixture(config);
    const quint16 http = fixture.server->httpPort();
    const QByteArray image = sampleBytes();

    // Two sessions hold both workers (a session holds its worker until its client leaves),
    // two more connections wait, and a fifth finds the line full.
    std::vector<std::unique_ptr<TestClient>> active;
    active.push_back(welcomedClient(fixture.port()));
    active.push_back(welcomedClient(fixture.port()));
    std::vector<std::unique_ptr<TestClient>> waiting;
    for (int i = 0; i < 2; ++i) {
        waiting.push_back(std::make_unique<TestClient>(fixture.port()));
        REQUIRE(waiting.back()->waitForNext());
        REQUIRE(waiting.back()->nextKind() == "queued");
    }
    TestClient refused(fixture.port());
    REQUIRE(refused.waitForNext());
    const Frame busyFrame = refused.next();
    REQUIRE(busyFrame.type() == MessageType::ServerError);
    CHECK(parseServerErrorBody(busyFrame.body)->code == ErrorCode::Busy);

    // And the two workers predict meanwhile: 100 pipelined images each.
    constexpr int kImages = 100;
    for (int i = 0; i < kImages; ++i) {
        sendImage(*active[0], image, i);
        sendImage(*active[1], image, i);
    }

    const HttpReply ready = httpGet(http, "/health/ready");
    REQUIRE(ready.complete);
    CHECK(ready.status == 503);
    CHECK(ready.body.startsWith("not ready: the waiting line is full"));
    CHECK(ready.body.contains("all 2 workers are busy and 2 connections wait (--max-queued 2)"));
    CHECK(ready.elapsedMs < kAnswerBudgetMs);

    const HttpReply live = httpGet(http, "/health/live");
    REQUIRE(live.complete);
    CHECK(live.status == 200);
    CHECK(live.elapsedMs < kAnswerBudgetMs);

    const HttpReply metrics = httpGet(http, "/metrics");
    REQUIRE(metrics.complete);
    CHECK(metrics.status == 200);
    CHECK(metrics.elapsedMs < kAnswerBudgetMs);
    INFO("ready " << ready.elapsedMs << " ms, live " << live.elapsedMs << " ms, metrics " << metrics.elapsedMs << " ms");
    CHECK(valueOf(metrics.body, "orchard_workers") == 2);
    CHECK(valueOf(metrics.body, "orchard_sessions_active") == 2);
    CHECK(valueOf(metrics.body, "orchard_sessions_waiting") == 2);
    CHECK(valueOf(metrics.body, "orchard_max_queued") == 2);
    CHECK(valueOf(metrics.body, connections("busy")) == 1);
    CHECK(valueOf(metrics.body, "orchard_queue_wait_seconds_count") == 2); // the two served at once

    // The predictions were under way while we asked: they all finish, and are all counted.
    REQUIRE(active[0]->waitForFrames(1 + kImages));
    REQUIRE(active[1]->waitForFrames(1 + kImages));
    const QByteArray after = scrape(http);
    CHECK(valueOf(after, requests("OK")) == 2 * kImages);
    CHECK(valueOf(after, "orchard_request_duration_seconds_count") == 2 * kImages);
    CHECK(valueOf(after, "orchard_inference_duration_seconds_count") == 2 * kImages);

    // A worker frees up: the line has room again.
    active[0]->sendOffline();
    REQUIRE(waiting[0]->waitForFrames(2));
    CHECK(waiting[0]->next().type() == MessageType::ServerMessage); // welcome
    QDeadlineTimer deadline(10000);
    while (httpGet(http, "/health/ready").status != 200 && !deadline.hasExpired())
        QTest::qWait(10);
    CHECK(httpGet(http, "/health/ready").status == 200);
}

TEST_CASE("Counters and histograms move with real predictions and errors")
{
    ServerFixture fixture(withHttp());
    const quint16 http = fixture.server->httpPort();
    const QByteArray before = scrape(http);
    CHECK(valueOf(before, requests("OK")) == 0);
    CHECK(valueOf(before, requests("BAD_IMAGE")) == 0);
    CHECK(valueOf(before, "orchard_request_duration_seconds_count") == 0);

    auto client = welcomedClient(fixture.port());
    sendImage(*client, sampleBytes(), 1);
    REQUIRE(client->waitForNext());
    CHECK(client->next().type() == MessageType::ServerPrediction);
    const QByteArray afterPrediction = scrape(http);
    CHECK(valueOf(afterPrediction, requests("OK")) == 1);
    CHECK(valueOf(afterPrediction, "orchard_request_duration_seconds_count") == 1);
    CHECK(valueOf(afterPrediction, "orchard_request_duration_seconds_sum") > 0);
    CHECK(valueOf(afterPrediction, "orchard_request_duration_seconds_bucket{le=\"+Inf\"}") == 1);
    CHECK(valueOf(afterPrediction, "orchard_request_duration_seconds_bucket{le=\"10\"}") == 1);
    CHECK(valueOf(afterPrediction, "orchard_inference_duration_seconds_count") == 1);
    CHECK(valueOf(afterPrediction, "orchard_queue_wait_seconds_count") == 1);
    CHECK(valueOf(afterPrediction, "orchard_sessions_active") == 1);

    sendImage(*client, QByteArray("this is plain text, not an image"), 2);
    REQUIRE(client->waitForNext());
    const Frame error = client->next();
    REQUIRE(error.type() == MessageType::ServerError);
    const QByteArray afterError = scrape(http);
    CHECK(valueOf(afterError, requests("OK")) == 1);
    CHECK(valueOf(afterError, requests("BAD_IMAGE")) == 1);
    CHECK(valueOf(afterError, "orchard_request_duration_seconds_count") == 2);
    CHECK(valueOf(afterError, "orchard_inference_duration_seconds_count") == 1); // no forward pass for it

    // A header that is not JSON: BAD_HEADER, the connection closes, and says how it ended.
    auto broken = welcomedClient(fixture.port());
    broken->sendRaw(QByteArray(128, '\0'));
    REQUIRE(broken->waitDisconnected());
    const QByteArray afterBadHeader = scrapeUntil(http, connections("bad_header"), 1);
    CHECK(valueOf(afterBadHeader, requests("BAD_HEADER")) == 1);
    CHECK(valueOf(afterBadHeader, connections("bad_header")) == 1);

    client->sendOffline();
    REQUIRE(client->waitDisconnected());
    const QByteArray afterOffline = scrapeUntil(http, connections("served"), 1);
    CHECK(valueOf(afterOffline, connections("served")) == 1);
    CHECK(valueOf(afterOffline, "orchard_sessions_active") == 0);
}

TEST_CASE("A waiting client that hangs up counts as left_waiting")
{
    ServerFixture fixture(withHttp(withWorkers(1)));
    const quint16 http = fixture.server->httpPort();
    auto active = welcomedClient(fixture.port());
    {
        TestClient waiting(fixture.port());
        REQUIRE(waiting.waitForNext());
        REQUIRE(waiting.nextKind() == "queued");
        waiting.hangUp();
    }
    const QByteArray page = scrapeUntil(http, connections("left_waiting"), 1);
    CHECK(valueOf(page, connections("left_waiting")) == 1);
    CHECK(valueOf(page, "orchard_sessions_waiting") == 0);
}

TEST_CASE("The metrics page passes promtool check metrics")
{
    if (!QFileInfo::exists(QString::fromLatin1(kPromtool))) {
        WARN("skipped: " << kPromtool << " is not installed (Debian package prometheus)");
        return;
    }
    ServerFixture fixture(withHttp(withWorkers(1, 1)));
    const quint16 http = fixture.server->httpPort();
    // Something in every family: predictions, an error, a wait, a BUSY.
    auto client = welcomedClient(fixture.port());
    sendImage(*client, sampleBytes(), 1);
    sendImage(*client, QByteArray("not an image"), 2);
    REQUIRE(client->waitForFrames(3));
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    TestClient refused(fixture.port());
    REQUIRE(refused.waitDisconnected());
    const QByteArray page = scrape(http);

    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QString::fromLatin1(kPromtool), { QStringLiteral("check"), QStringLiteral("metrics") });
    REQUIRE(promtool.waitForStarted(10000));
    promtool.write(page);
    promtool.closeWriteChannel();
    REQUIRE(promtool.waitForFinished(30000));
    const QByteArray said = promtool.readAll();
    INFO("promtool: " << said.toStdString() << "\npage:\n" << page.toStdString());
    CHECK(promtool.exitStatus() == QProcess::NormalExit);
    CHECK(promtool.exitCode() == 0);
    CHECK(said.trimmed().isEmpty());
}

TEST_CASE("A taken HTTP port makes start() fail, saying which port, and closes the protocol port")
{
    QTcpServer squatter;
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.httpPort = squatter.serverPort();
    OrchardServer server(config, defaultEngine(), QStringLiteral("test"));
    CHECK_FALSE(server.start());
    CHECK_FALSE(server.isListening());
    CHECK(server.httpPort() == 0);
    const QString error = server.startError();
    INFO(error.toStdString());
    CHECK(error.startsWith(QStringLiteral("cannot listen for HTTP (health and metrics) on 127.0.0.1 port %1: ")
                                   .arg(squatter.serverPort())));
}
