#pragma once

#include <memory>
#include <vector>

#include <QByteArray>
#include <QString>

#include "common/imaging/decodepolicy.h"
#include "common/imaging/inferenceresult.h"
#include "common/imaging/modelmanifest.h"
#include "common/inference/inferenceengine.h"
#include "common/inference/prediction.h"
#include "common/inference/preparedimage.h"

namespace orchard {

/**
 * A two-stage model (model.json "kind": "pipeline", docs/models.md "Pipelines"): a
 * detector finds objects, a classifier names each from a crop of the decoded photo, all
 * crops of an image in one batched forward pass. Both parts are ordinary entries of the
 * same model repository (REPO/<model>/<version>/), loaded as InferenceEngines.
 *
 * Like InferenceEngine it is loaded once and shared: every method is const and
 * thread-safe. A server splits predict() as for a plain model: prepare() on the thread
 * that read the request, run() where forward passes run, finish() for the reply.
 */
class PipelineEngine
{
public:
    /** What run() found in one image, before it becomes a Prediction. */
    struct Run
    {
        struct Found
        {
            double x = 0.0; ///< in the decoded image's pixels
            double y = 0.0;
            double width = 0.0;
            double height = 0.0;
            float detectorScore = 0.0f;
            std::vector<float> probabilities; ///< the classifier's, for the crop
        };
        std::vector<Found> found; ///< in the detector's order, best score first
        int dropped = 0; ///< boxes beyond the crop rules' max_boxes
        double detectMs = 0.0;
        double classifyMs = 0.0; ///< cutting the crops and their one forward pass
    };

    /**
     * Reads pipelineDirectory's model.json and loads the detector and classifier it names
     * from the repository the pipeline's folder is in (two levels up: REPO/<name>/<version>).
     * A part that is missing, of the wrong kind or fails to load is an InvalidModel error
     * that names the pipeline and the part. options apply to both; the classifier is warmed
     * for batches up to the crop rules' max_boxes.
     */
    static InferenceResult<std::shared_ptr<const PipelineEngine>> load(const QString &pipelineDirectory,
                                                                        const InferenceEngine::Options &options);

    const ModelManifest &manifest() const; ///< the pipeline's own (kind, parts, crop rules)
    const ModelManifest::CropRules &rules() const;
    const InferenceEngine &detector() const;
    const InferenceEngine &classifier() const;
    const std::shared_ptr<const InferenceEngine> &sharedClassifier() const;

    /**
     * Decodes at twice the detector's input or more (what clients' photo downscaling keeps,
     * so crops have the detail the classifier was trained on) and keeps the pixels for run().
     */
    InferenceResult<PreparedImage> prepare(const QByteArray &encodedImage, const DecodePolicy &policy) const;

    /** The detector's pass, the box rules, the crops and the classifier's one pass. */
    InferenceResult<Run> run(const PreparedImage &image) const;

    /**
     * The Prediction for an image: detections (boxes in the sent image's pixels, best score
     * first, each with its top-k and advice); the top level is the best detection's, or
     * PredictionReply::nothingFound() with index −1 when there is none.
     */
    Prediction finish(const PreparedImage &image, const Run &run, int topK) const;

    /** prepare(), run() and finish() on the calling thread. */
    InferenceResult<Prediction> predict(const QByteArray &encodedImage, int topK, const DecodePolicy &policy) const;
    InferenceResult<Prediction> predict(const QByteArray &encodedImage, int topK = 5) const;

    /**
     * Both parts' warm-ups (the detector's photo-sized and input-sized images, the
     * classifier's); the milliseconds they took. Every classifier batch size up to
     * max_boxes was already run once by load().
     */
    InferenceResult<double> warmUp() const;

private:
    struct Private;
    explicit PipelineEngine(std::unique_ptr<Private> d);

public:
    ~PipelineEngine();
    PipelineEngine(const PipelineEngine &) = delete;
    PipelineEngine &operator=(const PipelineEngine &) = delete;

private:
    std::unique_ptr<Private> m_d;
};

} // namespace orchard
