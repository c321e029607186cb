// Access tokens: the token file, and a real server that lets in only those who hold one.
#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QTest>

#include "client/core/serverconnection.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/servererror.h"
#include "server/core/accesstokens.h"
#include "server/core/eventlogmodel.h"
#include "server/core/sessiontablemodel.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

const QByteArray kFieldToken = "field-team-7f3a9c2e51d4b8a0";
const QByteArray kLabToken = "lab-staff-0c9d8e7f6a5b4c3d";

std::shared_ptr<const AccessTokens> tokens()
{
    auto parsed = AccessTokens::parse("# who may use the server\n"
                                      "field-team " + kFieldToken + "\n"
                                      "\n"
                                      "lab " + kLabToken + "   # added in May\n",
                                      QStringLiteral("tokens.txt"));
    REQUIRE(parsed.ok());
    return std::make_shared<const AccessTokens>(std::move(parsed).value());
}

ServerConfig withTokens()
{
    ServerConfig config;
    config.accessTokens = tokens();
    return config;
}

ProtocolError errorOf(const Frame &frame)
{
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

} // namespace

TEST_CASE("The token file gives labels to tokens, with comments and blank lines")
{
    const auto parsed = tokens();
    CHECK(parsed->size() == 2);
    CHECK(parsed->labelFor(kFieldToken) == "field-team");
    CHECK(parsed->labelFor(kLabToken) == "lab");
    CHECK(parsed->labelFor("field-team-7f3a9c2e51d4b8a").isEmpty()); // one byte short
    CHECK(parsed->labelFor(kFieldToken + "x").isEmpty());
    CHECK(parsed->labelFor(QByteArray()).isEmpty());
}

TEST_CASE("A token file with a short, repeated or malformed token is refused, naming the line")
{
    const auto errorFor = [](const QByteArray &text) {
        const auto parsed = AccessTokens::parse(text, QStringLiteral("t.txt"));
        REQUIRE_FALSE(parsed.ok());
        return parsed.error();
    };
    CHECK(errorFor("alice short\n").contains("t.txt line 1"));
    CHECK(errorFor("alice short\n").contains("shorter than 16"));
    CHECK(errorFor("a 0123456789abcdef\nb 0123456789abcdef\n").contains("line 2"));
    CHECK(errorFor("\njust-a-token-without-label\n").contains("line 2"));
    CHECK(errorFor("# nothing here\n").contains("no tokens"));
    CHECK(AccessTokens::load(QStringLiteral("/nonexistent/tokens.txt")).error().contains("Cannot read"));
}

TEST_CASE("Without its token first, a client gets UNAUTHORIZED and is closed")
{
    ServerFixture fixture(withTokens());
    TestClient client(fixture.port());
    REQUIRE(client.waitForNext());
    const Frame welcome = client.next();
    CHECK(ServerMessage::fromBody(welcome.body)->authRequired());

    client.sendFrame(MessageType::ClientImage, sampleImages().first().bytes.toBase64(), 1);
    REQUIRE(client.waitForNext());
    const ProtocolError error = errorOf(client.next());
    CHECK(error.code == ErrorCode::Unauthorized);
    CHECK(error.messageId == 1);
    CHECK(client.waitDisconnected());
    CHECK(client.predictionCount() == 0);
}

TEST_CASE("A wrong token gets UNAUTHORIZED and the token never reaches the log")
{
    ServerFixture fixture(withTokens());
    EventLogModel log(fixture.server->events());
    TestClient client(fixture.port());
    REQUIRE(client.waitForNext());
    client.next();
    client.sendFrame(MessageType::ClientMessage, ClientMessage::authBody("guessed-token-0000000000"));
    REQUIRE(client.waitForNext());
    CHECK(errorOf(client.next()).code == ErrorCode::Unauthorized);
    CHECK(client.waitDisconnected());
    REQUIRE(QTest::qWaitFor([&] { return log.rowCount() >= 2; }, 5000));
    for (int row = 0; row < log.rowCount(); ++row)
        CHECK_FALSE(log.entry(row).line().contains("guessed-token"));
}

TEST_CASE("With the right token the session is served and shown under its label")
{
    ServerFixture fixture(withTokens());
    SessionTableModel sessions(fixture.server->events());
    EventLogModel log(fixture.server->events());
    TestClient client(fixture.port());
    REQUIRE(client.waitForNext());
    client.next();
    client.sendFrame(MessageType::ClientMessage, ClientMessage::authBody(kLabToken), 1);
    client.sendFrame(MessageType::ClientImage, sampleImages().first().bytes.toBase64(), 2);
    REQUIRE(client.waitForFrames(3));
    const Result<ServerMessage> accepted = ServerMessage::fromBody(client.next().body);
    REQUIRE(accepted.ok());
    CHECK(accepted->kind() == "authenticated");
    CHECK(accepted->fields().value("label").toString() == "lab");
    CHECK(client.next().type() == MessageType::ServerPrediction);

    REQUIRE(QTest::qWaitFor([&] { return sessions.rowCount() == 1 && !sessions.rowFor(1)->user.isEmpty(); }, 5000));
    CHECK(sessions.index(0, SessionTableModel::User).data().toString() == "lab");
    for (int row = 0; row < log.rowCount(); ++row)
        CHECK_FALSE(log.entry(row).line().contains(QString::fromUtf8(kLabToken)));
}

TEST_CASE("ServerConnection sends its token first, and says so in words when it has none")
{
    ServerFixture fixture(withTokens());
    ServerConnection withToken;
    withToken.setAccessToken(kFieldToken);
    withToken.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return withToken.isConnected(); }, 10000));
    CHECK(withToken.authenticatedAs() == "field-team");
    CHECK(withToken.statusText().contains("as field-team"));

    ServerConnection without;
    QSignalSpy lost(&without, &ServerConnection::connectionLost);
    without.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(lost.wait(10000));
    CHECK(lost.at(0).at(0).toString().contains("needs an access token"));

    ServerConnection wrong;
    wrong.setAccessToken("not-the-right-token-at-all");
    QSignalSpy refused(&wrong, &ServerConnection::connectionLost);
    wrong.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(refused.wait(10000));
    CHECK(refused.at(0).at(0).toString().contains("refused the access token"));
}
