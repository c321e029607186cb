#include "common/imaging/modelmanifest.h"

#include <cmath>
#include <limits>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

namespace orchard {

namespace {

// Generous for a classifier input, small enough that a typo ("width": 224000) is caught
// here instead of as a multi-gigabyte input tensor.
constexpr int kMaxInputSide = 4096;

/** Thrown inside this file only; load() turns it into an InferenceError. */
struct ManifestProblem
{
    QString key;
    QString text;
};

QString describeType(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("true/false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

[[noreturn]] void fail(const QString &key, const QString &text)
{
    throw ManifestProblem { key, text };
}

[[noreturn]] void failType(const QString &key, const QString &expected, const QJsonValue &found)
{
    fail(key, QStringLiteral("must be %1, found %2").arg(expected, describeType(found)));
}

QString join(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + u'.' + key;
}

QJsonValue required(const QJsonObject &object, const QString &parent, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        fail(join(parent, key), QStringLiteral("is missing"));
    return value;
}

QString requiredString(const QJsonObject &object, const QString &parent, const QString &key)
{
    const QJsonValue value = required(object, parent, key);
    if (!value.isString() || value.toString().trimmed().isEmpty())
        failType(join(parent, key), QStringLiteral("a non-empty string"), value);
    return value.toString();
}

bool isInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return std::isfinite(number) && std::floor(number) == number
        && std::abs(number) <= double(std::numeric_limits<qint32>::max());
}

int requiredInteger(
    const QJsonObject &object, const QString &parent, const QString &key, int minimum, int maximum)
{
    const QString name = join(parent, key);
    const QJsonValue value = required(object, parent, key);
    if (!isInteger(value))
        failType(name, QStringLiteral("an integer"), value);
    const int number = value.toInt();
    if (number < minimum || number > maximum)
        fail(name,
            QStringLiteral("must be between %1 and %2, found %3")
                .arg(minimum)
                .arg(maximum)
                .arg(number));
    return number;
}

QList<double> numberArray(const QJsonObject &object, const QString &parent, const QString &key,
    int expectedLength, const QString &lengthReason)
{
    const QString name = join(parent, key);
    const QJsonValue value = required(object, parent, key);
    if (!value.isArray())
        failType(name, QStringLiteral("an array of numbers"), value);
    const QJsonArray array = value.toArray();
    if (array.size() != expectedLength)
        fail(name,
            QStringLiteral("must have %1 number(s) (%2), found %3")
                .arg(expectedLength)
                .arg(lengthReason)
                .arg(array.size()));
    QList<double> numbers;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isDouble() || !std::isfinite(array.at(i).toDouble()))
            failType(
                QStringLiteral("%1[%2]").arg(name).arg(i), QStringLiteral("a number"), array.at(i));
        numbers.append(array.at(i).toDouble());
    }
    return numbers;
}

QStringList parseLabels(const QJsonObject &root)
{
    const QJsonValue value = required(root, {}, QStringLiteral("labels"));
    if (!value.isArray() || value.toArray().isEmpty())
        failType(QStringLiteral("labels"), QStringLiteral("a non-empty array of strings"), value);
    QStringList labels;
    QSet<QString> seen;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString key = QStringLiteral("labels[%1]").arg(i);
        if (!array.at(i).isString() || array.at(i).toString().trimmed().isEmpty())
            failType(key, QStringLiteral("a non-empty string"), array.at(i));
        const QString label = array.at(i).toString();
        if (seen.contains(label))
            fail(key, QStringLiteral("repeats the label \"%1\"").arg(label));
        seen.insert(label);
        labels.append(label);
    }
    return labels;
}

