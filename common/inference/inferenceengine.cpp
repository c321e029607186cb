// The only file in Orchard that includes LibTorch: everything else sees InferenceEngine's
// torch-free header, which keeps their builds fast and their dependencies honest.
#include "common/inference/inferenceengine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <vector>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
// Qt's `slots` keyword macro would rewrite LibTorch's IValue::slots(); hide it meanwhile.
#pragma push_macro("slots")
#undef slots
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/script.h>
#pragma pop_macro("slots")

#include "common/imaging/decodedpixels.h"
#include "common/imaging/imagedecoder.h"
#include "common/imaging/imagepreprocessor.h"
#include "common/imaging/photoquality.h"
#include "common/inference/modelrepository.h"

namespace orchard {

static_assert(InferenceEngine::Options {}.maxPixels == ImageDecoder::kDefaultMaxPixels,
    "the engine's and the decoder's default pixel limits must agree");

namespace {

using Clock = std::chrono::steady_clock;

// Enough forward passes at load for the profiling graph executor to record shapes and
// install its optimised plan, so the first client request neither pays for that nor runs
// a different plan (with different rounding) from the requests after it.
constexpr int kWarmupRuns = 3;

// How far the optimised module's probabilities may stray from the plain module's before
// the optimisation is judged wrong for this model. Folding batch norm and changing the
// convolution algorithm move float32 results by ~1e-6.
constexpr double kOptimizationTolerance = 1e-4;

double millisecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

/**
 * An exception's message without the TorchScript traceback that precedes the actual
 * error when it comes from the interpreter: "RuntimeError: Given groups=1, ...".
 */
QString conciseMessage(const std::string &what)
{
    const QString text = QString::fromStdString(what).trimmed();
    if (!text.contains(QLatin1String("Traceback of TorchScript")))
        return text;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? text : lines.last().trimmed();
}

QString torchMessage(const c10::Error &error)
{
    return conciseMessage(error.what_without_backtrace());
}

QString shapeText(const torch::Tensor &tensor)
{
    QStringList sizes;
    for (const int64_t size : tensor.sizes())
        sizes.append(QString::number(size));
    return u'[' + sizes.join(QStringLiteral(", ")) + u']';
}

std::mutex &threadSetupMutex()
{
    static std::mutex mutex;
    return mutex;
}

bool s_threadsConfigured = false; // guarded by threadSetupMutex()

/**
 * Passes each distinct LibTorch warning on once. Some optimised graphs (MobileNetV3's
 * hardswish and squeeze-excite blocks under oneDNN) warn on every forward pass, which would
 * bury a server's log; the first occurrence is enough to diagnose them.
 */
class OnceWarningHandler : public c10::WarningHandler
{
public:
    void process(
        const c10::SourceLocation &location, const std::string &message, bool verbatim) override
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_seen.size() >= kMaxDistinct || !m_seen.insert(message).second)
                return;
        }
        c10::WarningHandler::process(location, message, verbatim);
    }

private:
    static constexpr std::size_t kMaxDistinct = 64;
    std::mutex m_mutex;
    std::set<std::string> m_seen;
};

OnceWarningHandler &onceWarningHandler()
{
    static OnceWarningHandler handler;
    return handler;
}

/**
 * InferenceEngine::warmUp()'s images: a 2048x1365 colour JPEG (the size of a farmer's
 * photo, so the decoder's DCT-scaled path and the area resize run as they will) with
 * texture in it, so that the Huffman stage has work, and a PNG of the model's own input.
 */
QList<QByteArray> makeWarmUpImages(const ModelManifest::Input &spec)
{
    cv::Mat photo(1365, 2048, CV_8UC3);
    cv::randu(photo, cv::Scalar::all(0), cv::Scalar::all(255));
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", photo, jpeg, { cv::IMWRITE_JPEG_QUALITY, 90 });
    cv::Mat small(std::max(1, spec.height), std::max(1, spec.width), spec.channels == 1 ? CV_8UC1 : CV_8UC3);
    cv::randu(small, cv::Scalar::all(0), cv::Scalar::all(255));
    std::vector<uchar> png;
    cv::imencode(".png", small, png);
    const auto bytes = [](const std::vector<uchar> &data) {
        return QByteArray(reinterpret_cast<const char *>(data.data()), qsizetype(data.size()));
    };
    return { bytes(jpeg), bytes(png) };
}

