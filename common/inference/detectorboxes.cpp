#include "common/inference/detectorboxes.h"

#include <algorithm>
#include <cmath>

#include <opencv2/dnn/dnn.hpp>

namespace orchard {

DetectorBoxes::Letterbox DetectorBoxes::Letterbox::of(int imageWidth, int imageHeight, int inputWidth, int inputHeight)
{
    // The same arithmetic as ImagePreprocessor's letterbox() and train.py's, so a box
    // maps back onto the pixels it was found on.
    Letterbox letterbox;
    letterbox.scale = std::min(double(inputWidth) / imageWidth, double(inputHeight) / imageHeight);
    const int scaledWidth = std::clamp(int(std::nearbyint(imageWidth * letterbox.scale)), 1, inputWidth);
    const int scaledHeight = std::clamp(int(std::nearbyint(imageHeight * letterbox.scale)), 1, inputHeight);
    letterbox.padX = (inputWidth - scaledWidth) / 2;
    letterbox.padY = (inputHeight - scaledHeight) / 2;
    return letterbox;
}

DetectorBoxes::Selection DetectorBoxes::select(const std::vector<float> &rows, const Letterbox &letterbox,
                                               int imageWidth, int imageHeight, const ModelManifest::CropRules &rules)
{
    std::vector<Box> candidates;
    std::vector<cv::Rect2d> rectangles;
    std::vector<float> scores;
    for (std::size_t row = 0; row + 5 <= rows.size(); row += 5) {
        const float score = rows[row + 4];
        if (!(score >= rules.scoreThreshold)) // NaN too
            continue;
        // Into the image, then clipped to it: a box may reach into the letterbox's bars.
        const double left = std::clamp((rows[row] - letterbox.padX) / letterbox.scale, 0.0, double(imageWidth));
        const double top = std::clamp((rows[row + 1] - letterbox.padY) / letterbox.scale, 0.0, double(imageHeight));
        const double right = std::clamp((rows[row] + rows[row + 2] - letterbox.padX) / letterbox.scale, 0.0,
                                        double(imageWidth));
        const double bottom = std::clamp((rows[row + 1] + rows[row + 3] - letterbox.padY) / letterbox.scale, 0.0,
                                         double(imageHeight));
        if (!(right - left >= rules.minSize) || !(bottom - top >= rules.minSize))
            continue;
        candidates.push_back({ left, top, right - left, bottom - top, score });
        rectangles.emplace_back(left, top, right - left, bottom - top);
        scores.push_back(score);
    }
    Selection selection;
    if (candidates.empty())
        return selection;
    std::vector<int> keep;
    cv::dnn::NMSBoxes(rectangles, scores, float(rules.scoreThreshold), float(rules.nmsIou), keep);
    // NMSBoxes returns the kept indices best first; equal scores keep the rows' order.
    std::stable_sort(keep.begin(), keep.end(), [&](int a, int b) { return scores[a] > scores[b]; });
    for (const int index : keep) {
        if (int(selection.kept.size()) < rules.maxBoxes)
            selection.kept.push_back(candidates[std::size_t(index)]);
        else
            ++selection.dropped;
    }
    return selection;
}

} // namespace orchard
