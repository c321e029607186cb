// `orchard-cli bench` and `orchard-cli qa saturation` argument parsing, as pure functions
// of the argument list: no process, no server, no images read.
#include <catch2/catch.hpp>

#include <QTextStream>

#include "client/cli/benchcommand.h"
#include "client/cli/qasaturationcommand.h"
#include "client/core/clientsettings.h"
#include "common/inference/inferenceengine.h"

using namespace orchard;

namespace {

const QString kSamplesDir = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

using BenchOutcome = ParsedArguments<BenchCommand::Options>::Outcome;
using QaOutcome = ParsedArguments<QaSaturationCommand::Options>::Outcome;

ParsedArguments<BenchCommand::Options> bench(const QStringList &arguments)
{
    return BenchCommand::parseArguments(QStringList { "orchard-cli", "bench" } + arguments);
}

ParsedArguments<QaSaturationCommand::Options> qa(const QStringList &arguments)
{
    return QaSaturationCommand::parseArguments(QStringList { "orchard-cli", "qa", "saturation" } + arguments);
}

/** An argument list and what its usage error must mention (the option, or what is wrong). */
struct BadArguments
{
    QStringList arguments;
    const char *says;
};

} // namespace

TEST_CASE("bench arguments: the defaults")
{
    const ClientSettings defaults;
    const auto parsed = bench({});
    REQUIRE(parsed.shouldRun());
    const BenchCommand::Options &options = parsed.options;
    CHECK(options.host == defaults.host);
    CHECK(options.port == defaults.port);
    CHECK(options.levels == QVector<int> { 1 });
    CHECK(options.requests == 100);
    CHECK(options.duration == 0.0);
    CHECK(options.warmup == 10);
    CHECK(options.topK == 3);
    CHECK_FALSE(options.json);
    CHECK_FALSE(options.requireBinary);
    CHECK(options.bodyForm == BenchConnection::BodyForm::Auto);
    CHECK_FALSE(options.engine);
    CHECK_FALSE(options.legacy);
    CHECK(options.modelDirectory == InferenceEngine::defaultModelDirectory());
    CHECK(options.intraOpThreads == 1);
    CHECK(options.label.isEmpty());
    CHECK(options.levelTimeoutSeconds == 600);
    CHECK(options.serverPid == 0);
    CHECK_FALSE(options.tls.enabled);
    CHECK(options.paths == QStringList { kSamplesDir });
}

TEST_CASE("bench arguments: each option is read")
{
    const auto parsed = bench({ "--host", "orchard.lab", "--port", "6000", "--clients", "1,2,4", "--requests", "7",
                                "--warmup", "0", "--top-k", "5", "--json", "--binary", "--label", "small",
                                "--level-timeout", "30", "--server-pid", "1234", "--pin", "ab:cd", "--images",
                                "a.png", "photos/" });
    REQUIRE(parsed.shouldRun());
    const BenchCommand::Options &options = parsed.options;
    CHECK(options.host == "orchard.lab");
    CHECK(options.port == 6000);
    CHECK(options.levels == QVector<int> { 1, 2, 4 });
    CHECK(options.requests == 7);
    CHECK(options.warmup == 0);
    CHECK(options.topK == 5);
    CHECK(options.json);
    CHECK(options.requireBinary);
    CHECK(options.label == "small");
    CHECK(options.levelTimeoutSeconds == 30);
    CHECK(options.serverPid == 1234);
    CHECK(options.tls.enabled); // --pin implies TLS
    CHECK(options.tls.pinnedFingerprint == "ab:cd");
    CHECK(options.paths == QStringList { "a.png", "photos/" }); // --images first, then the arguments

    const auto duration = bench({ "--duration", "2.5" });
    REQUIRE(duration.shouldRun());
    CHECK(duration.options.duration == 2.5);
    CHECK(duration.options.requests == 0); // as many as the duration allows

    const auto engine = bench({ "--engine", "--model", "/farm/model", "--intra-op-threads", "4" });
    REQUIRE(engine.shouldRun());
    CHECK(engine.options.engine);
    CHECK(engine.options.modelDirectory == "/farm/model");
    CHECK(engine.options.intraOpThreads == 4);

    const auto legacy = bench({ "--legacy-server", "--base64" });
    REQUIRE(legacy.shouldRun());
    CHECK(legacy.options.legacy);
    CHECK(legacy.options.bodyForm == BenchConnection::BodyForm::Base64);
    CHECK(bench({ "--tls" }).options.tls.enabled);
}