/** The model broke the manifest's promise of [1, labels] logits. */
struct OutputProblem
{
    QString text;
};

/**
 * <exe dir>/../share/orchard/models, where cmake --install puts the shipped repository;
 * empty when the executable's folder cannot be found.
 */
QString installedModelRepository()
{
    // applicationDirPath() needs the application object; without one, ask the kernel.
    const QString executableDir = QCoreApplication::instance()
        ? QCoreApplication::applicationDirPath()
        : QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget()).absolutePath();
    if (executableDir.isEmpty())
        return {};
    return QDir::cleanPath(QDir(executableDir).filePath(QStringLiteral("../share/orchard/models")));
}

/**
 * Whether root has a <name>/<version>/model.json. Only the layout is looked at, not
 * whether a scan would accept it: an installed repository with a broken config.json must
 * be reported as broken by whoever serves it, not silently replaced by the source tree's.
 */
bool holdsModelVersion(const QString &root)
{
    const QDir repository(root);
    for (const QString &name : repository.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir model(repository.filePath(name));
        for (const QString &version : model.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (ModelRepository::isModelFolder(model.filePath(version)))
                return true;
        }
    }
    return false;
}

} // namespace

struct InferenceEngine::Private
{
    Private(ModelManifest manifestIn, const Options &optionsIn)
        : manifest(std::move(manifestIn))
        , options(optionsIn)
        , decoder(optionsIn.maxPixels)
        , preprocessor(manifest.input)
    { }

    /**
     * Softmax probabilities for preprocessed CHW inputs, one forward pass for all of them;
     * throws c10::Error/OutputProblem.
     */
    std::vector<std::vector<float>> classify(const std::vector<const float *> &inputs) const;
    /** classify() for one input. */
    std::vector<float> classify(std::vector<float> &input) const { return classify({ input.data() }).front(); }

    /**
     * Swaps in torch.jit.optimize_for_inference's version of the module when it loads and
     * gives the same probabilities on two probe inputs; otherwise keeps the plain one.
     */
    void optimize();

    ModelManifest manifest;
    Options options;
    ImageDecoder decoder;
    ImagePreprocessor preprocessor;
    torch::jit::Module module; ///< set up by load() (eval, maybe optimised), then never changed
    bool optimized = false; ///< module is optimize_for_inference's version
    mutable std::atomic<std::uint64_t> forwardPasses { 0 }; ///< every forward(), load()'s own included
    /** warmUp()'s images: encoded once at load(), the same for every thread. */
    QList<QByteArray> warmUpImages;
};

