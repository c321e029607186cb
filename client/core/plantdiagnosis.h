#pragma once

#include <optional>

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVector>

#include "common/protocol/labelscore.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

/** One photo of a plant as PlantDiagnosis sees it: the server's answer, or why there is none. */
class ImageBatch;
class ServerConnection;

struct PlantPhoto
{
    QString name; ///< what to call it when it is flagged (a path, a file name)
    bool answered = false; ///< false: it failed, and error says why
    PredictionReply reply;
    QString errorCode; ///< BAD_IMAGE, UNREADABLE…, when it failed
    QString error;

    static PlantPhoto fromReply(const QString &name, const PredictionReply &reply);
    static PlantPhoto fromError(const QString &name, const QString &code, const QString &message);
};

/**
 * Several photos of one plant diagnosed as one: the per-photo answers combined into a
 * single label, with how many photos agree and which disagree or were left out.
 *
 * Why: one leaf photo is a noisy witness (PlantVillage Nuru reached expert level by scoring
 * six leaves of a plant where one photo gave 65 %). The rule is the product of experts: the
 * mean of the photos' log-probabilities, renormalised (a normalised geometric mean). On the
 * Fashion-MNIST test set grouped 3 and 5 of one class it beat the mean of probabilities:
 * 99.36 % against 99.02 % right at 3 photos, 99.94 % against 99.83 % at 5, one photo alone
 * 92.02 % (bench/plant_aggregation.py, docs/cli.md "Several photos of one plant"). Under
 * the product a photo sure that a label is wrong all but vetoes it.
 *
 * Each reply carries only its top_k labels. orchard-cli asks for every label (kEveryLabel);
 * the window combines what its photos have, its top-k. A shorter list is completed by
 * spreading the mass it leaves (1 − the listed scores) evenly over the labels it does not
 * list: from top-3 lists the bench still gets 99.32 % right at 3 photos. Photos that failed,
 * that were answered by another model than the first answered one, or whose reply carries a
 * `quality` object with warnings are skipped and named; when every answered photo has
 * quality warnings they are combined all the same (a poor answer beats none), and
 * poorPhotosOnly says so. Ties go to the lower label index, so the result is deterministic.
 */
class PlantDiagnosis
{
    Q_DECLARE_TR_FUNCTIONS(PlantDiagnosis)

public:
    enum class Rule { MeanLogProbability, MeanProbability };

    /** A top_k that makes the server list every label: the wire's largest; the server clamps it. */
    static constexpr int kEveryLabel = 1000;
    /** Probabilities below this count as this: a softmax in float can underflow to 0, and log(0) is -inf. */
    static constexpr double kProbabilityFloor = 1e-9;

    /** A photo that is not in the combination, and why. */
    struct SkippedPhoto
    {
        int photo = 0; ///< its place among the photos given
        QString name;
        QString code;   ///< the failure's code; "QUALITY" or "OTHER_MODEL" for replies left out
        QString reason;
    };
    /** A combined photo whose own top-1 is not the plant's label. */
    struct DissentingPhoto
    {
        int photo = 0;
        QString name;
        QString label; ///< its own top-1
        double confidence = 0.0;
    };

    /**
     * labelCount: how many labels the model has (0: unknown, then the highest index seen
     * + 1), needed to spread a short top_k list's remaining mass.
     */
    static PlantDiagnosis combine(const QVector<PlantPhoto> &photos, int labelCount = 0,
                                  Rule rule = Rule::MeanLogProbability);

    /** How a photo is named in the diagnosis: its path as given, or its file name alone. */
    enum class PhotoNames { Paths, FileNames };
    /**
     * combine() over rows of a batch (answered ones by their reply, the others by their
     * error), the label count taken from what the connection's server said of the model
     * that answered: the one way the CLI and the window build a plant.
     */
    static PlantDiagnosis ofRows(const ImageBatch &batch, const QList<int> &rows, const ServerConnection &connection,
                                 PhotoNames names);

    /** Whether any photo could be combined; when not, label is empty and index -1. */
    bool isValid() const { return index >= 0; }

    QString label;
    int index = -1;
    double confidence = 0.0;
    /** Every label some photo listed, best first, with its combined probability. */
    QVector<LabelScore> topK;
    int photos = 0; ///< photos combined
    int agree = 0;  ///< combined photos whose own top-1 is label
    int given = 0;  ///< photos given, combined or not
    QList<DissentingPhoto> disagree;
    QList<SkippedPhoto> skipped;
    /** Some combined photo listed fewer labels than the model has: its remaining mass was spread. */
    bool completedShortLists = false;
    /** Every answered photo had quality warnings, and they were combined all the same. */
    bool poorPhotosOnly = false;
    Rule rule = Rule::MeanLogProbability;
    QString model; ///< the model that answered the combined photos
    std::optional<qint64> modelVersion;

    static QString ruleName(Rule rule);

    /**
     * orchard-cli's plant line without --json: "Plant (5 photos): Scab 91.2 % — 4 of 5
     * photos agree", then who disagrees and who was skipped. In English, as everything
     * orchard-cli prints, whatever language the window speaks.
     */
    QString summaryLine() const;
    /**
     * "4 of 5 photos: Scab": the agreement in a few words, as the window heads its panel
     * and the history keeps it, in the language in use (orchard-cli's is English).
     */
    QString agreementText() const;
    /**
     * Whether photo (its place among those given) is in the combination: answered, by the
     * model that answered the plant, and not left out for its quality. What a history's
     * plant group holds: the verdict speaks for the photos it counted.
     */
    bool isCombined(int photo) const;
    /**
     * orchard-cli's plant line with --json: {"plant": true, "label", "index", "confidence",
     * "photos", "agree", "top_k" (at most topK), "disagree", "skipped", "rule", "model"…};
     * without a valid diagnosis "error" and "code" NO_DIAGNOSIS instead of the label.
     */
    QJsonObject toJson(int topK) const;

private:
    /** The reply's quality warnings, joined; empty when the server found nothing wrong or did not say. */
    static QString qualityWarnings(const PredictionReply &reply);
};

} // namespace orchard
