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

/** Runs models/train.py with Debian's Python; fails the test with its output if it fails. */
void train(const QStringList &arguments, const QString &workingDirectory)
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
    REQUIRE(process.exitCode() == 0);
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

    train({ "fgvc7", "--data", root.filePath("data"), "--out", root.filePath("model"), "--epochs",
              "1", "--image-size", "32" },
        root.path());
    checkTrainedModel(root.filePath("model"), labels, root.filePath("data/images/Train_7.jpg"));
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
    train({ "folders", "--data", root.filePath("photos"), "--out", root.filePath("model"),
              "--epochs", "1", "--image-size", "32", "--resize", "letterbox" },
        root.path());
    checkTrainedModel(root.filePath("model"), labels, root.filePath("photos/healthy/leaf_1.png"));
}
