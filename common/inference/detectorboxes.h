#pragma once

#include <vector>

#include "common/imaging/modelmanifest.h"

namespace orchard {

/**
 * From a detector's rows to the boxes a pipeline classifies: the rows (x, y, width,
 * height, score in the detector input's pixels, as the graph decodes them) are mapped back
 * through the letterbox into the decoded image, clipped to it, filtered by the crop rules'
 * score and size, and thinned by non-maximum suppression (OpenCV's cv::dnn::NMSBoxes, the
 * one a detector's users know; torchvision's is not in Debian's LibTorch at run time).
 *
 * No LibTorch here: tests give it hand-made rows.
 */
class DetectorBoxes
{
public:
    /** A box in the decoded image's pixels, with the detector's score. */
    struct Box
    {
        double x = 0.0;
        double y = 0.0;
        double width = 0.0;
        double height = 0.0;
        float score = 0.0f;
    };

    /** How an image of imageWidth × imageHeight was letterboxed into the detector's input. */
    struct Letterbox
    {
        double scale = 1.0;
        double padX = 0.0;
        double padY = 0.0;

        /** As ImagePreprocessor letterboxes: one scale, rounded size, centred with integer padding. */
        static Letterbox of(int imageWidth, int imageHeight, int inputWidth, int inputHeight);
    };

    struct Selection
    {
        std::vector<Box> kept; ///< best score first, at most rules.maxBoxes
        int dropped = 0; ///< boxes that passed every rule but max_boxes
    };

    /**
     * rows holds 5 floats per detector row. Boxes under rules.scoreThreshold, or (after
     * clipping) narrower or lower than rules.minSize, are left out; of boxes overlapping by
     * more than rules.nmsIou the best stays.
     */
    static Selection select(const std::vector<float> &rows, const Letterbox &letterbox, int imageWidth,
                            int imageHeight, const ModelManifest::CropRules &rules);
};

} // namespace orchard