std::vector<std::vector<float>> InferenceEngine::Private::classify(const std::vector<const float *> &inputs) const
{
    // InferenceMode and the warning handler are thread-local: they must be set up by the
    // thread that runs forward(), on every call, since pool threads are not ours to prepare.
    //
    // The intra-op thread count is per thread too, as far as oneDNN is concerned: it sizes
    // its OpenMP teams from the calling thread's own setting, which a thread LibTorch did
    // not start has never had. Without this each worker ran oneDNN's convolutions in a team
    // as wide as the machine, an extra thread per worker spinning at every barrier (2 % of
    // the server's CPU on two cores) on cores the other workers need.
    static thread_local const bool intraOpThreadsSet = (at::init_num_threads(), true);
    (void)intraOpThreadsSet;
    const c10::InferenceMode inferenceMode;
    const c10::Warning::WarningHandlerGuard warnings(&onceWarningHandler());
    const ModelManifest::Input &spec = manifest.input;
    const int64_t count = int64_t(inputs.size());
    const int64_t size = int64_t(spec.channels) * spec.height * spec.width;
    torch::Tensor batch;
    if (count == 1) {
        // from_blob does not own the memory: the caller's input outlives every use of it.
        batch = torch::from_blob(const_cast<float *>(inputs.front()), { 1, spec.channels, spec.height, spec.width },
                                 torch::kFloat32);
    } else {
        // One contiguous [N, C, H, W] tensor; the copy costs 3 µs for 8 Fashion-MNIST
        // inputs and 0.1 ms for 8 of 224×224×3, against forward passes of 1.5 and 20 ms.
        batch = torch::empty({ count, spec.channels, spec.height, spec.width }, torch::kFloat32);
        float *rows = batch.data_ptr<float>();
        for (int64_t i = 0; i < count; ++i)
            std::copy(inputs[std::size_t(i)], inputs[std::size_t(i)] + size, rows + i * size);
    }

    // Module is a handle to shared state and forward() is not const; copying the handle
    // costs one reference count and leaves the loaded module untouched.
    torch::jit::Module shared = module;
    forwardPasses.fetch_add(1, std::memory_order_relaxed);
    const c10::IValue output = shared.forward({ batch });
    if (!output.isTensor())
        throw OutputProblem { QStringLiteral("returns %1, not a tensor of logits")
                                  .arg(QString::fromStdString(output.tagKind())) };
    const torch::Tensor logits = output.toTensor();
    if (manifest.kind == ModelManifest::Kind::Detector) {
        // A detector's graph decodes its own boxes: [K, 5] rows of x, y, width, height,
        // score in the input's pixels, for the one image it was given.
        if (count != 1 || logits.dim() != 2 || logits.size(1) != 5
            || logits.size(0) > manifest.detectorOutput.maxDetections)
            throw OutputProblem { QStringLiteral("outputs shape %1 for %2 image(s), not [K, 5] with K at most %3 "
                                                 "(\"output.max_detections\")")
                                      .arg(shapeText(logits))
                                      .arg(count)
                                      .arg(manifest.detectorOutput.maxDetections) };
        const torch::Tensor rows = logits.to(torch::kFloat32).contiguous();
        return { std::vector<float>(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel()) };
    }
    if (logits.dim() != 2 || logits.size(0) != count || logits.size(1) != manifest.labels.size())
        throw OutputProblem { QStringLiteral("outputs shape %1 for %2 image(s), not [%2, %3]")
                                  .arg(shapeText(logits))
                                  .arg(count)
                                  .arg(manifest.labels.size()) };

    const torch::Tensor probabilities = logits.to(torch::kFloat32).softmax(1).contiguous();
    const float *begin = probabilities.data_ptr<float>();
    const int64_t labels = probabilities.size(1);
    std::vector<std::vector<float>> rows;
    rows.reserve(std::size_t(count));
    for (int64_t i = 0; i < count; ++i)
        rows.emplace_back(begin + i * labels, begin + (i + 1) * labels);
    return rows;
}

void InferenceEngine::Private::optimize()
{
    const std::size_t size = preprocessor.outputSize();
    std::vector<float> zeros(size, 0.0f);
    std::vector<float> ramp(size);
    for (std::size_t i = 0; i < size; ++i)
        ramp[i] = -2.0f + 4.0f * float(i % 997) / 996.0f; // spread over a normalised range
    const bool detector = manifest.kind == ModelManifest::Kind::Detector;
    if (detector) {
        // A detector's rows are its best peaks in order: a repeating ramp gives it many
        // equal peaks, whose order float rounding may swap. A hash of the index does not.
        for (std::size_t i = 0; i < size; ++i)
            ramp[i] = -2.0f + 4.0f * float((i * 2654435761u) % 1000003u) / 1000002.0f;
    }
    // Box corners are in pixels (hundreds), probabilities in 0..1: relative for the first.
    const auto differ = [detector](double expected, double actual) {
        const double tolerance = detector ? kOptimizationTolerance * 10 * (1.0 + std::abs(expected))
                                          : kOptimizationTolerance;
        return std::abs(expected - actual) > tolerance;
    };

    const torch::jit::Module plain = module;
    try {
        const std::vector<float> expectedZeros = classify(zeros);
        const std::vector<float> expectedRamp = classify(ramp);
        torch::jit::Module candidate = plain.clone();
        module = torch::jit::optimize_for_inference(candidate);
        const std::vector<float> actualZeros = classify(zeros);
        const std::vector<float> actualRamp = classify(ramp);
        optimized = expectedZeros.size() == actualZeros.size() && expectedRamp.size() == actualRamp.size();
        for (std::size_t i = 0; optimized && i < expectedRamp.size(); ++i) {
            if (differ(expectedRamp[i], actualRamp[i]) || (!detector && differ(expectedZeros[i], actualZeros[i])))
                optimized = false;
        }
    } catch (const std::exception &) {
        // Not every TorchScript module can be frozen and rewritten; the plain one works.
        optimized = false;
    }
    if (!optimized)
        module = plain;
}

