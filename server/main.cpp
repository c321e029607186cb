// orchard-server: parses the command line, loads the model, starts the server, and shows
// the monitor window or logs headless. Everything else lives in orchard_server_core.
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include <QApplication>
#include <QFileInfo>
#include <QTextStream>

#include "common/i18n/uilanguage.h"
#include "common/inference/inferenceengine.h"
#include "server/core/accesstokens.h"
#include "server/core/eventlogmodel.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"
#include "server/core/servercommandline.h"
#include "server/core/serverlog.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/core/systemdnotifier.h"
#include "server/core/tlsidentity.h"
#include "server/core/unixsignalwatcher.h"
#include "server/monitor/monitorwindow.h"

using namespace orchard;

namespace {

/** Exit code when the command line, a file it names or the model cannot be used. */
constexpr int kExitSetupFailed = 2;
/** Exit code when the port cannot be listened on. */
constexpr int kExitListenFailed = 1;
/** Exit code of --check-config when something is wrong (0 when all is good). */
constexpr int kExitCheckFailed = 1;

bool displayAvailable()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
            || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

bool argumentsAsk(int argc, char *argv[], const char *flag)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], flag) == 0)
            return true;
    }
    return false;
}

/** Whether the command line asks for something that needs no window. */
bool argumentsAskHeadless(int argc, char *argv[])
{
    return argumentsAsk(argc, argv, "--headless") || argumentsAsk(argc, argv, "--help")
            || argumentsAsk(argc, argv, "-h") || argumentsAsk(argc, argv, "--version")
            || argumentsAsk(argc, argv, "--check-config") || argumentsAsk(argc, argv, "--print-config-template");
}

std::unique_ptr<QCoreApplication> createApplication(int &argc, char *argv[], bool headless)
{
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("orchard-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("Orchard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ORCHARD_VERSION));
    return app;
}

/** The command line's config with its token file and TLS identity loaded; nullopt (said on err) if one fails. */
/** Why --model and --model-repository cannot be used as given; empty when they can. */
QString modelOptionsConflict(const ServerConfig &config)
{
    if (!config.modelDirectory.isEmpty() && !config.modelRepository.isEmpty())
        return QStringLiteral("--model serves one model folder and --model-repository a repository: give one of "
                              "them, not both.");
    return {};
}

std::optional<ServerConfig> loadConfig(const ServerCommandLine &commandLine, QTextStream &err)
{
    ServerConfig config = commandLine.config;
    if (const QString conflict = modelOptionsConflict(config); !conflict.isEmpty()) {
        err << "orchard-server: " << conflict << Qt::endl;
        return std::nullopt;
    }
    if (!commandLine.tokenFile.isEmpty()) {
        auto tokens = AccessTokens::load(commandLine.tokenFile);
        if (!tokens) {
            err << "orchard-server: " << tokens.error() << Qt::endl;
            return std::nullopt;
        }
        config.accessTokens = std::make_shared<const AccessTokens>(std::move(tokens).value());
    }
    if (!commandLine.tlsCertificate.isEmpty()) {
        auto identity = TlsIdentity::load(commandLine.tlsCertificate, commandLine.tlsKey);
        if (!identity) {
            err << "orchard-server: " << identity.error() << Qt::endl;
            return std::nullopt;
        }
        config.tls = std::make_shared<const TlsIdentity>(std::move(identity).value());
    }
    return config;
}

/** Where the models come from: --model's folder, --model-repository, or the bundled repository. */
QString modelSource(const ServerConfig &config)
{
    if (!config.modelDirectory.isEmpty())
        return config.modelDirectory;
    return config.modelRepository.isEmpty() ? InferenceEngine::defaultModelRepository() : config.modelRepository;
}

/** Sets LibTorch's threads; the store of the models, not loaded yet (ModelStore::loadNow()). */
std::shared_ptr<ModelStore> makeModelStore(const ServerConfig &config)
{
    InferenceEngine::configureThreads(config.intraOpThreads);
    ModelStore::Options options;
    options.source = modelSource(config);
    options.engine.maxPixels = config.maxPixels;
    options.engine.maxBatch = config.maxBatch; // warmed at load, so no farmer pays for a new batch size
    options.control = config.modelControl;
    options.pollInterval = config.repositoryPollInterval;
    return std::make_shared<ModelStore>(options);
}

