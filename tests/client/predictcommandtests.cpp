// `orchard-cli predict` as a user runs it: the real executable in a QProcess, talking to a
// real in-process server with the default model, or serving a repository of two. The server lives in this thread's event
// loop, so the test never blocks on the process (no waitForFinished): it watches the
// process's signals while QTest::qWaitFor keeps the loop, and so the server, running.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRectF>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "server/core/modelcatalog.h"
#include "tests/client/cliprocess.h"
#include "tests/support/modelrepositoryfixture.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 60000;
const QString kSamplesDir = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");


QString portText(const ServerFixture &fixture) { return QString::number(fixture.port()); }

} // namespace

TEST_CASE("predict --json over the samples folder: one complete line per image, in order")
{
    ServerFixture fixture(withWorkers(2));
    const QList<SampleImage> samples = sampleImages();
    REQUIRE(samples.size() == 20);

    CliProcess cli({ "--port", portText(fixture), "--json", kSamplesDir });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 20);

    int right = 0;
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject object = parseJsonLine(lines.at(i));
        INFO(lines.at(i).toStdString());
        for (const char *key : { "file", "label", "index", "confidence", "top_k", "timing_ms" })
            CHECK(object.contains(key));
        CHECK(object.value("model") == "fashion-mnist"); // the model that answered
        CHECK_FALSE(object.contains("error"));
        // Folders expand in natural order and answers are printed in request order.
        CHECK(QFileInfo(object.value("file").toString()).fileName() == samples.at(i).fileName);
        const QJsonArray topK = object.value("top_k").toArray();
        REQUIRE(topK.size() == 3);
        for (const QJsonValue &entry : topK) {
            CHECK(entry.toObject().value("label").isString());
            CHECK(entry.toObject().value("index").isDouble());
            CHECK(entry.toObject().value("score").isDouble());
        }
        CHECK(topK.first().toObject().value("label") == object.value("label"));
        CHECK(topK.first().toObject().value("index") == object.value("index"));
        const QJsonObject timing = object.value("timing_ms").toObject();
        for (const char *stage : { "wait", "decode", "preprocess", "infer", "total" })
            CHECK(timing.value(stage).toDouble(-1.0) >= 0.0);
        CHECK(timing.value("total").toDouble() >= timing.value("infer").toDouble());
        const double confidence = object.value("confidence").toDouble();
        CHECK(confidence > 0.0);
        CHECK(confidence <= 1.0);
        right += object.value("label").toString() == samples.at(i).expectedLabel;
    }
    CHECK(right >= 18);
    // It said goodbye properly: the server's offline reply is echoed on stderr.
    static const QRegularExpression goodbye(
            QStringLiteral("orchard-cli: server says: .+ \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\n"));
    CHECK(goodbye.match(cli.stderrText()).hasMatch());
}

TEST_CASE("predict --top-k sets the list's length in both body forms, with the same answers")
{
    ServerFixture fixture(withWorkers(2));
    const QString sample = kSamplesDir + "/bag_0.png";
    CliProcess binary({ "--port", portText(fixture), "--json", "--binary", "--top-k", "4", sample });
    REQUIRE(binary.waitForExit() == 0);
    CliProcess base64({ "--port", portText(fixture), "--json", "--base64", "--top-k", "5", sample });
    REQUIRE(base64.waitForExit() == 0);
    INFO(binary.description() << "\n" << base64.description());
    REQUIRE(binary.lines().size() == 1);
    REQUIRE(base64.lines().size() == 1);
    const QJsonObject fromBinary = parseJsonLine(binary.lines().first());
    const QJsonObject fromBase64 = parseJsonLine(base64.lines().first());
    CHECK(fromBinary.value("top_k").toArray().size() == 4); // binary says top_k in its header
    CHECK(fromBase64.value("top_k").toArray().size() == 5);
    CHECK(fromBinary.value("label") == fromBase64.value("label"));
    CHECK(fromBinary.value("confidence") == fromBase64.value("confidence"));
}

