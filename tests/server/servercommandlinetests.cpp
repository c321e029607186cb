#include <catch2/catch.hpp>

#include "server/core/servercommandline.h"

using namespace orchard;
using namespace std::chrono_literals;

namespace {
ServerCommandLine parse(const QStringList &arguments)
{
    return ServerCommandLine::parse(QStringList { QStringLiteral("orchard-server") } + arguments,
                                    QStringLiteral("1.2.3"));
}
} // namespace

TEST_CASE("Without options the server uses the documented defaults")
{
    const ServerCommandLine line = parse({});
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK_FALSE(line.headless);
    CHECK(line.config.host == QHostAddress::Any);
    CHECK(line.config.port == 5050);
    CHECK(line.config.workers == 5);
    CHECK(line.config.maxQueued == 64);
    CHECK(line.config.readTimeout == 30s);
    CHECK(line.config.idleTimeout == 600s);
    CHECK(line.config.maxMessageLength == 32 * 1024 * 1024);
    CHECK(line.config.maxPixels == 40'000'000);
    CHECK(line.config.intraOpThreads == 1);
    CHECK(line.config.modelDirectory.isEmpty());
}

TEST_CASE("Every option is read")
{
    const ServerCommandLine line = parse({ "--headless", "--host", "127.0.0.1", "--port", "0", "--threads",
                                           "2", "--model", "/m", "--max-queued", "3", "--read-timeout", "7",
                                           "--idle-timeout", "9", "--max-msg-len", "1000", "--max-pixels",
                                           "500", "--intra-op-threads", "2", "--log-file", "/tmp/x.log" });
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.headless);
    CHECK(line.config.host == QHostAddress::LocalHost);
    CHECK(line.config.port == 0);
    CHECK(line.config.workers == 2);
    CHECK(line.config.modelDirectory == "/m");
    CHECK(line.config.maxQueued == 3);
    CHECK(line.config.readTimeout == 7s);
    CHECK(line.config.idleTimeout == 9s);
    CHECK(line.config.maxMessageLength == 1000);
    CHECK(line.config.maxPixels == 500);
    CHECK(line.config.intraOpThreads == 2);
    CHECK(line.logFile == "/tmp/x.log");
}