/** "fashion-mnist 1, leaf-disease 2 3 (default fashion-mnist)": what is served, for the banner. */
QString servedModels(const ModelCatalog &catalog)
{
    QStringList models;
    for (auto model = catalog.models().cbegin(); model != catalog.models().cend(); ++model) {
        QStringList versions;
        for (const qint64 version : model->keys())
            versions.append(QString::number(version));
        models.append(QStringLiteral("%1 %2").arg(model.key(), versions.join(u' ')));
    }
    return QStringLiteral("%1 (default %2)").arg(models.join(QStringLiteral(", ")), catalog.defaultName());
}

QString tokenCount(int tokens)
{
    return tokens == 1 ? QStringLiteral("1 token") : QStringLiteral("%1 tokens").arg(tokens);
}

/**
 * --check-config: the settings (parsed already), the token file, the TLS files and the
 * model, each said on out as it is checked, every failure on err. Returns 0 when all are
 * good, 1 when any is not; nothing listens.
 */
int checkConfiguration(const ServerCommandLine &commandLine, QTextStream &out, QTextStream &err)
{
    bool good = true;
    out << "orchard-server: settings: "
        << (commandLine.configFile.isEmpty()
                    ? QStringLiteral("the command line's")
                    : QStringLiteral("%1 settings from %2 and the command line's")
                              .arg(commandLine.configSettings)
                              .arg(commandLine.configFile))
        << ", all valid" << Qt::endl;
    if (commandLine.tokenFile.isEmpty()) {
        out << "orchard-server: no token file: anyone who can reach the port may connect" << Qt::endl;
    } else if (const auto tokens = AccessTokens::load(commandLine.tokenFile)) {
        out << "orchard-server: token file " << commandLine.tokenFile << ": " << tokenCount(tokens->size()) << Qt::endl;
    } else {
        err << "orchard-server: " << tokens.error() << Qt::endl;
        good = false;
    }
    if (commandLine.tlsCertificate.isEmpty()) {
        out << "orchard-server: no TLS certificate: traffic is not encrypted" << Qt::endl;
    } else if (const auto identity = TlsIdentity::load(commandLine.tlsCertificate, commandLine.tlsKey)) {
        out << "orchard-server: TLS certificate " << commandLine.tlsCertificate << " with key " << commandLine.tlsKey
            << ": SHA-256 fingerprint " << identity->fingerprint << Qt::endl;
    } else {
        err << "orchard-server: " << identity.error() << Qt::endl;
        good = false;
    }
    const ServerConfig &config = commandLine.config;
    if (const QString conflict = modelOptionsConflict(config); !conflict.isEmpty()) {
        err << "orchard-server: " << conflict << Qt::endl;
        return kExitCheckFailed;
    }
    const std::shared_ptr<ModelStore> models = makeModelStore(config);
    QStringList problems;
    QObject::connect(models.get(), &ModelStore::modelEvent, models.get(),
                     [&problems](const QString &model, qint64 version, const QString &text, bool problem) {
                         if (problem)
                             problems.append(version > 0 ? QStringLiteral("%1 version %2 %3").arg(model).arg(version).arg(text)
                                                         : text);
                     });
    QString modelError;
    if (models->loadNow(&modelError)) {
        out << "orchard-server: models from " << modelSource(config) << ": " << servedModels(*models->catalog())
            << ", load" << Qt::endl;
        for (const QString &problem : std::as_const(problems))
            err << "orchard-server: " << problem << Qt::endl;
        good = good && problems.isEmpty();
    } else {
        err << "orchard-server: cannot load the models: " << modelError << Qt::endl;
        good = false;
    }
    if (!commandLine.logFile.isEmpty()) {
        // Not opened here: made by whoever runs this (root, often), the service's own user
        // could not write to it.
        const QFileInfo folder(QFileInfo(commandLine.logFile).absolutePath());
        out << "orchard-server: log file " << commandLine.logFile
            << (folder.isDir() ? QStringLiteral(" (not opened: the server appends to it when it starts)")
                               : QStringLiteral(" (its folder does not exist yet; under systemd, "
                                                "LogsDirectory= makes it at start)"))
            << Qt::endl;
    }
    if (!good) {
        err << "orchard-server: the configuration has errors (above)" << Qt::endl;
        return kExitCheckFailed;
    }
    out << "orchard-server: configuration good: would listen on " << config.host.toString() << " port " << config.port
        << " with " << config.workers << " workers" << Qt::endl;
    return 0;
}

