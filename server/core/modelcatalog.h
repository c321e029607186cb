#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QMap>
#include <QString>

#include "server/core/servedmodel.h"

namespace orchard {

struct ServedModelInfo;

/**
 * The models a server answers with at one moment: every served version of every model,
 * and which model a request that names none gets.
 *
 * Immutable: ModelStore makes a new catalog for every change and swaps it in whole, so a
 * session that took one sees a consistent set for as long as it holds it, while a reload
 * builds the next one beside it.
 */
class ModelCatalog
{
public:
    /** One model's served versions, by version number. */
    using Versions = QMap<qint64, std::shared_ptr<const ServedModel>>;

    /** A request's choice, resolved: the version to run, or why there is none. */
    struct Resolution
    {
        std::shared_ptr<const ServedModel> model; ///< null when error says why
        QString error; ///< a sentence for UNKNOWN_MODEL: what was asked, what is served
    };

    ModelCatalog() = default;
    ModelCatalog(QMap<QString, Versions> models, QString defaultModel);

    /**
     * The version a request gets: name empty for the default model, version nullopt for
     * the model's highest served version.
     */
    Resolution resolve(const QString &name, std::optional<qint64> version) const;

    /** The default model's highest version; null only in an empty catalog. */
    std::shared_ptr<const ServedModel> defaultModel() const;
    const QString &defaultName() const { return m_defaultModel; }
    const QMap<QString, Versions> &models() const { return m_models; }
    bool isEmpty() const { return m_models.isEmpty(); }
    /** Every served version, by model name then version. */
    QList<std::shared_ptr<const ServedModel>> all() const;

    /** What `welcome` and `info` list (docs/protocol.md): every model, sorted by name. */
    QList<ServedModelInfo> describe() const;

private:
    QMap<QString, Versions> m_models; ///< no model has an empty Versions
    QString m_defaultModel;
};

} // namespace orchard
