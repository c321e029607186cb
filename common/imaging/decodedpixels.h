#pragma once

#include <opencv2/core/mat.hpp>

namespace orchard {

/**
 * The decoded pixels of a request's image, kept past its preprocessing for a pipeline: its
 * classifier's crops are cut from them, not from the detector's small input. Behind a
 * forward declaration in PreparedImage, so that header stays free of OpenCV.
 */
struct DecodedPixels
{
    cv::Mat image; ///< 8-bit, as ImageDecoder gave it (BGR, or gray for one channel)
};

} // namespace orchard