TEST_CASE("predict prints an aligned table with a summary line")
{
    ServerFixture fixture(withWorkers(2));
    CliProcess cli({ "--port", portText(fixture), kSamplesDir + "/trouser_0.png", kSamplesDir + "/bag_1.png" });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 5);
    CHECK(lines.at(0).startsWith(QStringLiteral("server Orchard test at 127.0.0.1:%1, model fashion-mnist")
                                         .arg(fixture.port())));
    CHECK(lines.at(1).startsWith("FILE "));
    CHECK(lines.at(1).endsWith("  MODEL"));
    CHECK(lines.at(2).contains(
            QRegularExpression("trouser_0\\.png +Trouser +\\d+\\.\\d %  +\\d+\\.\\d  fashion-mnist(:\\d+)?$")));
    CHECK(lines.at(3).contains(QRegularExpression("bag_1\\.png +Bag +\\d+\\.\\d %  +\\d+\\.\\d  fashion-mnist(:\\d+)?$")));
    // Columns line up: every row starts its last column, MODEL, where the header does.
    CHECK(lines.at(2).indexOf("fashion-mnist") == lines.at(1).indexOf("MODEL"));
    CHECK(lines.at(3).indexOf("fashion-mnist") == lines.at(1).indexOf("MODEL"));
    CHECK(lines.at(4).contains(QRegularExpression("^2 of 2 diagnosed in [0-9.]+ s \\([0-9.]+ images/s\\)$")));
}

TEST_CASE("predict --model-name asks for that model and the output names it")
{
    // The default model by its name: every server with the default model serves it.
    ServerFixture fixture(withWorkers(1));
    const QString sample = kSamplesDir + "/sneaker_0.png";
    CliProcess table({ "--port", portText(fixture), "--model-name", "fashion-mnist", sample });
    REQUIRE(table.waitForExit() == 0);
    INFO(table.description());
    REQUIRE(table.lines().size() == 4);
    CHECK(table.lines().at(0).startsWith(
            QStringLiteral("server Orchard test at 127.0.0.1:%1, model fashion-mnist (the default), ").arg(fixture.port())));
    CHECK(table.lines().at(2).contains(QRegularExpression("sneaker_0\\.png +Sneaker .*  fashion-mnist(:\\d+)?$")));

    CliProcess json({ "--port", portText(fixture), "--json", "--model-name", "fashion-mnist", sample });
    REQUIRE(json.waitForExit() == 0);
    INFO(json.description());
    REQUIRE(json.lines().size() == 1);
    const QJsonObject line = parseJsonLine(json.lines().first());
    CHECK(line.value("model") == "fashion-mnist");
    CHECK(line.value("label") == "Sneaker");
}

namespace {

/** fashion-mnist 1 (the default) and leaf-demo 3: what the --model-name cases serve. */
void addTwoModels(const Repository &repository)
{
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"default": true})");
    repository.addVersion(QStringLiteral("leaf-demo"), 3);
}

} // namespace

TEST_CASE("predict --model-name NAME:VERSION is answered by that model, as the table and --json say")
{
    Repository repository;
    addTwoModels(repository);
    RepositoryServer served(repository, ModelControl::Explicit, withWorkers(1));
    const QString port = QString::number(served.port());
    const QString sample = kSamplesDir + "/sneaker_0.png";

    CliProcess table({ "--port", port, "--model-name", "leaf-demo:3", sample });
    const int tableExit = table.waitForExit();
    INFO(table.description());
    CHECK(tableExit == 0);
    REQUIRE(table.lines().size() == 4);
    CHECK(table.lines().at(0).startsWith(
            QStringLiteral("server Orchard test at 127.0.0.1:%1, model leaf-demo:3 (default fashion-mnist), ").arg(port)));
    CHECK(table.lines().at(1).endsWith("  MODEL"));
    // The MODEL column is what the server answered with, not what was asked.
    CHECK(table.lines().at(2).contains(QRegularExpression("sneaker_0\\.png +Sneaker .*  leaf-demo:3$")));
    CHECK(table.lines().at(2).indexOf("leaf-demo:3") == table.lines().at(1).indexOf("MODEL"));
    CHECK_FALSE(table.stderrText().contains("does not list"));

    CliProcess json({ "--port", port, "--json", "--model-name", "leaf-demo:3", sample });
    const int jsonExit = json.waitForExit();
    INFO(json.description());
    CHECK(jsonExit == 0);
    REQUIRE(json.lines().size() == 1);
    CHECK(json.lines().first().contains(R"("model":"leaf-demo","model_version":3)"));
    const QJsonObject line = parseJsonLine(json.lines().first());
    CHECK(line.value("label") == "Sneaker");
}

