#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include "common/imaging/decodepolicy.h"
#include "common/imaging/inferenceresult.h"
#include "common/imaging/modelmanifest.h"
#include "common/inference/prediction.h"
#include "common/inference/preparedimage.h"

namespace orchard {

/**
 * Runs a model folder's TorchScript classifier on encoded images: bytes in, a Prediction
 * (label, confidence, top-k, per-stage timings) or an InferenceError out.
 *
 * One engine is loaded at start-up and shared by every worker thread: predict() is const
 * and thread-safe, the TorchScript module is loaded once, put in eval mode and never
 * changed, and each call runs under its own thread's InferenceMode guard. LibTorch stays
 * behind the pointer to Private, so this header (and everything including it) is
 * torch-free and OpenCV-free.
 */
class InferenceEngine
{
public:
    /** How load() sets the engine up; the defaults suit the server. */
    struct Options
    {
        /** Images whose header claims more pixels are refused before decoding. */
        qint64 maxPixels = 40'000'000;
        /**
         * Freeze the module and let LibTorch fold batch norms and use oneDNN convolutions
         * (torch.jit.optimize_for_inference). With Debian's reference BLAS this makes
         * batch-1 convolutions 5–15× faster. Kept only when it reproduces the plain
         * module's scores; otherwise the plain module runs.
         */
        bool optimizeForInference = true;
        /**
         * The largest batch classify() will be given: load() runs one forward pass of each
         * size up to it. oneDNN makes its kernels per input shape on first use: measured
         * here, the first pass of a new batch size of the default model took 1.5-2 ms more
         * than the next ones, which a farmer's request would pay.
         */
        int maxBatch = 1;
    };

    ~InferenceEngine();
    InferenceEngine(const InferenceEngine &) = delete;
    InferenceEngine &operator=(const InferenceEngine &) = delete;

    /**
     * Validates model.json, loads model.pt and runs it once on a zero tensor to check that
     * it outputs one score per label. Errors are InvalidModel and name the file and key.
     */
    static InferenceResult<std::shared_ptr<const InferenceEngine>> load(
        const QString &modelDirectory);
    static InferenceResult<std::shared_ptr<const InferenceEngine>> load(
        const QString &modelDirectory, const Options &options);

    /**
     * Sets LibTorch's intra-op threads per forward pass (and one inter-op thread). Takes
     * effect once per process: call it at start-up, before load() and before any worker
     * thread exists; load() applies the default of 1 if nobody did. Returns false when the
     * threads were already configured. Size pool workers × intra-op threads to the cores.
     */
    static bool configureThreads(int intraOpThreads);

    /** The intra-op thread count in effect (after configureThreads() or load()). */
    static int intraOpThreads();

    /**
     * Where the default model's folder (fashion-mnist, version 1) is: installed beside the
     * executable (<exe dir>/../share/orchard/models/fashion-mnist/1) when it exists there,
     * else the source tree's models/fashion-mnist/1.
     */
    static QString defaultModelDirectory();

    /**
     * The model repository shipped with Orchard (REPO/<name>/<version>/, see
     * ModelRepository): <exe dir>/../share/orchard/models when it holds at least one model
     * version, so an installed program serves what was installed with it, else the source
     * tree's models/, so programs run from a build tree need no install step.
     */
    static QString defaultModelRepository();

    const ModelManifest &manifest() const;
    const Options &options() const;
    /** Whether the optimised (frozen, oneDNN) module is the one that runs. */
    bool isOptimized() const;

    /**
     * Decodes, preprocesses and classifies one encoded image (PNG, JPEG, ...). topK is
     * clamped to 1..labels. Thread-safe. BadImage errors are the caller's data; Internal
     * errors are the engine's fault.
     */
    InferenceResult<Prediction> predict(const QByteArray &encodedImage, int topK = 5) const;
    /**
     * predict() under a caller's policy: the formats it accepts and the decode budget it
     * shares with other callers (a server's --image-formats and --decode-memory-mb). The
     * decoded image's share of the budget is given back before the model runs.
     */
    InferenceResult<Prediction> predict(const QByteArray &encodedImage, int topK, const DecodePolicy &policy) const;

    /**
     * predict()'s first half: decodes and preprocesses one encoded image under policy into
     * the model's input. Thread-safe; touches no LibTorch state, so a server runs it on the
     * thread that read the request.
     */
    InferenceResult<PreparedImage> prepare(const QByteArray &encodedImage, const DecodePolicy &policy) const;

    /**
     * prepare() for a pipeline's detector: the image is decoded at a size of at least
     * decodeWidth × decodeHeight (the JPEG reduction is chosen for that, not for the
     * model's input) and the decoded pixels stay in PreparedImage::pixels for the crops.
     */
    InferenceResult<PreparedImage> prepareKeepingPixels(const QByteArray &encodedImage, const DecodePolicy &policy,
                                                        int decodeWidth, int decodeHeight) const;

    /**
     * One forward pass over several prepared inputs of this engine (a batch of
     * inputs.size()); the softmax probabilities of each, in order. Thread-safe. Every
     * image gets what it would get alone, to float rounding (tests/models: 1e-5). An error
     * is the engine's (Internal) and concerns the whole batch.
     */
    InferenceResult<std::vector<std::vector<float>>> classify(const std::vector<const PreparedImage *> &inputs) const;

    /**
     * A detector's forward pass over one prepared input (a model.json of "kind":
     * "detector"): its rows of x, y, width, height and score, in the input's pixels, five
     * floats each, best first. Thread-safe. Internal error for any other kind of model.
     */
    InferenceResult<std::vector<float>> detect(const PreparedImage &input) const;

    /**
     * predict()'s last step: the Prediction for an image and its probabilities, with
     * topK (clamped to 1..labels) labels and inferMs as the forward pass's time.
     */
    Prediction finish(const PreparedImage &image, const std::vector<float> &probabilities, int topK,
                      double inferMs) const;

    /**
     * Runs throwaway predictions on the calling thread, so that the first farmer served by
     * it pays no first-call costs: LibTorch's per-thread set-up and oneDNN's kernels for
     * this thread, libjpeg's and libpng's tables, OpenCV's resize buffers (measured: a
     * fresh thread's first 2048x1365 photo took 20.6 ms against 13.4 ms steady). A
     * photo-sized JPEG and an input-sized PNG, made once per engine at load(). Returns the
     * milliseconds it took, or the error a prediction gave.
     */
    InferenceResult<double> warmUp() const;

    /** Forward passes this engine ran, load()'s and warmUp()'s included (tests count them). */
    std::uint64_t forwardPasses() const;

private:
    InferenceResult<PreparedImage> prepare(const QByteArray &encodedImage, const DecodePolicy &policy, int decodeWidth,
                                           int decodeHeight, bool keepPixels) const;

    struct Private;
    explicit InferenceEngine(std::unique_ptr<Private> d);

    std::unique_ptr<Private> m_d;
};

} // namespace orchard
