// orchard-cli history's and predict's history options, parsed without a process.
#include <catch2/catch.hpp>

#include "client/cli/historycommand.h"
#include "client/cli/predictcommand.h"

using namespace orchard;

namespace {

ParsedArguments<HistoryCommand::Options> parseHistory(const QStringList &arguments)
{
    return HistoryCommand::parseArguments(QStringList { "orchard-cli", "history" } + arguments);
}

ParsedArguments<PredictCommand::Options> parsePredict(const QStringList &arguments)
{
    return PredictCommand::parseArguments(QStringList { "orchard-cli", "predict" } + arguments);
}

} // namespace

TEST_CASE("history arguments: none lists everything from the default history")
{
    qunsetenv("ORCHARD_HISTORY");
    const auto parsed = parseHistory({});
    REQUIRE(parsed.shouldRun());
    CHECK_FALSE(parsed.options.json);
    CHECK(parsed.options.exportPath.isEmpty());
    CHECK(parsed.options.historyFile == HistoryStore::defaultPath());
    CHECK(parsed.options.historyFile.endsWith("Orchard/orchard-client/history.sqlite"));
    const HistoryFilter &filter = parsed.options.filter;
    CHECK_FALSE(filter.since);
    CHECK_FALSE(filter.until);
    CHECK(filter.tag.isEmpty());
    CHECK(filter.label.isEmpty());
    CHECK(filter.text.isEmpty());
    CHECK_FALSE(filter.uncertainOnly);
    CHECK(filter.limit == 0);
}

TEST_CASE("history arguments: each filter and the export are read")
{
    const auto parsed = parseHistory({ "--json", "--tag", " plot 7 ", "--label", "Scab", "--since", "2026-11-01",
                                       "--until", "2026-11-30", "--uncertain", "--search", "hedge", "--limit", "5",
                                       "--history-file", "/tmp/h.sqlite" });
    REQUIRE(parsed.shouldRun());
    CHECK(parsed.options.json);
    CHECK(parsed.options.historyFile == "/tmp/h.sqlite");
    const HistoryFilter &filter = parsed.options.filter;
    CHECK(filter.tag == "plot 7");
    CHECK(filter.label == "Scab");
    CHECK(filter.since == QDate(2026, 11, 1));
    CHECK(filter.until == QDate(2026, 11, 30));
    CHECK(filter.uncertainOnly);
    CHECK(filter.text == "hedge");
    CHECK(filter.limit == 5);
    const auto exporting = parseHistory({ "--export", "out.csv", "--tag", "east" });
    REQUIRE(exporting.shouldRun());
    CHECK(exporting.options.exportPath == "out.csv");
    CHECK(exporting.options.filter.tag == "east");
    qputenv("ORCHARD_HISTORY", "/tmp/elsewhere.sqlite");
    CHECK(parseHistory({}).options.historyFile == "/tmp/elsewhere.sqlite");
    qunsetenv("ORCHARD_HISTORY");
}