TEST_CASE("Bad numbers and addresses are refused with a sentence naming the option")
{
    const ServerCommandLine threads = parse({ "--threads", "zero" });
    CHECK(threads.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(threads.message.contains("--threads"));
    CHECK(threads.message.contains("zero"));
    CHECK(parse({ "--port", "70000" }).outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(parse({ "--threads", "0" }).outcome == ServerCommandLine::Outcome::ExitError);
    const ServerCommandLine host = parse({ "--host", "farm.local" });
    CHECK(host.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(host.message.contains("--host"));
    CHECK(parse({ "--bogus" }).outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(parse({ "stray" }).outcome == ServerCommandLine::Outcome::ExitError);
}

// Not named "--help …": Catch would read the name as an option and run nothing.
TEST_CASE("The help text documents every option")
{
    const ServerCommandLine line = parse({ "--help" });
    CHECK(line.outcome == ServerCommandLine::Outcome::ExitOk);
    for (const char *option : { "--headless", "--host", "--port", "--threads", "--model", "--max-queued",
                                "--read-timeout", "--idle-timeout", "--max-msg-len", "--max-pixels",
                                "--intra-op-threads", "--log-file" })
        CHECK(line.message.contains(QLatin1String(option)));
}

TEST_CASE("The write timeout and the text-message limit have options")
{
    const ServerCommandLine defaults = parse({});
    CHECK(defaults.config.writeTimeout == 30s);
    CHECK(defaults.config.maxClientMessageLength == 64 * 1024);

    const ServerCommandLine line = parse({ "--write-timeout", "5", "--max-client-message", "4096" });
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.config.writeTimeout == 5s);
    CHECK(line.config.maxClientMessageLength == 4096);

    for (const QStringList &bad : { QStringList { "--write-timeout", "0" }, QStringList { "--write-timeout", "x" },
                                    QStringList { "--max-client-message", "10" } }) {
        INFO(bad.join(' ').toStdString());
        const ServerCommandLine refused = parse(bad);
        CHECK(refused.outcome == ServerCommandLine::Outcome::ExitError);
        CHECK(refused.message.contains(bad.first()));
    }
}

TEST_CASE("The image format and decode memory options are read, with defaults sized to the machine")
{
    const ServerCommandLine defaults = parse({});
    REQUIRE(defaults.outcome == ServerCommandLine::Outcome::Run);
    CHECK(defaults.config.imageFormats == ImageFormatSet::serverDefault());
    REQUIRE(defaults.config.decodeBudget);
    CHECK(defaults.config.decodeBudget->capacity() == DecodeBudget::defaultCapacity());

    const ServerCommandLine line = parse({ "--image-formats", "jpeg,tiff", "--decode-memory-mb", "512" });
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.config.imageFormats == ImageFormatSet({ ImageHeader::Format::Jpeg, ImageHeader::Format::Tiff }));
    CHECK(line.config.decodeBudget->capacity() == 512 * 1024 * 1024);
    CHECK(parse({ "--image-formats", "all" }).config.imageFormats == ImageFormatSet::all());

    for (const QStringList &bad : { QStringList { "--image-formats", "gif" }, QStringList { "--image-formats", "" },
                                    QStringList { "--decode-memory-mb", "8" },
                                    QStringList { "--decode-memory-mb", "lots" } }) {
        INFO(bad.join(' ').toStdString());
        const ServerCommandLine refused = parse(bad);
        CHECK(refused.outcome == ServerCommandLine::Outcome::ExitError);
        CHECK(refused.message.contains(bad.first()));
    }

    const QString help = parse({ "--help" }).message;
    CHECK(help.contains(QLatin1String("--image-formats")));
    CHECK(help.contains(QLatin1String("--decode-memory-mb")));
    // The default, as this machine sizes it (the parser wraps the text into lines).
    CHECK(help.simplified().contains(QStringLiteral("a quarter of this machine's memory, %1)")
                                             .arg(DecodeBudget::defaultCapacity() / (1024 * 1024))));
}

TEST_CASE("The load-balancer options: PROXY protocol with trusted proxies, the agent port, the drain time")
{
    const ServerCommandLine defaults = parse({});
    REQUIRE(defaults.outcome == ServerCommandLine::Outcome::Run);
    CHECK_FALSE(defaults.config.proxyProtocol);
    CHECK_FALSE(defaults.config.agentPort);
    CHECK(defaults.config.drainTime == 5s);
    CHECK_FALSE(defaults.config.isTrustedProxy(QHostAddress(QStringLiteral("127.0.0.1"))));

    const ServerCommandLine line = parse({ "--proxy-protocol", "--trusted-proxies", "10.0.0.5, 10.1.0.0/16,::1",
                                           "--agent-port", "9465", "--drain-seconds", "0" });
    INFO(line.message.toStdString());
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    const ServerConfig &config = line.config;
    CHECK(config.proxyProtocol);
    REQUIRE(config.agentPort);
    CHECK(*config.agentPort == 9465);
    CHECK(config.drainTime == 0s);
    CHECK(config.isTrustedProxy(QHostAddress(QStringLiteral("10.0.0.5"))));
    CHECK_FALSE(config.isTrustedProxy(QHostAddress(QStringLiteral("10.0.0.6")))); // an address is itself only
    CHECK(config.isTrustedProxy(QHostAddress(QStringLiteral("10.1.200.3"))));
    CHECK(config.isTrustedProxy(QHostAddress(QStringLiteral("::ffff:10.1.200.3")))); // a dual-stack listener's view
    CHECK(config.isTrustedProxy(QHostAddress(QStringLiteral("::1"))));
    CHECK_FALSE(config.isTrustedProxy(QHostAddress(QStringLiteral("127.0.0.1"))));

    const ServerCommandLine alone = parse({ "--proxy-protocol" });
    CHECK(alone.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(alone.message.contains("--proxy-protocol needs --trusted-proxies"));
    const ServerCommandLine trustedAlone = parse({ "--trusted-proxies", "10.0.0.5" });
    CHECK(trustedAlone.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(trustedAlone.message.contains("needs --proxy-protocol"));
    const ServerCommandLine bad = parse({ "--proxy-protocol", "--trusted-proxies", "10.0.0.5,balancer.lan" });
    CHECK(bad.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(bad.message.contains("\"balancer.lan\""));
    CHECK(parse({ "--drain-seconds", "-1" }).outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(parse({ "--agent-port", "70000" }).outcome == ServerCommandLine::Outcome::ExitError);
}
