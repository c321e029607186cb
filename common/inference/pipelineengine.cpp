#include "common/inference/pipelineengine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

#include <QDir>
#include <QFileInfo>

#include <opencv2/core.hpp>

#include "common/imaging/decodedpixels.h"
#include "common/imaging/imagepreprocessor.h"
#include "common/inference/cropcutter.h"
#include "common/inference/detectorboxes.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

namespace {

using Clock = std::chrono::steady_clock;

// The client downscales a photo to twice its model's input on each side (PhotoDownscaler);
// decoding at that size here too keeps JPEG's reduced decode from throwing away what the
// crops need: a 4000 × 3000 photo is decoded at 1000 × 750 for a 256 × 192 detector.
constexpr int kDecodeFactor = 2;

double millisecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

QString partDirectory(const QString &pipelineDirectory, const ModelManifest::Part &part)
{
    // REPO/<pipeline>/<version>/ → REPO/<part>/<version>/
    QDir repository(pipelineDirectory);
    repository.cdUp();
    repository.cdUp();
    return QDir::cleanPath(repository.filePath(QStringLiteral("%1/%2").arg(part.model).arg(part.version)));
}

} // namespace

struct PipelineEngine::Private
{
    ModelManifest manifest;
    std::shared_ptr<const InferenceEngine> detector;
    std::shared_ptr<const InferenceEngine> classifier;
    std::unique_ptr<ImagePreprocessor> cropPreprocessor;
};

PipelineEngine::PipelineEngine(std::unique_ptr<Private> d)
    : m_d(std::move(d))
{ }

PipelineEngine::~PipelineEngine() = default;

InferenceResult<std::shared_ptr<const PipelineEngine>> PipelineEngine::load(const QString &pipelineDirectory,
                                                                            const InferenceEngine::Options &options)
{
    InferenceResult<ModelManifest> manifest = ModelManifest::load(pipelineDirectory);
    if (!manifest)
        return manifest.error();
    if (manifest->kind != ModelManifest::Kind::Pipeline)
        return InferenceError::invalidModel(
            QStringLiteral("%1: key \"kind\" must be \"pipeline\" for a pipeline").arg(manifest->manifestPath()));
    const ModelManifest::Pipeline &pipeline = *manifest->pipeline;
    const QString who = QStringLiteral("the pipeline %1 (%2)").arg(manifest->name, manifest->manifestPath());

    // Each part is an ordinary repository entry; its errors already name its files.
    const auto loadPart = [&](const ModelManifest::Part &part, const char *role, ModelManifest::Kind kind,
                              const InferenceEngine::Options &partOptions)
        -> InferenceResult<std::shared_ptr<const InferenceEngine>> {
        const QString directory = partDirectory(pipelineDirectory, part);
        const QString name = QStringLiteral("its %1 %2 version %3").arg(QLatin1String(role), part.model).arg(part.version);
        if (!QFileInfo(directory).isDir())
            return InferenceError::invalidModel(
                QStringLiteral("%1 cannot be served: %2 is missing (no folder %3)").arg(who, name, directory));
        InferenceResult<std::shared_ptr<const InferenceEngine>> engine = InferenceEngine::load(directory, partOptions);
        if (!engine)
            return InferenceError::invalidModel(
                QStringLiteral("%1 cannot be served: %2 does not load: %3").arg(who, name, engine.error().message));
        if ((*engine)->manifest().kind != kind)
            return InferenceError::invalidModel(
                QStringLiteral("%1 cannot be served: %2 is a %3, not a %4")
                    .arg(who, name, ModelManifest::kindName((*engine)->manifest().kind), ModelManifest::kindName(kind)));
        return engine;
    };

    InferenceEngine::Options detectorOptions = options;
    detectorOptions.maxBatch = 1;
    InferenceResult<std::shared_ptr<const InferenceEngine>> detector
        = loadPart(pipeline.detector, "detector", ModelManifest::Kind::Detector, detectorOptions);
    if (!detector)
        return detector.error();
    InferenceEngine::Options classifierOptions = options;
    // Every batch size a photo may need is made at load, not on a farmer's request.
    classifierOptions.maxBatch = pipeline.crops.maxBoxes;
    InferenceResult<std::shared_ptr<const InferenceEngine>> classifier
        = loadPart(pipeline.classifier, "classifier", ModelManifest::Kind::Classifier, classifierOptions);
    if (!classifier)
        return classifier.error();

    auto d = std::make_unique<Private>();
    d->manifest = std::move(manifest).value();
    d->detector = std::move(detector).value();
    d->classifier = std::move(classifier).value();
    d->cropPreprocessor = std::make_unique<ImagePreprocessor>(d->classifier->manifest().input);
    return std::shared_ptr<const PipelineEngine>(new PipelineEngine(std::move(d)));
}

