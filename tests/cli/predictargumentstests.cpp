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
    };
    for (const auto &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = parse(bad.arguments);
        CHECK(parsed.outcome == Outcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
}

TEST_CASE("predict arguments: --help names the token variable and the exit codes")
{
    const auto parsed = parse({ "--help" });
    CHECK(parsed.outcome == Outcome::ShowHelp);
    CHECK(parsed.text.contains("ORCHARD_TOKEN"));
    CHECK(parsed.text.contains("2 server unreachable"));
    CHECK(parsed.text.contains("64 bad options"));
}