InferenceEngine::InferenceEngine(std::unique_ptr<Private> d)
    : m_d(std::move(d))
{ }

InferenceEngine::~InferenceEngine() = default;

InferenceResult<std::shared_ptr<const InferenceEngine>> InferenceEngine::load(
    const QString &modelDirectory)
{
    return load(modelDirectory, Options {});
}

// One piece on purpose: manifest, TorchScript load, dry run, optimisation and warm-up are
// steps in order, each turning LibTorch's exceptions into an error that names the file.
InferenceResult<std::shared_ptr<const InferenceEngine>> InferenceEngine::load(
    const QString &modelDirectory, const Options &options)
{
    InferenceResult<ModelManifest> manifest = ModelManifest::load(modelDirectory);
    if (!manifest)
        return manifest.error();
    if (manifest->kind == ModelManifest::Kind::Pipeline)
        return InferenceError::invalidModel(
            QStringLiteral("%1: key \"kind\" says pipeline: it has no model.pt of its own, and is served by "
                           "loading its detector and classifier (PipelineEngine)")
                .arg(manifest->manifestPath()));
    const QString modelPath = manifest->modelPath();
    const QString manifestPath = manifest->manifestPath();
    if (!QFileInfo(modelPath).isFile())
        return InferenceError::invalidModel(
            QStringLiteral("%1: file not found (a model folder holds model.pt, model.json "
                           "and README.md)")
                .arg(modelPath));

    configureThreads(1); // the default, unless the application chose before loading

    std::unique_ptr<Private> d;
    try {
        d = std::make_unique<Private>(std::move(manifest).value(), options);
        d->module = torch::jit::load(QFile::encodeName(modelPath).toStdString(), torch::kCPU);
        d->module.eval();
    } catch (const c10::Error &error) {
        return InferenceError::invalidModel(
            QStringLiteral("%1: LibTorch cannot load this file as TorchScript: %2")
                .arg(modelPath, torchMessage(error)));
    } catch (const std::exception &error) {
        return InferenceError::invalidModel(
            QStringLiteral("%1: loading failed: %2")
                .arg(modelPath, QString::fromLocal8Bit(error.what())));
    }

    // A dry run on zeros of the declared input shape proves model.pt and model.json belong
    // together before any client relies on them.
    const ModelManifest::Input &spec = d->manifest.input;
    std::vector<float> zeros(d->preprocessor.outputSize(), 0.0f);
    try {
        d->classify(zeros);
    } catch (const OutputProblem &problem) {
        if (d->manifest.kind == ModelManifest::Kind::Detector)
            return InferenceError::invalidModel(QStringLiteral("%1: a detector's model.pt must return boxes, but it %2")
                                                        .arg(modelPath, problem.text));
        return InferenceError::invalidModel(
            QStringLiteral("%1: key \"labels\" lists %2 labels, but %3 %4")
                .arg(manifestPath)
                .arg(d->manifest.labels.size())
                .arg(modelPath, problem.text));
    } catch (const std::exception &error) {
        // c10::Error from operators, std::runtime_error from the TorchScript interpreter.
        const auto *torchError = dynamic_cast<const c10::Error *>(&error);
        return InferenceError::invalidModel(
            QStringLiteral("%1 fails on a zero tensor of the shape %2 declares in "
                           "\"input\" [1, %3, %4, %5]: %6")
                .arg(modelPath, manifestPath)
                .arg(spec.channels)
                .arg(spec.height)
                .arg(spec.width)
                .arg(torchError ? torchMessage(*torchError) : conciseMessage(error.what())));
    }

    if (options.optimizeForInference)
        d->optimize();
    try {
        for (int run = 0; run < kWarmupRuns; ++run)
            d->classify(zeros);

    } catch (const OutputProblem &problem) {
        return InferenceError::invalidModel(QStringLiteral("%1: %2").arg(modelPath, problem.text));
    } catch (const std::exception &error) {
        return InferenceError::invalidModel(QStringLiteral("%1: the warm-up run failed: %2")
                                                .arg(modelPath, conciseMessage(error.what())));
    }
    int size = 2;
    try {
        // A detector takes one image at a time: its rows are the boxes of that image.
        const int maxBatch = d->manifest.kind == ModelManifest::Kind::Detector ? 1 : options.maxBatch;
        for (; size <= maxBatch; ++size)
            d->classify(std::vector<const float *>(std::size_t(size), zeros.data()));
    } catch (const std::exception &error) {
        // A model written for one image at a time (a reshape to [1, ...]) loads, but cannot
        // be batched: say what to change rather than just that it failed.
        return InferenceError::invalidModel(
            QStringLiteral("%1 cannot classify a batch of %2 images (%3); give its model \"max_batch_size\": 1 "
                           "in config.json, or run the server with --max-batch 1")
                .arg(modelPath)
                .arg(size)
                .arg(conciseMessage(error.what())));
    } catch (const OutputProblem &problem) {
        return InferenceError::invalidModel(
            QStringLiteral("%1 cannot classify a batch of %2 images (it %3); give its model \"max_batch_size\": 1 "
                           "in config.json, or run the server with --max-batch 1")
                .arg(modelPath)
                .arg(size)
                .arg(problem.text));
    }
    try {
        d->warmUpImages = makeWarmUpImages(spec);
    } catch (const cv::Exception &) {
        // Without the images warmUp() does nothing: a slower first request, not a failure.
    }
    return std::shared_ptr<const InferenceEngine>(new InferenceEngine(std::move(d)));
}

