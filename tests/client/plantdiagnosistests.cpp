// PlantDiagnosis on hand-made answers: photos that agree, one that dissents, all different,
// failed ones skipped, short top-k lists completed, ties broken the same way every time,
// and the plant line orchard-cli prints from it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <QJsonArray>
#include <QJsonObject>

#include "client/core/plantdiagnosis.h"
#include "tests/support/englishcatalog.h"

using namespace orchard;

namespace {

const QStringList kLabels { QStringLiteral("Healthy"), QStringLiteral("Scab"), QStringLiteral("Rust"),
                            QStringLiteral("Blight") };

/** A reply whose top_k lists these probabilities, in the order given (labels from kLabels). */
PredictionReply replyOf(const QVector<QPair<int, double>> &scores, const QString &model = QStringLiteral("apple-leaf"))
{
    PredictionReply reply;
    reply.model = model;
    for (const auto &[index, score] : scores)
        reply.topK.append({ kLabels.at(index), index, score });
    std::sort(reply.topK.begin(), reply.topK.end(),
              [](const LabelScore &a, const LabelScore &b) { return a.score > b.score; });
    reply.label = reply.topK.first().label;
    reply.index = reply.topK.first().index;
    reply.confidence = reply.topK.first().score;
    return reply;
}

PlantPhoto photo(const QString &name, const QVector<QPair<int, double>> &scores)
{
    orchard::test::useEnglishCatalog(); // every case makes its photos first
    return PlantPhoto::fromReply(name, replyOf(scores));
}

double scoreOf(const PlantDiagnosis &plant, int index)
{
    for (const LabelScore &entry : plant.topK) {
        if (entry.index == index)
            return entry.score;
    }
    return -1.0;
}

} // namespace

TEST_CASE("PlantDiagnosis: photos that agree give their label, every photo agreeing")
{
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 1, 0.8 }, { 0, 0.1 }, { 2, 0.05 }, { 3, 0.05 } }),
        photo("b.jpg", { { 1, 0.7 }, { 0, 0.2 }, { 2, 0.05 }, { 3, 0.05 } }),
        photo("c.jpg", { { 1, 0.9 }, { 0, 0.04 }, { 2, 0.03 }, { 3, 0.03 } }),
    };
    for (const auto rule : { PlantDiagnosis::Rule::MeanLogProbability, PlantDiagnosis::Rule::MeanProbability }) {
        const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 4, rule);
        REQUIRE(plant.isValid());
        CHECK(plant.label == "Scab");
        CHECK(plant.index == 1);
        CHECK(plant.photos == 3);
        CHECK(plant.given == 3);
        CHECK(plant.agree == 3);
        CHECK(plant.disagree.isEmpty());
        CHECK(plant.skipped.isEmpty());
        CHECK_FALSE(plant.completedShortLists);
        CHECK(plant.model == "apple-leaf");
        // A distribution over the labels, best first.
        REQUIRE(plant.topK.size() == 4);
        double total = 0.0;
        for (int i = 0; i < plant.topK.size(); ++i) {
            total += plant.topK.at(i).score;
            if (i > 0)
                CHECK(plant.topK.at(i - 1).score >= plant.topK.at(i).score);
        }
        CHECK(total == Approx(1.0));
        CHECK(plant.confidence == plant.topK.first().score);
    }
    // The mean of the probabilities is their plain average.
    CHECK(PlantDiagnosis::combine(photos, 4, PlantDiagnosis::Rule::MeanProbability).confidence == Approx(0.8));
    // The product of experts: exp(mean log p), renormalised.
    const double scab = std::cbrt(0.8 * 0.7 * 0.9);
    const double healthy = std::cbrt(0.1 * 0.2 * 0.04);
    const double rust = std::cbrt(0.05 * 0.05 * 0.03);
    const double blight = rust;
    CHECK(PlantDiagnosis::combine(photos, 4).confidence == Approx(scab / (scab + healthy + rust + blight)));
}