QHash<QString, QString> parseDescriptions(const QJsonObject &root, const QStringList &labels)
{
    const QString key = QStringLiteral("descriptions");
    const QJsonValue value = root.value(key);
    if (value.isUndefined())
        return {};
    if (!value.isObject())
        failType(key, QStringLiteral("an object mapping labels to advice"), value);
    QHash<QString, QString> descriptions;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString name = QStringLiteral("descriptions.%1").arg(it.key());
        // A description for a label the model does not have is almost always a typo in
        // the label, and the advice would silently never be shown.
        if (!labels.contains(it.key()))
            fail(name, QStringLiteral("is not one of the labels"));
        if (!it.value().isString())
            failType(name, QStringLiteral("a string"), it.value());
        descriptions.insert(it.key(), it.value().toString());
    }
    return descriptions;
}

// A list of keys read in the order docs/models.md gives them, each with its own error;
// split up it would only scatter that list.
ModelManifest::Input parseInput(const QJsonObject &root)
{
    const QString parent = QStringLiteral("input");
    const QJsonValue value = required(root, {}, parent);
    if (!value.isObject())
        failType(parent, QStringLiteral("an object"), value);
    const QJsonObject object = value.toObject();

    ModelManifest::Input input;
    input.channels = requiredInteger(object, parent, QStringLiteral("channels"),
        std::numeric_limits<qint32>::min(), std::numeric_limits<qint32>::max());
    if (input.channels != 1 && input.channels != 3)
        fail(QStringLiteral("input.channels"),
            QStringLiteral("must be 1 (gray) or 3 (colour), found %1").arg(input.channels));
    input.height = requiredInteger(object, parent, QStringLiteral("height"), 1, kMaxInputSide);
    input.width = requiredInteger(object, parent, QStringLiteral("width"), 1, kMaxInputSide);

    const QString color = requiredString(object, parent, QStringLiteral("color"));
    if (color == QLatin1String("gray"))
        input.color = ModelManifest::Color::Gray;
    else if (color == QLatin1String("rgb"))
        input.color = ModelManifest::Color::Rgb;
    else if (color == QLatin1String("bgr"))
        input.color = ModelManifest::Color::Bgr;
    else
        fail(QStringLiteral("input.color"),
            QStringLiteral("must be \"gray\", \"rgb\" or \"bgr\", found \"%1\"").arg(color));
    if ((input.color == ModelManifest::Color::Gray) != (input.channels == 1))
        fail(QStringLiteral("input.color"),
            QStringLiteral("is \"%1\" but input.channels is %2 (\"gray\" goes with 1 channel, "
                           "\"rgb\" and \"bgr\" with 3)")
                .arg(color)
                .arg(input.channels));

    const QString perChannel = QStringLiteral("one per channel");
    input.mean = numberArray(object, parent, QStringLiteral("mean"), input.channels, perChannel);
    input.std = numberArray(object, parent, QStringLiteral("std"), input.channels, perChannel);
    for (qsizetype i = 0; i < input.std.size(); ++i) {
        if (!(input.std.at(i) > 0.0))
            fail(QStringLiteral("input.std[%1]").arg(i),
                QStringLiteral("must be greater than 0, found %1").arg(input.std.at(i)));
    }

    const QJsonValue scale = object.value(QStringLiteral("scale"));
    if (!scale.isUndefined()) {
        if (!scale.isDouble() || !std::isfinite(scale.toDouble()))
            failType(QStringLiteral("input.scale"), QStringLiteral("a number"), scale);
        if (!(scale.toDouble() > 0.0))
            fail(QStringLiteral("input.scale"),
                QStringLiteral("must be greater than 0, found %1").arg(scale.toDouble()));
        input.scale = scale.toDouble();
    }

    const QString resize = requiredString(object, parent, QStringLiteral("resize"));
    if (resize == QLatin1String("area"))
        input.resize = ModelManifest::Resize::Area;
    else if (resize == QLatin1String("linear"))
        input.resize = ModelManifest::Resize::Linear;
    else if (resize == QLatin1String("letterbox"))
        input.resize = ModelManifest::Resize::Letterbox;
    else
        fail(QStringLiteral("input.resize"),
            QStringLiteral("must be \"area\", \"linear\" or \"letterbox\", found \"%1\"")
                .arg(resize));
    return input;
}

