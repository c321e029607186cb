#include "common/inference/modelrepository.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace orchard {

namespace {

const QString kConfigName = QStringLiteral("config.json");
const QString kManifestName = QStringLiteral("model.json");

/** A version folder's name as its number: digits only, no sign or leading zero, > 0. */
std::optional<qint64> versionNumber(const QString &name)
{
    if (name.isEmpty() || name.size() > 18 || name.startsWith(u'0'))
        return std::nullopt;
    for (const QChar c : name) {
        if (!c.isDigit() || c.unicode() > 0x7f)
            return std::nullopt;
    }
    return name.toLongLong();
}

InferenceError configError(const QString &path, const QString &problem)
{
    return InferenceError::invalidModel(QStringLiteral("%1: %2").arg(path, problem));
}

/** config.json's version policy and default flag; the error names the file and the key. */
InferenceResult<ModelRepository::Model> readConfig(const QString &path, ModelRepository::Model model)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return configError(path, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.read(1024 * 1024), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return configError(path, QStringLiteral("is not a JSON object (%1 at byte %2)")
                                         .arg(parseError.errorString())
                                         .arg(parseError.offset));
    const QJsonObject object = document.object();
    static const QStringList known { QStringLiteral("version_policy"), QStringLiteral("default"),
                                     QStringLiteral("max_batch_size") };
    for (const QString &key : object.keys()) {
        if (!known.contains(key))
            return configError(path, QStringLiteral("unknown key \"%1\" (known: %2)").arg(key, known.join(u", ")));
    }
    const QJsonValue isDefault = object.value(QStringLiteral("default"));
    if (!isDefault.isUndefined() && !isDefault.isBool())
        return configError(path, QStringLiteral("key \"default\" must be true or false"));
    model.saysDefault = isDefault.toBool(false);
    const QJsonValue maxBatch = object.value(QStringLiteral("max_batch_size"));
    if (!maxBatch.isUndefined()) {
        const double size = maxBatch.toDouble(-1);
        if (!maxBatch.isDouble() || size < 1 || size > 1024 || size != std::floor(size))
            return configError(path, QStringLiteral("key \"max_batch_size\" must be a whole number from 1 to 1024"));
        model.maxBatchSize = int(size);
    }

    const QJsonValue policy = object.value(QStringLiteral("version_policy"));
    if (policy.isUndefined())
        return model;
    const QString allowed = QStringLiteral(
            "key \"version_policy\" must be {\"latest\": N} with N ≥ 1 or {\"specific\": [versions]}");
    if (!policy.isObject() || policy.toObject().size() != 1)
        return configError(path, allowed);
    const QJsonObject policyObject = policy.toObject();
    if (policyObject.contains(QStringLiteral("latest"))) {
        const QJsonValue latest = policyObject.value(QStringLiteral("latest"));
        const double count = latest.toDouble(-1);
        if (!latest.isDouble() || count < 1 || count != std::floor(count) || count > 1000)
            return configError(path, allowed);
        model.policy.kind = ModelRepository::VersionPolicy::Kind::Latest;
        model.policy.latest = int(count);
    } else if (policyObject.contains(QStringLiteral("specific"))) {
        const QJsonValue specific = policyObject.value(QStringLiteral("specific"));
        if (!specific.isArray() || specific.toArray().isEmpty())
            return configError(path, allowed);
        model.policy.kind = ModelRepository::VersionPolicy::Kind::Specific;
        for (const QJsonValue &entry : specific.toArray()) {
            const double version = entry.toDouble(-1);
            if (!entry.isDouble() || version < 1 || version != std::floor(version) || version > 9e15)
                return configError(path, allowed);
            model.policy.specific.append(qint64(version));
        }
    } else {
        return configError(path, allowed);
    }
    return model;
}

} // namespace

QString ModelRepository::Model::versionDirectory(qint64 version) const
{
    return QDir(directory).filePath(QString::number(version));
}

