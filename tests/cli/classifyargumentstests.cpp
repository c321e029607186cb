#include <catch2/catch.hpp>

#include "client/cli/classifycommand.h"

using namespace orchard;

namespace {

using Outcome = ParsedArguments<ClassifyCommand::Options>::Outcome;

ParsedArguments<ClassifyCommand::Options> parse(const QStringList &arguments)
{
    return ClassifyCommand::parseArguments(QStringList { "orchard-cli", "classify" } + arguments);
}

} // namespace

TEST_CASE("classify arguments: the defaults")
{
    const auto parsed = parse({ "leaf.jpg", "photos/" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.paths == QStringList { "leaf.jpg", "photos/" });
    CHECK(parsed.options.topK == 3);
    CHECK_FALSE(parsed.options.json);
    CHECK(parsed.options.modelDirectory == InferenceEngine::defaultModelDirectory());
    CHECK(parsed.options.engine.maxPixels == InferenceEngine::Options {}.maxPixels);
}

TEST_CASE("classify arguments: each option is read")
{
    const auto parsed = parse({ "--json", "--top-k", "5", "--model", "/farm/model", "--max-pixels", "1000",
                                "leaf.jpg" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.json);
    CHECK(parsed.options.topK == 5);
    CHECK(parsed.options.modelDirectory == "/farm/model");
    CHECK(parsed.options.engine.maxPixels == 1000);
}

TEST_CASE("classify arguments: bad values are usage errors that name the option")
{
    for (const QStringList &bad : { QStringList { "--top-k", "zero", "x.png" }, QStringList { "--top-k", "0", "x.png" },
                                    QStringList { "--max-pixels", "-5", "x.png" }, QStringList { "--colour", "x.png" },
                                    QStringList {} }) {
        INFO(bad.join(' ').toStdString());
        const auto parsed = parse(bad);
        CHECK(parsed.outcome == Outcome::UsageError);
        CHECK_FALSE(parsed.text.isEmpty());
    }
    CHECK(parse({ "--top-k", "zero", "x.png" }).text.contains("--top-k"));
    CHECK(parse({ "--max-pixels", "-5", "x.png" }).text.contains("--max-pixels"));
    CHECK(parse({}).text.contains("no files or folders"));
}

TEST_CASE("classify arguments: --help shows the exit codes")
{
    const auto parsed = parse({ "--help" });
    CHECK(parsed.outcome == Outcome::ShowHelp);
    CHECK(parsed.text.contains("--top-k"));
    CHECK(parsed.text.contains("64 bad options"));
}
