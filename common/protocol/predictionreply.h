#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include "common/protocol/detectionreport.h"
#include "common/protocol/labelscore.h"
#include "common/protocol/result.h"

namespace orchard {

/** Where the server spent a request's time, in milliseconds. */
struct StageTimings
{
    double wait = 0.0;       ///< received but queued behind earlier pipelined requests
    double decode = 0.0;     ///< image file → pixels
    double preprocess = 0.0; ///< colour, resize, normalise
    double queue = 0.0;      ///< preprocessed, waiting for an inference thread (the batcher)
    double infer = 0.0;      ///< the model's forward pass (for the whole batch the image was in)
    double total = 0.0;      ///< from the last body byte to the reply being built
    /** Pipeline models only: the detector's forward pass, and the classifier's over all crops. */
    std::optional<double> detect;
    std::optional<double> classify;
};

/** How good the photo was, as the server measured it before the model ran. */
struct PhotoQualityReport
{
    double sharpness = 0.0;  ///< variance of the Laplacian at the model's analysis size
    double brightness = 0.0; ///< mean luminance, 0..1
    QStringList warnings;    ///< "blurry", "dark", "overexposed", "small"; empty when none

    bool operator==(const PhotoQualityReport &other) const
    {
        return sharpness == other.sharpness && brightness == other.brightness && warnings == other.warnings;
    }
};

/** The body of SERVER_PREDICTION: the diagnosis for one CLIENT_IMAGE. */
struct PredictionReply
{
    std::optional<qint64> messageId;
    QString name;  ///< the file name the client sent, if any
    QString model; ///< the model's name
    std::optional<qint64> modelVersion; ///< the version that answered (servers of one model may leave it out)
    QString label;
    int index = 0;
    double confidence = 0.0;
    QVector<LabelScore> topK;
    QString advice; ///< the model's advice for the label, when its manifest has one
    int imageWidth = 0; ///< as decoded (a reduced JPEG decode gives the reduced size)
    int imageHeight = 0;
    StageTimings timing;
    /** Images in the forward pass that classified this one (1: alone); 0: not said (older servers). */
    int batchSize = 0;
    /** Absent from older servers' replies. */
    std::optional<PhotoQualityReport> quality;
    /** Under the model's min_confidence or min_margin; older servers do not say (false). */
    bool uncertain = false;
    /**
     * Pipeline models only (absent otherwise): what was found, best score first. The
     * top-level label, confidence and top-k are the first detection's; with none they say
     * nothingFound(), index −1 and confidence 0.
     */
    std::optional<QVector<DetectionReport>> detections;
    /** Boxes found beyond the pipeline's max_boxes, left out of detections (the worst ones). */
    int droppedDetections = 0;

    /** The top-level label of a pipeline's reply that found nothing. */
    static QString nothingFound();

    QJsonObject toJson() const;
    QByteArray toBody() const;
    /** A malformed reply is an INTERNAL error: the server's fault, not the client's. */
    static Result<PredictionReply> fromBody(const QByteArray &body);
};

} // namespace orchard