TEST_CASE("predict --model-name of a model the server does not serve gives UNKNOWN_MODEL lines and exit 1")
{
    Repository repository;
    addTwoModels(repository);
    RepositoryServer served(repository, ModelControl::Explicit, withWorkers(1));
    const QString port = QString::number(served.port());
    const QString sample = kSamplesDir + "/sneaker_0.png";
    // The server's own sentence for this choice, which the CLI must pass on word for word.
    const QString sentence = served.store->catalog()->resolve(QStringLiteral("pear-leaf"), std::nullopt).error;
    INFO(sentence.toStdString());
    REQUIRE(sentence.contains("\"pear-leaf\""));

    CliProcess table({ "--port", port, "--model-name", "pear-leaf", sample });
    const int tableExit = table.waitForExit();
    INFO(table.description());
    CHECK(tableExit == 1);
    CHECK(table.stdoutText().contains(QRegularExpression("sneaker_0\\.png +error: ")));
    CHECK(table.stdoutText().contains(QStringLiteral("  error: ") + sentence + u'\n'));
    CHECK_FALSE(table.stdoutText().contains("Sneaker"));
    // Warned before sending: the welcome lists what is served.
    CHECK(table.stderrText().contains("orchard-cli: the server does not list model pear-leaf; it serves "
                                      "fashion-mnist (versions 1), leaf-demo (versions 3)\n"));

    CliProcess json({ "--port", port, "--json", "--model-name", "pear-leaf", sample });
    const int jsonExit = json.waitForExit();
    INFO(json.description());
    CHECK(jsonExit == 1);
    REQUIRE(json.lines().size() == 1);
    const QJsonObject line = parseJsonLine(json.lines().first());
    CHECK(line.value("file").toString() == sample);
    CHECK(line.value("code").toString() == "UNKNOWN_MODEL");
    CHECK(line.value("error").toString() == sentence);
    CHECK_FALSE(line.contains("label"));
}

TEST_CASE("predict --model-name with a bad value exits 64 before connecting")
{
    CliProcess version({ "--port", "5050", "--model-name", "apple-leaf:latest", kSamplesDir });
    CHECK(version.waitForExit() == 64);
    CHECK(version.stdoutText().isEmpty());
    CHECK(version.stderrText().contains("the VERSION after the colon must be a whole number of at least 1"));
    CliProcess empty({ "--port", "5050", "--model-name", ":2", kSamplesDir });
    CHECK(empty.waitForExit() == 64);
    CHECK(empty.stderrText().contains("--model-name needs a model's name"));
}

TEST_CASE("predict gives a missing file and a text file error lines and still diagnoses the rest")
{
    ServerFixture fixture(withWorkers(1));
    const QString missing = kSamplesDir + "/no_such_leaf.png";
    const QString text = QStringLiteral(ORCHARD_SOURCE_DIR "/README.md");
    const QString sample = kSamplesDir + "/sneaker_0.png";
    CliProcess cli({ "--port", portText(fixture), "--json", missing, text, sample });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 1);
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 3);

    const QJsonObject first = parseJsonLine(lines.at(0));
    CHECK(first.value("file").toString() == missing);
    CHECK(first.value("code").toString() == "UNREADABLE");
    CHECK(first.value("error").toString().contains("cannot open"));
    CHECK_FALSE(first.contains("label"));

    const QJsonObject second = parseJsonLine(lines.at(1));
    CHECK(second.value("file").toString() == text);
    CHECK(second.value("code").toString() == "BAD_IMAGE");
    CHECK_FALSE(second.value("error").toString().isEmpty());

    const QJsonObject third = parseJsonLine(lines.at(2));
    CHECK(third.value("file").toString() == sample);
    CHECK(third.value("label").toString() == "Sneaker");
    CHECK_FALSE(third.contains("error"));
}

TEST_CASE("predict against a port nothing listens on exits 2 with a clear sentence")
{
    QTcpServer probe;
    REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    CliProcess cli({ "--port", QString::number(port), kSamplesDir });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 2);
    CHECK(cli.stdoutText().isEmpty());
    CHECK(cli.stderrText().startsWith(
            QStringLiteral("orchard-cli: cannot reach the server at 127.0.0.1:%1: Connection refused").arg(port)));
}

