#pragma once

#include "common/imaging/inferenceerror.h"
#include "common/inference/prediction.h"
#include "common/protocol/errorcode.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

struct ModelManifest;

/**
 * The one place where the engine's vocabulary becomes the protocol's: the server's
 * sessions, `orchard-cli classify` and the in-process engine benchmark all say an answer
 * and an error in these words, so they cannot drift apart.
 */

/** BAD_IMAGE when the client's bytes are at fault, INTERNAL when the engine is. */
ErrorCode errorCodeFor(const InferenceError &error);

/**
 * The engine's answer as a reply: label, top-k, whether it is uncertain, the photo's
 * quality, the manifest's advice for the label, the decoded size and the engine's stage
 * timings. What only the caller knows (msg_id, the
 * request's name, the wait before the engine and the total since the last body byte) is
 * left for it to fill; timing.total starts as the engine's own total.
 */
PredictionReply toPredictionReply(const Prediction &prediction, const ModelManifest &manifest);

} // namespace orchard