TEST_CASE("PlantDiagnosis: one dissenting photo is outvoted and named")
{
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 1, 0.8 }, { 0, 0.2 } }),
        photo("b.jpg", { { 1, 0.7 }, { 0, 0.3 } }),
        photo("c.jpg", { { 0, 0.6 }, { 1, 0.4 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 2);
    REQUIRE(plant.isValid());
    CHECK(plant.label == "Scab");
    CHECK(plant.agree == 2);
    CHECK(plant.photos == 3);
    REQUIRE(plant.disagree.size() == 1);
    CHECK(plant.disagree.first().photo == 2);
    CHECK(plant.disagree.first().name == "c.jpg");
    CHECK(plant.disagree.first().label == "Healthy");
    CHECK(plant.disagree.first().confidence == 0.6);
    CHECK(plant.agreementText() == "2 of 3 photos: Scab");
    CHECK(plant.summaryLine().startsWith("Plant (3 photos): Scab "));
    CHECK(plant.summaryLine().endsWith(" % — 2 of 3 photos agree; disagree: c.jpg (Healthy 60.0 %)"));
}

TEST_CASE("PlantDiagnosis: photos that all say something else still give one label, the best combined")
{
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 0, 0.5 }, { 1, 0.3 }, { 2, 0.2 } }),
        photo("b.jpg", { { 1, 0.45 }, { 0, 0.35 }, { 2, 0.2 } }),
        photo("c.jpg", { { 2, 0.4 }, { 0, 0.35 }, { 1, 0.25 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 3);
    REQUIRE(plant.isValid());
    // Healthy is second best where it is not best: the product of 0.5 · 0.35 · 0.35 leads.
    CHECK(plant.label == "Healthy");
    CHECK(plant.agree == 1);
    REQUIRE(plant.disagree.size() == 2);
    CHECK(plant.disagree.at(0).name == "b.jpg");
    CHECK(plant.disagree.at(1).name == "c.jpg");
    CHECK(plant.agreementText() == "1 of 3 photos: Healthy");
}

TEST_CASE("PlantDiagnosis: a photo sure against a label vetoes it under the product, not under the mean")
{
    // Two photos lean to Healthy, one is all but certain it is Scab: the mean follows the
    // two, the product of experts will not call a plant healthy that one view rules out.
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 0, 0.9 }, { 1, 0.1 } }),
        photo("b.jpg", { { 0, 0.9 }, { 1, 0.1 } }),
        photo("c.jpg", { { 1, 0.99 }, { 0, 0.01 } }),
    };
    CHECK(PlantDiagnosis::combine(photos, 2, PlantDiagnosis::Rule::MeanProbability).label == "Healthy");
    const PlantDiagnosis product = PlantDiagnosis::combine(photos, 2, PlantDiagnosis::Rule::MeanLogProbability);
    CHECK(product.label == "Scab");
    CHECK(product.agree == 1);
    CHECK(product.rule == PlantDiagnosis::Rule::MeanLogProbability);
    CHECK(product.toJson(3).value("rule") == "mean-log-probability");
}