TEST_CASE("predict rejects contradictory options with exit 64 before connecting")
{
    CliProcess both({ "--binary", "--base64", kSamplesDir });
    CHECK(both.waitForExit() == 64);
    CHECK(both.stderrText().contains("--binary and --base64"));
    CliProcess nothing({ "--port", "5050" });
    CHECK(nothing.waitForExit() == 64);
    CHECK(nothing.stderrText().contains("no files or folders"));
}

TEST_CASE("predict waits in line while every worker is busy, then finishes when served")
{
    ServerFixture fixture(withWorkers(1));
    TestClient holder(fixture.port());
    REQUIRE(holder.waitForNext());
    REQUIRE(holder.nextKind() == "welcome");

    CliProcess cli({ "--port", portText(fixture), kSamplesDir + "/coat_0.png", kSamplesDir + "/dress_0.png" });
    INFO(cli.description());
    REQUIRE(cli.waitForStderr(
            "orchard-cli: all server workers are busy; waiting in line (position 1 of 1)\n"));
    CHECK_FALSE(cli.isFinished());
    CHECK(cli.stdoutText().isEmpty()); // nothing diagnosed while in line
    CHECK(fixture.server->waitingCount() == 1);

    holder.sendOffline();
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    CHECK(cli.stderrText().contains("orchard-cli: a server worker is ready\n"));
    CHECK(cli.stderrText().indexOf("waiting in line") < cli.stderrText().indexOf("worker is ready"));
    CHECK(cli.stdoutText().contains(QRegularExpression("\nwaited \\d+\\.\\d s for a free server worker\n")));
    CHECK(cli.stdoutText().contains("2 of 2 diagnosed"));
}

