// Orchard as a load balancer's backend, in-process: the agent port's answers as workers
// fill, draining (POST /admin/drain), and the PROXY protocol from a trusted address
// (127.0.0.2, a second loopback address, stands for the balancer) and from others. The
// same with a real HAProxy in front: tests/scaleout.
#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/accesstokens.h"
#include "server/core/agentendpoint.h"
#include "tests/http/httpclient.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;
using namespace std::chrono_literals;

namespace {

const QHostAddress kBalancer(QStringLiteral("127.0.0.2"));

/** What the agent port says to one connection, as HAProxy reads it (up to the close). */
QByteArray agentAnswer(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { answer += socket.readAll(); });
    CHECK(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000));
    return answer + socket.readAll();
}

ServerConfig balancedConfig(int workers)
{
    ServerConfig config = withWorkers(workers);
    config.httpPort = 0;
    config.agentPort = 0;
    config.proxyProtocol = true;
    config.trustedProxies = { { kBalancer, 32 } };
    return config;
}

/** Waits for the next frame and returns it. */
Frame nextFrame(TestClient &client)
{
    REQUIRE(client.waitForNext());
    return client.next();
}

ProtocolError errorOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

QString kindOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerMessage);
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    REQUIRE(message.ok());
    return message.value().kind();
}

void sendSample(TestClient &client, qint64 id)
{
    const QList<SampleImage> samples = sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    ImageRequest request;
    request.imageData = samples.first().bytes;
    request.messageId = id;
    client.sendRaw(*request.toFrame(ImageBodyForm::Base64Json));
}

/** The peer of the first session started after the spy began. */
QString startedPeer(QSignalSpy &started)
{
    REQUIRE((!started.isEmpty() || started.wait(10000)));
    return started.first().at(1).toString();
}

} // namespace

TEST_CASE("The agent port answers the share of free workers, 1% at least, and drain while draining")
{
    ServerFixture fixture(balancedConfig(2));
    const quint16 agent = fixture.server->agentPort();
    REQUIRE(agent != 0);
    CHECK(agentAnswer(agent) == "up ready 100%\n");

    const auto first = std::make_unique<TestClient>(fixture.port());
    CHECK(kindOf(nextFrame(*first)) == "welcome");
    CHECK(agentAnswer(agent) == "up ready 50%\n");

    const auto second = std::make_unique<TestClient>(fixture.port());
    CHECK(kindOf(nextFrame(*second)) == "welcome");
    CHECK(agentAnswer(agent) == "up ready 1%\n");

    // One more waits in line: still 1 %, so a balancer keeps sending clients to wait here
    // when every backend is full, rather than refusing them itself.
    const auto third = std::make_unique<TestClient>(fixture.port());
    CHECK(kindOf(nextFrame(*third)) == "queued");
    CHECK(agentAnswer(agent) == "up ready 1%\n");

    first->hangUp();
    second->hangUp();
    REQUIRE(QTest::qWaitFor([&] { return fixture.server->activeSessionCount() == 1; }, 10000));
    CHECK(agentAnswer(agent) == "up ready 50%\n");

    REQUIRE(fixture.server->drain(QStringLiteral("the test")));
    CHECK(agentAnswer(agent) == "drain\n");
}

TEST_CASE("The agent's line for each state of a server")
{
    CHECK(AgentEndpoint::answer(false, false, 4, 0, 0) == "down#no model loaded\n");
    CHECK(AgentEndpoint::answer(true, true, 4, 0, 0) == "drain\n");
    CHECK(AgentEndpoint::answer(true, false, 4, 1, 0) == "up ready 75%\n");
    CHECK(AgentEndpoint::answer(true, false, 3, 1, 0) == "up ready 66%\n");
    CHECK(AgentEndpoint::answer(true, false, 4, 3, 1) == "up ready 1%\n"); // a line: nothing is free
    CHECK(AgentEndpoint::answer(true, false, 200, 199, 0) == "up ready 1%\n"); // 0.5 % is not 0
}