std::optional<ModelManifest::Metrics> parseMetrics(const QJsonObject &root)
{
    const QString parent = QStringLiteral("metrics");
    const QJsonValue value = root.value(parent);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isObject())
        failType(parent, QStringLiteral("an object"), value);
    const QJsonObject object = value.toObject();

    // Every entry is optional (train.py adds its own, e.g. train_seconds), but an entry
    // that is present must have the documented type.
    ModelManifest::Metrics metrics;
    for (const QString &key : { QStringLiteral("dataset"), QStringLiteral("split") }) {
        const QJsonValue entry = object.value(key);
        if (entry.isUndefined())
            continue;
        if (!entry.isString())
            failType(join(parent, key), QStringLiteral("a string"), entry);
        (key == QLatin1String("dataset") ? metrics.dataset : metrics.split) = entry.toString();
    }
    const QJsonValue samples = object.value(QStringLiteral("samples"));
    if (!samples.isUndefined()) {
        if (!isInteger(samples) || samples.toInt() < 0)
            failType(QStringLiteral("metrics.samples"), QStringLiteral("a non-negative integer"),
                samples);
        metrics.samples = samples.toInt();
    }
    const QJsonValue top1 = object.value(QStringLiteral("top1"));
    if (!top1.isUndefined() && !top1.isNull()) {
        if (!top1.isDouble() || top1.toDouble() < 0.0 || top1.toDouble() > 1.0)
            failType(QStringLiteral("metrics.top1"),
                QStringLiteral("a number between 0 and 1 (or null)"), top1);
        metrics.top1 = top1.toDouble();
    }
    return metrics;
}

/** An optional number in [minimum, maximum]; fallback when the key is absent. */
double optionalNumber(const QJsonObject &object, const QString &parent, const QString &key, double minimum,
    double maximum, double fallback)
{
    const QString name = join(parent, key);
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        failType(name, QStringLiteral("a number"), value);
    const double number = value.toDouble();
    if (number < minimum || number > maximum)
        fail(name, QStringLiteral("must be between %1 and %2, found %3").arg(minimum).arg(maximum).arg(number));
    return number;
}

int optionalInteger(
    const QJsonObject &object, const QString &parent, const QString &key, int minimum, int maximum, int fallback)
{
    if (object.value(key).isUndefined())
        return fallback;
    return requiredInteger(object, parent, key, minimum, maximum);
}

ModelManifest::Kind parseKind(const QJsonObject &root)
{
    const QJsonValue value = root.value(QStringLiteral("kind"));
    if (value.isUndefined())
        return ModelManifest::Kind::Classifier;
    const QString kind = value.toString();
    if (kind == QLatin1String("classifier"))
        return ModelManifest::Kind::Classifier;
    if (kind == QLatin1String("detector"))
        return ModelManifest::Kind::Detector;
    if (kind == QLatin1String("pipeline"))
        return ModelManifest::Kind::Pipeline;
    fail(QStringLiteral("kind"), QStringLiteral("must be \"classifier\", \"detector\" or \"pipeline\", found %1")
                                         .arg(value.isString() ? u'"' + kind + u'"' : describeType(value)));
}

ModelManifest::Part parsePart(const QJsonObject &root, const QString &key)
{
    const QJsonValue value = required(root, {}, key);
    if (!value.isObject())
        failType(key, QStringLiteral("an object with \"model\" and \"version\""), value);
    const QJsonObject object = value.toObject();
    ModelManifest::Part part;
    part.model = requiredString(object, key, QStringLiteral("model"));
    if (part.model.contains(u'/') || part.model.contains(u'\\') || part.model.startsWith(u'.'))
        fail(join(key, QStringLiteral("model")), QStringLiteral("must name a model of this repository, found \"%1\"")
                                                         .arg(part.model));
    part.version = requiredInteger(object, key, QStringLiteral("version"), 1, std::numeric_limits<qint32>::max());
    return part;
}