TEST_CASE("predict and classify list a folder in the same natural order")
{
    // One expansion for every front-end: case-insensitive, numbers by value, every suffix
    // the decoder reads (PAM included).
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QImage leaf = QImage(kSamplesDir + "/bag_0.png");
    REQUIRE_FALSE(leaf.isNull());
    for (const char *name : { "img10.png", "img2.png", "a.PNG" })
        REQUIRE(leaf.save(folder.filePath(name), "PNG"));
    QFile pam(folder.filePath("b.pam"));
    REQUIRE(pam.open(QIODevice::WriteOnly));
    pam.write("P7\nWIDTH 28\nHEIGHT 28\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n");
    pam.write(QByteArray(28 * 28, '\x40'));
    pam.close();
    const QStringList expected { folder.filePath("a.PNG"), folder.filePath("b.pam"), folder.filePath("img2.png"),
                                 folder.filePath("img10.png") };
    const auto filesOf = [](const QStringList &lines) {
        QStringList files;
        for (const QString &line : lines)
            files.append(parseJsonLine(line).value("file").toString());
        return files;
    };

    ServerConfig everyFormat; // PAM is off by default on a server (docs/security.md)
    everyFormat.imageFormats = ImageFormatSet::all();
    ServerFixture fixture(everyFormat);
    CliProcess predict({ "--port", QString::number(fixture.port()), "--json", folder.path() });
    CHECK(predict.waitForExit() == 0);
    CHECK(filesOf(predict.lines()) == expected);

    QProcess classify; // no server involved: blocking on it holds nothing up
    classify.start(QStringLiteral(ORCHARD_CLI_PATH), { "classify", "--json", folder.path() });
    REQUIRE(classify.waitForFinished(kWaitMs));
    CHECK(classify.exitCode() == 0);
    CHECK(filesOf(QString::fromUtf8(classify.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) == expected);
}

TEST_CASE("predict with a pipeline model: one answer per thing found, boxes in the photo's own pixels")
{
    // The shipped fashion-detect pipeline and its two parts, in a repository of their own.
    Repository repository;
    const QString shipped = QStringLiteral(ORCHARD_SOURCE_DIR "/models");
    for (const char *model : { "fashion-detect", "fashion-detector", "fashion-crops" }) {
        const QString from = shipped + QLatin1Char('/') + QLatin1String(model) + QStringLiteral("/1");
        const QString to = repository.path() + QLatin1Char('/') + QLatin1String(model) + QStringLiteral("/1");
        REQUIRE(QDir().mkpath(to));
        for (const QString &file : QDir(from).entryList(QDir::Files))
            REQUIRE(QFile::copy(from + QLatin1Char('/') + file, to + QLatin1Char('/') + file));
    }
    repository.writeConfig(QStringLiteral("fashion-detect"), R"({"default": true})");
    RepositoryServer served(repository, ModelControl::Explicit, withWorkers(1));
    const QString port = QString::number(served.port());

    // Two scenes made here, and the first at twice its size: a farmer's larger photo, which
    // the CLI sends as a smaller copy (twice the detector's input) and whose boxes it must
    // give back in the photo's pixels.
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    QProcess scenes;
    scenes.start(QStringLiteral("/usr/bin/python3"),
                 { QStringLiteral(ORCHARD_SOURCE_DIR "/models/scenes.py"), QStringLiteral("--split"), QStringLiteral("test"),
                   QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--seed"), QStringLiteral("4242"),
                   QStringLiteral("--out"), folder.path() });
    REQUIRE(scenes.waitForFinished(120000));
    REQUIRE(scenes.exitCode() == 0);
    const QString scene = folder.filePath(QStringLiteral("scene_0000.jpg"));
    const QString large = folder.filePath(QStringLiteral("large.jpg"));
    REQUIRE(QImage(scene).scaled(1280, 960, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).save(large, "JPEG", 95));
    QFile boxesFile(folder.filePath(QStringLiteral("boxes.json")));
    REQUIRE(boxesFile.open(QIODevice::ReadOnly));
    const QJsonArray truth = QJsonDocument::fromJson(boxesFile.readAll())
                                     .object()
                                     .value("scenes")
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value("boxes")
                                     .toArray();
    REQUIRE_FALSE(truth.isEmpty());

    CliProcess json({ "--port", port, "--json", "--model-name", "fashion-detect", scene, large });
    REQUIRE(json.waitForExit() == 0);
    INFO(json.description());
    REQUIRE(json.lines().size() == 2);
    const QJsonObject small = parseJsonLine(json.lines().at(0));
    const QJsonObject big = parseJsonLine(json.lines().at(1));
    const QJsonArray found = small.value("detections").toArray();
    REQUIRE_FALSE(found.isEmpty());
    CHECK(small.value("label") == found.at(0).toObject().value("label"));
    CHECK(small.value("timing_ms").toObject().contains("detect"));
    CHECK(small.value("timing_ms").toObject().contains("classify"));
    // Most true boxes are found with their label (85.9 % on the model card's 300 scenes).
    int named = 0;
    for (const QJsonValue &value : truth) {
        const QJsonObject box = value.toObject();
        const QRectF expected(box.value("x").toDouble(), box.value("y").toDouble(), box.value("width").toDouble(),
                              box.value("height").toDouble());
        for (const QJsonValue &detection : found) {
            const QJsonObject b = detection.toObject().value("box").toObject();
            const QRectF got(b.value("x").toDouble(), b.value("y").toDouble(), b.value("width").toDouble(),
                             b.value("height").toDouble());
            const QRectF overlap = expected.intersected(got);
            const double iou = overlap.width() * overlap.height()
                    / (expected.width() * expected.height() + got.width() * got.height() - overlap.width() * overlap.height());
            if (iou >= 0.5 && detection.toObject().value("label") == box.value("label")) {
                ++named;
                break;
            }
        }
    }
    CHECK(named * 2 >= truth.size());
    // The large photo's boxes are the scene's, twice as large, in its own pixels.
    const QJsonArray bigFound = big.value("detections").toArray();
    REQUIRE(bigFound.size() >= 1);
    const QJsonObject first = found.at(0).toObject().value("box").toObject();
    bool matched = false;
    for (const QJsonValue &detection : bigFound) {
        const QJsonObject b = detection.toObject().value("box").toObject();
        if (std::abs(b.value("x").toDouble() - 2 * first.value("x").toDouble()) <= 8
            && std::abs(b.value("width").toDouble() - 2 * first.value("width").toDouble()) <= 12)
            matched = true;
    }
    CHECK(matched);

    CliProcess table({ "--port", port, "--model-name", "fashion-detect", scene });
    REQUIRE(table.waitForExit() == 0);
    INFO(table.description());
    CHECK(table.stdoutText().contains(QStringLiteral("(%1 found: ").arg(found.size())));
}