TEST_CASE("history arguments: bad values are usage errors that name them")
{
    const struct
    {
        QStringList arguments;
        const char *says;
    } cases[] = {
        { { "--since", "2026-13-01" }, "--since wants a date as YYYY-MM-DD, not \"2026-13-01\"" },
        { { "--until", "yesterday" }, "--until wants a date as YYYY-MM-DD, not \"yesterday\"" },
        { { "--since", "2026-12-02", "--until", "2026-12-01" }, "--since 2026-12-02 is after --until 2026-12-01" },
        { { "--limit", "0" }, "--limit wants a whole number of 1 or more, not \"0\"" },
        { { "--limit", "ten" }, "not \"ten\"" },
        { { "--export", "a.csv", "--json" }, "--export writes CSV: leave out --json" },
        { { "--export", "" }, "--export needs a file's path" },
        { { "--history-file", " " }, "--history-file needs a file's path" },
        { { "photos/" }, "takes no files (\"photos/\")" },
        { { "--tags", "x" }, "Unknown option 'tags'" },
        { { "--tag", " " }, "--tag needs a value; leave it out to match any" },
        { { "--label", "" }, "--label needs a value" },
        { { "--search", "" }, "--search needs a value" },
        { { "--limit" }, "Missing value after '--limit'" },
    };
    for (const auto &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = parseHistory(bad.arguments);
        CHECK(parsed.outcome == ParsedArguments<HistoryCommand::Options>::Outcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
    const auto help = parseHistory({ "--help" });
    CHECK(help.outcome == ParsedArguments<HistoryCommand::Options>::Outcome::ShowHelp);
    CHECK(help.text.contains("--export <FILE.csv>"));
    CHECK(help.text.contains("2 the history cannot be opened"));
}

TEST_CASE("predict arguments: --tag, --no-history and --history-file")
{
    qunsetenv("ORCHARD_HISTORY");
    const auto plain = parsePredict({ "a.jpg" });
    REQUIRE(plain.shouldRun());
    CHECK(plain.options.recordsHistory);
    CHECK(plain.options.tag.isEmpty());
    CHECK(plain.options.historyFile == HistoryStore::defaultPath());

    const auto tagged = parsePredict({ "--tag", "  north plot ", "--history-file", "/tmp/h.sqlite", "a.jpg" });
    REQUIRE(tagged.shouldRun());
    CHECK(tagged.options.tag == "north plot");
    CHECK(tagged.options.historyFile == "/tmp/h.sqlite");
    CHECK_FALSE(parsePredict({ "--no-history", "a.jpg" }).options.recordsHistory);

    const struct
    {
        QStringList arguments;
        const char *says;
    } cases[] = {
        { { "--no-history", "--tag", "x", "a.jpg" }, "--no-history records nothing: leave out --tag" },
        { { "--no-history", "--history-file", "h", "a.jpg" }, "leave out --history-file" },
        { { "--tag", "   ", "a.jpg" }, "--tag needs the name of a field or plot" },
        { { "--tag", QString(101, QLatin1Char('x')), "a.jpg" }, "a tag has at most 100 characters" },
        { { "--tag", "a\tb", "a.jpg" }, "--tag cannot contain control characters" },
    };
    for (const auto &bad : cases) {
        INFO(bad.arguments.join(' ').toStdString());
        const auto parsed = parsePredict(bad.arguments);
        CHECK(parsed.outcome == ParsedArguments<PredictCommand::Options>::Outcome::UsageError);
        CHECK(parsed.text.contains(QLatin1String(bad.says)));
    }
    CHECK(parsePredict({ "--tag", QString(100, QLatin1Char('x')), "a.jpg" }).shouldRun());
}

TEST_CASE("history table: aligned columns, Not sure, one line per record, and the count")
{
    CHECK(HistoryCommand::table({}) == "No diagnoses match.\n");

    HistoryRecord sure;
    sure.time = QDateTime(QDate(2026, 11, 2), QTime(9, 5)); // local
    sure.filePath = "/photos/east/leaf_12.jpg";
    sure.label = "Scab";
    sure.confidence = 0.912;
    sure.tag = "east";
    HistoryRecord unsure = sure;
    unsure.time = QDateTime(QDate(2026, 11, 3), QTime(17, 30));
    unsure.filePath = "/photos/b.jpg";
    unsure.label = "Rust";
    unsure.confidence = 0.41;
    unsure.uncertain = true;
    unsure.qualityWarnings = QStringList { "blurry", "dark" };
    unsure.tag = "plot\n7"; // written by hand elsewhere: must not split the row
    unsure.plantGroup = "7d3c";

    CHECK(HistoryCommand::table({ sure }).endsWith("\n\n1 diagnosis\n"));
    const QStringList lines = HistoryCommand::table({ unsure, sure }).split('\n');
    REQUIRE(lines.size() == 6); // header, two rows, blank, the count, and after the last newline
    CHECK(lines.at(0).startsWith("TIME"));
    CHECK(lines.at(1).startsWith("2026-11-03 17:30  b.jpg"));
    CHECK(lines.at(1).contains("Not sure: Rust (plant)"));
    CHECK(lines.at(1).contains("41.0 %"));
    CHECK(lines.at(1).contains("blurry,dark"));
    CHECK(lines.at(1).endsWith("plot 7"));
    CHECK(lines.at(2).startsWith("2026-11-02 09:05  leaf_12.jpg"));
    CHECK(lines.at(2).contains("91.2 %"));
    CHECK(lines.at(3).isEmpty());
    CHECK(lines.at(4) == "2 diagnoses");
    // Every column starts where its title does; the confidence ends where its title ends.
    for (const char *title : { "FILE", "DIAGNOSIS", "WARNINGS", "TAG" }) {
        const qsizetype column = lines.at(0).indexOf(QLatin1String(title));
        INFO(title);
        CHECK(lines.at(1).at(column - 1) == ' ');
        CHECK(lines.at(1).at(column) != ' ');
        CHECK(lines.at(1).at(column - 2) == ' ');
    }
    const qsizetype confidenceEnd = lines.at(0).indexOf("CONFIDENCE") + 10;
    CHECK(lines.at(1).mid(confidenceEnd - 6, 6) == "41.0 %");
    CHECK(lines.at(2).mid(confidenceEnd - 6, 6) == "91.2 %");
    for (const QString &line : lines)
        CHECK_FALSE(line.endsWith(' '));
}
