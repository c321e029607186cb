// Client text and numbers that used to travel further than they should: action names and
// message types quoted whole into the log and the monitor (with forged lines in them),
// CLIENT_MESSAGE bodies as large as images, msg_ids that cannot be echoed back, a second
// auth with a wrong token. Each against a real in-process server on loopback.
#include <catch2/catch.hpp>

#include <limits>

#include <QSignalSpy>
#include <QTest>

#include "common/protocol/clientmessage.h"
#include "server/core/accesstokens.h"
#include "server/core/eventlogmodel.h"
#include "tests/hardening/hostile.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::hardening;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
/** How long a quoted client string may be in any error or log line (docs/security.md). */
constexpr int kQuotedTextBound = 200;

QByteArray actionBody(const QByteArray &action)
{
    return R"({"action":")" + action + R"("})";
}

/** The longest details text the log holds for these events. */
qsizetype longestDetails(const EventLogModel &log)
{
    qsizetype longest = 0;
    for (int row = 0; row < log.rowCount(); ++row)
        longest = std::max(longest, log.entry(row).line().size());
    return longest;
}

bool anyLineContains(const EventLogModel &log, QChar character)
{
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.entry(row).line().contains(character))
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("An unknown action's name is cut short and escaped in the error and the log")
{
    ServerFixture fixture(withWorkers(2));
    EventLogModel log(fixture.server->events());
    auto client = welcomedClient(fixture.port());
    // Under the 64 KiB text limit, so it is answered, not refused by size.
    const QByteArray name = QByteArray(60'000, 'x');
    client->sendFrame(MessageType::ClientMessage, actionBody(name), 7);
    REQUIRE(client->waitForNext());
    const ProtocolError error = errorOf(client->next());
    CHECK(error.code == ErrorCode::UnknownType);
    CHECK(error.message.size() < kQuotedTextBound + 100);
    CHECK(error.message.contains("xxxx"));
    CHECK(error.message.contains("60000 characters"));

    // A name with line breaks cannot forge a log line: they arrive escaped.
    client->sendFrame(MessageType::ClientMessage,
                      actionBody(R"(dance\n2026-12-02 10:00:00.000 server stopped no longer accepting\r)"), 8);
    REQUIRE(client->waitForNext());
    const ProtocolError forged = errorOf(client->next());
    CHECK_FALSE(forged.message.contains('\n'));
    CHECK(forged.message.contains("\\n2026-12-02"));
    requireServed(*client, 9); // the session goes on
    REQUIRE(QTest::qWaitFor([&] { return log.rowCount() >= 4; }, kWaitMs));
    CHECK(longestDetails(log) < kQuotedTextBound + 200);
    CHECK_FALSE(anyLineContains(log, '\n'));
    CHECK_FALSE(anyLineContains(log, '\r'));
}

TEST_CASE("A CLIENT_MESSAGE over the text limit is TOO_LARGE before its body is read")
{
    ServerConfig config = withWorkers(2);
    config.maxClientMessageLength = 1024;
    ServerFixture fixture(config);
    auto bystander = welcomedClient(fixture.port());
    auto client = welcomedClient(fixture.port());
    client->sendRaw(rawHeader(R"({"msg_type":"CLIENT_MESSAGE","msg_len":1025})"));
    REQUIRE(client->waitForNext());
    const ProtocolError error = errorOf(client->next());
    CHECK(error.code == ErrorCode::TooLarge);
    CHECK(error.message.contains("1024"));
    CHECK(client->waitDisconnected());
    // At the limit is fine; images still have their own, larger limit.
    auto other = welcomedClient(fixture.port());
    other->sendFrame(MessageType::ClientMessage, ClientMessage::actionBody(QStringLiteral("ping")).leftJustified(1024, ' '));
    REQUIRE(other->waitForNext());
    CHECK(messageOf(other->next()).kind() == "pong");
    requireServed(*bystander, 1);
}

TEST_CASE("A msg_id that cannot be echoed exactly is BAD_HEADER, not a different number")
{
    ServerFixture fixture(withWorkers(2));
    auto bystander = welcomedClient(fixture.port());
    for (const QByteArray &id : { QByteArray("1e30"), QByteArray("18446744073709551615"),
                                  QByteArray("9223372036854775808") }) {
        INFO("msg_id " << id.toStdString());
        auto client = welcomedClient(fixture.port());
        client->sendRaw(rawHeader(R"({"msg_type":"CLIENT_MESSAGE","msg_len":2,"msg_id":)" + id + "}") + "{}");
        REQUIRE(client->waitForNext());
        const ProtocolError error = errorOf(client->next());
        CHECK(error.code == ErrorCode::BadHeader);
        CHECK(error.message.contains("msg_id"));
        CHECK_FALSE(error.messageId.has_value());
    }
    // The largest one that fits is echoed as sent.
    auto client = welcomedClient(fixture.port());
    client->sendRaw(rawHeader(R"({"msg_type":"CLIENT_MESSAGE","msg_len":17,"msg_id":9223372036854775807})")
                    + R"({"action":"ping"})");
    REQUIRE(client->waitForNext());
    const Frame pong = client->next();
    CHECK(messageOf(pong).kind() == "pong");
    CHECK(pong.messageId() == std::numeric_limits<qint64>::max());
    requireServed(*bystander, 1);
}

TEST_CASE("A second auth with a wrong token is UNAUTHORIZED and closes, a right one still works")
{
    const QByteArray token = "field-team-7f3a9c2e51d4b8a0";
    auto tokens = AccessTokens::parse("field-team " + token + "\n", QStringLiteral("tokens.txt"));
    REQUIRE(tokens.ok());
    ServerConfig config = withWorkers(2);
    config.accessTokens = std::make_shared<const AccessTokens>(std::move(tokens).value());
    ServerFixture fixture(config);
    EventLogModel log(fixture.server->events());

    auto client = welcomedClient(fixture.port());
    client->sendFrame(MessageType::ClientMessage, ClientMessage::authBody(token), 1);
    REQUIRE(client->waitForNext());
    CHECK(messageOf(client->next()).kind() == "authenticated");
    client->sendFrame(MessageType::ClientMessage, ClientMessage::authBody(token), 2);
    REQUIRE(client->waitForNext());
    const ServerMessage again = messageOf(client->next());
    CHECK(again.kind() == "authenticated");
    CHECK(again.fields().value("label").toString() == "field-team");

    client->sendFrame(MessageType::ClientMessage, ClientMessage::authBody("not-the-token-0123456789"), 3);
    REQUIRE(client->waitForNext());
    const ProtocolError error = errorOf(client->next());
    CHECK(error.code == ErrorCode::Unauthorized);
    CHECK(error.messageId == 3);
    CHECK(client->waitDisconnected());
    REQUIRE(QTest::qWaitFor(
            [&] {
                for (int row = 0; row < log.rowCount(); ++row) {
                    if (log.entry(row).line().contains("wrong access token"))
                        return true;
                }
                return false;
            },
            kWaitMs));
}
