#include "client/core/plantdiagnosis.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QLocale>
#include <QStringList>

#include "client/core/imagebatch.h"
#include "client/core/serverconnection.h"

namespace orchard {

namespace {

/** 0.912 → "91.2 %", as the per-photo table rows write a confidence. */
QString percentText(double probability)
{
    return QString::number(probability * 100.0, 'f', 1) + QStringLiteral(" %");
}

/** orchard-cli's words (summaryLine()), not translated: the CLI speaks English only. */
QString photosText(int count)
{
    return count == 1 ? QStringLiteral("1 photo") : QStringLiteral("%1 photos").arg(count);
}

/**
 * One photo's probabilities over every label. A list shorter than the model's labels leaves
 * 1 − its scores unaccounted for; that mass goes evenly to the labels it leaves out (the
 * least a client knows about them), so a label missing from one photo's top-3 is unlikely
 * there, not impossible.
 */
std::vector<double> probabilitiesOf(const PredictionReply &reply, int labelCount, bool &shortList)
{
    std::vector<double> probabilities(std::size_t(labelCount), -1.0);
    double listed = 0.0;
    int listedCount = 0;
    for (const LabelScore &entry : reply.topK) {
        if (entry.index < 0 || entry.index >= labelCount || probabilities[std::size_t(entry.index)] >= 0.0)
            continue; // a duplicate or an index out of range: the first word counts
        const double score = std::clamp(entry.score, 0.0, 1.0);
        probabilities[std::size_t(entry.index)] = score;
        listed += score;
        ++listedCount;
    }
    const int missing = labelCount - listedCount;
    shortList = missing > 0;
    const double spread = missing > 0 ? std::max(0.0, 1.0 - listed) / missing : 0.0;
    for (double &p : probabilities)
        p = std::max(p < 0.0 ? spread : p, PlantDiagnosis::kProbabilityFloor);
    return probabilities;
}

/** Combines the photos' rows into one distribution over the labels, summing to 1. */
std::vector<double> combineRows(const std::vector<std::vector<double>> &rows, int labelCount,
                                PlantDiagnosis::Rule rule)
{
    std::vector<double> combined(std::size_t(labelCount), 0.0);
    for (const std::vector<double> &row : rows) {
        for (std::size_t label = 0; label < combined.size(); ++label)
            combined[label] += rule == PlantDiagnosis::Rule::MeanLogProbability ? std::log(row[label]) : row[label];
    }
    for (double &value : combined)
        value /= double(rows.size());
    if (rule == PlantDiagnosis::Rule::MeanLogProbability) {
        // exp(mean log p), shifted by the largest so that the best label is exp(0) and none underflows.
        const double largest = *std::max_element(combined.begin(), combined.end());
        for (double &value : combined)
            value = std::exp(value - largest);
    }
    double total = 0.0;
    for (double value : combined)
        total += value;
    for (double &value : combined)
        value /= total;
    return combined;
}

bool sameModel(const PredictionReply &a, const PredictionReply &b)
{
    return a.model == b.model && a.modelVersion == b.modelVersion;
}

} // namespace

PlantPhoto PlantPhoto::fromReply(const QString &name, const PredictionReply &reply)
{
    PlantPhoto photo;
    photo.name = name;
    photo.answered = true;
    photo.reply = reply;
    return photo;
}

PlantPhoto PlantPhoto::fromError(const QString &name, const QString &code, const QString &message)
{
    PlantPhoto photo;
    photo.name = name;
    photo.errorCode = code;
    photo.error = message;
    return photo;
}

QString PlantDiagnosis::qualityWarnings(const PredictionReply &reply)
{
    // The server's own words ("blurry", "dark"…): it measured the photo before the model ran.
    if (!reply.quality)
        return {};
    return reply.quality->warnings.join(QStringLiteral(", "));
}

// Three steps, each short: choose the photos to combine, turn each into a full probability
// row, combine the rows and read off the label, agreement and dissent.
PlantDiagnosis PlantDiagnosis::ofRows(const ImageBatch &batch, const QList<int> &rows,
                                      const ServerConnection &connection, PhotoNames names)
{
    QVector<PlantPhoto> photos;
    QString model;
    for (const int row : rows) {
        const ImageBatch::Item &item = batch.item(row);
        const QString name = names == PhotoNames::Paths ? item.image.path : item.image.fileName;
        if (item.status == ImageBatch::Status::Done) {
            photos.append(PlantPhoto::fromReply(name, item.reply));
            if (model.isEmpty())
                model = item.reply.model;
        } else {
            photos.append(PlantPhoto::fromError(name, item.errorCode, item.error));
        }
    }
    // The model's label count completes short top-k lists (combine() says how).
    int labelCount = 0;
    if (const auto served = connection.servedModel(model))
        labelCount = int(served->labels.size());
    else if (model.isEmpty() || model == connection.modelName())
        labelCount = int(connection.labels().size());
    return combine(photos, labelCount);
}

PlantDiagnosis PlantDiagnosis::combine(const QVector<PlantPhoto> &photos, int labelCount, Rule rule)
{
    PlantDiagnosis diagnosis;
    diagnosis.rule = rule;
    diagnosis.given = int(photos.size());

    // 1. Failed photos, and answers of another model than the first (a model chosen
    //    mid-batch), cannot be combined; photos with quality warnings only if nothing else is left.
    const PlantPhoto *reference = nullptr;
    QList<int> clean;
    QList<int> poor;
    QHash<int, QString> poorReasons;
    for (int i = 0; i < photos.size(); ++i) {
        const PlantPhoto &photo = photos.at(i);
        if (!photo.answered) {
            diagnosis.skipped.append({ i, photo.name, photo.errorCode.isEmpty() ? QStringLiteral("FAILED") : photo.errorCode,
                                       photo.error });
            continue;
        }
        if (!reference)
            reference = &photo;
        if (!sameModel(photo.reply, reference->reply)) {
            diagnosis.skipped.append({ i, photo.name, QStringLiteral("OTHER_MODEL"),
                                       tr("answered by model %1, not %2").arg(photo.reply.model,
                                                                                reference->reply.model) });
            continue;
        }
        const QString warnings = qualityWarnings(photo.reply);
        if (warnings.isEmpty()) {
            clean.append(i);
        } else {
            poor.append(i);
            poorReasons.insert(i, warnings);
        }
    }
    QList<int> used = clean;
    if (clean.isEmpty()) {
        used = poor;
        diagnosis.poorPhotosOnly = !poor.isEmpty();
    } else {
        for (int i : std::as_const(poor))
            diagnosis.skipped.append({ i, photos.at(i).name, QStringLiteral("QUALITY"), poorReasons.value(i) });
        std::sort(diagnosis.skipped.begin(), diagnosis.skipped.end(),
                  [](const SkippedPhoto &a, const SkippedPhoto &b) { return a.photo < b.photo; });
    }
    if (used.isEmpty())
        return diagnosis;
    diagnosis.model = reference->reply.model;
    diagnosis.modelVersion = reference->reply.modelVersion;

    // 2. Every photo's probabilities over every label; the labels' names from whoever listed them.
    int count = std::max(labelCount, 1);
    QHash<int, QString> names;
    for (int i : std::as_const(used)) {
        for (const LabelScore &entry : photos.at(i).reply.topK) {
            if (entry.index < 0)
                continue;
            count = std::max(count, entry.index + 1);
            if (!names.contains(entry.index))
                names.insert(entry.index, entry.label);
        }
    }
    std::vector<std::vector<double>> rows;
    for (int i : std::as_const(used)) {
        bool shortList = false;
        rows.push_back(probabilitiesOf(photos.at(i).reply, count, shortList));
        diagnosis.completedShortLists = diagnosis.completedShortLists || shortList;
    }

    // 3. Combined; only labels some photo named can win (the others share a spread mass
    //    and have no name to show). Best first, ties to the lower index.
    const std::vector<double> combined = combineRows(rows, count, rule);
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        diagnosis.topK.append({ it.value(), it.key(), combined[std::size_t(it.key())] });
    std::sort(diagnosis.topK.begin(), diagnosis.topK.end(), [](const LabelScore &a, const LabelScore &b) {
        return a.score != b.score ? a.score > b.score : a.index < b.index;
    });
    if (diagnosis.topK.isEmpty())
        return diagnosis; // answers that listed no label at all
    diagnosis.label = diagnosis.topK.first().label;
    diagnosis.index = diagnosis.topK.first().index;
    diagnosis.confidence = diagnosis.topK.first().score;
    diagnosis.photos = int(used.size());
    for (int i : std::as_const(used)) {
        const PredictionReply &reply = photos.at(i).reply;
        if (reply.index == diagnosis.index)
            ++diagnosis.agree;
        else
            diagnosis.disagree.append({ i, photos.at(i).name, reply.label, reply.confidence });
    }
    return diagnosis;
}

QString PlantDiagnosis::ruleName(Rule rule)
{
    return rule == Rule::MeanLogProbability ? QStringLiteral("mean-log-probability")
                                            : QStringLiteral("mean-probability");
}

bool PlantDiagnosis::isCombined(int photo) const
{
    return isValid() && photo >= 0 && photo < given
            && std::none_of(skipped.cbegin(), skipped.cend(),
                            [photo](const SkippedPhoto &skippedPhoto) { return skippedPhoto.photo == photo; });
}

QString PlantDiagnosis::agreementText() const
{
    if (!isValid())
        return tr("No photo of the plant could be diagnosed");
    return tr("%1 of %n photo(s): %2", nullptr, photos).arg(QLocale().toString(agree), label);
}

QString PlantDiagnosis::summaryLine() const
{
    QString line;
    if (!isValid()) {
        line = QStringLiteral("Plant (%1): no diagnosis, no photo could be combined").arg(photosText(given));
    } else {
        line = QStringLiteral("Plant (%1): %2 %3 — %4 of %5 %6")
                       .arg(photosText(photos), label, percentText(confidence))
                       .arg(agree)
                       .arg(photos)
                       .arg(photos == 1 ? QStringLiteral("photo agrees") : QStringLiteral("photos agree"));
    }
    if (!disagree.isEmpty()) {
        QStringList names;
        for (const DissentingPhoto &photo : disagree)
            names.append(QStringLiteral("%1 (%2 %3)").arg(photo.name, photo.label, percentText(photo.confidence)));
        line += QStringLiteral("; disagree: ") + names.join(QStringLiteral(", "));
    }
    if (!skipped.isEmpty()) {
        QStringList names;
        for (const SkippedPhoto &photo : skipped)
            names.append(QStringLiteral("%1 (%2)").arg(photo.name, photo.code));
        line += QStringLiteral("; skipped: ") + names.join(QStringLiteral(", "));
    }
    if (poorPhotosOnly)
        line += QStringLiteral("; every photo has quality warnings");
    return line;
}

QJsonObject PlantDiagnosis::toJson(int topKCount) const
{
    QJsonArray skippedArray;
    for (const SkippedPhoto &photo : skipped) {
        skippedArray.append(QJsonObject { { QStringLiteral("file"), photo.name },
                                          { QStringLiteral("code"), photo.code },
                                          { QStringLiteral("reason"), photo.reason } });
    }
    QJsonObject object { { QStringLiteral("plant"), true },
                         { QStringLiteral("photos"), photos },
                         { QStringLiteral("agree"), agree },
                         { QStringLiteral("rule"), ruleName(rule) } };
    if (!skippedArray.isEmpty())
        object.insert(QStringLiteral("skipped"), skippedArray);
    if (!isValid()) {
        object.insert(QStringLiteral("error"), QStringLiteral("no photo of the plant could be diagnosed"));
        object.insert(QStringLiteral("code"), QStringLiteral("NO_DIAGNOSIS"));
        return object;
    }
    QJsonArray top;
    for (int i = 0; i < std::min<int>(topKCount, topK.size()); ++i) {
        top.append(QJsonObject { { QStringLiteral("label"), topK.at(i).label },
                                 { QStringLiteral("index"), topK.at(i).index },
                                 { QStringLiteral("score"), topK.at(i).score } });
    }
    QJsonArray dissent;
    for (const DissentingPhoto &photo : disagree)
        dissent.append(photo.name);
    object.insert(QStringLiteral("label"), label);
    object.insert(QStringLiteral("index"), index);
    object.insert(QStringLiteral("confidence"), confidence);
    object.insert(QStringLiteral("top_k"), top);
    object.insert(QStringLiteral("disagree"), dissent);
    if (!model.isEmpty())
        object.insert(QStringLiteral("model"), model);
    if (modelVersion)
        object.insert(QStringLiteral("model_version"), *modelVersion);
    if (completedShortLists)
        object.insert(QStringLiteral("completed_short_lists"), true);
    if (poorPhotosOnly)
        object.insert(QStringLiteral("poor_photos_only"), true);
    return object;
}

} // namespace orchard