TEST_CASE("bench arguments: bad values are usage errors that name the option")
{
    const BadArguments cases[] = {
        { { "--clients", "0" }, "--clients" },
        { { "--clients", "1,x" }, "--clients" },
        { { "--clients", "10001" }, "--clients" },
        { { "--requests", "0" }, "--requests" },
        { { "--requests", "many" }, "--requests" },
        { { "--duration", "0" }, "--duration" },
        { { "--duration", "soon" }, "--duration" },
        { { "--requests", "5", "--duration", "2" }, "--requests and --duration" },
        { { "--warmup", "-1" }, "--warmup" },
        { { "--top-k", "0" }, "--top-k" },
        { { "--level-timeout", "0" }, "--level-timeout" },
        { { "--port", "0" }, "--port" },
        { { "--port", "70000" }, "--port" },
        { { "--host", " " }, "--host" },
        { { "--binary", "--base64" }, "--binary and --base64" },
        { { "--engine", "--legacy-server" }, "--engine and --legacy-server" },
        { { "--legacy-server", "--binary" }, "--binary" },
        { { "--intra-op-threads", "0" }, "--intra-op-threads" },
        { { "--ca", "/no/such/ca.pem" }, "/no/such/ca.pem" },
        { { "--legacy-server", "--tls" }, "TLS" },
        { { "--server-pid", "0" }, "--server-pid" },
        { { "--server-pid", "init" }, "--server-pid" },
        { { "--colour" }, "colour" },
    };
    for (const BadArguments &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = bench(bad.arguments);
        CHECK(parsed.outcome == BenchOutcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
}

TEST_CASE("bench arguments: --help lists the options and ends with the exit codes")
{
    const auto parsed = bench({ "--help" });
    CHECK(parsed.outcome == BenchOutcome::ShowHelp);
    CHECK(parsed.text.contains("--clients"));
    CHECK(parsed.text.contains("--legacy-server"));
    CHECK(parsed.text.contains(QLatin1String(exitCodeHelp())));
}

TEST_CASE("qa saturation arguments: the defaults")
{
    const ClientSettings defaults;
    const auto parsed = qa({});
    REQUIRE(parsed.shouldRun());
    const SaturationOptions &scenario = parsed.options.scenario;
    CHECK(scenario.host == defaults.host);
    CHECK(scenario.port == defaults.port);
    CHECK(scenario.clients == 4);
    CHECK(scenario.staggerMs == 250);
    CHECK(scenario.holdSeconds == 2.0); // 4 clients 250 ms apart have all connected after 0.75 s
    CHECK(scenario.expectedWorkers == 0); // what the server's welcome says
    CHECK_FALSE(scenario.legacyServer);
    CHECK_FALSE(scenario.tls.enabled);
    // Enough for every client's turn: 0.75 s to connect, 4 turns of 2 + 10 s, 10 s spare.
    CHECK(scenario.timeoutMs == 58'750);
    CHECK(scenario.images.isEmpty()); // read by run(), not by the parser
    CHECK(parsed.options.imagePaths == QStringList { kSamplesDir });
}

TEST_CASE("qa saturation arguments: each option is read")
{
    const auto parsed = qa({ "--host", "orchard.lab", "--port", "6000", "--clients", "6", "--stagger", "100",
                             "--hold", "1.5", "--workers", "2", "--timeout", "90", "--images", "a.png", "--images",
                             "photos/" });
    REQUIRE(parsed.shouldRun());
    const SaturationOptions &scenario = parsed.options.scenario;
    CHECK(scenario.host == "orchard.lab");
    CHECK(scenario.port == 6000);
    CHECK(scenario.clients == 6);
    CHECK(scenario.staggerMs == 100);
    CHECK(scenario.holdSeconds == 1.5);
    CHECK(scenario.expectedWorkers == 2);
    CHECK(scenario.timeoutMs == 90'000);
    CHECK(parsed.options.imagePaths == QStringList { "a.png", "photos/" });

    // Without --hold, the hold grows so that every client has connected before the first leaves.
    CHECK(qa({ "--clients", "10", "--stagger", "500" }).options.scenario.holdSeconds == 5.5);

    const auto legacy = qa({ "--legacy-server", "--workers", "3" });
    REQUIRE(legacy.shouldRun());
    CHECK(legacy.options.scenario.legacyServer);
    CHECK(legacy.options.scenario.expectedWorkers == 3);
    CHECK(qa({ "--tls" }).options.scenario.tls.enabled);
}

TEST_CASE("qa saturation arguments: bad values are usage errors that name the option")
{
    const BadArguments cases[] = {
        { { "--clients", "0" }, "--clients" },
        { { "--clients", "1001" }, "--clients" },
        { { "--clients", "four" }, "--clients" },
        { { "--stagger", "-1" }, "--stagger" },
        { { "--hold", "0.5", "--clients", "4", "--stagger", "250" }, "--hold" }, // 0.75 s to connect
        { { "--hold", "long" }, "--hold" },
        { { "--workers", "0" }, "--workers" },
        { { "--legacy-server" }, "--workers" },
        { { "--legacy-server", "--workers", "2", "--tls" }, "TLS" },
        { { "--timeout", "0" }, "--timeout" },
        { { "--port", "0" }, "--port" },
        { { "--host", "" }, "--host" },
        { { "--ca", "/no/such/ca.pem" }, "/no/such/ca.pem" },
        { { "again" }, "again" },
        { { "--colour" }, "colour" },
    };
    for (const BadArguments &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = qa(bad.arguments);
        CHECK(parsed.outcome == QaOutcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
}

TEST_CASE("qa saturation arguments: --help says the exit codes")
{
    const auto parsed = qa({ "--help" });
    CHECK(parsed.outcome == QaOutcome::ShowHelp);
    CHECK(parsed.text.contains("--hold"));
    CHECK(parsed.text.contains("2 server unreachable"));
    CHECK(parsed.text.contains("64 bad options"));
}

TEST_CASE("bench and qa: a usage error is exit status 64, --help 0")
{
    QString outText;
    QString errText;
    QTextStream out(&outText);
    QTextStream err(&errText);
    CHECK(bench({ "--requests", "0" }).report(BenchCommand::name(), out, err) == ExitUsage);
    CHECK(errText.startsWith("orchard-cli bench: --requests"));
    CHECK(qa({ "--clients", "0" }).report(QStringLiteral("qa saturation"), out, err) == ExitUsage);
    CHECK(bench({ "--help" }).report(BenchCommand::name(), out, err) == ExitSuccess);
    CHECK(qa({ "--help" }).report(QStringLiteral("qa saturation"), out, err) == ExitSuccess);
}