/** Where the server listens and with what; warns when it is open to the network unprotected. */
void printBanner(const OrchardServer &server, const OpenFileLimit &openFiles, QTextStream &out, QTextStream &err)
{
    const ServerConfig &config = server.config();
    const std::shared_ptr<const ModelCatalog> catalog = server.models().catalog();
    const ModelManifest &manifest = catalog->defaultModel()->engine().manifest();
    out << "Orchard server " << ORCHARD_VERSION << " listening on " << server.serverAddress().toString()
        << " port " << server.serverPort() << " (model " << catalog->defaultName() << ", " << manifest.labels.size()
        << " labels, " << config.workers << " workers)" << Qt::endl;
    const InferenceBatcher::Options &inference = server.batcher().options();
    out << "orchard-server: " << inference.threads << " inference threads, batches of up to " << inference.maxBatch
        << " images, waiting up to " << inference.maxDelay.count() << " us to fill one" << Qt::endl;
    out << "orchard-server: models " << servedModels(*catalog) << " from " << server.models().options().source
        << "; --model-control " << modelControlName(config.modelControl) << Qt::endl;
    if (server.httpPort() != 0)
        out << "orchard-server: health and metrics on http://" << config.httpHost.toString() << ':' << server.httpPort()
            << "/metrics" << Qt::endl;
    out << "orchard-server: " << openFiles.description() << Qt::endl;
    // Every waiting client and every session is a descriptor; a few dozen more are the
    // process's own (model, event loops, log).
    constexpr qint64 kOwnDescriptors = 64;
    if (config.maxQueued + config.workers + kOwnDescriptors > openFiles.now) {
        err << "orchard-server: --max-queued " << config.maxQueued << " with " << config.workers
            << " workers needs about " << config.maxQueued + config.workers + kOwnDescriptors
            << " open files, more than the limit of " << openFiles.now
            << "; past it, new clients get BUSY (raise the hard limit: ulimit -Hn, LimitNOFILE=)." << Qt::endl;
    }

    if (config.tls)
        out << "TLS certificate SHA-256 fingerprint (clients pin it): " << config.tls->fingerprint << Qt::endl;
    if (!config.host.isLoopback() && (!config.accessTokens || !config.tls)) {
        err << "orchard-server: open to anyone who can reach port " << server.serverPort() << " on this network"
            << (config.accessTokens ? "" : " (no --token-file: no access tokens)")
            << (config.tls ? "" : " (no --tls-cert: traffic is not encrypted)") << "." << Qt::endl;
    }
}

