#include "server/core/modelcatalog.h"

#include "common/inference/pipelineengine.h"

#include <QStringList>

#include "common/imaging/modelmanifest.h"
#include "common/inference/inferenceengine.h"
#include "common/protocol/servermessage.h"

namespace orchard {

namespace {

/** "a (1, 2), b (3)": what the catalog serves, for an UNKNOWN_MODEL sentence. */
QString servedList(const QMap<QString, ModelCatalog::Versions> &models)
{
    QStringList parts;
    for (auto model = models.cbegin(); model != models.cend(); ++model) {
        QStringList versions;
        for (const qint64 version : model->keys())
            versions.append(QString::number(version));
        parts.append(QStringLiteral("%1 (version %2)").arg(model.key(), versions.join(QStringLiteral(", "))));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

ModelCatalog::ModelCatalog(QMap<QString, Versions> models, QString defaultModel)
    : m_models(std::move(models))
    , m_defaultModel(std::move(defaultModel))
{
}

ModelCatalog::Resolution ModelCatalog::resolve(const QString &name, std::optional<qint64> version) const
{
    const QString wanted = name.isEmpty() ? m_defaultModel : name;
    const auto model = m_models.constFind(wanted);
    if (model == m_models.cend()) {
        if (name.isEmpty())
            return { nullptr, QStringLiteral("This server has no default model to serve now.") };
        return { nullptr, QStringLiteral("This server does not serve a model named \"%1\"; it serves %2.")
                                  .arg(name.left(64), servedList(m_models)) };
    }
    if (!version)
        return { model->last(), {} };
    const auto found = model->constFind(*version);
    if (found == model->cend())
        return { nullptr, QStringLiteral("This server does not serve version %1 of %2; it serves %3.")
                                  .arg(*version)
                                  .arg(wanted, servedList({ { wanted, *model } })) };
    return { *found, {} };
}

std::shared_ptr<const ServedModel> ModelCatalog::defaultModel() const
{
    const auto model = m_models.constFind(m_defaultModel);
    return model == m_models.cend() ? nullptr : model->last();
}

QList<std::shared_ptr<const ServedModel>> ModelCatalog::all() const
{
    QList<std::shared_ptr<const ServedModel>> versions;
    for (const Versions &model : m_models)
        for (const auto &version : model)
            versions.append(version);
    return versions;
}

QList<ServedModelInfo> ModelCatalog::describe() const
{
    QList<ServedModelInfo> described;
    for (auto model = m_models.cbegin(); model != m_models.cend(); ++model) {
        const ServedModel &latest = *model->last();
        const ModelManifest &manifest = latest.engine().manifest();
        ServedModelInfo info;
        info.name = model.key();
        info.versions = model->keys();
        info.labels = manifest.labels;
        // A pipeline is sent photos for its detector (and the client's downscaling keeps
        // twice its input, which its crops need).
        const ModelManifest::Input &input = latest.pipeline() ? latest.pipeline()->detector().manifest().input
                                                              : manifest.input;
        info.input = ModelInputInfo { input.width, input.height, input.channels,
                                      ModelManifest::colorName(input.color), ModelManifest::resizeName(input.resize) };
        info.isDefault = model.key() == m_defaultModel;
        info.card = latest.card().left(ServedModelInfo::kMaxCardLength);
        described.append(info);
    }
    return described;
}

} // namespace orchard