TEST_CASE("POST /admin/drain: not ready at once, still serving, drained when the time is over")
{
    ServerConfig config = balancedConfig(2);
    config.drainTime = 1s;
    ServerFixture fixture(config);
    const quint16 http = fixture.server->httpPort();
    const auto client = std::make_unique<TestClient>(fixture.port());
    CHECK(kindOf(nextFrame(*client)) == "welcome");
    CHECK(httpGet(http, "/health/ready").status == 200);

    CHECK(httpGet(http, "/admin/drain").status == 405);
    QSignalSpy drained(fixture.server.get(), &OrchardServer::drained);
    const HttpReply drain = httpRequest(http, "POST", "/admin/drain");
    CHECK(drain.status == 202);
    CHECK(drain.body.contains("draining"));
    CHECK(fixture.server->isDraining());
    const HttpReply ready = httpGet(http, "/health/ready");
    CHECK(ready.status == 503);
    CHECK(ready.body.contains("draining"));
    CHECK(httpRequest(http, "POST", "/admin/drain").status == 200); // already: said so, nothing new

    // Serving goes on: the session it has and a new one.
    sendSample(*client, 7);
    CHECK(nextFrame(*client).type() == MessageType::ServerPrediction);
    const auto late = std::make_unique<TestClient>(fixture.port());
    CHECK(kindOf(nextFrame(*late)) == "welcome");
    CHECK(drained.isEmpty());
    CHECK(drained.wait(10000));
}

TEST_CASE("POST /admin/drain with access tokens takes an admin token only")
{
    ServerConfig config = balancedConfig(1);
    auto tokens = AccessTokens::parse("lab tok-lab-0123456789abcdef\nfarmer tok-farmer-0123456789abcdef\n",
                                      QStringLiteral("the test's tokens"));
    if (!tokens)
        FAIL(tokens.error().toStdString());
    config.accessTokens = std::make_shared<const AccessTokens>(std::move(tokens).value());
    config.adminLabels = { QStringLiteral("lab") };
    ServerFixture fixture(config);
    const quint16 http = fixture.server->httpPort();
    CHECK(httpRequest(http, "POST", "/admin/drain").status == 401);
    const HttpReply farmer = httpRequest(http, "POST", "/admin/drain", 10000, "Authorization: Bearer tok-farmer-0123456789abcdef\r\n");
    CHECK(farmer.status == 403);
    CHECK(farmer.body.contains("may not drain the server"));
    CHECK_FALSE(fixture.server->isDraining());
    CHECK(httpRequest(http, "POST", "/admin/drain", 10000, "Authorization: Bearer tok-lab-0123456789abcdef\r\n").status == 202);
    CHECK(fixture.server->isDraining());
}

TEST_CASE("A trusted proxy's PROXY v1 header names the client the server reports")
{
    ServerFixture fixture(balancedConfig(2));
    QSignalSpy started(fixture.server->events(), &ServerEvents::sessionStarted);
    TestClient client(fixture.port(), kBalancer, "PROXY TCP4 192.0.2.7 127.0.0.1 40001 5050\r\n");
    CHECK(kindOf(nextFrame(client)) == "welcome");
    CHECK(startedPeer(started) == "192.0.2.7:40001");
    // The client's own bytes follow the header untouched.
    sendSample(client, 1);
    CHECK(nextFrame(client).type() == MessageType::ServerPrediction);
}