const ModelManifest &PipelineEngine::manifest() const { return m_d->manifest; }

const ModelManifest::CropRules &PipelineEngine::rules() const { return m_d->manifest.pipeline->crops; }

const InferenceEngine &PipelineEngine::detector() const { return *m_d->detector; }

const InferenceEngine &PipelineEngine::classifier() const { return *m_d->classifier; }

const std::shared_ptr<const InferenceEngine> &PipelineEngine::sharedClassifier() const { return m_d->classifier; }

InferenceResult<PreparedImage> PipelineEngine::prepare(const QByteArray &encodedImage, const DecodePolicy &policy) const
{
    const ModelManifest::Input &input = m_d->detector->manifest().input;
    return m_d->detector->prepareKeepingPixels(encodedImage, policy, input.width * kDecodeFactor,
                                               input.height * kDecodeFactor);
}

InferenceResult<PipelineEngine::Run> PipelineEngine::run(const PreparedImage &image) const
{
    if (!image.pixels)
        return InferenceError::internal(QStringLiteral("the pipeline %1 was given an image without its pixels")
                                            .arg(m_d->manifest.name));
    const cv::Mat &pixels = image.pixels->image;
    Run result;
    const Clock::time_point started = Clock::now();
    const InferenceResult<std::vector<float>> rows = m_d->detector->detect(image);
    if (!rows)
        return rows.error();
    const ModelManifest::Input &input = m_d->detector->manifest().input;
    const DetectorBoxes::Selection selection = DetectorBoxes::select(
        *rows, DetectorBoxes::Letterbox::of(pixels.cols, pixels.rows, input.width, input.height), pixels.cols,
        pixels.rows, rules());
    const Clock::time_point detected = Clock::now();
    result.detectMs = millisecondsBetween(started, detected);
    result.dropped = selection.dropped;
    if (selection.kept.empty())
        return result;

    std::vector<PreparedImage> crops(selection.kept.size());
    std::vector<const PreparedImage *> batch;
    try {
        for (std::size_t i = 0; i < crops.size(); ++i) {
            const DetectorBoxes::Box &box = selection.kept[i];
            crops[i].input = m_d->cropPreprocessor->process(
                CropCutter::cut(pixels, box.x, box.y, box.width, box.height, rules()));
            batch.push_back(&crops[i]);
        }
    } catch (const cv::Exception &error) {
        return InferenceError::internal(QStringLiteral("OpenCV failed on a crop: %1").arg(QString::fromStdString(error.err)));
    } catch (const std::exception &error) {
        return InferenceError::internal(QStringLiteral("a crop failed: %1").arg(QString::fromLocal8Bit(error.what())));
    }
    // All crops in one forward pass: the batch the classifier was warmed for at load.
    InferenceResult<std::vector<std::vector<float>>> probabilities = m_d->classifier->classify(batch);
    if (!probabilities)
        return probabilities.error();
    for (std::size_t i = 0; i < selection.kept.size(); ++i) {
        const DetectorBoxes::Box &box = selection.kept[i];
        result.found.push_back({ box.x, box.y, box.width, box.height, box.score, std::move((*probabilities)[i]) });
    }
    result.classifyMs = millisecondsBetween(detected, Clock::now());
    return result;
}

