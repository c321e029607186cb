// orchard-server: parses the command line, loads the model, starts the server, and shows
// the monitor window or logs headless. Everything else lives in orchard_server_core.
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include <QApplication>
#include <QFile>
#include <QTextStream>
#include <QTimer>

#include "common/inference/inferenceengine.h"
#include "server/core/accesstokens.h"
#include "server/core/eventlogmodel.h"
#include "server/core/orchardserver.h"
#include "server/core/servercommandline.h"
#include "server/core/serverstats.h"
#include "server/core/sessiontablemodel.h"
#include "server/core/tlsidentity.h"
#include "server/core/unixsignalwatcher.h"
#include "server/monitor/monitorwindow.h"

using namespace orchard;

namespace {

/** Exit code when the command line, a file it names or the model cannot be used. */
constexpr int kExitSetupFailed = 2;
/** Exit code when the port cannot be listened on. */
constexpr int kExitListenFailed = 1;

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
            || argumentsAsk(argc, argv, "-h") || argumentsAsk(argc, argv, "--version");
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
std::optional<ServerConfig> loadConfig(const ServerCommandLine &commandLine, QTextStream &err)
{
    ServerConfig config = commandLine.config;
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

/** Sets LibTorch's threads and loads the model; null (said on err) if it cannot be loaded. */
std::shared_ptr<const InferenceEngine> loadEngine(const ServerConfig &config, QTextStream &err)
{
    InferenceEngine::configureThreads(config.intraOpThreads);
    const QString modelDirectory =
            config.modelDirectory.isEmpty() ? InferenceEngine::defaultModelDirectory() : config.modelDirectory;
    InferenceEngine::Options engineOptions;
    engineOptions.maxPixels = config.maxPixels;
    auto engine = InferenceEngine::load(modelDirectory, engineOptions);
    if (!engine) {
        err << "orchard-server: cannot load the model: " << engine.error().message << Qt::endl;
        return nullptr;
    }
    return engine.value();
}

/**
 * Writes every event-log line to console and file (either may be null). Lines are flushed
 * once per pass of the event loop, not one by one: predictions arrive in batches of up to
 * a few hundred (ServerEvents), and a write per line cost the GUI thread a system call per
 * prediction.
 */
void echoEventLines(EventLogModel &eventLog, QTextStream *console, QTextStream *file)
{
    const auto flushScheduled = std::make_shared<bool>(false);
    const auto flush = [console, file, flushScheduled] {
        *flushScheduled = false;
        if (console)
            console->flush();
        if (file)
            file->flush();
    };
    QObject::connect(&eventLog, &EventLogModel::entryAdded, &eventLog,
                     [&eventLog, console, file, flushScheduled, flush](const EventLogModel::Entry &entry) {
                         const QString line = entry.line();
                         if (console)
                             *console << line << '\n';
                         if (file)
                             *file << line << '\n';
                         if (!*flushScheduled) {
                             *flushScheduled = true;
                             QTimer::singleShot(0, &eventLog, flush);
                         }
                     });
}

/** Where the server listens and with what; warns when it is open to the network unprotected. */
void printBanner(const OrchardServer &server, const OpenFileLimit &openFiles, QTextStream &out, QTextStream &err)
{
    const ServerConfig &config = server.config();
    const ModelManifest &manifest = server.engine().manifest();
    out << "Orchard server " << ORCHARD_VERSION << " listening on " << server.serverAddress().toString()
        << " port " << server.serverPort() << " (model " << manifest.name << ", " << manifest.labels.size()
        << " labels, " << config.workers << " workers)" << Qt::endl;
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

/** Graceful stop, then the event loop ends once the sessions' last events reached the log. */
void shutDownAndQuit(OrchardServer &server)
{
    server.shutdown();
    QCoreApplication::processEvents(); // deliver the sessions' last events to the log
    QCoreApplication::quit();
}

/**
 * Runs the loaded server until a signal (or closing the monitor window) stops it: the
 * models and the log, listening, and the window unless headless. Returns the exit code.
 */
int runServer(QCoreApplication &app, const ServerCommandLine &commandLine, const ServerConfig &config,
              std::shared_ptr<const InferenceEngine> engine, const OpenFileLimit &openFiles, bool headless,
              QTextStream &out, QTextStream &err)
{
    OrchardServer server(config, std::move(engine), QStringLiteral(ORCHARD_VERSION));
    EventLogModel eventLog(server.events());
    // The sessions table is the monitor window's own: headless nothing shows it, and with
    // 10,000 waiting it was most of the server thread's work (per event a search of its
    // rows, per closed row a timer and an erase: measured 12 % of the server's CPU while
    // a line of 10,000 drained, and stalls of 200 ms).
    std::unique_ptr<SessionTableModel> sessions;
    if (!headless)
        sessions = std::make_unique<SessionTableModel>(server.events());
    ServerStats stats(server.events());

    QFile logFile(commandLine.logFile);
    QTextStream logStream(&logFile);
    if (!commandLine.logFile.isEmpty() && !logFile.open(QIODevice::Append | QIODevice::Text)) {
        err << "orchard-server: cannot open the log file " << commandLine.logFile << ": "
            << logFile.errorString() << Qt::endl;
        return kExitSetupFailed;
    }
    echoEventLines(eventLog, headless ? &out : nullptr, logFile.isOpen() ? &logStream : nullptr);

    if (!server.start()) {
        err << "orchard-server: cannot listen on " << config.host.toString() << " port " << config.port
            << ": " << server.errorString() << Qt::endl;
        return kExitListenFailed;
    }
    printBanner(server, openFiles, out, err);

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &server, [&](int signalNumber) {
        // A second Ctrl-C during the graceful shutdown ends the process at once.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        err << "orchard-server: signal " << signalNumber << ", shutting down gracefully" << Qt::endl;
        shutDownAndQuit(server);
    });

    std::unique_ptr<MonitorWindow> window;
    if (!headless) {
        window = std::make_unique<MonitorWindow>(&server, sessions.get(), &eventLog, &stats);
        QObject::connect(window.get(), &MonitorWindow::closed, &server, [&server] { shutDownAndQuit(server); });
        window->show();
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // First, before anything holds a descriptor: the soft limit is what a crowd hits.
    const OpenFileLimit openFiles = raiseOpenFileLimit();
    // The application object must be chosen before Qt parses anything: a headless server
    // must start on a machine with no display at all.
    const bool headlessAsked = argumentsAskHeadless(argc, argv);
    const bool noDisplay = !headlessAsked && !displayAvailable();
    const bool headless = headlessAsked || noDisplay;
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, headless);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const ServerCommandLine commandLine =
            ServerCommandLine::parse(QCoreApplication::arguments(), QStringLiteral(ORCHARD_VERSION));
    if (commandLine.outcome != ServerCommandLine::Outcome::Run) {
        const bool ok = commandLine.outcome == ServerCommandLine::Outcome::ExitOk;
        (ok ? out : err) << commandLine.message << Qt::endl;
        return ok ? 0 : kExitSetupFailed;
    }
    if (noDisplay && !commandLine.headless)
        err << "orchard-server: no display found; running headless (events are logged to stdout)." << Qt::endl;

    const std::optional<ServerConfig> config = loadConfig(commandLine, err);
    if (!config)
        return kExitSetupFailed;
    std::shared_ptr<const InferenceEngine> engine = loadEngine(*config, err);
    if (!engine)
        return kExitSetupFailed;
    return runServer(*app, commandLine, *config, std::move(engine), openFiles, headless, out, err);
}
