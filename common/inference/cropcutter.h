#pragma once

#include <opencv2/core/mat.hpp>

#include "common/imaging/modelmanifest.h"

namespace orchard {

/**
 * The region of a photo a pipeline's classifier sees for one box (docs/models.md,
 * "Pipelines"), cut from the decoded photo rather than the detector's small input: the
 * box grown by rules.padding of its size on each side, made a square of its longer side
 * around its centre when rules.square, corners rounded outwards to whole pixels, and what
 * lies outside the photo filled by repeating its border. detect_train.py's crop_box() is
 * the same rule, so the classifier is trained on what it is given here.
 */
class CropCutter
{
public:
    /** The crop's rectangle in the photo's pixels (it may reach outside the photo). */
    static cv::Rect region(double x, double y, double width, double height, const ModelManifest::CropRules &rules);

    /** The crop itself, a copy, of region()'s size. */
    static cv::Mat cut(const cv::Mat &image, double x, double y, double width, double height,
                       const ModelManifest::CropRules &rules);
};

} // namespace orchard
