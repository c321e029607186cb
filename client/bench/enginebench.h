#pragma once

#include <QVector>

#include "client/bench/benchlevel.h"
#include "client/bench/loadgenerator.h"

namespace orchard {

class InferenceEngine;

/** One engine level: how many threads, how much each does, on what. */
struct EngineLevelOptions
{
    int threads = 1;
    int requestsPerThread = 100; ///< 0: as many as durationSeconds allows
    double durationSeconds = 0.0;
    int topK = 3;
    QVector<BenchImage> images;
};

/**
 * The ceiling a server is measured against: the same images through one shared engine
 * in this process, on `threads` threads calling predict() back to back, no network, no
 * framing, no base64. Thread i's j-th image is image (i + j) mod K, as in LoadGenerator.
 */
BenchLevelResult runEngineLevel(const InferenceEngine &engine, const EngineLevelOptions &options);

} // namespace orchard