bool InferenceEngine::configureThreads(int intraOpThreads)
{
    const std::lock_guard<std::mutex> lock(threadSetupMutex());
    if (s_threadsConfigured)
        return false;
    s_threadsConfigured = true;
    // LibTorch copies this setting into each thread on its first parallel region, so
    // setting it here also covers pool workers created later.
    at::set_num_threads(std::max(1, intraOpThreads));
    try {
        at::set_num_interop_threads(1);
    } catch (const c10::Error &) {
        // Only possible if something already started the inter-op pool; keep its size.
    }
    return true;
}

int InferenceEngine::intraOpThreads() { return at::get_num_threads(); }

QString InferenceEngine::defaultModelDirectory()
{
    const QString model = QStringLiteral("fashion-mnist/1");
    QStringList candidates;
    const QString installed = installedModelRepository();
    if (!installed.isEmpty())
        candidates.append(QDir(installed).filePath(model));
    candidates.append(QDir(QStringLiteral(ORCHARD_SOURCE_MODELS_DIR)).filePath(model));
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFileInfo::exists(QDir(candidate).filePath(QStringLiteral("model.json"))))
            return QDir::cleanPath(candidate);
    }
    return QDir::cleanPath(candidates.last());
}

QString InferenceEngine::defaultModelRepository()
{
    const QString installed = installedModelRepository();
    if (!installed.isEmpty() && holdsModelVersion(installed))
        return installed;
    return QDir::cleanPath(QStringLiteral(ORCHARD_SOURCE_MODELS_DIR));
}

