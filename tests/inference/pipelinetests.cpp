// The detect → classify pipeline: box selection and crops on hand-made data, then the
// shipped fashion-detect pipeline on scenes models/scenes.py makes in the test.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/inference/cropcutter.h"
#include "common/inference/detectorboxes.h"
#include "common/inference/pipelineengine.h"
#include "common/protocol/predictionreply.h"

using namespace orchard;

namespace {

const QString kRepository = QStringLiteral(ORCHARD_SOURCE_DIR "/models");

double iou(const PixelBox &a, double x, double y, double width, double height)
{
    const double w = std::max(0.0, std::min(double(a.x + a.width), x + width) - std::max(double(a.x), x));
    const double h = std::max(0.0, std::min(double(a.y + a.height), y + height) - std::max(double(a.y), y));
    return w * h / (double(a.width) * a.height + width * height - w * h);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

} // namespace

TEST_CASE("Detector rows become photo boxes: letterbox undone, threshold, size, NMS, max boxes", "[pipeline]")
{
    // A 1000 x 500 photo in a 256 x 192 input: scale 0.256, 128 x 64 px bars above and below.
    const DetectorBoxes::Letterbox letterbox = DetectorBoxes::Letterbox::of(1000, 500, 256, 192);
    CHECK(letterbox.scale == Approx(0.256));
    CHECK(letterbox.padX == 0);
    CHECK(letterbox.padY == 32);
    ModelManifest::CropRules rules;
    rules.scoreThreshold = 0.3;
    rules.nmsIou = 0.45;
    rules.minSize = 10;
    rules.maxBoxes = 2;
    const std::vector<float> rows {
        25.6f, 57.6f, 25.6f, 12.8f, 0.9f, // photo (100, 100, 100, 50)
        26.0f, 58.0f, 25.6f, 12.8f, 0.8f, // the same object again: NMS removes it
        128.0f, 96.0f, 51.2f, 25.6f, 0.7f, // photo (500, 250, 200, 100)
        200.0f, 40.0f, 2.0f, 2.0f, 0.95f, // 7.8 px wide in the photo: under min_size
        10.0f, 150.0f, 20.0f, 20.0f, 0.2f, // under the threshold
        240.0f, 150.0f, 40.0f, 60.0f, 0.6f, // reaches past the photo's right and bottom: clipped
    };
    const DetectorBoxes::Selection selection = DetectorBoxes::select(rows, letterbox, 1000, 500, rules);
    REQUIRE(selection.kept.size() == 2);
    CHECK(selection.dropped == 1); // the clipped one, third best: beyond max_boxes
    CHECK(selection.kept[0].x == Approx(100));
    CHECK(selection.kept[0].y == Approx(100));
    CHECK(selection.kept[0].width == Approx(100));
    CHECK(selection.kept[0].height == Approx(50));
    CHECK(selection.kept[0].score == Approx(0.9));
    CHECK(selection.kept[1].x == Approx(500));
    CHECK(selection.kept[1].width == Approx(200));

    rules.maxBoxes = 8;
    const DetectorBoxes::Selection all = DetectorBoxes::select(rows, letterbox, 1000, 500, rules);
    REQUIRE(all.kept.size() == 3);
    CHECK(all.dropped == 0);
    CHECK(all.kept[2].x + all.kept[2].width == Approx(1000)); // clipped to the photo
    CHECK(all.kept[2].y + all.kept[2].height == Approx(500));
    CHECK(DetectorBoxes::select({}, letterbox, 1000, 500, rules).kept.empty());
}

TEST_CASE("Crops are cut from the photo in its own pixels, squared, padded and border-filled", "[pipeline]")
{
    // A non-square photo whose pixel values say where they are.
    cv::Mat photo(300, 800, CV_8UC3);
    for (int y = 0; y < photo.rows; ++y)
        for (int x = 0; x < photo.cols; ++x)
            photo.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x % 256), uchar(y % 256), uchar(x / 256));
    ModelManifest::CropRules rules;
    rules.padding = 0.25;
    rules.square = true;
    // 40 x 20 at (600, 100): grown to 60 x 30, squared to 60 x 60 around (620, 110).
    const cv::Rect region = CropCutter::region(600, 100, 40, 20, rules);
    CHECK(region == cv::Rect(590, 80, 60, 60));
    const cv::Mat crop = CropCutter::cut(photo, 600, 100, 40, 20, rules);
    REQUIRE(crop.size() == cv::Size(60, 60));
    CHECK(crop.at<cv::Vec3b>(0, 0) == photo.at<cv::Vec3b>(80, 590));
    CHECK(crop.at<cv::Vec3b>(59, 59) == photo.at<cv::Vec3b>(139, 649));
    // At the corner the part outside the photo repeats its border.
    const cv::Mat corner = CropCutter::cut(photo, 780, 290, 20, 10, rules);
    REQUIRE(corner.size() == cv::Size(30, 30));
    CHECK(corner.at<cv::Vec3b>(29, 29) == photo.at<cv::Vec3b>(299, 799));
    rules.square = false;
    CHECK(CropCutter::region(600, 100, 40, 20, rules) == cv::Rect(590, 95, 60, 30));
}

