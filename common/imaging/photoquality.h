#pragma once

#include <QStringList>

#include "common/imaging/modelmanifest.h"

// Declared, not included: Prediction carries a PhotoQuality, and the engine's header (and
// everything including it) stays OpenCV-free.
namespace cv {
class Mat;
}

namespace orchard {

/**
 * How fit a decoded photo is for a diagnosis, measured before the model sees it: how
 * sharp it is, how bright, how much of it is blown out, and whether it is smaller than
 * the model's input. The thresholds are the model's (ModelManifest::Quality), because
 * what is normal differs between models: Fashion-MNIST's garments are white on black, a
 * leaf photo is mid-tone all over.
 *
 * Cheap on purpose, since every request pays it: the decoded image (already reduced by
 * the JPEG decode for a small model) is shrunk with INTER_AREA to at most
 * Quality::sharpnessSide on its long side, never enlarged, and one 3 × 3 Laplacian and
 * two means run on that gray copy (docs/models.md, "Photo quality", has the cost).
 */
struct PhotoQuality
{
    /**
     * Variance of the 3 × 3 Laplacian of the gray analysis copy (0..255 scale). Edges in
     * focus make it large; blur, low contrast and flat areas make it small.
     */
    double sharpness = 0.0;
    double brightness = 0.0; ///< mean luminance, 0 (black) .. 1 (white)
    double highlights = 0.0; ///< share of pixels at or above Quality::overexposedLevel

    bool blurry = false;
    bool dark = false;
    bool overexposed = false;
    bool small = false; ///< the photo's own size is under the model's input on a side

    /** "blurry", "dark", "overexposed", "small": the wire's words, in that order. */
    QStringList warnings() const;

    /**
     * Measures an 8-bit gray or BGR image as decoded. sourceWidth × sourceHeight is the
     * size the file itself declares (the decode may have reduced it); "small" compares
     * that with the model's input. Blurry is only judged on photos that are not dark:
     * a dark photo's edges are faint whatever its focus, and "too dark" is the advice
     * that helps. Throws cv::Exception only on an image that is not 8-bit 1 or 3 channels.
     */
    static PhotoQuality measure(const cv::Mat &image, int sourceWidth, int sourceHeight,
                                const ModelManifest::Quality &thresholds, const ModelManifest::Input &input);
};

} // namespace orchard