const ModelManifest &InferenceEngine::manifest() const { return m_d->manifest; }

const InferenceEngine::Options &InferenceEngine::options() const { return m_d->options; }

bool InferenceEngine::isOptimized() const { return m_d->optimized; }

InferenceResult<Prediction> InferenceEngine::predict(const QByteArray &encodedImage, int topK) const
{
    return predict(encodedImage, topK, DecodePolicy {});
}

InferenceResult<Prediction> InferenceEngine::predict(
    const QByteArray &encodedImage, int topK, const DecodePolicy &policy) const
{
    if (m_d->manifest.kind != ModelManifest::Kind::Classifier)
        return InferenceError::internal(
            QStringLiteral("the model %1 is a %2, not a classifier: it answers as part of a pipeline")
                .arg(m_d->manifest.name, ModelManifest::kindName(m_d->manifest.kind)));
    const InferenceResult<PreparedImage> image = prepare(encodedImage, policy);
    if (!image)
        return image.error();
    const Clock::time_point started = Clock::now();
    const InferenceResult<std::vector<std::vector<float>>> probabilities = classify({ &*image });
    if (!probabilities)
        return probabilities.error();
    Prediction prediction = finish(*image, probabilities->front(), topK, 0.0);
    // Top-k included, as before the engine was split for batching.
    prediction.inferMs = millisecondsBetween(started, Clock::now());
    return prediction;
}

InferenceResult<PreparedImage> InferenceEngine::prepare(const QByteArray &encodedImage,
                                                        const DecodePolicy &policy) const
{
    const ModelManifest::Input &spec = m_d->manifest.input;
    return prepare(encodedImage, policy, spec.width, spec.height, false);
}

InferenceResult<PreparedImage> InferenceEngine::prepareKeepingPixels(const QByteArray &encodedImage,
                                                                     const DecodePolicy &policy, int decodeWidth,
                                                                     int decodeHeight) const
{
    return prepare(encodedImage, policy, decodeWidth, decodeHeight, true);
}

InferenceResult<PreparedImage> InferenceEngine::prepare(const QByteArray &encodedImage, const DecodePolicy &policy,
                                                        int decodeWidth, int decodeHeight, bool keepPixels) const
{
    const ModelManifest::Input &spec = m_d->manifest.input;
    try {
        const Clock::time_point started = Clock::now();
        PreparedImage prepared;
        Clock::time_point decoded;
        {
            // The decoded pixels, and their share of the decode budget, live only until the
            // model's input is made from them.
            const InferenceResult<ImageDecoder::Image> image
                = m_d->decoder.decode(encodedImage, spec.channels, decodeWidth, decodeHeight, policy);
            if (!image)
                return image.error();
            decoded = Clock::now();
            prepared.quality = PhotoQuality::measure(image->pixels, int(image->header.width),
                                                     int(image->header.height), m_d->manifest.quality, spec);
            prepared.input = m_d->preprocessor.process(image->pixels);
            prepared.imageWidth = image->pixels.cols;
            prepared.imageHeight = image->pixels.rows;
            prepared.sourceWidth = int(image->header.width);
            prepared.sourceHeight = int(image->header.height);
            prepared.decodeReduction = image->reduction;
            // The budget's share goes back with image, as for every model: the pixels a
            // pipeline keeps are one request's, until its crops are cut.
            if (keepPixels)
                prepared.pixels = std::make_shared<const DecodedPixels>(DecodedPixels { image->pixels });
        }
        prepared.decodeMs = millisecondsBetween(started, decoded);
        prepared.preprocessMs = millisecondsBetween(decoded, Clock::now());
        return prepared;
    } catch (const cv::Exception &error) {
        return InferenceError::internal(
            QStringLiteral("OpenCV failed: %1").arg(QString::fromStdString(error.err)));
    } catch (const std::exception &error) {
        return InferenceError::internal(
            QStringLiteral("inference failed: %1").arg(conciseMessage(error.what())));
    }
}