const ModelRepository::Model *ModelRepository::Scan::find(const QString &name) const
{
    for (const Model &model : models) {
        if (model.name == name)
            return &model;
    }
    return nullptr;
}

bool ModelRepository::isModelFolder(const QString &directory)
{
    return QFileInfo(QDir(directory).filePath(kManifestName)).isFile();
}

InferenceResult<ModelRepository::Scan> ModelRepository::scan(const QString &root)
{
    const QFileInfo rootInfo(root);
    if (!rootInfo.isDir())
        return InferenceError::invalidModel(
                QStringLiteral("%1: not a folder (a model repository holds <name>/<version>/ folders)").arg(root));
    Scan scan;
    scan.root = rootInfo.absoluteFilePath();
    const QDir rootDir(scan.root);
    for (const QFileInfo &entry : rootDir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        Model model;
        model.name = entry.fileName();
        model.directory = entry.absoluteFilePath();
        if (isModelFolder(model.directory)) {
            scan.notes.append(QStringLiteral("%1: a model folder directly in the repository, not in a version folder; "
                                             "ignored (move it to %1/1/)")
                                      .arg(model.directory));
            continue;
        }
        const QDir modelDir(model.directory);
        for (const QFileInfo &versionEntry : modelDir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const std::optional<qint64> version = versionNumber(versionEntry.fileName());
            if (!version) {
                scan.notes.append(QStringLiteral("%1: not a version folder (versions are whole numbers from 1); ignored")
                                          .arg(versionEntry.absoluteFilePath()));
                continue;
            }
            if (!isModelFolder(versionEntry.absoluteFilePath())) {
                scan.notes.append(QStringLiteral("%1: has no model.json; ignored").arg(versionEntry.absoluteFilePath()));
                continue;
            }
            model.versions.append(*version);
        }
        std::sort(model.versions.begin(), model.versions.end());
        const QString configPath = modelDir.filePath(kConfigName);
        if (QFileInfo::exists(configPath)) {
            InferenceResult<Model> configured = readConfig(configPath, std::move(model));
            if (!configured)
                return configured.error();
            model = std::move(configured).value();
        }
        if (model.policy.kind == VersionPolicy::Kind::Latest) {
            const qsizetype from = std::max<qsizetype>(0, model.versions.size() - model.policy.latest);
            model.selected = model.versions.mid(from);
        } else {
            for (const qint64 version : std::as_const(model.policy.specific)) {
                if (model.versions.contains(version))
                    model.selected.append(version);
                else
                    scan.notes.append(QStringLiteral("%1: config.json asks for version %2, which is not there")
                                              .arg(model.directory)
                                              .arg(version));
            }
            std::sort(model.selected.begin(), model.selected.end());
            model.selected.erase(std::unique(model.selected.begin(), model.selected.end()), model.selected.end());
        }
        if (model.selected.isEmpty()) {
            scan.notes.append(QStringLiteral("%1: no version to serve; the model is left out").arg(model.directory));
            continue;
        }
        scan.models.append(std::move(model));
    }
    if (scan.models.isEmpty())
        return InferenceError::invalidModel(
                QStringLiteral("%1: no model to serve (expected <name>/<version>/model.json, e.g. %1/fashion-mnist/1/)")
                        .arg(scan.root));

    QStringList defaults;
    for (const Model &model : std::as_const(scan.models)) {
        if (model.saysDefault)
            defaults.append(model.name);
    }
    if (defaults.size() > 1)
        return InferenceError::invalidModel(QStringLiteral("%1: %2 all say \"default\": true in their config.json; "
                                                           "one model can be the default")
                                                    .arg(scan.root, defaults.join(u", ")));
    if (defaults.size() == 1) {
        scan.defaultModel = defaults.first();
    } else {
        scan.defaultModel = scan.models.first().name;
        if (scan.models.size() > 1)
            scan.notes.append(QStringLiteral("no config.json says \"default\": true; the default model is %1, the "
                                             "first by name")
                                      .arg(scan.defaultModel));
    }
    return scan;
}

} // namespace orchard
