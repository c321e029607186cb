#pragma once

#include <algorithm>
#include <cmath>

#include <QString>
#include <QVector>

#include "common/protocol/labelscore.h"

namespace orchard {

/** A rectangle in the pixels of the image the client sent (after its EXIF rotation). */
struct PixelBox
{
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;

    bool operator==(const PixelBox &other) const
    {
        return x == other.x && y == other.y && width == other.width && height == other.height;
    }

    /**
     * The box (x, y, width, height in some image's pixels) in those of an image sx × sy
     * times as large, rounded outwards and kept inside its maxWidth × maxHeight.
     */
    static PixelBox scaled(double x, double y, double width, double height, double sx, double sy, int maxWidth,
                           int maxHeight)
    {
        const int left = std::clamp(int(std::floor(x * sx)), 0, maxWidth);
        const int top = std::clamp(int(std::floor(y * sy)), 0, maxHeight);
        const int right = std::clamp(int(std::ceil((x + width) * sx)), left, maxWidth);
        const int bottom = std::clamp(int(std::ceil((y + height) * sy)), top, maxHeight);
        return { left, top, right - left, bottom - top };
    }
};

/**
 * One object a pipeline model found in an image (docs/protocol.md, "detections"): where
 * the detector saw it, and what the classifier made of its crop.
 */
struct DetectionReport
{
    PixelBox box;
    QString label; ///< the classifier's top-1 label for the crop
    int index = 0;
    double confidence = 0.0; ///< the classifier's probability of label
    /** What detections are ranked by: the detector's score × confidence. */
    double score = 0.0;
    QVector<LabelScore> topK;
    QString advice; ///< the classifier's advice for label, when it has some
    bool uncertain = false; ///< under the classifier's min_confidence or min_margin

    bool operator==(const DetectionReport &other) const
    {
        return box == other.box && label == other.label && index == other.index && confidence == other.confidence
                && score == other.score && topK == other.topK && advice == other.advice && uncertain == other.uncertain;
    }
};

} // namespace orchard
