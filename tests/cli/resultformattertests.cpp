#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "client/cli/resultformatter.h"

using namespace orchard;

namespace {

PredictionReply reply()
{
    PredictionReply answer;
    answer.label = QStringLiteral("Sneaker");
    answer.index = 7;
    answer.confidence = 0.8765;
    answer.topK = { { QStringLiteral("Sneaker"), 7, 0.8765 }, { QStringLiteral("Sandal"), 5, 0.1 },
                    { QStringLiteral("Bag"), 8, 0.02 } };
    answer.timing.wait = 0.5;
    answer.timing.decode = 1.0;
    answer.timing.preprocess = 0.25;
    answer.timing.infer = 2.0;
    answer.timing.total = 3.75;
    return answer;
}

QJsonObject object(const QString &line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8());
    REQUIRE(document.isObject());
    return document.object();
}

} // namespace

TEST_CASE("ResultFormatter: table rows line up under their titles")
{
    ResultFormatter lines(ResultFormatter::Style::Table, ResultFormatter::Origin::Server);
    lines.fitFiles({ QStringLiteral("photos/leaf_0001.jpg") });
    lines.fitLabels({ QStringLiteral("Ankle boot"), QStringLiteral("Sneaker") });
    const QString header = lines.headerLine();
    CHECK(header.contains(QRegularExpression("^FILE +LABEL +CONFIDENCE +SERVER MS  MODEL$")));
    PredictionReply answer = reply();
    answer.model = QStringLiteral("apple-leaf");
    answer.modelVersion = 3;
    const QString row = lines.resultLine(QStringLiteral("photos/leaf_0001.jpg"), answer, 3);
    CHECK(row.indexOf("Sneaker") == header.indexOf("LABEL"));
    CHECK(row.indexOf(" %") + 2 == header.indexOf("CONFIDENCE") + 10);
    CHECK(row.indexOf("3.8") + 3 == header.indexOf("SERVER MS") + 9);
    CHECK(row.indexOf("apple-leaf:3") == header.indexOf("MODEL"));
    CHECK(row.endsWith("  apple-leaf:3"));
    // A server of one model may leave the version out, an old one even the name.
    answer.modelVersion.reset();
    CHECK(lines.resultLine(QStringLiteral("a.jpg"), answer, 3).endsWith("  apple-leaf"));
    answer.model.clear();
    CHECK(lines.resultLine(QStringLiteral("a.jpg"), answer, 3).endsWith("3.8  -"));
    CHECK(lines.errorLine(QStringLiteral("a.jpg"), QStringLiteral("cannot open"), QStringLiteral("UNREADABLE"))
                  .contains(QRegularExpression("^a\\.jpg +error: cannot open$")));

    ResultFormatter local(ResultFormatter::Style::Table, ResultFormatter::Origin::Local);
    CHECK(local.headerLine().contains(QRegularExpression("^FILE +LABEL +CONFIDENCE +MS$")));
    CHECK(local.resultLine(QStringLiteral("a.jpg"), answer, 3).endsWith("3.8")); // classify names its model above
}

TEST_CASE("ResultFormatter: JSON lines name the model and version that answered, when told")
{
    const ResultFormatter server(ResultFormatter::Style::JsonLines, ResultFormatter::Origin::Server);
    PredictionReply answer = reply();
    CHECK_FALSE(object(server.resultLine(QStringLiteral("a.jpg"), answer, 3)).contains("model"));
    answer.model = QStringLiteral("apple-leaf");
    const QJsonObject nameOnly = object(server.resultLine(QStringLiteral("a.jpg"), answer, 3));
    CHECK(nameOnly.value("model") == "apple-leaf");
    CHECK_FALSE(nameOnly.contains("model_version"));
    answer.modelVersion = 3;
    const QJsonObject both = object(server.resultLine(QStringLiteral("a.jpg"), answer, 3));
    CHECK(both.value("model") == "apple-leaf");
    CHECK(both.value("model_version") == 3);
    CHECK(ResultFormatter::modelText(QStringLiteral("apple-leaf"), 3) == "apple-leaf:3");
    CHECK(ResultFormatter::modelText(QStringLiteral("apple-leaf"), std::nullopt) == "apple-leaf");
}

TEST_CASE("ResultFormatter: JSON lines carry the keys, the asked-for top-k and the code")
{
    const ResultFormatter server(ResultFormatter::Style::JsonLines, ResultFormatter::Origin::Server);
    CHECK(server.headerLine().isEmpty());
    const QJsonObject line = object(server.resultLine(QStringLiteral("a.jpg"), reply(), 2));
    CHECK(line.value("file") == "a.jpg");
    CHECK(line.value("label") == "Sneaker");
    CHECK(line.value("index") == 7);
    CHECK(line.value("confidence").toDouble() == 0.8765);
    const QJsonArray topK = line.value("top_k").toArray();
    REQUIRE(topK.size() == 2); // the server sent three; two were asked for
    CHECK(topK.at(1).toObject().value("label") == "Sandal");
    const QJsonObject timing = line.value("timing_ms").toObject();
    CHECK(timing.value("wait").toDouble() == 0.5);
    CHECK(timing.value("total").toDouble() == 3.75);

    const ResultFormatter local(ResultFormatter::Style::JsonLines, ResultFormatter::Origin::Local);
    CHECK_FALSE(object(local.resultLine(QStringLiteral("a.jpg"), reply(), 3)).value("timing_ms").toObject().contains("wait"));
    const QJsonObject error = object(local.errorLine(QStringLiteral("b.jpg"), QStringLiteral("not an image"),
                                                     QStringLiteral("BAD_IMAGE")));
    CHECK(error.value("file") == "b.jpg");
    CHECK(error.value("error") == "not an image");
    CHECK(error.value("code") == "BAD_IMAGE");
    CHECK_FALSE(error.contains("label"));
}

TEST_CASE("ResultFormatter: quality and uncertain reach JSON lines, and the table marks them")
{
    const ResultFormatter json(ResultFormatter::Style::JsonLines, ResultFormatter::Origin::Server);
    PredictionReply answer = reply();
    const QJsonObject old = object(json.resultLine(QStringLiteral("a.jpg"), answer, 3));
    CHECK_FALSE(old.contains("quality")); // an older server did not say
    CHECK(old.value("uncertain") == false);

    answer.uncertain = true;
    answer.quality = PhotoQualityReport { 8.5, 0.1, { QStringLiteral("blurry"), QStringLiteral("dark") } };
    const QJsonObject line = object(json.resultLine(QStringLiteral("a.jpg"), answer, 3));
    CHECK(line.value("uncertain") == true);
    const QJsonObject quality = line.value("quality").toObject();
    CHECK(quality.value("sharpness").toDouble() == 8.5);
    CHECK(quality.value("brightness").toDouble() == 0.1);
    CHECK(quality.value("warnings").toArray() == QJsonArray { "blurry", "dark" });

    ResultFormatter table(ResultFormatter::Style::Table, ResultFormatter::Origin::Local);
    table.fitFiles({ QStringLiteral("a.jpg") });
    const QString row = table.resultLine(QStringLiteral("a.jpg"), answer, 3);
    CHECK(row.endsWith("3.8  (not sure)  (photo: blurry, dark)"));
    CHECK(row.indexOf("Sneaker") == table.headerLine().indexOf("LABEL")); // the columns stay aligned
    answer.uncertain = false;
    answer.quality->warnings.clear();
    CHECK(table.resultLine(QStringLiteral("a.jpg"), answer, 3).endsWith("3.8"));
}
