// The result panel alone, offscreen: what a farmer reads for a sure answer, an unsure one
// and a poor photo.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QEvent>
#include <QLabel>
#include <QTest>

#include "client/ui/resultpanel.h"

using namespace orchard;

namespace {

PredictionReply answer(bool uncertain)
{
    PredictionReply reply;
    reply.name = QStringLiteral("leaf.jpg");
    reply.model = QStringLiteral("apple-leaf");
    reply.label = QStringLiteral("Scab");
    reply.confidence = 0.41;
    reply.topK = { { QStringLiteral("Scab"), 1, 0.41 },
                   { QStringLiteral("Rust"), 2, 0.33 },
                   { QStringLiteral("Healthy"), 0, 0.2 },
                   { QStringLiteral("Black rot"), 3, 0.06 } };
    reply.advice = QStringLiteral("Remove fallen leaves.");
    reply.uncertain = uncertain;
    return reply;
}

} // namespace

TEST_CASE("ResultPanel: an uncertain answer says Not sure, names the candidates and what to do")
{
    ResultPanel panel;
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    panel.showReply(answer(true), 12.0);
    CHECK(panel.labelText() == "Not sure");
    CHECK_FALSE(panel.findChild<QLabel *>(QStringLiteral("resultLabel"))->font().bold());
    const QString candidates = panel.confidenceText();
    INFO(candidates.toStdString());
    CHECK(candidates.contains("Scab (41.0 %)"));
    CHECK(candidates.contains("Rust (33.0 %)"));
    CHECK(candidates.contains("Healthy (20.0 %)"));
    CHECK_FALSE(candidates.contains("Black rot")); // two or three, not the whole list
    CHECK(panel.adviceText().contains("Take the photo closer, in daylight, or add more leaves of the plant."));
    CHECK_FALSE(panel.adviceText().contains("Remove fallen leaves")); // not advice for a guess
    CHECK(panel.barCount() == 4);

    // A sure answer afterwards is the bold label with its own advice again.
    panel.showReply(answer(false), 12.0);
    CHECK(panel.labelText() == "Scab");
    CHECK(panel.findChild<QLabel *>(QStringLiteral("resultLabel"))->font().bold());
    CHECK(panel.confidenceText() == "41.0 % confident");
    CHECK(panel.adviceText().contains("Remove fallen leaves."));
}

TEST_CASE("ResultPanel: quality warnings are said in words for any answer")
{
    ResultPanel panel;
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    PredictionReply reply = answer(false);
    panel.showReply(reply, 5.0);
    CHECK(panel.qualityText().isEmpty()); // an older server says nothing about quality

    reply.quality = PhotoQualityReport { 3.5, 0.08, { QStringLiteral("blurry"), QStringLiteral("dark") } };
    panel.showReply(reply, 5.0);
    CHECK(panel.qualityText().contains("The photo looks blurry."));
    CHECK(panel.qualityText().contains("The photo is too dark."));
    CHECK(panel.labelText() == "Scab");

    reply.uncertain = true;
    reply.quality->warnings = { QStringLiteral("overexposed"), QStringLiteral("small"), QStringLiteral("tilted") };
    panel.showReply(reply, 5.0);
    CHECK(panel.labelText() == "Not sure");
    CHECK(panel.qualityText().contains("overexposed"));
    CHECK(panel.qualityText().contains("smaller than the model's input"));
    CHECK(panel.qualityText().contains("tilted")); // a newer server's word, shown as it is

    reply.quality->warnings.clear();
    panel.showReply(reply, 5.0);
    CHECK(panel.qualityText().isEmpty());
    panel.showReply(answer(false), 5.0);
    panel.showPending(QStringLiteral("next.jpg"));
    CHECK(panel.qualityText().isEmpty());
}

TEST_CASE("ResultPanel: a change of language shows the same reply, error or wait again")
{
    ResultPanel panel;
    auto changeLanguage = [&panel] {
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&panel, &change);
    };
    PredictionReply reply = answer(false);
    reply.quality = PhotoQualityReport { 3.5, 0.08, { QStringLiteral("blurry") } };
    panel.showReply(reply, 12.0);
    const QStringList bars = panel.barTexts();
    CHECK(bars == QStringList { "Scab: 41.0 %", "Rust: 33.0 %", "Healthy: 20.0 %", "Black rot: 6.0 %" });
    changeLanguage();
    CHECK(panel.labelText() == "Scab");
    CHECK(panel.confidenceText() == "41.0 % confident");
    CHECK(panel.barTexts() == bars); // made again, not added to
    CHECK(panel.adviceText().contains("Remove fallen leaves."));
    CHECK(panel.qualityText() == "The photo looks blurry.");
    CHECK(panel.modelText() == "Answered by model apple-leaf.");

    panel.showError(QStringLiteral("broken.png"), QStringLiteral("not an image"));
    changeLanguage();
    CHECK(panel.labelText() == "No diagnosis");
    CHECK(panel.confidenceText() == "not an image");
    CHECK(panel.barCount() == 0);
    CHECK(panel.qualityText().isEmpty());

    panel.showPending(QStringLiteral("next.jpg"));
    changeLanguage();
    CHECK(panel.labelText() == "Waiting…");
    panel.showNothing();
    changeLanguage();
    CHECK(panel.labelText() == "—");
    CHECK(panel.modelText().isEmpty());
}