ModelManifest::Pipeline parsePipeline(const QJsonObject &root)
{
    ModelManifest::Pipeline pipeline;
    pipeline.detector = parsePart(root, QStringLiteral("detector"));
    pipeline.classifier = parsePart(root, QStringLiteral("classifier"));
    const QString parent = QStringLiteral("crops");
    const QJsonValue value = root.value(parent);
    if (value.isUndefined())
        return pipeline;
    if (!value.isObject())
        failType(parent, QStringLiteral("an object"), value);
    const QJsonObject crops = value.toObject();
    ModelManifest::CropRules &rules = pipeline.crops;
    rules.padding = optionalNumber(crops, parent, QStringLiteral("padding"), 0.0, 2.0, rules.padding);
    const QJsonValue square = crops.value(QStringLiteral("square"));
    if (!square.isUndefined() && !square.isBool())
        failType(join(parent, QStringLiteral("square")), QStringLiteral("true or false"), square);
    rules.square = square.toBool(rules.square);
    rules.minSize = optionalNumber(crops, parent, QStringLiteral("min_size"), 1.0, kMaxInputSide, rules.minSize);
    // The crops of one image are one forward pass: 256 of them is a batch the size of a
    // training batch, beyond which a photo is more likely a texture than a scene.
    rules.maxBoxes = optionalInteger(crops, parent, QStringLiteral("max_boxes"), 1, 256, rules.maxBoxes);
    rules.scoreThreshold
            = optionalNumber(crops, parent, QStringLiteral("score_threshold"), 0.0, 1.0, rules.scoreThreshold);
    rules.nmsIou = optionalNumber(crops, parent, QStringLiteral("nms_iou"), 0.0, 1.0, rules.nmsIou);
    return pipeline;
}

ModelManifest::DetectorOutput parseDetectorOutput(const QJsonObject &root)
{
    ModelManifest::DetectorOutput output;
    const QJsonValue value = root.value(QStringLiteral("output"));
    if (value.isUndefined())
        return output;
    if (!value.isObject())
        failType(QStringLiteral("output"), QStringLiteral("an object"), value);
    output.maxDetections = optionalInteger(value.toObject(), QStringLiteral("output"), QStringLiteral("max_detections"),
                                           1, 10000, output.maxDetections);
    return output;
}

ModelManifest::Quality parseQuality(const QJsonObject &root)
{
    const QString parent = QStringLiteral("quality");
    ModelManifest::Quality quality;
    const QJsonValue value = root.value(parent);
    if (value.isUndefined())
        return quality;
    if (!value.isObject())
        failType(parent, QStringLiteral("an object"), value);
    const QJsonObject object = value.toObject();
    // A key this block does not know is a typo whose threshold would silently not apply.
    const QStringList known = { QStringLiteral("sharpness_side"), QStringLiteral("blurry_below"),
        QStringLiteral("dark_below"), QStringLiteral("overexposed_level"), QStringLiteral("overexposed_share") };
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            fail(join(parent, it.key()),
                QStringLiteral("is not one of %1").arg(known.join(QStringLiteral(", "))));
    }
    quality.sharpnessSide = optionalInteger(object, parent, QStringLiteral("sharpness_side"), 8, kMaxInputSide * 4,
        quality.sharpnessSide);
    quality.blurryBelow = optionalNumber(object, parent, QStringLiteral("blurry_below"), 0.0,
        std::numeric_limits<double>::max(), quality.blurryBelow);
    quality.darkBelow = optionalNumber(object, parent, QStringLiteral("dark_below"), 0.0, 1.0, quality.darkBelow);
    quality.overexposedLevel = optionalInteger(object, parent, QStringLiteral("overexposed_level"), 1, 255,
        quality.overexposedLevel);
    quality.overexposedShare = optionalNumber(object, parent, QStringLiteral("overexposed_share"), 0.0, 1.0,
        quality.overexposedShare);
    return quality;
}

} // namespace