Prediction PipelineEngine::finish(const PreparedImage &image, const Run &run, int topK) const
{
    const InferenceEngine &classifier = *m_d->classifier;
    // The image-level fields (sizes, quality, decode and preprocess times) as for any model.
    PreparedImage sizes;
    sizes.imageWidth = image.imageWidth;
    sizes.imageHeight = image.imageHeight;
    sizes.sourceWidth = image.sourceWidth;
    sizes.sourceHeight = image.sourceHeight;
    sizes.decodeReduction = image.decodeReduction;
    sizes.quality = image.quality;
    sizes.decodeMs = image.decodeMs;
    sizes.preprocessMs = image.preprocessMs;

    // Boxes in the pixels of the image as sent: the decoded ones times JPEG's reduction,
    // rounded outwards and kept inside it.
    const double factor = image.decodeReduction;
    const int sentWidth = image.imageWidth * image.decodeReduction;
    const int sentHeight = image.imageHeight * image.decodeReduction;
    QVector<DetectionReport> detections;
    for (const Run::Found &found : run.found) {
        const Prediction named = classifier.finish(sizes, found.probabilities, topK, 0.0);
        DetectionReport detection;
        detection.box = PixelBox::scaled(found.x, found.y, found.width, found.height, factor, factor, sentWidth, sentHeight);
        detection.label = named.label;
        detection.index = named.index;
        detection.confidence = named.confidence;
        detection.score = double(found.detectorScore) * named.confidence;
        detection.topK = named.topK;
        detection.advice = classifier.manifest().description(named.label);
        detection.uncertain = named.uncertain;
        detections.append(detection);
    }
    // Ranked by detector score × class confidence: a sure box of an unsure class goes below
    // a box that is both. Equal scores keep the detector's order.
    std::stable_sort(detections.begin(), detections.end(),
                     [](const DetectionReport &a, const DetectionReport &b) { return a.score > b.score; });

    Prediction prediction;
    if (!detections.isEmpty()) {
        const DetectionReport &best = detections.first();
        prediction.label = best.label;
        prediction.index = best.index;
        prediction.confidence = best.confidence;
        prediction.topK = best.topK;
        prediction.uncertain = best.uncertain;
    } else {
        prediction.label = PredictionReply::nothingFound();
        prediction.index = -1;
    }
    prediction.quality = image.quality;
    prediction.imageWidth = image.imageWidth;
    prediction.imageHeight = image.imageHeight;
    prediction.sourceWidth = image.sourceWidth;
    prediction.sourceHeight = image.sourceHeight;
    prediction.decodeReduction = image.decodeReduction;
    prediction.decodeMs = image.decodeMs;
    prediction.preprocessMs = image.preprocessMs;
    prediction.inferMs = run.detectMs + run.classifyMs;
    prediction.detectMs = run.detectMs;
    prediction.classifyMs = run.classifyMs;
    prediction.detections = detections;
    prediction.droppedDetections = run.dropped;
    return prediction;
}

InferenceResult<Prediction> PipelineEngine::predict(const QByteArray &encodedImage, int topK,
                                                    const DecodePolicy &policy) const
{
    const InferenceResult<PreparedImage> image = prepare(encodedImage, policy);
    if (!image)
        return image.error();
    const InferenceResult<Run> result = run(*image);
    if (!result)
        return result.error();
    return finish(*image, *result, topK);
}

InferenceResult<Prediction> PipelineEngine::predict(const QByteArray &encodedImage, int topK) const
{
    return predict(encodedImage, topK, DecodePolicy {});
}

InferenceResult<double> PipelineEngine::warmUp() const
{
    const Clock::time_point started = Clock::now();
    for (const InferenceEngine *part : { m_d->detector.get(), m_d->classifier.get() }) {
        const InferenceResult<double> warm = part->warmUp();
        if (!warm)
            return warm.error();
    }
    return millisecondsBetween(started, Clock::now());
}

} // namespace orchard
