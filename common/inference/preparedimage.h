#pragma once

#include <memory>
#include <vector>

#include "common/imaging/photoquality.h"

namespace orchard {

struct DecodedPixels;

/**
 * One image decoded and preprocessed into its model's input, waiting for a forward pass
 * (InferenceEngine::prepare() makes it, classify() runs it, alone or in a batch, and
 * finish() turns its row of probabilities into a Prediction).
 *
 * The split lets a server decode on the thread that read the request and run the model
 * on another, batching inputs from many requests into one forward pass.
 */
struct PreparedImage
{
    std::vector<float> input; ///< channels × height × width, as the manifest's "input" says

    int imageWidth = 0; ///< as decoded: a reduced JPEG decode gives the reduced size
    int imageHeight = 0;
    int sourceWidth = 0; ///< as the file's header says
    int sourceHeight = 0;
    int decodeReduction = 1;
    PhotoQuality quality; ///< measured on the decoded pixels, before they are let go


    double decodeMs = 0.0;
    double preprocessMs = 0.0;
    /**
     * The decoded image itself, for pipelines only (InferenceEngine::prepareKeepingPixels):
     * the crops are cut from it after the detector has run. Null otherwise.
     */
    std::shared_ptr<const DecodedPixels> pixels;
};

} // namespace orchard