QString ModelManifest::manifestPath() const
{
    return QDir(directory).filePath(QStringLiteral("model.json"));
}

QString ModelManifest::modelPath() const
{
    return QDir(directory).filePath(QStringLiteral("model.pt"));
}

QString ModelManifest::description(const QString &label) const { return descriptions.value(label); }

bool ModelManifest::isUncertain(double top1, double top2) const
{
    return top1 < minConfidence || top1 - top2 < minMargin;
}

InferenceResult<ModelManifest> ModelManifest::load(const QString &directory)
{
    ModelManifest manifest;
    manifest.directory = QFileInfo(directory).absoluteFilePath();
    const QString path = manifest.manifestPath();

    if (!QFileInfo(manifest.directory).isDir())
        return InferenceError::invalidModel(
            QStringLiteral("%1: model folder not found (it should hold model.pt, model.json "
                           "and README.md)")
                .arg(manifest.directory));
    QFile file(path);
    if (!file.exists())
        return InferenceError::invalidModel(
            QStringLiteral("%1: file not found (a model folder holds model.pt, model.json "
                           "and README.md)")
                .arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return InferenceError::invalidModel(
            QStringLiteral("%1: cannot read the file: %2").arg(path, file.errorString()));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return InferenceError::invalidModel(QStringLiteral("%1: not valid JSON: %2 at offset %3")
                                                .arg(path, parseError.errorString())
                                                .arg(parseError.offset));
    if (!document.isObject())
        return InferenceError::invalidModel(
            QStringLiteral("%1: the top level must be a JSON object").arg(path));

    try {
        const QJsonObject root = document.object();
        manifest.name = requiredString(root, {}, QStringLiteral("name"));
        manifest.version = requiredString(root, {}, QStringLiteral("version"));
        manifest.kind = parseKind(root);
        if (manifest.kind == Kind::Pipeline) {
            // Its labels, advice and input are its classifier's and detector's, read with them.
            manifest.pipeline = parsePipeline(root);
            manifest.metrics = parseMetrics(root);
            return manifest;
        }
        if (manifest.kind == Kind::Detector)
            manifest.detectorOutput = parseDetectorOutput(root);
        manifest.labels = parseLabels(root);
        manifest.descriptions = parseDescriptions(root, manifest.labels);
        manifest.input = parseInput(root);
        manifest.metrics = parseMetrics(root);
        manifest.quality = parseQuality(root);
        manifest.minConfidence
            = optionalNumber(root, {}, QStringLiteral("min_confidence"), 0.0, 1.0, manifest.minConfidence);
        manifest.minMargin = optionalNumber(root, {}, QStringLiteral("min_margin"), 0.0, 1.0, manifest.minMargin);
    } catch (const ManifestProblem &problem) {
        return InferenceError::invalidModel(
            QStringLiteral("%1: key \"%2\" %3").arg(path, problem.key, problem.text));
    }
    return manifest;
}

QString ModelManifest::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Classifier:
        return QStringLiteral("classifier");
    case Kind::Detector:
        return QStringLiteral("detector");
    case Kind::Pipeline:
        return QStringLiteral("pipeline");
    }
    return {};
}

QString ModelManifest::colorName(Color color)
{
    switch (color) {
    case Color::Gray:
        return QStringLiteral("gray");
    case Color::Rgb:
        return QStringLiteral("rgb");
    case Color::Bgr:
        return QStringLiteral("bgr");
    }
    return {};
}

QString ModelManifest::resizeName(Resize resize)
{
    switch (resize) {
    case Resize::Area:
        return QStringLiteral("area");
    case Resize::Linear:
        return QStringLiteral("linear");
    case Resize::Letterbox:
        return QStringLiteral("letterbox");
    }
    return {};
}

} // namespace orchard
