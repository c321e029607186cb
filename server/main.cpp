// orchard-server: parses the command line, loads the model, starts the server, and shows
// the monitor window or logs headless. Everything else lives in orchard_server_core.
#include <csignal>
#include <cstdio>
#include <memory>

#include <QApplication>
#include <QFile>
#include <QTextStream>
#include <QTimer>

#include "accesstokens.h"
#include "tlsidentity.h"
#include "eventlogmodel.h"
#include "inferenceengine.h"
#include "monitorwindow.h"
#include "orchardserver.h"
#include "servercommandline.h"
#include "serverstats.h"
#include "sessiontablemodel.h"
#include "unixsignalwatcher.h"

using namespace orchard;

namespace {

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

} // namespace

int main(int argc, char *argv[])
{
    // The application object must be chosen before Qt parses anything: a headless server
    // must start on a machine with no display at all.
    bool headless = argumentsAsk(argc, argv, "--headless") || argumentsAsk(argc, argv, "--help")
            || argumentsAsk(argc, argv, "-h") || argumentsAsk(argc, argv, "--version");
    const bool noDisplay = !headless && !displayAvailable();
    headless = headless || noDisplay;
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("orchard-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("Orchard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ORCHARD_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const ServerCommandLine commandLine =
            ServerCommandLine::parse(QCoreApplication::arguments(), QStringLiteral(ORCHARD_VERSION));
    if (commandLine.outcome != ServerCommandLine::Outcome::Run) {
        (commandLine.outcome == ServerCommandLine::Outcome::ExitOk ? out : err)
                << commandLine.message << Qt::endl;
        return commandLine.outcome == ServerCommandLine::Outcome::ExitOk ? 0 : 2;
    }
    if (noDisplay && !commandLine.headless)
        err << "orchard-server: no display found; running headless (events are logged to stdout)." << Qt::endl;

    ServerConfig config = commandLine.config;
    if (!commandLine.tokenFile.isEmpty()) {
        auto tokens = AccessTokens::load(commandLine.tokenFile);
        if (!tokens) {
            err << "orchard-server: " << tokens.error() << Qt::endl;
            return 2;
        }
        config.accessTokens = std::make_shared<const AccessTokens>(std::move(tokens).value());
    }
    if (!commandLine.tlsCertificate.isEmpty()) {
        auto identity = TlsIdentity::load(commandLine.tlsCertificate, commandLine.tlsKey);
        if (!identity) {
            err << "orchard-server: " << identity.error() << Qt::endl;
            return 2;
        }
        config.tls = std::make_shared<const TlsIdentity>(std::move(identity).value());
    }
    InferenceEngine::configureThreads(config.intraOpThreads);
    const QString modelDirectory =
            config.modelDirectory.isEmpty() ? InferenceEngine::defaultModelDirectory() : config.modelDirectory;
    InferenceEngine::Options engineOptions;
    engineOptions.maxPixels = config.maxPixels;
    auto engine = InferenceEngine::load(modelDirectory, engineOptions);
    if (!engine) {
        err << "orchard-server: cannot load the model: " << engine.error().message << Qt::endl;
        return 2;
    }

    OrchardServer server(config, engine.value(), QStringLiteral(ORCHARD_VERSION));
    EventLogModel eventLog(server.events());
    SessionTableModel sessions(server.events());
    ServerStats stats(server.events());

    QFile logFile(commandLine.logFile);
    QTextStream logStream(&logFile);
    if (!commandLine.logFile.isEmpty() && !logFile.open(QIODevice::Append | QIODevice::Text)) {
        err << "orchard-server: cannot open the log file " << commandLine.logFile << ": "
            << logFile.errorString() << Qt::endl;
        return 2;
    }
    // Lines are flushed once per pass of the event loop, not one by one: predictions arrive
    // in batches of up to a few hundred (ServerEvents), and a write per line cost the GUI
    // thread a system call per prediction.
    bool flushScheduled = false;
    const auto flushLogs = [&] {
        flushScheduled = false;
        out.flush();
        if (logFile.isOpen())
            logStream.flush();
    };
    QObject::connect(&eventLog, &EventLogModel::entryAdded, &eventLog,
                     [&](const EventLogModel::Entry &entry) {
                         if (headless)
                             out << entry.line() << '\n';
                         if (logFile.isOpen())
                             logStream << entry.line() << '\n';
                         if (!flushScheduled) {
                             flushScheduled = true;
                             QTimer::singleShot(0, &eventLog, flushLogs);
                         }
                     });

    if (!server.start()) {
        err << "orchard-server: cannot listen on " << config.host.toString() << " port " << config.port
            << ": " << server.errorString() << Qt::endl;
        return 1;
    }
    const ModelManifest &manifest = server.engine().manifest();
    out << "Orchard server " << ORCHARD_VERSION << " listening on " << server.serverAddress().toString()
        << " port " << server.serverPort() << " (model " << manifest.name << ", " << manifest.labels.size()
        << " labels, " << config.workers << " workers)" << Qt::endl;

    if (config.tls)
        out << "TLS certificate SHA-256 fingerprint (clients pin it): " << config.tls->fingerprint << Qt::endl;
    if (!config.host.isLoopback() && (!config.accessTokens || !config.tls)) {
        err << "orchard-server: open to anyone who can reach port " << server.serverPort() << " on this network"
            << (config.accessTokens ? "" : " (no --token-file: no access tokens)")
            << (config.tls ? "" : " (no --tls-cert: traffic is not encrypted)") << "." << Qt::endl;
    }

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &server, [&](int signalNumber) {
        // A second Ctrl-C during the graceful shutdown ends the process at once.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        err << "orchard-server: signal " << signalNumber << ", shutting down gracefully" << Qt::endl;
        server.shutdown();
        QCoreApplication::processEvents(); // deliver the sessions' last events to the log
        QCoreApplication::quit();
    });

    std::unique_ptr<MonitorWindow> window;
    if (!headless) {
        window = std::make_unique<MonitorWindow>(&server, &sessions, &eventLog, &stats);
        QObject::connect(window.get(), &MonitorWindow::closed, &server, [&] {
            server.shutdown();
            QCoreApplication::processEvents();
            QCoreApplication::quit();
        });
        window->show();
    }
    return app->exec();
}
