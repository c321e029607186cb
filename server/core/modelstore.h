#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include "common/inference/inferenceengine.h"
#include "common/inference/modelrepository.h"
#include "server/core/modelcatalog.h"
#include "server/core/modelcontrol.h"

class QThread;

namespace orchard {

/**
 * The models a server serves, and how they change while it runs.
 *
 * It reads a model repository (ModelRepository: REPO/<name>/<version>/) or one model
 * folder (--model DIR, served as version 1 of the name in its model.json) and keeps a
 * ModelCatalog that sessions take, from any thread, once per request (catalog()).
 *
 * A change (a poll, SIGHUP, load or unload) scans the repository here, in the server's
 * thread (a scan only lists folders and reads config.json files), then loads and warms
 * every new or changed version on a thread of its own, so that sessions of every model
 * and the waiting line go on meanwhile; only when a version answered its warm-up
 * predictions does a new catalog take it, in one swap. Requests already running finish on
 * the version they started with (they hold it), and a version taken out is freed when its
 * last request ends. A version that fails to load is reported (modelEvent(), the status
 * list, loadCount()) and whatever served before keeps serving; it is not tried again
 * until its files change.
 *
 * Lives in the server's thread; catalog() is the one function for other threads.
 */
class ModelStore : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString source; ///< a repository folder, or one model folder
        InferenceEngine::Options engine;
        ModelControl control = ModelControl::Explicit;
        std::chrono::seconds pollInterval { 15 };
    };

    /** Where one version stands, for the monitor's Models panel. */
    enum class State { Loading, Ready, Failed };
    struct VersionStatus
    {
        QString name;
        qint64 version = 0;
        State state = State::Ready;
        QString reason; ///< why it failed; for a Ready one, what failed beside it
        bool isDefault = false;
        std::uint64_t requests = 0;
        double meanMs = 0.0;
    };

    /** A change's outcome, for whoever asked (the HTTP endpoint): ok, and a sentence. */
    using Done = std::function<void(bool ok, const QString &message)>;

    explicit ModelStore(Options options, QObject *parent = nullptr);
    /** A store serving this one engine, loaded elsewhere (tests, orchard-cli): control None. */
    static std::shared_ptr<ModelStore> serving(std::shared_ptr<const InferenceEngine> engine,
                                               const QString &directory = {});
    ~ModelStore() override;

    /**
     * Start-up: scans and loads everything the policies select, here and now. False, with
     * error a sentence naming the folder and what is wrong, when not one model can be
     * served; a version that fails beside others that load is only reported.
     */
    bool loadNow(QString *error);

    /** Any thread: the models to answer with now (never null). */
    std::shared_ptr<const ModelCatalog> catalog() const;

    /** Starts the poll timer when control is Poll (after start-up, once the server listens). */
    void startPolling();

    /** Scans the whole repository again and loads what changed (SIGHUP, a poll, Reload). */
    void reload(Done done = {});
    /**
     * Explicit: loads (again) the versions of one model its policy selects, and lets a
     * poll or SIGHUP look at it again if an unload() took it out.
     */
    void load(const QString &name, Done done);
    /** Explicit: stops serving every version of one model, until load() brings it back. */
    void unload(const QString &name, Done done);

    const Options &options() const { return m_options; }
    /** Whether the source is a repository (rather than one --model folder). */
    bool isRepository() const { return m_repository; }
    /** Whether a load runs now (a change asked meanwhile runs after it). */
    bool isLoading() const { return m_loader != nullptr; }
    QList<VersionStatus> statuses() const;
    /** orchard_model_loads_total{model,result}: result "success" or "failure". */
    QHash<QPair<QString, QString>, quint64> loadCounts() const { return m_loadCounts; }

    static QString stateName(State state);

signals:
    /** A new catalog was swapped in. */
    void catalogChanged();
    /** statuses() changed: a load began or ended, a version came or went. */
    void statusChanged();
    /**
     * Something for the log: version 0 for the model as a whole (or "" for the
     * repository); problem when something failed.
     */
    void modelEvent(const QString &model, qint64 version, const QString &text, bool problem);

private:
    /** One version to load on the loader thread. */
    struct Task
    {
        QString name; ///< empty for a --model folder: its model.json names it
        qint64 version = 0;
        QString directory;
        ModelFingerprint fingerprint;
        int maxBatchSize = 0; ///< config.json's max_batch_size
    };
    /** What the loader thread made of one Task. */
    struct Loaded
    {
        Task task;
        std::shared_ptr<const ServedModel> model; ///< null when error says why
        QString error;
    };
    /** A change asked for: everything, or the named models. */
    struct Change
    {
        bool everything = false;
        QSet<QString> names;
        QList<Done> done;
        void merge(Change other);
    };
    /** A failed version, remembered until its files change. */
    struct Failure
    {
        ModelFingerprint fingerprint;
        QString reason;
    };

    void request(Change change);
    /** Scans, works out what to load, and starts the loader (or applies at once). */
    void begin(Change change);
    /** The scan of the source now: a repository's, or one folder as a one-model scan. */
    InferenceResult<ModelRepository::Scan> scanSource() const;
    /** Loads and warms tasks on this thread (start-up) or the loader's. */
    static QList<Loaded> loadTasks(const QList<Task> &tasks, const InferenceEngine::Options &options);
    /** The loader thread finished: swap in the result, run the next change. */
    Q_INVOKABLE void onLoaderFinished();
    /** Makes the catalog of a scan and the versions just loaded; reports every change. */
    void apply(const ModelRepository::Scan &scan, const Change &change, const QList<Loaded> &loaded);
    void finish(const Change &change, bool ok, const QString &message);
    void setCatalog(std::shared_ptr<const ModelCatalog> catalog);
    bool inScope(const Change &change, const QString &name) const;
    static QString key(const QString &name, qint64 version);
    /** A version's folder: in the repository, or the --model folder itself (its version 1). */
    QString folderOf(const ModelRepository::Model &model, qint64 version) const;

    Options m_options;
    bool m_repository = true;
    mutable std::mutex m_catalogMutex; ///< guards m_catalog (sessions read it)
    std::shared_ptr<const ModelCatalog> m_catalog;
    QTimer m_poll;
    QSet<QString> m_unloaded; ///< explicit unloads: left out of every reload until load()
    QHash<QString, Failure> m_failures; ///< by key(): failed versions
    QSet<QString> m_loading; ///< by key(): versions the loader has now
    QHash<QPair<QString, QString>, quint64> m_loadCounts;
    /** A --model folder's name, once known: a change of its model.json's name is a new model. */
    QString m_folderModelName;

    QThread *m_loader = nullptr;
    std::optional<Change> m_running; ///< the change the loader works on
    std::optional<ModelRepository::Scan> m_runningScan;
    std::optional<Change> m_next; ///< asked while the loader ran
    std::mutex m_loadedMutex; ///< guards m_loaded (written by the loader thread)
    QList<Loaded> m_loaded;
};

} // namespace orchard
