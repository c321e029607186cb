#pragma once

#include <optional>

#include <QString>
#include <QVector>

#include "common/imaging/photoquality.h"
#include "common/protocol/detectionreport.h"
#include "common/protocol/labelscore.h"

namespace orchard {

/**
 * The engine's answer for one image: the most likely label, the top-k list behind it,
 * the size the image was decoded at and where the time went.
 *
 * Scores are softmax probabilities over all of the model's labels, so the whole list
 * sums to 1 and the top-k list to at most 1.
 */
struct Prediction
{
    QString label; ///< the top-1 label, as spelled in model.json
    int index = 0; ///< its index in the manifest's labels
    double confidence = 0.0; ///< its softmax probability
    QVector<LabelScore> topK; ///< best first; topK.first() is the top-1 answer
    /** Under the manifest's min_confidence or min_margin (top-1 minus top-2). */
    bool uncertain = false;
    PhotoQuality quality;

    int imageWidth = 0; ///< as decoded: a reduced JPEG decode gives the reduced size
    int imageHeight = 0;
    int sourceWidth = 0; ///< as the file's header says
    int sourceHeight = 0;
    int decodeReduction = 1; ///< 1, or 2/4/8 when JPEG's reduced-size decode was used

    double decodeMs = 0.0; ///< bytes → pixels (header check included)
    double preprocessMs = 0.0; ///< photo quality, colour, resize, normalise into the input buffer
    double inferMs = 0.0; ///< forward pass, softmax and top-k

    /**
     * Pipelines only (PipelineEngine): what was found, best score first, boxes in the sent
     * image's pixels; the fields above are then the best detection's.
     */
    std::optional<QVector<DetectionReport>> detections;
    int droppedDetections = 0; ///< boxes beyond the pipeline's max_boxes
    std::optional<double> detectMs; ///< pipelines: the detector's pass (part of inferMs)
    std::optional<double> classifyMs; ///< pipelines: the crops and their one pass (the rest of it)
    double totalMs() const { return decodeMs + preprocessMs + inferMs; }
};

} // namespace orchard
