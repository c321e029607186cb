#include "common/inference/protocolmapping.h"

#include "common/imaging/modelmanifest.h"

namespace orchard {

ErrorCode errorCodeFor(const InferenceError &error)
{
    return error.kind == InferenceError::Kind::BadImage ? ErrorCode::BadImage : ErrorCode::Internal;
}

PredictionReply toPredictionReply(const Prediction &prediction, const ModelManifest &manifest)
{
    PredictionReply reply;
    reply.model = manifest.name;
    reply.label = prediction.label;
    reply.index = prediction.index;
    reply.confidence = prediction.confidence;
    reply.topK = prediction.topK;
    reply.advice = manifest.description(prediction.label);
    reply.imageWidth = prediction.imageWidth;
    reply.imageHeight = prediction.imageHeight;
    reply.timing.decode = prediction.decodeMs;
    reply.timing.preprocess = prediction.preprocessMs;
    reply.timing.infer = prediction.inferMs;
    reply.timing.total = prediction.totalMs();
    reply.uncertain = prediction.uncertain;
    reply.timing.detect = prediction.detectMs;
    reply.timing.classify = prediction.classifyMs;
    reply.detections = prediction.detections;
    reply.droppedDetections = prediction.droppedDetections;
    if (prediction.detections) {
        // A pipeline's advice is its classifier's, per detection: the top level repeats the best one's.
        reply.advice = prediction.detections->isEmpty()
                ? QStringLiteral("Nothing was found in this photo. Take it closer, with what you want "
                                 "diagnosed filling more of the picture.")
                : prediction.detections->first().advice;
    }
    PhotoQualityReport quality;
    quality.sharpness = prediction.quality.sharpness;
    quality.brightness = prediction.quality.brightness;
    quality.warnings = prediction.quality.warnings();
    reply.quality = quality;
    return reply;
}

} // namespace orchard