TEST_CASE("fashion-detect finds and names the items of generated scenes, one classifier pass each", "[pipeline]")
{
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    QProcess scenes;
    scenes.start(QStringLiteral("/usr/bin/python3"),
                 { QStringLiteral(ORCHARD_SOURCE_DIR "/models/scenes.py"), QStringLiteral("--split"), QStringLiteral("test"),
                   QStringLiteral("--count"), QStringLiteral("6"), QStringLiteral("--seed"), QStringLiteral("777"),
                   QStringLiteral("--out"), folder.path() });
    REQUIRE(scenes.waitForFinished(120000));
    INFO(scenes.readAllStandardError().toStdString());
    REQUIRE(scenes.exitCode() == 0);
    const QJsonArray truth
        = QJsonDocument::fromJson(readFile(folder.filePath(QStringLiteral("boxes.json")))).object().value(QStringLiteral("scenes")).toArray();

    InferenceEngine::Options options;
    const auto pipeline = PipelineEngine::load(kRepository + QStringLiteral("/fashion-detect/1"), options);
    REQUIRE(pipeline);
    const PipelineEngine &engine = **pipeline;
    CHECK(engine.detector().isOptimized());
    int boxes = 0;
    int named = 0;
    for (const QJsonValue &sceneValue : truth) {
        const QJsonObject scene = sceneValue.toObject();
        const std::uint64_t passesBefore = engine.classifier().forwardPasses();
        const auto prediction = engine.predict(readFile(folder.filePath(scene.value(QStringLiteral("file")).toString())), 3);
        REQUIRE(prediction);
        REQUIRE(prediction->detections);
        const QVector<DetectionReport> &found = *prediction->detections;
        // However many crops, one forward pass of the classifier.
        CHECK(engine.classifier().forwardPasses() - passesBefore == (found.isEmpty() ? 0u : 1u));
        REQUIRE_FALSE(found.isEmpty());
        CHECK(prediction->label == found.first().label);
        CHECK(prediction->detectMs.has_value());
        for (int i = 1; i < found.size(); ++i)
            CHECK(found[i - 1].score >= found[i].score);
        for (const QJsonValue &boxValue : scene.value(QStringLiteral("boxes")).toArray()) {
            const QJsonObject box = boxValue.toObject();
            ++boxes;
            for (const DetectionReport &detection : found) {
                if (iou(detection.box, box.value(QStringLiteral("x")).toDouble(), box.value(QStringLiteral("y")).toDouble(),
                        box.value(QStringLiteral("width")).toDouble(), box.value(QStringLiteral("height")).toDouble())
                        >= 0.5
                    && detection.label == box.value(QStringLiteral("label")).toString()) {
                    ++named;
                    break;
                }
            }
        }
    }
    INFO(named << " of " << boxes << " true boxes found and named");
    CHECK(boxes > 6);
    CHECK(named >= boxes * 7 / 10); // 85.9 % on the 300 scenes of the model card
}

TEST_CASE("A scene with nothing in it is an empty list said in words", "[pipeline]")
{
    const auto pipeline = PipelineEngine::load(kRepository + QStringLiteral("/fashion-detect/1"), {});
    REQUIRE(pipeline);
    // A flat grey photo smaller than the detector's input.
    cv::Mat grey(100, 120, CV_8UC3, cv::Scalar(128, 128, 128));
    std::vector<uchar> png;
    REQUIRE(cv::imencode(".png", grey, png));
    const auto prediction = (*pipeline)->predict(QByteArray(reinterpret_cast<const char *>(png.data()), int(png.size())));
    REQUIRE(prediction);
    REQUIRE(prediction->detections);
    CHECK(prediction->detections->isEmpty());
    CHECK(prediction->label == PredictionReply::nothingFound());
    CHECK(prediction->index == -1);
}

TEST_CASE("A pipeline whose part is missing is not served, and the error names the part", "[pipeline]")
{
    QTemporaryDir repository;
    REQUIRE(repository.isValid());
    QDir(repository.path()).mkpath(QStringLiteral("fashion-detect/1"));
    REQUIRE(QFile::copy(kRepository + QStringLiteral("/fashion-detect/1/model.json"),
                        repository.filePath(QStringLiteral("fashion-detect/1/model.json"))));
    QDir(repository.path()).mkpath(QStringLiteral("fashion-detector/1"));
    for (const char *file : { "model.json", "model.pt" })
        REQUIRE(QFile::copy(kRepository + QStringLiteral("/fashion-detector/1/") + QLatin1String(file),
                            repository.filePath(QStringLiteral("fashion-detector/1/") + QLatin1String(file))));
    auto loaded = PipelineEngine::load(repository.filePath(QStringLiteral("fashion-detect/1")), {});
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().message.contains(QStringLiteral("classifier fashion-crops version 1 is missing")));
    // The detector folder given as the classifier: the wrong kind, said so.
    QDir(repository.path()).mkpath(QStringLiteral("fashion-crops/1"));
    for (const char *file : { "model.json", "model.pt" })
        REQUIRE(QFile::copy(kRepository + QStringLiteral("/fashion-detector/1/") + QLatin1String(file),
                            repository.filePath(QStringLiteral("fashion-crops/1/") + QLatin1String(file))));
    loaded = PipelineEngine::load(repository.filePath(QStringLiteral("fashion-detect/1")), {});
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().message.contains(QStringLiteral("classifier fashion-crops version 1 is a detector")));
}
