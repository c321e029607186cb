#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * What a model repository folder holds: `REPO/<name>/<version>/` folders, each a model
 * folder (model.pt, model.json, README.md), and per model an optional
 * `REPO/<name>/config.json` saying which versions to serve and whether it is the default
 * model (docs/models.md is the normative description).
 *
 * Only the layout is read here: no model is loaded, so a scan is cheap enough to repeat
 * every few seconds (--model-control poll) and a broken model.pt shows when it is loaded.
 */
class ModelRepository
{
public:
    /** Which versions of a model are served: config.json's "version_policy". */
    struct VersionPolicy
    {
        enum class Kind { Latest, Specific };
        Kind kind = Kind::Latest;
        int latest = 1; ///< Latest: how many of the highest versions
        QList<qint64> specific; ///< Specific: exactly these (those that exist)
    };

    /** One model's folder. */
    struct Model
    {
        QString name; ///< the folder's name: what requests ask for
        QString directory; ///< absolute path of REPO/<name>
        QList<qint64> versions; ///< every version folder found, ascending
        QList<qint64> selected; ///< the versions the policy serves, ascending
        VersionPolicy policy;
        bool saysDefault = false; ///< config.json has "default": true
        /** config.json's "max_batch_size": images per forward pass; 0: the server's --max-batch. */
        int maxBatchSize = 0;

        QString versionDirectory(qint64 version) const;
    };

    /** A scan's result: the models, the default one, and what was ignored and why. */
    struct Scan
    {
        QString root;
        QList<Model> models; ///< sorted by name; each has at least one selected version
        QString defaultModel; ///< a name in models
        /** Sentences for the log: folders ignored, versions missing, how the default was chosen. */
        QStringList notes;

        const Model *find(const QString &name) const;
    };

    /**
     * Reads the layout under root. Errors (InvalidModel, naming the file and what is
     * wrong): root is not a folder, a config.json that is not valid, two models that both
     * say they are the default, or no model with a version to serve. A model folder with
     * no usable version is left out with a note, not an error: one broken model must not
     * keep the others from serving.
     */
    static InferenceResult<Scan> scan(const QString &root);

    /**
     * Whether directory is a single model folder (model.json directly inside) rather than
     * a repository: `--model DIR` keeps working with the folders it always took.
     */
    static bool isModelFolder(const QString &directory);
};

} // namespace orchard