TEST_CASE("A trusted proxy's PROXY v2 header names an IPv6 client, and LOCAL keeps the proxy's address")
{
    ServerFixture fixture(balancedConfig(2));
    QSignalSpy started(fixture.server->events(), &ServerEvents::sessionStarted);
    QByteArray v2("\r\n\r\n\0\r\nQUIT\n", 12);
    v2 += char(0x21); // version 2, PROXY
    v2 += char(0x21); // INET6, STREAM
    v2 += char(0);
    v2 += char(36);
    const QByteArray destination(16, '\0');
    QByteArray addresses;
    const Q_IPV6ADDR client = QHostAddress(QStringLiteral("2001:db8::5")).toIPv6Address();
    addresses.append(reinterpret_cast<const char *>(client.c), 16);
    addresses.append(destination);
    addresses += char(0x9c);
    addresses += char(0x41); // port 40001
    addresses += char(0x13);
    addresses += char(0xba); // port 5050
    TestClient proxied(fixture.port(), kBalancer, v2 + addresses);
    CHECK(kindOf(nextFrame(proxied)) == "welcome");
    CHECK(startedPeer(started) == "[2001:db8::5]:40001");

    started.clear();
    QByteArray local("\r\n\r\n\0\r\nQUIT\n", 12);
    local += char(0x20); // version 2, LOCAL: the balancer's own connection
    local += char(0);
    local += char(0);
    local += char(0);
    TestClient health(fixture.port(), kBalancer, local);
    CHECK(kindOf(nextFrame(health)) == "welcome");
    CHECK(startedPeer(started).startsWith("127.0.0.2:"));
}

TEST_CASE("A trusted proxy's connection without a PROXY header is refused with BAD_HEADER")
{
    ServerFixture fixture(balancedConfig(2));
    QSignalSpy rejected(fixture.server->events(), &ServerEvents::connectionRejected);
    TestClient client(fixture.port(), kBalancer);
    REQUIRE(client.waitConnected());
    sendSample(client, 1); // Orchard's protocol straight away
    const ProtocolError error = errorOf(nextFrame(client));
    CHECK(error.code == ErrorCode::BadHeader);
    CHECK(error.message.contains("did not begin with a PROXY protocol header"));
    CHECK(client.waitDisconnected());
    REQUIRE((!rejected.isEmpty() || rejected.wait(5000)));
    CHECK(rejected.first().at(0).toString().startsWith("127.0.0.2:"));

    TestClient garbled(fixture.port(), kBalancer, "PROXY TCP4 999.0.0.1 127.0.0.1 1 2\r\n");
    const ProtocolError invalid = errorOf(nextFrame(garbled));
    CHECK(invalid.code == ErrorCode::BadHeader);
    CHECK(invalid.message.contains("not valid"));
}

TEST_CASE("A PROXY header that stalls gets TIMEOUT within the read timeout")
{
    ServerConfig config = balancedConfig(2);
    config.readTimeout = 1s;
    ServerFixture fixture(config);
    TestClient client(fixture.port(), kBalancer, "PROXY TCP4 192.0.2.7 ");
    const ProtocolError error = errorOf(nextFrame(client));
    CHECK(error.code == ErrorCode::Timeout);
    CHECK(error.message.contains("No PROXY protocol header"));
    CHECK(client.waitDisconnected());
}

TEST_CASE("A PROXY header from an address not trusted is refused with BAD_HEADER saying why")
{
    ServerFixture fixture(balancedConfig(2));
    // From 127.0.0.1: not the balancer. Served as a client, whose first frame is no frame.
    TestClient client(fixture.port(), QHostAddress::LocalHost, "PROXY TCP4 192.0.2.7 127.0.0.1 40001 5050\r\n");
    CHECK(kindOf(nextFrame(client)) == "welcome");
    sendSample(client, 1); // the rest of the 128-byte frame header
    const ProtocolError error = errorOf(nextFrame(client));
    CHECK(error.code == ErrorCode::BadHeader);
    CHECK(error.message.contains("PROXY protocol header"));
    CHECK(error.message.contains("--trusted-proxies"));

    // Without --proxy-protocol at all, the same sentence.
    ServerFixture plain(withWorkers(1));
    TestClient direct(plain.port(), QHostAddress::LocalHost, "PROXY TCP4 192.0.2.7 127.0.0.1 40001 5050\r\n");
    CHECK(kindOf(nextFrame(direct)) == "welcome");
    sendSample(direct, 1);
    CHECK(errorOf(nextFrame(direct)).message.contains("--proxy-protocol"));
}
