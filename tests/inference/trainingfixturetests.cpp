#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/inference/inferenceengine.h"
#include "common/inference/modelrepository.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

/** A leaf-ish picture: a background colour with a few spots of another. */
cv::Mat leaf(const cv::Scalar &background, const cv::Scalar &spots, int seed)
{
    cv::Mat image(48, 64, CV_8UC3, background);
    cv::RNG rng(seed);
    for (int i = 0; i < 6; ++i)
        cv::circle(image, cv::Point(rng.uniform(4, 60), rng.uniform(4, 44)), rng.uniform(2, 6),
            spots, cv::FILLED);
    return image;
}

/** How a train.py run ended: its exit code and everything it printed. */
struct TrainRun
{
    int exitCode = -1;
    QString output;
};

/** Runs models/train.py with Debian's Python to the end (or fails the test if it hangs). */
TrainRun runTrainPy(const QStringList &arguments, const QString &workingDirectory)
{
    const QString script = testimages::sourcePath(QStringLiteral("models/train.py"));
    REQUIRE(QFileInfo::exists(script));
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(workingDirectory);
    process.start(kPython, QStringList { script } + arguments);
    REQUIRE(process.waitForStarted(30'000));
    const bool finished = process.waitForFinished(480'000);
    const QByteArray output = process.readAll();
    INFO("train.py " << arguments.join(' ').toStdString() << "\n" << output.toStdString());
    if (!finished)
        process.kill();
    REQUIRE(finished);
    REQUIRE(process.exitStatus() == QProcess::NormalExit);
    return { process.exitCode(), QString::fromUtf8(output) };
}

/** Runs models/train.py; fails the test with its output if it fails. */
QString train(const QStringList &arguments, const QString &workingDirectory)
{
    const TrainRun run = runTrainPy(arguments, workingDirectory);
    INFO("train.py " << arguments.join(' ').toStdString() << "\n" << run.output.toStdString());
    REQUIRE(run.exitCode == 0);
    return run.output;
}

/** Every name in a folder, hidden ones too, sorted: to see what a run left behind. */
QStringList entriesOf(const QString &directory)
{
    QStringList names = QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

/** A model.json's bytes, to see that a refused run left a version as it was. */
QByteArray manifestBytes(const QString &versionDirectory)
{
    return testimages::readFile(QDir(versionDirectory).filePath(QStringLiteral("model.json")));
}

/** Loads a freshly trained folder and checks one prediction is a proper distribution. */
void checkTrainedModel(
    const QString &modelDirectory, const QStringList &expectedLabels, const QString &imagePath)
{
    const auto engine = InferenceEngine::load(modelDirectory);
    INFO((engine.ok() ? QString() : engine.error().message).toStdString());
    REQUIRE(engine.ok());
    CHECK((*engine)->manifest().labels == expectedLabels);
    CHECK((*engine)->manifest().input.channels == 3);
    CHECK((*engine)->manifest().input.width == 32);

    const auto prediction = (*engine)->predict(testimages::readFile(imagePath), 100);
    INFO((prediction.ok() ? QString() : prediction.error().message).toStdString());
    REQUIRE(prediction.ok());
    CHECK(prediction->index >= 0);
    CHECK(prediction->index < expectedLabels.size());
    CHECK(prediction->label == expectedLabels.at(prediction->index));
    REQUIRE(prediction->topK.size() == expectedLabels.size());
    double sum = 0.0;
    for (const LabelScore &score : prediction->topK)
        sum += score.score;
    CHECK(sum == Approx(1.0).epsilon(1e-5));
}

} // namespace

TEST_CASE("train.py fgvc7 on a tiny Plant Pathology 2020 layout gives a model the engine runs")
{
    QTemporaryDir temporary;
    REQUIRE(temporary.isValid());
    const QDir root(temporary.path());
    REQUIRE(root.mkpath("data/images"));
    const QStringList labels { "healthy", "multiple_diseases", "rust", "scab" };
    const cv::Scalar backgrounds[]
        = { { 40, 160, 40 }, { 30, 90, 90 }, { 40, 150, 60 }, { 50, 120, 80 } };
    const cv::Scalar spots[] = { { 50, 170, 50 }, { 20, 40, 60 }, { 0, 120, 240 }, { 20, 30, 30 } };

    QFile csv(root.filePath("data/train.csv"));
    REQUIRE(csv.open(QIODevice::WriteOnly));
    csv.write("image_id,healthy,multiple_diseases,rust,scab\n");
    int n = 0;
    for (int label = 0; label < labels.size(); ++label) {
        for (int copy = 0; copy < 3; ++copy, ++n) {
            const QString id = QStringLiteral("Train_%1").arg(n);
            REQUIRE(cv::imwrite(root.filePath("data/images/" + id + ".jpg").toStdString(),
                leaf(backgrounds[label], spots[label], n)));
            QStringList row { id };
            for (int column = 0; column < labels.size(); ++column)
                row.append(column == label ? "1" : "0");
            csv.write((row.join(',') + '\n').toUtf8());
        }
    }
    csv.close();

    // --out is the model's folder in a repository: the first run writes its version 1.
    train({ "fgvc7", "--data", root.filePath("data"), "--out", root.filePath("repo/apple-leaf"), "--epochs",
              "1", "--image-size", "32" },
        root.path());
    checkTrainedModel(root.filePath("repo/apple-leaf/1"), labels, root.filePath("data/images/Train_7.jpg"));
}

TEST_CASE("train.py folders on a tiny folder-per-class layout gives a model the engine runs")
{
    QTemporaryDir temporary;
    REQUIRE(temporary.isValid());
    const QDir root(temporary.path());
    const QStringList labels { "blight", "healthy" }; // sorted folder names
    for (int label = 0; label < labels.size(); ++label) {
        REQUIRE(root.mkpath("photos/" + labels.at(label)));
        for (int copy = 0; copy < 3; ++copy) {
            const cv::Mat image = label == 0 ? leaf({ 30, 80, 110 }, { 10, 20, 30 }, copy)
                                             : leaf({ 40, 170, 40 }, { 60, 190, 60 }, copy);
            const QString path = root.filePath(
                QStringLiteral("photos/%1/leaf_%2.png").arg(labels.at(label)).arg(copy));
            REQUIRE(cv::imwrite(path.toStdString(), image));
        }
    }
    // A stray non-image file must not become a class or a sample.
    QFile notes(root.filePath("photos/blight/notes.txt"));
    REQUIRE(notes.open(QIODevice::WriteOnly));
    notes.write("collected in June\n");
    notes.close();

    // Letterbox here, so the engine's letterbox path runs on a real trained model too.
    train({ "folders", "--data", root.filePath("photos"), "--out", root.filePath("repo/leaves"),
              "--epochs", "1", "--image-size", "32", "--resize", "letterbox" },
        root.path());
    checkTrainedModel(root.filePath("repo/leaves/1"), labels, root.filePath("photos/healthy/leaf_1.png"));
}

TEST_CASE("train.py writes each run into the next version of REPO/<name> and never overwrites one")
{
    QTemporaryDir temporary;
    REQUIRE(temporary.isValid());
    const QDir root(temporary.path());
    const QString model = root.filePath("repo/second");
    // fashionnet: the default model's small network, untrained, in about a second. The
    // checks run one after another on one repository (no SECTIONs), each train.py start
    // costs a torch import.
    const QStringList exportSecond { "export-untrained", "--out", model, "--arch", "fashionnet", "--threads", "1" };

    const QString first = train(exportSecond + QStringList { "--labels", "ripe,unripe" }, root.path());
    CHECK(first.contains("wrote version 1 of second: " + root.filePath("repo/second/1")));
    const QString second = train(exportSecond + QStringList { "--labels", "ripe,unripe,rotten" }, root.path());
    CHECK(second.contains("wrote version 2 of second: " + root.filePath("repo/second/2")));

    // Both versions are whole models the engine runs, each with its own labels.
    const auto version1 = InferenceEngine::load(root.filePath("repo/second/1"));
    INFO((version1.ok() ? QString() : version1.error().message).toStdString());
    REQUIRE(version1.ok());
    CHECK((*version1)->manifest().name == "second");
    CHECK((*version1)->manifest().labels == QStringList { "ripe", "unripe" });
    CHECK((*version1)->manifest().input.width == 28);
    const auto version2 = InferenceEngine::load(root.filePath("repo/second/2"));
    REQUIRE(version2.ok());
    CHECK((*version2)->manifest().labels == QStringList { "ripe", "unripe", "rotten" });
    const auto prediction = (*version2)->predict(
        testimages::readFile(testimages::sourcePath("resources/samples/ankle_boot_0.png")), 3);
    REQUIRE(prediction.ok());
    CHECK(prediction->topK.size() == 3);

    // The repository scanner sees exactly those two, and no staging folder of either run.
    const auto scan = ModelRepository::scan(root.filePath("repo"));
    INFO((scan.ok() ? QString() : scan.error().message).toStdString());
    REQUIRE(scan.ok());
    REQUIRE(scan->models.size() == 1);
    CHECK(scan->models.first().name == "second");
    CHECK(scan->models.first().versions == QList<qint64> { 1, 2 });
    CHECK(entriesOf(model) == QStringList { "1", "2" });

    // --version 1 when version 1 exists: refused, and version 1 stays as it was.
    const QByteArray version1Manifest = manifestBytes(root.filePath("repo/second/1"));
    const TrainRun taken = runTrainPy(exportSecond + QStringList { "--version", "1", "--labels", "x,y,z,w" }, root.path());
    INFO(taken.output.toStdString());
    CHECK(taken.exitCode != 0);
    CHECK(taken.output.contains("--version 1: " + root.filePath("repo/second/1")
                                + " already exists, and train.py never overwrites a version"));
    CHECK(manifestBytes(root.filePath("repo/second/1")) == version1Manifest);

    // An --out that is a version folder: refused, pointing at the model's folder.
    const QByteArray version2Manifest = manifestBytes(root.filePath("repo/second/2"));
    const TrainRun intoVersion = runTrainPy(
            { "export-untrained", "--out", root.filePath("repo/second/2"), "--arch", "fashionnet" }, root.path());
    INFO(intoVersion.output.toStdString());
    CHECK(intoVersion.exitCode != 0);
    CHECK(intoVersion.output.contains("pass the model's repository folder " + model));
    CHECK(manifestBytes(root.filePath("repo/second/2")) == version2Manifest);

    // The repository root itself: refused (it would become a model named like the root).
    const TrainRun intoRoot = runTrainPy(
            { "export-untrained", "--out", root.filePath("repo"), "--arch", "fashionnet" }, root.path());
    INFO(intoRoot.output.toStdString());
    CHECK(intoRoot.exitCode != 0);
    CHECK(intoRoot.output.contains("is a model repository"));
    CHECK(entriesOf(root.filePath("repo")) == QStringList { "second" });
    CHECK(entriesOf(model) == QStringList { "1", "2" });

    // An old-style model folder (model.json directly inside): refused, not written into.
    const QString old = root.filePath("old-style");
    REQUIRE(QDir().mkpath(old));
    for (const QString &file : { QStringLiteral("model.pt"), QStringLiteral("model.json"), QStringLiteral("README.md") })
        REQUIRE(QFile::copy(QDir(root.filePath("repo/second/1")).filePath(file), QDir(old).filePath(file)));
    const TrainRun intoOld = runTrainPy({ "export-untrained", "--out", old, "--arch", "fashionnet" }, root.path());
    INFO(intoOld.output.toStdString());
    CHECK(intoOld.exitCode != 0);
    CHECK(intoOld.output.contains(old + " holds a model.json directly"));
    CHECK(intoOld.output.contains("Pass the model's repository folder REPO/<name>"));
    CHECK(entriesOf(old) == QStringList { "README.md", "model.json", "model.pt" });

    // --version N writes exactly N, and the next run continues after the highest.
    CHECK(train(exportSecond + QStringList { "--version", "7" }, root.path())
              .contains("wrote version 7 of second: " + root.filePath("repo/second/7")));
    CHECK(train(exportSecond, root.path()).contains("wrote version 8 of second: " + root.filePath("repo/second/8")));
    CHECK(entriesOf(model) == QStringList { "1", "2", "7", "8" });
}
