#include "server/core/modelstore.h"

#include "common/imaging/modelmanifest.h"
#include "common/inference/pipelineengine.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include "common/imaging/modelmanifest.h"
#include "common/protocol/servermessage.h"

namespace orchard {

namespace {

/** The model card sent to clients: README.md, cut to what a tooltip can show. */
QString readCard(const QString &versionDirectory)
{
    QFile file(QDir(versionDirectory).filePath(QStringLiteral("README.md")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.read(64 * 1024)).trimmed().left(ServedModelInfo::kMaxCardLength);
}

QString versionText(qint64 version) { return QStringLiteral("version %1").arg(version); }

} // namespace

void ModelStore::Change::merge(Change other)
{
    everything = everything || other.everything;
    names.unite(other.names);
    done.append(std::move(other.done));
}

ModelStore::ModelStore(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_repository(!ModelRepository::isModelFolder(m_options.source))
    , m_catalog(std::make_shared<ModelCatalog>())
{
    m_poll.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(m_options.pollInterval));
    connect(&m_poll, &QTimer::timeout, this, [this] {
        // A poll while a load runs would only queue the same scan again.
        if (!m_loader)
            reload();
    });
}

std::shared_ptr<ModelStore> ModelStore::serving(std::shared_ptr<const InferenceEngine> engine,
                                                const QString &directory)
{
    Options options;
    options.source = directory;
    options.control = ModelControl::None;
    auto store = std::make_shared<ModelStore>(options);
    store->m_repository = false;
    const QString name = engine->manifest().name;
    store->m_folderModelName = name;
    auto model = std::make_shared<const ServedModel>(name, 1, directory, std::move(engine),
                                                     ModelFingerprint::of(directory), readCard(directory), 0.0);
    store->setCatalog(std::make_shared<ModelCatalog>(QMap<QString, ModelCatalog::Versions> { { name, { { 1, model } } } },
                                                     name));
    return store;
}

ModelStore::~ModelStore()
{
    if (m_loader) {
        // The loader touches nothing of ours but m_loaded, under its mutex: let it end.
        m_loader->wait();
        delete m_loader;
    }
}

std::shared_ptr<const ModelCatalog> ModelStore::catalog() const
{
    const std::lock_guard<std::mutex> lock(m_catalogMutex);
    return m_catalog;
}

void ModelStore::setCatalog(std::shared_ptr<const ModelCatalog> catalog)
{
    {
        const std::lock_guard<std::mutex> lock(m_catalogMutex);
        m_catalog.swap(catalog);
    }
    // The old catalog goes here, in this thread; its versions live on in the requests
    // that hold them.
    catalog.reset();
    emit catalogChanged();
}

QString ModelStore::folderOf(const ModelRepository::Model &model, qint64 version) const
{
    return m_repository ? model.versionDirectory(version) : m_options.source;
}

QString ModelStore::key(const QString &name, qint64 version)
{
    return name + u'/' + QString::number(version);
}

bool ModelStore::loadNow(QString *error)
{
    const InferenceResult<ModelRepository::Scan> scan = scanSource();
    if (!scan) {
        *error = scan.error().message;
        return false;
    }
    for (const QString &note : scan->notes)
        emit modelEvent(QString(), 0, note, false);
    QList<Task> tasks;
    for (const ModelRepository::Model &model : scan->models) {
        for (const qint64 version : model.selected)
            tasks.append({ model.name, version, folderOf(model, version),
                           ModelFingerprint::of(folderOf(model, version)), model.maxBatchSize });
    }
    Change everything;
    everything.everything = true;
    apply(*scan, everything, loadTasks(tasks, m_options.engine));
    // A model none of whose selected versions loads is served by its highest version below
    // them that does, as a reload would keep the one served before: a broken new version
    // copied in must not keep the server from starting.
    ModelRepository::Scan fallbacks = *scan;
    QList<Loaded> fallbackLoads;
    for (ModelRepository::Model &model : fallbacks.models) {
        if (catalog()->models().contains(model.name))
            continue;
        for (auto version = model.versions.crbegin(); version != model.versions.crend(); ++version) {
            if (model.selected.contains(*version) || *version > model.selected.constFirst())
                continue;
            const QString directory = folderOf(model, *version);
            const QList<Loaded> loaded =
                    loadTasks({ { model.name, *version, directory, ModelFingerprint::of(directory), model.maxBatchSize } },
                              m_options.engine);
            fallbackLoads.append(loaded);
            if (loaded.constFirst().model) {
                model.selected = { *version };
                break;
            }
        }
    }
    if (!fallbackLoads.isEmpty()) {
        apply(fallbacks, everything, fallbackLoads);
        for (const Loaded &fallback : std::as_const(fallbackLoads)) {
            if (fallback.model)
                emit modelEvent(fallback.task.name, fallback.task.version,
                                QStringLiteral("serves instead: the versions its policy selects failed to load"), true);
        }
    }
    if (catalog()->isEmpty()) {
        QStringList reasons;
        for (auto failure = m_failures.cbegin(); failure != m_failures.cend(); ++failure)
            reasons.append(QStringLiteral("%1: %2").arg(failure.key(), failure->reason));
        *error = m_repository ? QStringLiteral("no model in %1 could be loaded: %2")
                                        .arg(m_options.source, reasons.join(QStringLiteral("; ")))
                              : reasons.join(QStringLiteral("; "));
        return false;
    }
    return true;
}

void ModelStore::startPolling()
{
    if (m_options.control == ModelControl::Poll)
        m_poll.start();
}

void ModelStore::reload(Done done)
{
    Change change;
    change.everything = true;
    if (done)
        change.done.append(std::move(done));
    request(std::move(change));
}

void ModelStore::load(const QString &name, Done done)
{
    m_unloaded.remove(name);
    Change change;
    change.names.insert(name);
    if (done)
        change.done.append(std::move(done));
    request(std::move(change));
}

void ModelStore::unload(const QString &name, Done done)
{
    const std::shared_ptr<const ModelCatalog> current = catalog();
    if (!current->models().contains(name)) {
        if (done)
            done(false, QStringLiteral("No model named \"%1\" is served now.").arg(name));
        return;
    }
    if (name == current->defaultName()) {
        if (done)
            done(false, QStringLiteral("%1 is the default model: clients that name no model get it. Make another "
                                       "model the default (\"default\": true in its config.json), reload, then "
                                       "unload this one.")
                                .arg(name));
        return;
    }
    m_unloaded.insert(name);
    QMap<QString, ModelCatalog::Versions> models = current->models();
    const QList<qint64> versions = models.take(name).keys();
    setCatalog(std::make_shared<ModelCatalog>(std::move(models), current->defaultName()));
    for (const qint64 version : versions)
        emit modelEvent(name, version, QStringLiteral("unloaded (asked for); freed when its last request ends"), false);
    emit statusChanged();
    if (done)
        done(true, QStringLiteral("Unloaded %1; requests for it now get UNKNOWN_MODEL.").arg(name));
}

void ModelStore::request(Change change)
{
    if (m_loader) {
        if (m_next)
            m_next->merge(std::move(change));
        else
            m_next = std::move(change);
        return;
    }
    begin(std::move(change));
}

bool ModelStore::inScope(const Change &change, const QString &name) const
{
    if (change.names.contains(name))
        return true;
    return change.everything && !m_unloaded.contains(name);
}

InferenceResult<ModelRepository::Scan> ModelStore::scanSource() const
{
    if (m_repository)
        return ModelRepository::scan(m_options.source);
    // One model folder: a one-model repository whose only version is 1, named by its
    // model.json (a load error there is the load's to report, under the name it had).
    ModelRepository::Scan scan;
    scan.root = m_options.source;
    QString name = m_folderModelName;
    if (const InferenceResult<ModelManifest> manifest = ModelManifest::load(m_options.source))
        name = manifest->name;
    if (name.isEmpty())
        name = QFileInfo(m_options.source).fileName();
    ModelRepository::Model model;
    model.name = name;
    model.directory = m_options.source;
    model.versions = { 1 };
    model.selected = { 1 };
    scan.models.append(model);
    scan.defaultModel = name;
    return scan;
}

void ModelStore::begin(Change change)
{
    const InferenceResult<ModelRepository::Scan> scan = scanSource();
    if (!scan) {
        emit modelEvent(QString(), 0,
                        QStringLiteral("the repository cannot be read, nothing changed: %1").arg(scan.error().message),
                        true);
        finish(change, false, scan.error().message);
        return;
    }
    for (const QString &name : std::as_const(change.names)) {
        if (!scan->find(name)) {
            finish(change, false,
                   QStringLiteral("There is no model named \"%1\" with a version to serve in %2.")
                           .arg(name, m_options.source));
            return;
        }
    }
    const std::shared_ptr<const ModelCatalog> current = catalog();
    QList<Task> tasks;
    for (const ModelRepository::Model &model : scan->models) {
        if (!inScope(change, model.name))
            continue;
        const ModelCatalog::Versions served = current->models().value(model.name);
        for (const qint64 version : model.selected) {
            const QString directory = folderOf(model, version);
            const ModelFingerprint fingerprint = ModelFingerprint::of(directory);
            const auto same = served.constFind(version);
            if (same != served.cend() && (*same)->fingerprint() == fingerprint && (*same)->directory() == directory)
                continue; // served as it is on disk
            const auto failed = m_failures.constFind(key(model.name, version));
            // Failed with these very files: a poll does not try again, an asked load does.
            if (failed != m_failures.cend() && failed->fingerprint == fingerprint && !change.names.contains(model.name))
                continue;
            tasks.append({ model.name, version, directory, fingerprint, model.maxBatchSize });
        }
    }
    if (tasks.isEmpty()) {
        apply(*scan, change, {});
        finish(change, true, QString());
        return;
    }
    for (const Task &task : std::as_const(tasks))
        m_loading.insert(key(task.name, task.version));
    emit statusChanged();
    m_running = std::move(change);
    m_runningScan = *scan;
    const InferenceEngine::Options options = m_options.engine;
    m_loader = QThread::create([this, tasks, options] {
        QList<Loaded> loaded = loadTasks(tasks, options);
        {
            const std::lock_guard<std::mutex> lock(m_loadedMutex);
            m_loaded = std::move(loaded);
        }
        QMetaObject::invokeMethod(this, "onLoaderFinished", Qt::QueuedConnection);
    });
    m_loader->setObjectName(QStringLiteral("model loader"));
    m_loader->start(QThread::LowPriority);
}

QList<ModelStore::Loaded> ModelStore::loadTasks(const QList<Task> &tasks, const InferenceEngine::Options &options)
{
    QList<Loaded> results;
    for (const Task &task : tasks) {
        QElapsedTimer timer;
        timer.start();
        Loaded result { task, nullptr, {} };
        InferenceEngine::Options taskOptions = options;
        if (task.maxBatchSize > 0) // config.json's max_batch_size: the batches it will get
            taskOptions.maxBatch = task.maxBatchSize;
        // A pipeline serves through its own engine; engine is then its classifier.
        std::shared_ptr<const PipelineEngine> pipeline;
        InferenceResult<std::shared_ptr<const InferenceEngine>> engine = std::shared_ptr<const InferenceEngine>();
        const InferenceResult<ModelManifest> manifest = ModelManifest::load(task.directory);
        if (manifest && manifest->kind == ModelManifest::Kind::Pipeline) {
            const auto loaded = PipelineEngine::load(task.directory, taskOptions);
            if (loaded) {
                pipeline = *loaded;
                engine = pipeline->sharedClassifier();
            } else {
                engine = loaded.error();
            }
        } else {
            engine = InferenceEngine::load(task.directory, taskOptions);
        }
        if (!engine) {
            result.error = engine.error().message;
        } else if (const InferenceResult<double> warm = pipeline ? pipeline->warmUp() : (*engine)->warmUp(); !warm) {
            result.error = QStringLiteral("its warm-up prediction failed: %1").arg(warm.error().message);
        } else {
            // A --model folder is named by its model.json; a repository's, by its folder.
            const QString name = task.name.isEmpty() ? (pipeline ? pipeline->manifest().name : (*engine)->manifest().name)
                                                     : task.name;
            result.task.name = name;
            result.model = std::make_shared<const ServedModel>(name, task.version, task.directory, *engine,
                                                               task.fingerprint, readCard(task.directory),
                                                               timer.nsecsElapsed() / 1e6, task.maxBatchSize, pipeline);
        }
        results.append(std::move(result));
    }
    return results;
}

void ModelStore::onLoaderFinished()
{
    m_loader->wait();
    delete m_loader;
    m_loader = nullptr;
    QList<Loaded> loaded;
    {
        const std::lock_guard<std::mutex> lock(m_loadedMutex);
        loaded.swap(m_loaded);
    }
    const Change change = std::move(*m_running);
    const ModelRepository::Scan scan = std::move(*m_runningScan);
    m_running.reset();
    m_runningScan.reset();
    m_loading.clear();
    apply(scan, change, loaded);
    QStringList failures;
    for (const Loaded &result : std::as_const(loaded)) {
        if (!result.model)
            failures.append(QStringLiteral("%1 %2: %3").arg(result.task.name, versionText(result.task.version),
                                                            result.error));
    }
    if (failures.isEmpty()) {
        QStringList done;
        for (const Loaded &result : std::as_const(loaded))
            done.append(QStringLiteral("%1 %2").arg(result.task.name, versionText(result.task.version)));
        finish(change, true, QStringLiteral("Loaded %1.").arg(done.join(QStringLiteral(", "))));
    } else {
        finish(change, false,
               QStringLiteral("Not loaded (what served before still serves): %1").arg(failures.join(QStringLiteral("; "))));
    }
    if (m_next) {
        Change next = std::move(*m_next);
        m_next.reset();
        begin(std::move(next));
    }
}

void ModelStore::apply(const ModelRepository::Scan &scan, const Change &change, const QList<Loaded> &loaded)
{
    const std::shared_ptr<const ModelCatalog> current = catalog();
    QMap<QString, ModelCatalog::Versions> models = current->models();
    QHash<QString, std::shared_ptr<const ServedModel>> fresh;
    for (const Loaded &result : loaded) {
        const QString id = key(result.task.name, result.task.version);
        if (result.model) {
            fresh.insert(id, result.model);
            m_failures.remove(id);
            ++m_loadCounts[{ result.task.name, QStringLiteral("success") }];
            emit modelEvent(result.task.name, result.task.version,
                            QStringLiteral("loaded and warmed up in %1 ms").arg(result.model->loadMs(), 0, 'f', 0),
                            false);
        } else {
            m_failures.insert(id, { result.task.fingerprint, result.error });
            ++m_loadCounts[{ result.task.name, QStringLiteral("failure") }];
            const bool servedBefore = current->models().value(result.task.name).contains(result.task.version);
            emit modelEvent(result.task.name, result.task.version,
                            QStringLiteral("failed to load: %1; %2")
                                    .arg(result.error,
                                         servedBefore ? QStringLiteral("the copy loaded before keeps serving")
                                                      : QStringLiteral("the versions served before keep serving")),
                            true);
        }
    }

    bool changed = !fresh.isEmpty();
    for (const ModelRepository::Model &model : scan.models) {
        if (!inScope(change, model.name))
            continue;
        const ModelCatalog::Versions before = models.value(model.name);
        ModelCatalog::Versions next;
        for (const qint64 version : model.selected) {
            if (const auto loadedNow = fresh.value(key(model.name, version)))
                next.insert(version, loadedNow);
            else if (before.contains(version))
                next.insert(version, before.value(version)); // unchanged, or its new files failed
        }
        // None of the versions the policy asks for could be loaded: keep what served.
        if (next.isEmpty())
            next = before;
        for (auto old = before.cbegin(); old != before.cend(); ++old) {
            if (!next.contains(old.key())) {
                emit modelEvent(model.name, old.key(),
                                QStringLiteral("unloaded (no longer selected); freed when its last request ends"), false);
                changed = true;
            }
        }
        if (next.isEmpty())
            models.remove(model.name);
        else
            models.insert(model.name, next);
    }
    // Models whose folders are gone (or that have no version to serve any more).
    for (const QString &name : current->models().keys()) {
        if (inScope(change, name) && !scan.find(name) && change.everything) {
            for (const qint64 version : models.value(name).keys())
                emit modelEvent(name, version, QStringLiteral("unloaded (its folder is gone); freed when its last "
                                                              "request ends"),
                                false);
            models.remove(name);
            changed = true;
        }
    }
    QString defaultModel = scan.defaultModel;
    if (!models.contains(defaultModel))
        defaultModel = models.contains(current->defaultName()) ? current->defaultName()
                                                               : (models.isEmpty() ? QString() : models.firstKey());
    if (defaultModel != current->defaultName() && !current->isEmpty()) {
        emit modelEvent(defaultModel, 0, QStringLiteral("is now the default model"), false);
        changed = true;
    }
    if (changed || current->isEmpty())
        setCatalog(std::make_shared<ModelCatalog>(std::move(models), defaultModel));
    emit statusChanged();
}

void ModelStore::finish(const Change &change, bool ok, const QString &message)
{
    for (const Done &done : change.done)
        done(ok, message);
}

QList<ModelStore::VersionStatus> ModelStore::statuses() const
{
    const std::shared_ptr<const ModelCatalog> current = catalog();
    QMap<QString, VersionStatus> byKey; // sorted: name, then version (as text, padded)
    const auto sortKey = [](const QString &name, qint64 version) {
        return name + u'\x1f' + QStringLiteral("%1").arg(version, 19, 10, QLatin1Char('0'));
    };
    for (const auto &model : current->all()) {
        VersionStatus status;
        status.name = model->name();
        status.version = model->version();
        status.isDefault = model->name() == current->defaultName();
        status.requests = model->requests();
        status.meanMs = model->meanMs();
        byKey.insert(sortKey(status.name, status.version), status);
    }
    for (auto failure = m_failures.cbegin(); failure != m_failures.cend(); ++failure) {
        const QString name = failure.key().section(u'/', 0, -2);
        const qint64 version = failure.key().section(u'/', -1).toLongLong();
        const QString id = sortKey(name, version);
        if (byKey.contains(id)) {
            byKey[id].reason = QStringLiteral("new files failed to load (%1); the copy loaded before serves")
                                       .arg(failure->reason);
            continue;
        }
        VersionStatus status;
        status.name = name;
        status.version = version;
        status.state = State::Failed;
        status.reason = failure->reason;
        byKey.insert(id, status);
    }
    for (const QString &loading : m_loading) {
        const QString name = loading.section(u'/', 0, -2);
        const qint64 version = loading.section(u'/', -1).toLongLong();
        VersionStatus &status = byKey[sortKey(name, version)];
        status.name = name;
        status.version = version;
        status.state = State::Loading;
    }
    return byKey.values();
}

QString ModelStore::stateName(State state)
{
    switch (state) {
    case State::Loading:
        return QStringLiteral("loading");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Ready:
        break;
    }
    return QStringLiteral("ready");
}

} // namespace orchard
