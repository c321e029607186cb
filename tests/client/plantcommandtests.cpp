// `orchard-cli predict --as-plant`: the real executable against a real in-process server
// with the default model; photo lines as without it, then one line combining them.
#include <catch2/catch.hpp>

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "tests/client/cliprocess.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

const QString kPlantSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/**
 * Three photos of one trouser: the two samples and the first one mirrored (the samples
 * have two of each class; a mirrored trouser is still a trouser to the model).
 */
QStringList threeTrousers(const QTemporaryDir &folder)
{
    const QString mirrored = folder.filePath(QStringLiteral("trouser_0_mirrored.png"));
    const QImage image(kPlantSamples + "/trouser_0.png");
    REQUIRE_FALSE(image.isNull());
    REQUIRE(image.mirrored(true, false).save(mirrored, "PNG"));
    return { kPlantSamples + "/trouser_0.png", kPlantSamples + "/trouser_1.png", mirrored };
}

} // namespace

TEST_CASE("predict --as-plant --json: a line per photo, then the plant line with every photo agreeing")
{
    ServerFixture fixture(withWorkers(2));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QStringList files = threeTrousers(folder);
    CliProcess cli(QStringList { "--port", QString::number(fixture.port()), "--json", "--as-plant" } + files);
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 4);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject photo = parseJsonLine(lines.at(i));
        CHECK(photo.value("file") == files.at(i));
        CHECK(photo.value("label") == "Trouser");
        CHECK_FALSE(photo.contains("plant"));
        // Every label was asked for, but the photo lines still list --top-k (3).
        CHECK(photo.value("top_k").toArray().size() == 3);
    }
    const QJsonObject plant = parseJsonLine(lines.at(3));
    CHECK(plant.value("plant") == true);
    CHECK(plant.value("label") == "Trouser");
    CHECK(plant.value("index") == 1);
    CHECK(plant.value("photos") == 3);
    CHECK(plant.value("agree") == 3);
    CHECK(plant.value("disagree").toArray().isEmpty());
    CHECK_FALSE(plant.contains("skipped"));
    CHECK(plant.value("rule") == "mean-log-probability");
    CHECK(plant.value("model") == "fashion-mnist");
    // Whole probability lists came back: nothing had to be guessed.
    CHECK_FALSE(plant.contains("completed_short_lists"));
    const double confidence = plant.value("confidence").toDouble();
    CHECK(confidence > 0.5);
    CHECK(confidence <= 1.0);
    const QJsonArray top = plant.value("top_k").toArray();
    REQUIRE(top.size() == 3);
    CHECK(top.at(0).toObject().value("label") == "Trouser");
    CHECK(top.at(0).toObject().value("score").toDouble() == confidence);
}

TEST_CASE("predict --as-plant: a failed photo is skipped and named on the summary line, exit 1")
{
    ServerFixture fixture(withWorkers(1));
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QStringList trousers = threeTrousers(folder);
    const QString text = QStringLiteral(ORCHARD_SOURCE_DIR "/README.md");
    const QString bag = kPlantSamples + "/bag_0.png";
    CliProcess cli({ "--port", QString::number(fixture.port()), "--as-plant", trousers.at(0), text, trousers.at(1),
                     trousers.at(2), bag });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 1); // one photo failed, as without --as-plant
    const QStringList lines = cli.lines();
    // Title, header, 5 rows, "4 of 5 diagnosed…", the plant line.
    REQUIRE(lines.size() == 9);
    CHECK(lines.at(7).startsWith("4 of 5 diagnosed in "));
    const QString plant = lines.at(8);
    static const QRegularExpression summary(QStringLiteral(
            "^Plant \\(4 photos\\): Trouser \\d+\\.\\d % — 3 of 4 photos agree; disagree: \\S+bag_0\\.png \\(Bag \\d+\\.\\d %\\); "
            "skipped: \\S+README\\.md \\(BAD_IMAGE\\)$"));
    CHECK(summary.match(plant).hasMatch());
}