/** printBanner()'s lines through log, so each comes in the log's format (a JSON object with --log-format json). */
void announce(ServerLog &log, const OrchardServer &server, const OpenFileLimit &openFiles)
{
    QString infoText, warningText;
    {
        QTextStream info(&infoText);
        QTextStream warnings(&warningText);
        printBanner(server, openFiles, info, warnings);
    }
    for (const QString &line : infoText.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        log.notice(EventLogModel::Level::Info, QStringLiteral("banner"), line);
    for (const QString &line : warningText.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        log.notice(EventLogModel::Level::Warning, QStringLiteral("banner"), line);
}

/** What `systemctl status` shows while the server serves. */
QString servingStatus(const OrchardServer &server)
{
    return QStringLiteral("Serving on %1 port %2: %3 workers, models %4")
            .arg(server.serverAddress().toString())
            .arg(server.serverPort())
            .arg(server.workerCount())
            .arg(servedModels(*server.models().catalog()));
}

/**
 * SIGHUP: the log file opened again (logrotate renamed it), then the token file read
 * again, each said in the event log. A token file that cannot be used leaves the tokens
 * in use as they were. Nothing else is read again: other settings need a restart.
 */
void reload(OrchardServer &server, const ServerCommandLine &commandLine, ServerLog &log, EventLogModel &eventLog,
            const std::function<void()> &done)
{
    using Level = EventLogModel::Level;
    const QString event = QStringLiteral("reload");
    if (log.hasFile()) {
        QString error;
        if (log.reopenFile(&error)) {
            eventLog.add(0, event, QStringLiteral("log file %1 reopened").arg(log.filePath()),
                         { { QStringLiteral("log_file"), log.filePath() } });
        } else {
            eventLog.add(0, event, QStringLiteral("%1; still writing to the file open until now").arg(error), {},
                         Level::Error);
        }
    }
    if (!commandLine.tokenFile.isEmpty()) {
        auto tokens = AccessTokens::load(commandLine.tokenFile);
        const std::shared_ptr<const AccessTokens> inUse = server.config().accessTokens;
        if (!tokens || !inUse) {
            eventLog.add(0, event,
                         QStringLiteral("tokens not reloaded, the %1 in use stay: %2")
                                 .arg(inUse ? inUse->size() : 0)
                                 .arg(tokens ? QStringLiteral("no tokens were in use") : tokens.error()),
                         {}, Level::Error);
        } else {
            const AccessTokens::Changes changes = tokens->changesFrom(*inUse);
            eventLog.add(0, event,
                         QStringLiteral("tokens reloaded: %1 (%2)").arg(tokenCount(tokens->size()), changes.description()),
                         { { QStringLiteral("tokens"), tokens->size() },
                           { QStringLiteral("added"), static_cast<int>(changes.added.size()) },
                           { QStringLiteral("removed"), static_cast<int>(changes.removed.size()) },
                           { QStringLiteral("relabelled"), static_cast<int>(changes.relabelled.size()) } });
            server.setAccessTokens(std::make_shared<const AccessTokens>(std::move(tokens).value()));
        }
    }
    if (server.config().modelControl == ModelControl::None) {
        eventLog.add(0, event, QStringLiteral("models not reloaded: --model-control none"));
        done();
    } else {
        // Its outcome reaches the log as model events when the versions are loaded.
        eventLog.add(0, event, QStringLiteral("scanning %1 for new and changed models").arg(server.models().options().source));
        server.models().reload([done](bool, const QString &) { done(); });
    }
}

/** Graceful stop, then the event loop ends once the sessions' last events reached the log. */
void shutDownAndQuit(OrchardServer &server, SystemdNotifier &notifier)
{
    notifier.stopping(QStringLiteral("Shutting down: finishing the predictions in hand"));
    server.shutdown();
    QCoreApplication::processEvents(); // deliver the sessions' last events to the log
    QCoreApplication::quit();
}

/**
 * Runs the loaded server until a signal (or closing the monitor window) stops it: the
 * models and the log, listening, and the window unless headless; SIGHUP reloads. Tells
 * systemd when it serves, reloads and stops. Returns the exit code.
 */
int runServer(QCoreApplication &app, const ServerCommandLine &commandLine, const ServerConfig &config,
              const OpenFileLimit &openFiles, bool headless, SystemdNotifier &notifier, QTextStream &out,
              QTextStream &err)
{
    OrchardServer server(config, makeModelStore(config), QStringLiteral(ORCHARD_VERSION));
    EventLogModel eventLog(server.events());
    // The sessions table is the monitor window's own: headless nothing shows it, and with
    // 10,000 waiting it was most of the server thread's work (per event a search of its
    // rows, per closed row a timer and an erase: measured 12 % of the server's CPU while
    // a line of 10,000 drained, and stalls of 200 ms).
    std::unique_ptr<SessionTableModel> sessions;
    if (!headless)
        sessions = std::make_unique<SessionTableModel>(server.events());
    ServerStats stats(server.events());

    ServerLog log(commandLine.logFormat, &out, &err);
    log.setEventsToConsole(headless);
    QString logError;
    if (!commandLine.logFile.isEmpty() && !log.openFile(commandLine.logFile, &logError)) {
        err << "orchard-server: " << logError << Qt::endl;
        return kExitSetupFailed;
    }
    log.follow(eventLog);
    // With the log following: every version loaded or failed at start-up is in it.
    notifier.status(QStringLiteral("Loading the models"));
    QString modelError;
    if (!server.models().loadNow(&modelError)) {
        QCoreApplication::processEvents(); // the model events into the log first
        err << "orchard-server: cannot load the models: " << modelError << Qt::endl;
        return kExitSetupFailed;
    }
    log.setModelName(server.models().catalog()->defaultName());
    // Before start(): a signal that comes while the workers warm up, or the moment READY=1
    // went out, waits in the watcher for the event loop instead of being lost (SIGHUP) or
    // ending the process without a graceful shutdown (SIGTERM).
    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &server, [&](int signalNumber) {
        // The first signal drains (--drain-seconds), then shuts down gracefully; a second
        // one shuts down at once, gracefully; a third (Ctrl-C, systemd's SIGKILL) ends it.
        // Only with a port a balancer watches (health, agent): without one nobody could
        // hear "not ready", and the drain would only make the stop slower.
        const bool watched = server.httpPort() != 0 || server.agentPort() != 0;
        const bool drainFirst = watched && config.drainTime.count() > 0 && !server.isDraining();
        if (!drainFirst) {
            ::signal(SIGINT, SIG_DFL);
            ::signal(SIGTERM, SIG_DFL);
        }
        log.notice(EventLogModel::Level::Warning, QStringLiteral("signal"),
                   drainFirst ? QStringLiteral("orchard-server: signal %1, draining for %2 s, then shutting down "
                                               "gracefully (again: at once)")
                                        .arg(signalNumber)
                                        .arg(config.drainTime.count())
                              : QStringLiteral("orchard-server: signal %1, shutting down gracefully").arg(signalNumber));
        if (drainFirst)
            server.drain(QStringLiteral("signal %1").arg(signalNumber));
        else
            shutDownAndQuit(server, notifier);
    });
    QObject::connect(&server, &OrchardServer::drained, &server, [&server, &notifier] { shutDownAndQuit(server, notifier); });
    QObject::connect(server.events(), &ServerEvents::draining, &server, [&notifier, &server](const QString &why) {
        notifier.stopping(QStringLiteral("Draining (%1): serving the clients here for %2 s, then shutting down")
                                  .arg(why)
                                  .arg(server.config().drainTime.count()));
    });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::reloadRequested, &server, [&] {
        notifier.reloading(QStringLiteral("Reloading the token file and the models, reopening the log file"));
        // READY=1 again once the models are loaded (systemd: the reload is over then).
        reload(server, commandLine, log, eventLog, [&server, &notifier] { notifier.ready(servingStatus(server)); });
    });

    notifier.status(QStringLiteral("Warming up %1 workers, then listening").arg(config.workers));
    if (!server.start()) {
        err << "orchard-server: " << server.startError() << Qt::endl;
        return kExitListenFailed;
    }
    announce(log, server, openFiles);
    server.models().startPolling();
    // Only now: the model is loaded, every worker warm (start()) and the port listening.
    notifier.ready(servingStatus(server));

    std::unique_ptr<MonitorWindow> window;
    if (!headless) {
        // The window only: the log and the journal stay in English for whoever reads them.
        UiLanguage::apply(QStringLiteral("orchard-monitor"), MonitorWindow::savedLanguage());
        window = std::make_unique<MonitorWindow>(&server, sessions.get(), &eventLog, &stats);
        QObject::connect(window.get(), &MonitorWindow::closed, &server,
                         [&server, &notifier] { shutDownAndQuit(server, notifier); });
        window->show();
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // Until the signal watcher runs (after the model loaded), a SIGHUP from logrotate or
    // `systemctl reload` must not kill the server, as its default action would.
    ::signal(SIGHUP, SIG_IGN);
    // With TZ unset, glibc stats /etc/localtime at every local-time conversion: a system
    // call per logged event, i.e. per prediction (strace). Naming the file once is the
    // same zone without the stat; a zone changed while the server runs shows at restart.
    if (!qEnvironmentVariableIsSet("TZ"))
        qputenv("TZ", ":/etc/localtime");
    // First, before anything holds a descriptor: the soft limit is what a crowd hits.
    const OpenFileLimit openFiles = raiseOpenFileLimit();
    // The application object must be chosen before Qt parses anything: a headless server
    // must start on a machine with no display at all.
    const bool headlessAsked = argumentsAskHeadless(argc, argv);
    const bool noDisplay = !headlessAsked && !displayAvailable();
    const bool headlessBeforeParsing = headlessAsked || noDisplay;
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, headlessBeforeParsing);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const ServerCommandLine commandLine =
            ServerCommandLine::parse(QCoreApplication::arguments(), QStringLiteral(ORCHARD_VERSION));
    if (commandLine.outcome != ServerCommandLine::Outcome::Run) {
        const bool ok = commandLine.outcome == ServerCommandLine::Outcome::ExitOk;
        QTextStream &stream = ok ? out : err;
        stream << commandLine.message;
        if (!commandLine.message.endsWith(QLatin1Char('\n'))) // the config template ends its own last line
            stream << '\n';
        stream.flush();
        if (ok)
            return 0;
        return argumentsAsk(argc, argv, "--check-config") ? kExitCheckFailed : kExitSetupFailed;
    }
    if (commandLine.checkConfig)
        return checkConfiguration(commandLine, out, err);
    // A config file's "headless = true" is seen only now: with a display, the application
    // is a QApplication that simply shows no window.
    const bool headless = headlessBeforeParsing || commandLine.headless;
    if (noDisplay && !commandLine.headless)
        err << "orchard-server: no display found; running headless (events are logged to stdout)." << Qt::endl;

    const std::optional<ServerConfig> config = loadConfig(commandLine, err);
    if (!config)
        return kExitSetupFailed;
    SystemdNotifier notifier;
    return runServer(*app, commandLine, *config, openFiles, headless, notifier, out, err);
}
