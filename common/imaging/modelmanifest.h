#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * What model.json says about a model: its labels, the advice shown for each, how a photo
 * becomes the model's input tensor, and how well it scored when it was made.
 *
 * load() validates every key before anything is run, so a typo in a farm's own manifest
 * is reported as "<folder>/model.json: key "input.mean" ..." at start-up rather than as
 * wrong answers later. docs/models.md is the normative description of the format.
 */
struct ModelManifest
{
    /**
     * "kind": a classifier (the default: one score per label), a detector (rows of
     * x, y, width, height, score in its input's pixels) or a pipeline (no model of its own:
     * a detector and a classifier of the same repository, and the rules between them).
     */
    enum class Kind { Classifier, Detector, Pipeline };
    enum class Color { Gray, Rgb, Bgr };
    enum class Resize { Area, Linear, Letterbox };

    /** The "input" block: the preprocessing contract train.py trains with. */
    struct Input
    {
        int channels = 1;
        int height = 0;
        int width = 0;
        Color color = Color::Gray;
        QList<double> mean; ///< one per channel, applied after scale
        QList<double> std; ///< one per channel, all > 0
        double scale = 1.0 / 255.0;
        Resize resize = Resize::Area;
    };

    /** The optional "metrics" block: how the model was evaluated when it was made. */
    struct Metrics
    {
        QString dataset;
        QString split;
        qint64 samples = 0;
        std::optional<double> top1; ///< absent or null for an untrained timing model
    };

    /**
     * The optional "quality" block: when PhotoQuality calls a photo blurry, dark or
     * overexposed. Every key is optional; the defaults were calibrated as docs/models.md
     * ("Photo quality") describes.
     */
    struct Quality
    {
        /** "sharpness_side": the long side, in pixels, sharpness is measured at (never enlarged). */
        int sharpnessSide = 256;
        /** "blurry_below": a sharpness (Laplacian variance) under this is blurry. */
        double blurryBelow = 50.0;
        /** "dark_below": a mean luminance (0..1) under this is dark. */
        double darkBelow = 0.15;
        /** "overexposed_level": a gray value (0..255) at or above which a pixel is blown out. */
        int overexposedLevel = 250;
        /** "overexposed_share": more blown-out pixels than this share is overexposed. */
        double overexposedShare = 0.25;
    };

    /** A repository entry a pipeline names: REPO/<model>/<version>. */
    struct Part
    {
        QString model;
        qint64 version = 1;
    };

    /**
     * A pipeline's "crops" block: what is kept of the detector's boxes and how each becomes
     * the classifier's input (docs/models.md, "Pipelines").
     */
    struct CropRules
    {
        double padding = 0.15; ///< the box grows by this share of its size on each side
        bool square = true; ///< cut a square of the longer side around the box's centre
        double minSize = 4.0; ///< boxes narrower or lower than this, in photo pixels, are dropped
        int maxBoxes = 32; ///< the best ones are classified; the rest are counted as dropped
        double scoreThreshold = 0.3; ///< the detector's score a box needs
        double nmsIou = 0.45; ///< of boxes overlapping more than this, NMS keeps the best
    };

    /** kind "pipeline": the parts and the rules; labels and input are the classifier's. */
    struct Pipeline
    {
        Part detector;
        Part classifier;
        CropRules crops;
    };

    /** kind "detector": "output.max_detections", the rows its graph returns. */
    struct DetectorOutput
    {
        int maxDetections = 100;
    };

    Kind kind = Kind::Classifier;
    std::optional<Pipeline> pipeline; ///< set when kind is Pipeline
    DetectorOutput detectorOutput; ///< meaningful when kind is Detector

    QString directory; ///< absolute path of the model folder
    QString name;
    QString version;
    QStringList labels; ///< output index → label
    QHash<QString, QString> descriptions; ///< label → advice; labels without advice are absent
    Input input;
    std::optional<Metrics> metrics;
    Quality quality;
    /**
     * "min_confidence": an answer whose top-1 probability is under this is "uncertain"
     * (0, the default, never is).
     */
    double minConfidence = 0.0;
    /** "min_margin": likewise for top-1 minus top-2 probability. */
    double minMargin = 0.0;

    QString manifestPath() const; ///< <directory>/model.json
    QString modelPath() const; ///< <directory>/model.pt
    QString description(const QString &label) const;
    /** Whether an answer with these top-1 and top-2 probabilities is below min_confidence or min_margin. */
    bool isUncertain(double top1, double top2) const;

    /** Reads and validates <directory>/model.json; the error names the file and the key. */
    static InferenceResult<ModelManifest> load(const QString &directory);

    static QString kindName(Kind kind);
    static QString colorName(Color color);
    static QString resizeName(Resize resize);
};

} // namespace orchard
