#include <catch2/catch.hpp>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "tests/inference/testimages.h"

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QList<QByteArray> lines() const
    {
        QList<QByteArray> result = out.split('\n');
        result.removeAll(QByteArray());
        return result;
    }
};

CliRun runCli(const QStringList &arguments,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(ORCHARD_CLI_PATH), arguments);
    REQUIRE(process.waitForStarted(30'000));
    const bool finished = process.waitForFinished(120'000);
    CliRun run { process.exitCode(), process.readAllStandardOutput(),
        process.readAllStandardError() };
    INFO("orchard-cli " << arguments.join(' ').toStdString() << "\nstdout:\n"
                        << run.out.toStdString() << "\nstderr:\n"
                        << run.err.toStdString());
    REQUIRE(finished);
    REQUIRE(process.exitStatus() == QProcess::NormalExit);
    return run;
}

QJsonObject parseLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    INFO(line.toStdString());
    REQUIRE(error.error == QJsonParseError::NoError);
    REQUIRE(document.isObject());
    return document.object();
}

/** "T-shirt/top" → "t_shirt_top", "Ankle boot" → "ankle_boot": how samples are named. */
QString slug(const QString &label)
{
    static const QRegularExpression nonAlphanumeric(QStringLiteral("[^a-z0-9]+"));
    QString result = label.toLower().replace(nonAlphanumeric, QStringLiteral("_"));
    while (result.startsWith(u'_'))
        result.remove(0, 1);
    while (result.endsWith(u'_'))
        result.chop(1);
    return result;
}

QString sampleClass(const QString &path)
{
    const QString base = QFileInfo(path).completeBaseName(); // ankle_boot_0
    return base.left(base.lastIndexOf(u'_'));
}

} // namespace

TEST_CASE("orchard-cli classify --json gives one complete JSON line per sample and mostly the "
          "right label")
{
    const QString samples = testimages::sourcePath(QStringLiteral("resources/samples"));
    const int expected = testimages::samplePaths().size();
    REQUIRE(expected >= 10);

    const CliRun run = runCli({ "classify", "--json", "--top-k", "3", samples });
    CHECK(run.exitCode == 0);
    const QList<QByteArray> lines = run.lines();
    REQUIRE(lines.size() == expected);

    int hits = 0;
    for (const QByteArray &line : lines) {
        const QJsonObject object = parseLine(line);
        INFO(line.toStdString());
        for (const char *key : { "file", "label", "index", "confidence", "top_k", "timing_ms" })
            CHECK(object.contains(key));
        CHECK_FALSE(object.contains("error"));
        const QJsonArray topK = object.value("top_k").toArray();
        REQUIRE(topK.size() == 3);
        for (const QJsonValue &entry : topK) {
            CHECK(entry.toObject().value("label").isString());
            CHECK(entry.toObject().value("index").isDouble());
            CHECK(entry.toObject().value("score").isDouble());
        }
        CHECK(topK.first().toObject().value("label") == object.value("label"));
        const QJsonObject timing = object.value("timing_ms").toObject();
        for (const char *stage : { "decode", "preprocess", "infer", "total" })
            CHECK(timing.value(stage).toDouble(-1.0) >= 0.0);
        const double confidence = object.value("confidence").toDouble();
        CHECK(confidence > 0.0);
        CHECK(confidence <= 1.0);
        if (slug(object.value("label").toString()) == sampleClass(object.value("file").toString()))
            ++hits;
    }
    WARN("orchard-cli labelled " << hits << " of " << expected
                                 << " samples as their file names say");
    CHECK(hits * 10 >= expected * 8);
}

TEST_CASE(
    "A missing file gets an error line and a non-zero exit while the others are still classified")
{
    const QStringList samples = testimages::samplePaths();
    REQUIRE(samples.size() >= 2);
    const QString missing = QStringLiteral("/nonexistent/leaf.jpg");
    const CliRun run = runCli({ "classify", "--json", samples.at(0), missing, samples.at(1) });
    CHECK(run.exitCode == 1);
    const QList<QByteArray> lines = run.lines();
    REQUIRE(lines.size() == 3);
    CHECK(parseLine(lines.at(0)).value("file").toString() == samples.at(0));
    CHECK(parseLine(lines.at(0)).contains("label"));
    const QJsonObject error = parseLine(lines.at(1));
    CHECK(error.value("file").toString() == missing);
    CHECK(error.value("error").toString().contains("cannot open"));
    CHECK_FALSE(error.contains("label"));
    CHECK(parseLine(lines.at(2)).contains("label"));
}

TEST_CASE("Without --json the table has a header and one row per file and a summary")
{
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    QFile text(folder.filePath("notes.txt"));
    REQUIRE(text.open(QIODevice::WriteOnly));
    text.write("not an image\n");
    text.close();

    const QStringList samples = testimages::samplePaths();
    const CliRun run = runCli({ "classify", samples.at(0), text.fileName() });
    CHECK(run.exitCode == 1);
    const QList<QByteArray> lines = run.lines();
    REQUIRE(lines.size() == 5); // model, header, two rows, summary
    CHECK(lines.at(0).startsWith("model fashion-mnist"));
    CHECK(QString(lines.at(1)).contains(QRegularExpression("^FILE +LABEL +CONFIDENCE +MS$")));
    CHECK(lines.at(2).startsWith(samples.at(0).toUtf8()));
    CHECK(lines.at(2).contains(" %"));
    CHECK(lines.at(3).contains("error: the data looks like text"));
    // Columns line up: the label starts under LABEL, the percentage ends under CONFIDENCE.
    const qsizetype labelColumn = lines.at(1).indexOf("LABEL");
    CHECK(lines.at(2).at(labelColumn - 1) == ' ');
    CHECK(lines.at(2).at(labelColumn) != ' ');
    CHECK(lines.at(2).indexOf(" %") + 2 == lines.at(1).indexOf("CONFIDENCE") + 10);
    CHECK(lines.at(4) == "1 of 2 classified, 1 failed");
}

TEST_CASE("A model that cannot be loaded is reported with exit code 2")
{
    QTemporaryDir empty;
    REQUIRE(empty.isValid());
    const CliRun run
        = runCli({ "classify", "--model", empty.path(), testimages::samplePaths().first() });
    CHECK(run.exitCode == 2);
    CHECK(run.out.isEmpty());
    CHECK(run.err.contains("cannot load the model"));
    CHECK(run.err.contains("model.json: file not found"));
}

TEST_CASE("OPENCV_IO_MAX_IMAGE_PIXELS set before start-up is a second limit behind ours")
{
    // OpenCV reads it once, when libopencv_imgcodecs is loaded, so it only works from the
    // environment; an image under Orchard's limit but over OpenCV's is refused, not crashed on.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("OPENCV_IO_MAX_IMAGE_PIXELS", "100");
    const CliRun run
        = runCli({ "classify", "--json", testimages::samplePaths().first() }, environment);
    CHECK(run.exitCode == 1);
    const QList<QByteArray> lines = run.lines();
    REQUIRE(lines.size() == 1);
    CHECK(parseLine(lines.at(0)).value("error").toString().contains("OpenCV could not decode"));
}

TEST_CASE("orchard-cli --help lists the commands and bad options exit with 64")
{
    const CliRun help = runCli({ "--help" });
    CHECK(help.exitCode == 0);
    CHECK(help.out.contains("classify"));

    CHECK(runCli({ "classify", "--top-k", "zero", "x.png" }).exitCode == 64);
    CHECK(runCli({ "classify" }).exitCode == 64);
    CHECK(runCli({ "prune-the-trees" }).exitCode == 64);
}