InferenceResult<std::vector<std::vector<float>>> InferenceEngine::classify(
    const std::vector<const PreparedImage *> &inputs) const
{
    const std::size_t size = m_d->preprocessor.outputSize();
    std::vector<const float *> rows;
    rows.reserve(inputs.size());
    for (const PreparedImage *image : inputs) {
        if (image->input.size() != size)
            return InferenceError::internal(
                QStringLiteral("an input of %1 values was given to a model that takes %2").arg(image->input.size()).arg(size));
        rows.push_back(image->input.data());
    }
    if (rows.empty())
        return std::vector<std::vector<float>>();
    try {
        return m_d->classify(rows);
    } catch (const OutputProblem &problem) {
        return InferenceError::internal(QStringLiteral("the model %1").arg(problem.text));
    } catch (const c10::Error &error) {
        return InferenceError::internal(
            QStringLiteral("LibTorch failed: %1").arg(torchMessage(error)));
    } catch (const std::exception &error) {
        return InferenceError::internal(
            QStringLiteral("inference failed: %1").arg(conciseMessage(error.what())));
    }
}

InferenceResult<std::vector<float>> InferenceEngine::detect(const PreparedImage &input) const
{
    if (m_d->manifest.kind != ModelManifest::Kind::Detector)
        return InferenceError::internal(QStringLiteral("the model %1 is not a detector").arg(m_d->manifest.name));
    InferenceResult<std::vector<std::vector<float>>> rows = classify({ &input });
    if (!rows)
        return rows.error();
    return std::move(rows->front());
}

Prediction InferenceEngine::finish(const PreparedImage &image, const std::vector<float> &probabilities, int topK,
                                   double inferMs) const
{
    Prediction prediction;
    const int count = int(probabilities.size());
    std::vector<int> order(probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    const int k = std::clamp(topK, 1, count);
    // Ties go to the lower index, so equal scores always come out in the same order.
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return probabilities[a] > probabilities[b] || (probabilities[a] == probabilities[b] && a < b);
    });
    for (int i = 0; i < k; ++i) {
        const int index = order[i];
        prediction.topK.append({ m_d->manifest.labels.at(index), index, double(probabilities[index]) });
    }
    // The runner-up from all the probabilities: the caller's top-k may be 1.
    double second = 0.0;
    for (int i = 0; i < count; ++i) {
        if (i != order[0])
            second = std::max(second, double(probabilities[i]));
    }
    prediction.uncertain = m_d->manifest.isUncertain(double(probabilities[order[0]]), second);
    prediction.quality = image.quality;
    prediction.label = prediction.topK.first().label;
    prediction.index = prediction.topK.first().index;
    prediction.confidence = prediction.topK.first().score;
    prediction.imageWidth = image.imageWidth;
    prediction.imageHeight = image.imageHeight;
    prediction.sourceWidth = image.sourceWidth;
    prediction.sourceHeight = image.sourceHeight;
    prediction.decodeReduction = image.decodeReduction;
    prediction.decodeMs = image.decodeMs;
    prediction.preprocessMs = image.preprocessMs;
    prediction.inferMs = inferMs;
    return prediction;
}

std::uint64_t InferenceEngine::forwardPasses() const
{
    return m_d->forwardPasses.load(std::memory_order_relaxed);
}

InferenceResult<double> InferenceEngine::warmUp() const
{
    const Clock::time_point started = Clock::now();
    for (const QByteArray &image : std::as_const(m_d->warmUpImages)) {
        if (m_d->manifest.kind == ModelManifest::Kind::Detector) {
            const InferenceResult<PreparedImage> prepared = prepare(image, DecodePolicy {});
            if (!prepared)
                return prepared.error();
            const InferenceResult<std::vector<float>> rows = detect(*prepared);
            if (!rows)
                return rows.error();
            continue;
        }
        const InferenceResult<Prediction> prediction = predict(image, 1);
        if (!prediction)
            return prediction.error();
    }
    return millisecondsBetween(started, Clock::now());
}

} // namespace orchard
