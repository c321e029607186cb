#pragma once

#include <array>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "common/imaging/modelmanifest.h"

namespace orchard {

/**
 * Applies a manifest's preprocessing contract to decoded pixels: colour order, resize
 * (area, linear or letterbox), then float32 × scale and per-channel (x − mean) / std,
 * laid out as the CHW planes of an NCHW batch of one.
 *
 * train.py trains with the same steps through the same OpenCV calls, so what the model
 * sees here is what it saw in training. The float step goes through a 256-entry table per
 * channel computed with the same float32 operations train.py's normalize() performs, so
 * the values match it exactly, not just closely.
 */
class ImagePreprocessor
{
public:
    explicit ImagePreprocessor(const ModelManifest::Input &input);

    const ModelManifest::Input &input() const { return m_input; }

    /** channels × height × width: the number of floats process() returns. */
    std::size_t outputSize() const;

    /**
     * An 8-bit image, 1 channel (gray) or 3 (BGR, as OpenCV decodes), to CHW floats.
     * Throws std::invalid_argument for any other kind of image.
     */
    std::vector<float> process(const cv::Mat &image) const;

    /** The colour and resize steps alone: 8-bit, input height × width, manifest colour order. */
    cv::Mat convertAndResize(const cv::Mat &image) const;

private:
    ModelManifest::Input m_input;
    std::array<std::array<float, 256>, 3> m_table; ///< per channel: byte → normalised value
};

} // namespace orchard
