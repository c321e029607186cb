#pragma once

#include <optional>
#include <vector>

#include "common/imaging/inferenceresult.h"
#include "common/inference/pipelineengine.h"

namespace orchard {

/** What the batcher made of one submitted image. */
struct BatchOutcome
{
    /** The image's softmax probabilities, or the engine's error for its forward pass. */
    InferenceResult<std::vector<float>> probabilities = std::vector<float>();
    double queueMs = 0.0; ///< from submit() to its forward pass's start
    double inferMs = 0.0; ///< the forward pass it was in, for the whole batch
    int batchSize = 0; ///< how many images that forward pass classified
    /** A pipeline's image: what it found (probabilities is then empty), or its error. */
    std::optional<InferenceResult<PipelineEngine::Run>> pipelineRun;
};

} // namespace orchard