TEST_CASE("PlantDiagnosis: failed photos are skipped and named, the rest combined")
{
    const QVector<PlantPhoto> photos {
        PlantPhoto::fromError("notes.txt", "BAD_IMAGE", "the data looks like text, not an image"),
        photo("a.jpg", { { 2, 0.6 }, { 0, 0.4 } }),
        PlantPhoto::fromError("gone.jpg", "UNREADABLE", "cannot open the file"),
        photo("b.jpg", { { 2, 0.7 }, { 0, 0.3 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 3);
    REQUIRE(plant.isValid());
    CHECK(plant.label == "Rust");
    CHECK(plant.photos == 2);
    CHECK(plant.given == 4);
    CHECK(plant.agree == 2);
    REQUIRE(plant.skipped.size() == 2);
    CHECK(plant.skipped.at(0).photo == 0);
    CHECK(plant.skipped.at(0).code == "BAD_IMAGE");
    CHECK(plant.skipped.at(1).name == "gone.jpg");
    CHECK(plant.skipped.at(1).reason == "cannot open the file");
    CHECK(plant.summaryLine().endsWith("2 of 2 photos agree; skipped: notes.txt (BAD_IMAGE), gone.jpg (UNREADABLE)"));
    const QJsonObject json = plant.toJson(3);
    CHECK(json.value("plant") == true);
    CHECK(json.value("photos") == 2);
    CHECK(json.value("agree") == 2);
    REQUIRE(json.value("skipped").toArray().size() == 2);
    CHECK(json.value("skipped").toArray().at(1).toObject().value("file") == "gone.jpg");
    CHECK(json.value("skipped").toArray().at(1).toObject().value("code") == "UNREADABLE");
}

TEST_CASE("PlantDiagnosis: with every photo failed there is no diagnosis, and it says so")
{
    const QVector<PlantPhoto> photos {
        PlantPhoto::fromError("a.jpg", "BAD_IMAGE", "cannot decode"),
        PlantPhoto::fromError("b.jpg", "", "the connection was lost"),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 4);
    CHECK_FALSE(plant.isValid());
    CHECK(plant.index == -1);
    CHECK(plant.label.isEmpty());
    CHECK(plant.photos == 0);
    REQUIRE(plant.skipped.size() == 2);
    CHECK(plant.skipped.at(1).code == "FAILED");
    CHECK(plant.summaryLine() == "Plant (2 photos): no diagnosis, no photo could be combined; skipped: a.jpg (BAD_IMAGE), b.jpg (FAILED)");
    const QJsonObject json = plant.toJson(3);
    CHECK(json.value("code") == "NO_DIAGNOSIS");
    CHECK_FALSE(json.contains("label"));
    CHECK(PlantDiagnosis::combine({}, 4).summaryLine() == "Plant (0 photos): no diagnosis, no photo could be combined");
}

TEST_CASE("PlantDiagnosis: ties go to the lower label index, whatever the photos' order")
{
    const PlantPhoto scabFirst = photo("a.jpg", { { 1, 0.6 }, { 2, 0.4 } });
    const PlantPhoto rustFirst = photo("b.jpg", { { 2, 0.6 }, { 1, 0.4 } });
    for (const auto rule : { PlantDiagnosis::Rule::MeanLogProbability, PlantDiagnosis::Rule::MeanProbability }) {
        const PlantDiagnosis one = PlantDiagnosis::combine({ scabFirst, rustFirst }, 3, rule);
        const PlantDiagnosis other = PlantDiagnosis::combine({ rustFirst, scabFirst }, 3, rule);
        CHECK(one.index == 1);
        CHECK(other.index == 1);
        CHECK(one.topK.at(0).score == one.topK.at(1).score);
        CHECK(one.topK.at(1).index == 2);
        CHECK(one.agree == 1);
        CHECK(other.disagree.first().name == "b.jpg");
    }
}

TEST_CASE("PlantDiagnosis: a short top-k list's remaining mass is spread over the labels it leaves out")
{
    // Top-2 of four labels: Scab 0.6, Healthy 0.3, the 0.1 left is 0.05 each for Rust and Blight.
    const PlantDiagnosis one = PlantDiagnosis::combine({ photo("a.jpg", { { 1, 0.6 }, { 0, 0.3 } }) }, 4);
    REQUIRE(one.isValid());
    CHECK(one.completedShortLists);
    CHECK(one.toJson(3).value("completed_short_lists") == true);
    REQUIRE(one.topK.size() == 2); // only labels someone named
    CHECK(one.confidence == Approx(0.6));
    CHECK(scoreOf(one, 0) == Approx(0.3));

    // A label one photo left out is unlikely there, not impossible: the other photo's top-1
    // still wins when the first barely preferred something else.
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 0, 0.40 }, { 3, 0.35 } }),       // Scab left out: (1 − 0.75) / 2 each
        photo("b.jpg", { { 1, 0.90 }, { 0, 0.05 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 4);
    CHECK(plant.label == "Scab");
    CHECK(plant.completedShortLists);
    // Without the model's label count it counts the labels it has seen (the highest index + 1).
    CHECK(PlantDiagnosis::combine(photos, 0).label == "Scab");
}

TEST_CASE("PlantDiagnosis: a probability of 0 is floored, not a log of minus infinity")
{
    const QVector<PlantPhoto> photos {
        photo("a.jpg", { { 1, 1.0 }, { 0, 0.0 } }),
        photo("b.jpg", { { 1, 0.0 }, { 0, 1.0 } }),
        photo("c.jpg", { { 1, 1.0 }, { 0, 0.0 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 2);
    REQUIRE(plant.isValid());
    CHECK(plant.label == "Scab");
    CHECK(std::isfinite(plant.confidence));
    CHECK(plant.confidence > 0.99);
}

TEST_CASE("PlantDiagnosis: answers of another model than the first are skipped")
{
    QVector<PlantPhoto> photos {
        photo("a.jpg", { { 1, 0.8 }, { 0, 0.2 } }),
        PlantPhoto::fromReply("b.jpg", replyOf({ { 0, 0.9 }, { 1, 0.1 } }, "fashion-mnist")),
        photo("c.jpg", { { 1, 0.6 }, { 0, 0.4 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 2);
    CHECK(plant.label == "Scab");
    CHECK(plant.photos == 2);
    CHECK(plant.agree == 2);
    REQUIRE(plant.skipped.size() == 1);
    CHECK(plant.skipped.first().code == "OTHER_MODEL");
    CHECK(plant.skipped.first().name == "b.jpg");

    // The version counts too: version 2's labels need not be version 1's.
    photos[2].reply.modelVersion = 2;
    CHECK(PlantDiagnosis::combine(photos, 2).photos == 1);
}

TEST_CASE("PlantDiagnosis: the JSON plant line lists at most top_k labels and names the dissenters")
{
    const QVector<PlantPhoto> photos {
        photo("leaf_1.jpg", { { 1, 0.7 }, { 0, 0.1 }, { 2, 0.1 }, { 3, 0.1 } }),
        photo("leaf_2.jpg", { { 0, 0.5 }, { 1, 0.3 }, { 2, 0.1 }, { 3, 0.1 } }),
        photo("leaf_3.jpg", { { 1, 0.9 }, { 0, 0.05 }, { 2, 0.03 }, { 3, 0.02 } }),
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 4);
    const QJsonObject json = plant.toJson(2);
    CHECK(json.value("plant") == true);
    CHECK(json.value("label") == "Scab");
    CHECK(json.value("index") == 1);
    CHECK(json.value("confidence").toDouble() == plant.confidence);
    CHECK(json.value("photos") == 3);
    CHECK(json.value("agree") == 2);
    CHECK(json.value("model") == "apple-leaf");
    const QJsonArray top = json.value("top_k").toArray();
    REQUIRE(top.size() == 2);
    CHECK(top.at(0).toObject().value("label") == "Scab");
    CHECK(top.at(1).toObject().value("label") == "Healthy");
    CHECK(json.value("disagree").toArray() == QJsonArray { "leaf_2.jpg" });
    CHECK_FALSE(json.contains("skipped"));
    CHECK_FALSE(json.contains("completed_short_lists"));
    CHECK(plant.summaryLine().startsWith("Plant (3 photos): Scab "));
}

TEST_CASE("PlantDiagnosis: a reply with quality warnings is skipped while better photos remain")
{
    PredictionReply blurred = replyOf({ { 0, 0.9 }, { 1, 0.1 } });
    blurred.quality = PhotoQualityReport { 12.0, 0.5, { QStringLiteral("blurry"), QStringLiteral("dark") } };
    PredictionReply measured = replyOf({ { 1, 0.6 }, { 0, 0.4 } });
    measured.quality = PhotoQualityReport { 400.0, 0.5, {} }; // measured, nothing wrong
    const QVector<PlantPhoto> photos {
        PlantPhoto::fromReply("a.jpg", measured),
        PlantPhoto::fromReply("blurred.jpg", blurred),
        photo("c.jpg", { { 1, 0.7 }, { 0, 0.3 } }), // an older server: no quality at all
    };
    const PlantDiagnosis plant = PlantDiagnosis::combine(photos, 2);
    CHECK(plant.label == "Scab");
    CHECK(plant.photos == 2);
    CHECK(plant.agree == 2);
    REQUIRE(plant.skipped.size() == 1);
    CHECK(plant.skipped.first().photo == 1);
    CHECK(plant.skipped.first().code == "QUALITY");
    CHECK(plant.skipped.first().reason == "blurry, dark");
    CHECK(plant.summaryLine().endsWith("; skipped: blurred.jpg (QUALITY)"));
    CHECK_FALSE(plant.poorPhotosOnly);

    // Only poor photos: combined all the same (a poor answer beats none), and said.
    const PlantDiagnosis poor = PlantDiagnosis::combine({ photos.at(1), photos.at(1) }, 2);
    CHECK(poor.label == "Healthy");
    CHECK(poor.photos == 2);
    CHECK(poor.skipped.isEmpty());
    CHECK(poor.poorPhotosOnly);
    CHECK(poor.toJson(3).value("poor_photos_only") == true);
    CHECK(poor.summaryLine().endsWith("; every photo has quality warnings"));
}
