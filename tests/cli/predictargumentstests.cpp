#include <catch2/catch.hpp>

#include "client/cli/predictcommand.h"
#include "client/core/clientsettings.h"

using namespace orchard;

namespace {

using Outcome = ParsedArguments<PredictCommand::Options>::Outcome;

ParsedArguments<PredictCommand::Options> parse(const QStringList &arguments)
{
    return PredictCommand::parseArguments(QStringList { "orchard-cli", "predict" } + arguments);
}

} // namespace

TEST_CASE("predict arguments: the defaults are the client settings'")
{
    const ClientSettings defaults;
    const auto parsed = parse({ "photos/" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.host == defaults.host);
    CHECK(parsed.options.port == defaults.port);
    CHECK(parsed.options.topK == defaults.topK);
    CHECK_FALSE(parsed.options.json);
    CHECK_FALSE(parsed.options.forceBinary);
    CHECK_FALSE(parsed.options.forceBase64);
    CHECK_FALSE(parsed.options.tls.enabled);
    CHECK(parsed.options.reconnectAttempts == 5);
    CHECK(parsed.options.paths == QStringList { "photos/" });
}

TEST_CASE("predict arguments: each option is read")
{
    const auto parsed = parse({ "--host", "orchard.lab", "--port", "6000", "--top-k", "4", "--json", "--binary",
                                "--pin", "ab:cd", "a.jpg", "b.jpg" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.host == "orchard.lab");
    CHECK(parsed.options.port == 6000);
    CHECK(parsed.options.topK == 4);
    CHECK(parsed.options.json);
    CHECK(parsed.options.forceBinary);
    CHECK(parsed.options.tls.enabled); // --pin implies TLS
    CHECK(parsed.options.tls.pinnedFingerprint == "ab:cd");
    CHECK(parsed.options.paths == QStringList { "a.jpg", "b.jpg" });
    CHECK(parse({ "--base64", "a.jpg" }).options.forceBase64);
    CHECK(parse({ "--tls", "a.jpg" }).options.tls.enabled);
}

TEST_CASE("predict arguments: bad values are usage errors that name the option")
{
    const struct
    {
        QStringList arguments;
        const char *says;
    } cases[] = {
        { { "--port", "0", "a.jpg" }, "--port" },
        { { "--port", "70000", "a.jpg" }, "--port" },
        { { "--host", " ", "a.jpg" }, "--host" },
        { { "--top-k", "-1", "a.jpg" }, "--top-k" },
        { { "--binary", "--base64", "a.jpg" }, "--binary and --base64" },
        { { "--ca", "/no/such/ca.pem", "a.jpg" }, "/no/such/ca.pem" },
        { { "--port", "5050" }, "no files or folders" },
        { { "--prune", "a.jpg" }, "prune" },
        { { "--reconnect-attempts", "-1", "a.jpg" }, "--reconnect-attempts" },
        { { "--reconnect-attempts", "101", "a.jpg" }, "from 0 to 100" },
        { { "--reconnect-attempts", "some", "a.jpg" }, "\"some\"" },
        { { "--reconnect-attempts", "2.5", "a.jpg" }, "--reconnect-attempts" },
    };
    for (const auto &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = parse(bad.arguments);
        CHECK(parsed.outcome == Outcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
}

TEST_CASE("predict arguments: --reconnect-attempts takes 0 (never) up to 100")
{
    CHECK(parse({ "--reconnect-attempts", "0", "a.jpg" }).options.reconnectAttempts == 0);
    CHECK(parse({ "--reconnect-attempts", "12", "a.jpg" }).options.reconnectAttempts == 12);
    CHECK(parse({ "--reconnect-attempts", "100", "a.jpg" }).options.reconnectAttempts == 100);
    CHECK(parse({ "--reconnect-attempts=3", "a.jpg" }).options.reconnectAttempts == 3);
}

TEST_CASE("predict arguments: --model-name reads NAME or NAME:VERSION")
{
    const auto none = parse({ "a.jpg" });
    REQUIRE(none.shouldRun());
    CHECK(none.options.modelName.isEmpty()); // the server's default
    CHECK_FALSE(none.options.modelVersion);

    const auto latest = parse({ "--model-name", "apple-leaf", "a.jpg" });
    REQUIRE(latest.shouldRun());
    CHECK(latest.options.modelName == "apple-leaf");
    CHECK_FALSE(latest.options.modelVersion);

    const auto fixed = parse({ "--model-name=apple-leaf:3", "a.jpg" });
    REQUIRE(fixed.shouldRun());
    CHECK(fixed.options.modelName == "apple-leaf");
    CHECK(fixed.options.modelVersion == 3);

    const auto longest = parse({ "--model-name", QString(PredictCommand::kMaxModelNameLength, u'm') + ":9007199254740992",
                                 "a.jpg" });
    REQUIRE(longest.shouldRun());
    CHECK(longest.options.modelName.size() == PredictCommand::kMaxModelNameLength);
    CHECK(longest.options.modelVersion == PredictCommand::kMaxModelVersion);
}

TEST_CASE("predict arguments: a bad --model-name says what is wrong with it")
{
    const struct
    {
        QString value;
        const char *says;
    } cases[] = {
        { "", "needs a model's name" },
        { ":3", "needs a model's name" },
        { "  ", "needs a model's name" },
        { "apple-leaf:", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:0", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:-1", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:+2", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:1.5", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:v2", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:2:3", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:9007199254740993", "VERSION after the colon must be a whole number of at least 1" },
        { "apple-leaf:99999999999999999999999", "VERSION after the colon must be a whole number of at least 1" },
        { QString(PredictCommand::kMaxModelNameLength + 1, u'm'), "at most 64 characters" },
        { "apple\tleaf", "control characters" },
    };
    for (const auto &bad : cases) {
        INFO(bad.value.toStdString());
        const auto parsed = parse({ "--model-name", bad.value, "a.jpg" });
        CHECK(parsed.outcome == Outcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
        CHECK(parsed.text.contains("--model-name"));
    }
    const auto missing = parse({ "a.jpg", "--model-name" });
    CHECK(missing.outcome == Outcome::UsageError);
    CHECK(missing.text.contains("model-name"));
}

TEST_CASE("predict arguments: --help names the token variable and the exit codes")
{
    const auto parsed = parse({ "--help" });
    CHECK(parsed.outcome == Outcome::ShowHelp);
    CHECK(parsed.text.contains("ORCHARD_TOKEN"));
    CHECK(parsed.text.contains("2 server unreachable"));
    CHECK(parsed.text.contains("64 bad options"));
    CHECK(parsed.text.contains("--model-name <NAME[:VERSION]>"));
    CHECK(parsed.text.contains("UNKNOWN_MODEL"));
    CHECK(parsed.text.contains("--reconnect-attempts <N>"));
    CHECK(parsed.text.contains("reconnected by itself"));
}

TEST_CASE("predict arguments: --as-plant is off unless given, and keeps --top-k for the lines")
{
    CHECK_FALSE(parse({ "a.jpg", "b.jpg" }).options.asPlant);
    const auto parsed = parse({ "--as-plant", "--top-k", "2", "a.jpg", "b.jpg" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.asPlant);
    CHECK(parsed.options.topK == 2);
    CHECK(parsed.options.paths == QStringList { "a.jpg", "b.jpg" });
}
