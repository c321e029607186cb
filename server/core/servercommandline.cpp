#include "server/core/servercommandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include "server/core/serverconfigfile.h"

namespace orchard {

namespace {

constexpr qint64 kMiB = 1024 * 1024;

/** Reads a whole number option within [min, max]; sets error (naming the option) if not. */
bool readNumber(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max,
                qint64 *value, QString *error)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 number = parser.value(name).toLongLong(&ok);
    if (!ok || number < min || number > max) {
        *error = QStringLiteral("--%1 must be a whole number from %2 to %3, not \"%4\".")
                         .arg(name)
                         .arg(min)
                         .arg(max)
                         .arg(parser.value(name));
        return false;
    }
    *value = number;
    return true;
}

/**
 * Every setting of the server, in --help's order: the command line's options, and the
 * config file's keys (their names without "--"). describeThisMachine: false for text
 * shipped to other machines (the config template), which must not quote this one's memory.
 */
QList<QCommandLineOption> serverOptions(bool describeThisMachine)
{
    return {
            { QStringLiteral("headless"),
              QStringLiteral("No monitor window: log one line per event to stdout.") },
            { QStringLiteral("host"), QStringLiteral("Address to listen on (default 0.0.0.0)."),
              QStringLiteral("addr") },
            { QStringLiteral("port"), QStringLiteral("TCP port (default 5050; 0 picks a free one and prints it)."),
              QStringLiteral("n") },
            { QStringLiteral("http-port"),
              QStringLiteral("Serve /health/live, /health/ready and Prometheus /metrics over HTTP on this "
                             "port (default: off; 0 turns it off)."),
              QStringLiteral("n") },
            { QStringLiteral("http-host"),
              QStringLiteral("Address of the HTTP port (default 127.0.0.1: this machine only, since it "
                             "asks for no token)."),
              QStringLiteral("addr") },
            { QStringLiteral("agent-port"),
              QStringLiteral("Answer HAProxy's agent check on this port, on --http-host: the free share of the "
                             "workers (\"up 60%\"), \"drain\" while draining, \"down\" with no model (default: off)."),
              QStringLiteral("n") },
            { QStringLiteral("proxy-protocol"),
              QStringLiteral("Connections from --trusted-proxies begin with a PROXY protocol header (v1 or v2, "
                             "HAProxy's send-proxy-v2) naming the real client, which the log and the monitor "
                             "show; one without it is refused.") },
            { QStringLiteral("trusted-proxies"),
              QStringLiteral("Addresses or subnets of the load balancers that send PROXY headers, "
                             "comma-separated (e.g. 10.0.0.5,10.0.1.0/24); needs --proxy-protocol."),
              QStringLiteral("list") },
            { QStringLiteral("drain-seconds"),
              QStringLiteral("On SIGTERM (with --http-port or --agent-port) or POST /admin/drain, report not "
                             "ready (/health/ready 503, agent \"drain\") for this long while serving, so balancers "
                             "send new clients elsewhere; then shut down gracefully (default 5; 0: at once)."),
              QStringLiteral("s") },
            { QStringLiteral("threads"), QStringLiteral("Workers: sessions served at once (default 5)."),
              QStringLiteral("n") },
            { QStringLiteral("model-repository"),
              QStringLiteral("Model repository: REPO/<name>/<version>/ folders, each model's versions chosen by "
                             "REPO/<name>/config.json (default: the installed or bundled models folder)."),
              QStringLiteral("dir") },
            { QStringLiteral("model"),
              QStringLiteral("Serve this one model folder (model.pt, model.json) instead of a repository."),
              QStringLiteral("dir") },
            { QStringLiteral("model-control"),
              QStringLiteral("When models change while serving: none (never), poll (the repository is scanned "
                             "every --repository-poll-secs) or explicit (on SIGHUP, the monitor's Reload and the "
                             "HTTP port's load and unload; the default)."),
              QStringLiteral("mode") },
            { QStringLiteral("repository-poll-secs"),
              QStringLiteral("Seconds between scans of the repository with --model-control poll (default 15)."),
              QStringLiteral("s") },
            { QStringLiteral("admin-labels"),
              QStringLiteral("Token labels (comma-separated) allowed to load and unload models, and to drain the "
                             "server, over the HTTP port when --token-file is set (default: none, so nobody may)."),
              QStringLiteral("list") },
            { QStringLiteral("max-queued"),
              QStringLiteral("Connections that may wait for a worker; the next gets BUSY (default 64)."),
              QStringLiteral("n") },
            { QStringLiteral("read-timeout"),
              QStringLiteral("Seconds to complete a message once its first byte arrived (default 30)."),
              QStringLiteral("s") },
            { QStringLiteral("idle-timeout"),
              QStringLiteral("Seconds a connection may stay silent between messages (default 600)."),
              QStringLiteral("s") },
            { QStringLiteral("write-timeout"),
              QStringLiteral("Seconds a reply may take to leave before the client counts as gone (default 30)."),
              QStringLiteral("s") },
            { QStringLiteral("max-client-message"),
              QStringLiteral("Largest CLIENT_MESSAGE (text: offline, ping, info, auth), in bytes (default 65536)."),
              QStringLiteral("bytes") },
            { QStringLiteral("max-msg-len"),
              QStringLiteral("Largest message body accepted, in bytes (default 33554432 = 32 MiB)."),
              QStringLiteral("bytes") },
            { QStringLiteral("max-pixels"),
              QStringLiteral("Largest image accepted, in pixels, checked before decoding (default 40000000)."),
              QStringLiteral("n") },
            { QStringLiteral("image-formats"),
              QStringLiteral("Image formats decoded, comma-separated from jpeg, png, webp, bmp, tiff, pnm, "
                             "sunraster, or all (default %1).")
                      .arg(ImageFormatSet::serverDefault().toOptionValue()),
              QStringLiteral("list") },
            { QStringLiteral("decode-memory-mb"),
              // A quarter of the machine's memory: see DecodeBudget::defaultCapacity().
              QStringLiteral("Memory all workers together may use to decode images, in MiB; a request "
                             "over what is left waits its turn (default: a quarter of this machine's "
                             "memory%1).")
                      .arg(describeThisMachine ? QStringLiteral(", %1").arg(DecodeBudget::defaultCapacity() / kMiB)
                                               : QString()),
              QStringLiteral("MiB") },
            { QStringLiteral("intra-op-threads"),
              QStringLiteral("LibTorch threads per forward pass (default 1; inference threads x this should "
                             "match the cores)."),
              QStringLiteral("n") },
            { QStringLiteral("inference-threads"),
              QStringLiteral("Threads that run the models' forward passes, whatever --threads is (default: the "
                             "cores / --intra-op-threads%1).")
                      .arg(describeThisMachine ? QStringLiteral(", %1 here").arg(ServerConfig::defaultInferenceThreads(1))
                                               : QString()),
              QStringLiteral("n") },
            { QStringLiteral("max-batch"),
              QStringLiteral("Images of one model per forward pass at most (default 8; a model's config.json may say "
                             "max_batch_size; 1: no batching)."),
              QStringLiteral("n") },
            { QStringLiteral("batch-delay-us"),
              QStringLiteral("Microseconds a forward pass may wait for its batch to fill (default 0: take what is "
                             "waiting, never wait)."),
              QStringLiteral("us") },
            { QStringLiteral("log-file"),
              QStringLiteral("Also append every event line to this file (reopened on SIGHUP, for logrotate)."),
              QStringLiteral("path") },
            { QStringLiteral("log-format"),
              QStringLiteral("Event lines as text (one line for people, the default) or json (one JSON object "
                             "per line, for journald or Loki)."),
              QStringLiteral("format") },
            { QStringLiteral("tls-cert"), QStringLiteral("Serve TLS (1.2 or later) with this PEM certificate (needs --tls-key)."),
              QStringLiteral("path") },
            { QStringLiteral("tls-key"), QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("path") },
            { QStringLiteral("token-file"),
              QStringLiteral("Only clients with a token from this file may connect; one \"<label> <token>\" per line "
                             "(read again on SIGHUP)."),
              QStringLiteral("path") },
    };
}

/** The options that are not settings: what to do with them, not how to serve. */
const QString kConfigOption = QStringLiteral("config");
const QString kCheckConfigOption = QStringLiteral("check-config");
const QString kPrintTemplateOption = QStringLiteral("print-config-template");

void addServerOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
            "Orchard server: diagnoses leaf photos sent by Orchard clients.\n"
            "Each connection is served by one worker; when all are busy, connections wait "
            "and are told their place in line."));
    parser.addOptions(serverOptions(true));
    parser.addOptions({
            { kConfigOption,
              QStringLiteral("Read settings from this file first: \"key = value\" lines, the keys being these "
                             "options without \"--\"; the command line overrides it."),
              QStringLiteral("file") },
            { kCheckConfigOption,
              QStringLiteral("Check the settings, the model, the token file and the TLS files, say what was "
                             "checked, and exit (0: all good, 1: not) without serving.") },
            { kPrintTemplateOption,
              QStringLiteral("Print a config file with every setting commented out and explained, and exit.") },
    });
}

/** The numeric options into config; false with error (naming the option) at the first bad one. */
bool readNumbers(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    qint64 port = config->port, workers = config->workers, maxQueued = config->maxQueued;
    qint64 readSeconds = config->readTimeout.count() / 1000;
    qint64 idleSeconds = config->idleTimeout.count() / 1000;
    qint64 writeSeconds = config->writeTimeout.count() / 1000;
    qint64 maxText = config->maxClientMessageLength;
    qint64 maxMessage = config->maxMessageLength, maxPixels = config->maxPixels;
    qint64 intraOp = config->intraOpThreads;
    qint64 inferenceThreads = config->inferenceThreads, maxBatch = config->maxBatch;
    qint64 batchDelay = config->batchDelay.count();
    const bool valid = readNumber(parser, QStringLiteral("port"), 0, 65535, &port, error)
            && readNumber(parser, QStringLiteral("threads"), 1, 256, &workers, error)
            && readNumber(parser, QStringLiteral("max-queued"), 0, 100000, &maxQueued, error)
            && readNumber(parser, QStringLiteral("read-timeout"), 1, 86400, &readSeconds, error)
            && readNumber(parser, QStringLiteral("idle-timeout"), 1, 604800, &idleSeconds, error)
            && readNumber(parser, QStringLiteral("write-timeout"), 1, 86400, &writeSeconds, error)
            // 128 bytes: room for the longest action a client sends ({"action":"auth",…}).
            && readNumber(parser, QStringLiteral("max-client-message"), 128, qint64(1) << 24, &maxText, error)
            && readNumber(parser, QStringLiteral("max-msg-len"), 1, qint64(1) << 32, &maxMessage, error)
            && readNumber(parser, QStringLiteral("max-pixels"), 1, qint64(1) << 34, &maxPixels, error)
            && readNumber(parser, QStringLiteral("intra-op-threads"), 1, 256, &intraOp, error)
            && readNumber(parser, QStringLiteral("inference-threads"), 1, 256, &inferenceThreads, error)
            && readNumber(parser, QStringLiteral("max-batch"), 1, 1024, &maxBatch, error)
            // A second at most: beyond that a batch would wait longer than any farmer should.
            && readNumber(parser, QStringLiteral("batch-delay-us"), 0, 1'000'000, &batchDelay, error);
    if (!valid)
        return false;
    config->port = static_cast<quint16>(port);
    config->workers = static_cast<int>(workers);
    config->maxQueued = static_cast<int>(maxQueued);
    config->readTimeout = std::chrono::seconds(readSeconds);
    config->idleTimeout = std::chrono::seconds(idleSeconds);
    config->writeTimeout = std::chrono::seconds(writeSeconds);
    config->maxClientMessageLength = maxText;
    config->maxMessageLength = maxMessage;
    config->maxPixels = maxPixels;
    config->intraOpThreads = static_cast<int>(intraOp);
    // Unset: sized to the cores for the intra-op threads chosen (ServerConfig::inferenceThreads).
    config->inferenceThreads = parser.isSet(QStringLiteral("inference-threads")) ? static_cast<int>(inferenceThreads) : 0;
    config->maxBatch = static_cast<int>(maxBatch);
    config->batchDelay = std::chrono::microseconds(batchDelay);
    return true;
}

/** --image-formats and --decode-memory-mb into config; false with error (naming the option) if bad. */
bool readDecoding(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    if (parser.isSet(QStringLiteral("image-formats"))) {
        QString why;
        const std::optional<ImageFormatSet> formats =
                ImageFormatSet::parse(parser.value(QStringLiteral("image-formats")), &why);
        if (!formats || formats->isEmpty()) {
            *error = QStringLiteral("--image-formats: %1.").arg(formats ? QStringLiteral("no format given") : why);
            return false;
        }
        config->imageFormats = *formats;
    }
    qint64 decodeMemory = 0;
    if (!readNumber(parser, QStringLiteral("decode-memory-mb"), 16, qint64(1) << 22, &decodeMemory, error))
        return false;
    if (decodeMemory > 0)
        config->decodeBudget = std::make_shared<DecodeBudget>(decodeMemory * kMiB);
    return true;
}

/** The model options into config; false with error (naming the option) if bad. */
bool readModels(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    config->modelDirectory = parser.value(QStringLiteral("model"));
    config->modelRepository = parser.value(QStringLiteral("model-repository"));
    if (parser.isSet(QStringLiteral("model-control"))) {
        const QString mode = parser.value(QStringLiteral("model-control"));
        const std::optional<ModelControl> control = modelControlFromName(mode);
        if (!control) {
            *error = QStringLiteral("--model-control must be none, poll or explicit, not \"%1\".").arg(mode);
            return false;
        }
        config->modelControl = *control;
    }
    qint64 pollSeconds = config->repositoryPollInterval.count();
    if (!readNumber(parser, QStringLiteral("repository-poll-secs"), 1, 86400, &pollSeconds, error))
        return false;
    config->repositoryPollInterval = std::chrono::seconds(pollSeconds);
    if (parser.isSet(QStringLiteral("admin-labels"))) {
        config->adminLabels.clear();
        for (const QString &label : parser.value(QStringLiteral("admin-labels")).split(u',', Qt::SkipEmptyParts))
            config->adminLabels.append(label.trimmed());
    }
    return true;
}

/** The options of running behind a load balancer into config; false with error (naming the option) if bad. */
bool readBalancing(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    qint64 agentPort = 0;
    qint64 drainSeconds = config->drainTime.count();
    if (!readNumber(parser, QStringLiteral("agent-port"), 0, 65535, &agentPort, error)
        || !readNumber(parser, QStringLiteral("drain-seconds"), 0, 3600, &drainSeconds, error))
        return false;
    // 0 turns it off, as for --http-port.
    if (parser.isSet(QStringLiteral("agent-port")))
        config->agentPort = agentPort > 0 ? std::optional<quint16>(static_cast<quint16>(agentPort)) : std::nullopt;
    config->drainTime = std::chrono::seconds(drainSeconds);
    config->proxyProtocol = parser.isSet(QStringLiteral("proxy-protocol"));
    if (parser.isSet(QStringLiteral("trusted-proxies"))) {
        config->trustedProxies.clear();
        for (QString item : parser.value(QStringLiteral("trusted-proxies")).split(u',', Qt::SkipEmptyParts)) {
            item = item.trimmed();
            // A bare address is a subnet of one: parseSubnet() would take "10.0.0.5" as 10.0.0.5/8.
            QPair<QHostAddress, int> subnet;
            if (item.contains(u'/')) {
                subnet = QHostAddress::parseSubnet(item);
            } else if (subnet.first.setAddress(item)) {
                subnet.second = subnet.first.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
            }
            if (subnet.first.isNull() || subnet.second < 0) {
                *error = QStringLiteral("--trusted-proxies takes IP addresses or subnets such as 10.0.0.5 or "
                                        "10.0.1.0/24, comma-separated; \"%1\" is neither.")
                                 .arg(item);
                return false;
            }
            config->trustedProxies.append(subnet);
        }
    }
    return true;
}

/** --http-port and --http-host into config; false with error (naming the option) if bad. */
bool readHttp(const QCommandLineParser &parser, ServerConfig *config, QString *error)
{
    qint64 port = 0;
    if (!readNumber(parser, QStringLiteral("http-port"), 0, 65535, &port, error))
        return false;
    // 0 is "off", not "any free port" as for --port: it lets a command line turn off the
    // port a config file turns on, and nobody could find a port picked at random.
    if (parser.isSet(QStringLiteral("http-port")))
        config->httpPort = port > 0 ? std::optional<quint16>(static_cast<quint16>(port)) : std::nullopt;
    const QString host = parser.value(QStringLiteral("http-host"));
    if (parser.isSet(QStringLiteral("http-host")) && !config->httpHost.setAddress(host)) {
        *error = QStringLiteral("--http-host must be an IP address such as 127.0.0.1 or 0.0.0.0, not \"%1\".")
                         .arg(host);
        return false;
    }
    return true;
}

ServerCommandLine exitWith(ServerCommandLine::Outcome outcome, const QString &message)
{
    ServerCommandLine result;
    result.outcome = outcome;
    result.message = message;
    return result;
}

/**
 * The arguments into a ServerCommandLine, each option checked on its own (the config file's
 * settings go through here one by one, so a bad value is told with its line). What needs
 * two options together is parse()'s.
 */
ServerCommandLine parseArguments(const QStringList &arguments, const QString &version)
{
    using Outcome = ServerCommandLine::Outcome;
    QCommandLineParser parser;
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    addServerOptions(parser);

    if (!parser.parse(arguments))
        return exitWith(Outcome::ExitError, parser.errorText());
    if (parser.isSet(help))
        return exitWith(Outcome::ExitOk, parser.helpText());
    if (parser.isSet(versionOption))
        return exitWith(Outcome::ExitOk, QStringLiteral("orchard-server %1").arg(version));
    if (!parser.positionalArguments().isEmpty()) {
        return exitWith(Outcome::ExitError, QStringLiteral("Unexpected argument \"%1\"; see --help.")
                                                    .arg(parser.positionalArguments().constFirst()));
    }

    if (parser.isSet(kPrintTemplateOption))
        return exitWith(Outcome::ExitOk, ServerCommandLine::configTemplate());

    ServerCommandLine result;
    result.headless = parser.isSet(QStringLiteral("headless"));
    result.logFile = parser.value(QStringLiteral("log-file"));
    if (parser.isSet(QStringLiteral("log-format"))) {
        const QString format = parser.value(QStringLiteral("log-format"));
        if (format != QLatin1String("text") && format != QLatin1String("json")) {
            return exitWith(Outcome::ExitError,
                            QStringLiteral("--log-format must be text or json, not \"%1\".").arg(format));
        }
        result.logFormat = format == QLatin1String("json") ? LogFormat::Json : LogFormat::Text;
    }
    result.tokenFile = parser.value(QStringLiteral("token-file"));
    result.tlsCertificate = parser.value(QStringLiteral("tls-cert"));
    result.tlsKey = parser.value(QStringLiteral("tls-key"));
    result.configFile = parser.value(kConfigOption);
    result.checkConfig = parser.isSet(kCheckConfigOption);
    ServerConfig &config = result.config;
    if (parser.isSet(QStringLiteral("host")) && !config.host.setAddress(parser.value(QStringLiteral("host")))) {
        return exitWith(Outcome::ExitError,
                        QStringLiteral("--host must be an IP address such as 0.0.0.0 or 127.0.0.1, not \"%1\".")
                                .arg(parser.value(QStringLiteral("host"))));
    }
    QString error;
    if (!readNumbers(parser, &config, &error) || !readDecoding(parser, &config, &error)
        || !readHttp(parser, &config, &error) || !readModels(parser, &config, &error)
        || !readBalancing(parser, &config, &error))
        return exitWith(Outcome::ExitError, error);
    return result;
}

/** "# text" lines of at most kTemplateWidth characters: an option's --help text in the template. */
constexpr int kTemplateWidth = 88;

QString commentLines(const QString &text)
{
    QString lines;
    QString line = QStringLiteral("#");
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (line.size() > 1 && line.size() + 1 + word.size() > kTemplateWidth) {
            lines += line + QLatin1Char('\n');
            line = QStringLiteral("#");
        }
        line += QLatin1Char(' ') + word;
    }
    return lines + line + QLatin1Char('\n');
}

} // namespace

ServerCommandLine ServerCommandLine::parse(const QStringList &arguments, const QString &version)
{
    ServerCommandLine commandLine = parseArguments(arguments, version);
    if (commandLine.outcome == Outcome::Run && !commandLine.configFile.isEmpty()) {
        const Expected<ServerConfigFile, QString> file =
                ServerConfigFile::read(commandLine.configFile, serverOptions(true));
        if (!file)
            return exitWith(Outcome::ExitError, file.error());
        const QString program = arguments.value(0, QStringLiteral("orchard-server"));
        for (const ServerConfigFile::Setting &setting : file->settings()) {
            if (setting.argument.isEmpty()) // a switch set to false: nothing to check
                continue;
            const ServerCommandLine alone = parseArguments({ program, setting.argument }, version);
            if (alone.outcome == Outcome::ExitError) {
                return exitWith(Outcome::ExitError,
                                QStringLiteral("%1 line %2: %3").arg(file->path()).arg(setting.line).arg(alone.message));
            }
        }
        // The file's settings first: QCommandLineParser keeps an option's last value, so
        // the command line's own win.
        const QString configFile = commandLine.configFile;
        commandLine = parseArguments(QStringList { program } + file->arguments() + arguments.mid(1), version);
        commandLine.configFile = configFile;
        commandLine.configSettings = static_cast<int>(file->settings().size());
    }
    if (commandLine.outcome != Outcome::Run)
        return commandLine;
    if (commandLine.tlsCertificate.isEmpty() != commandLine.tlsKey.isEmpty()) {
        return exitWith(Outcome::ExitError,
                        QStringLiteral("--tls-cert and --tls-key go together: give both, or neither%1.")
                                .arg(commandLine.configFile.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (in %1 or on the command line)").arg(commandLine.configFile)));
    }
    const ServerConfig &config = commandLine.config;
    if (config.proxyProtocol != !config.trustedProxies.isEmpty()) {
        // Trusting every address would let anyone claim any address; trusting none, nobody.
        return exitWith(Outcome::ExitError,
                        config.proxyProtocol
                                ? QStringLiteral("--proxy-protocol needs --trusted-proxies: the addresses of the "
                                                 "balancers whose PROXY headers are believed.")
                                : QStringLiteral("--trusted-proxies needs --proxy-protocol."));
    }
    return commandLine;
}

QStringList ServerCommandLine::settingNames()
{
    QStringList names;
    for (const QCommandLineOption &option : serverOptions(false))
        names << option.names().constLast();
    return names;
}

QString ServerCommandLine::configTemplate()
{
    QString text = QStringLiteral(
            "# orchard-server configuration (orchard-server --config FILE).\n"
            "#\n"
            "# One \"key = value\" per line; the keys are orchard-server's options without \"--\"\n"
            "# (orchard-server --help). \"#\" begins a comment. A switch takes true or false. An option\n"
            "# given on the command line overrides this file. A relative path is taken from this\n"
            "# file's folder, unless systemd hands the service a credential of that name\n"
            "# (LoadCredential=NAME:PATH): then that credential. Check the file, the model and the\n"
            "# token and TLS files with: orchard-server --check-config --config FILE\n"
            "#\n"
            "# Every setting is shown commented out, with its --help text; a setting left out takes\n"
            "# the default that text gives. Made by orchard-server --print-config-template.\n");
    for (const QCommandLineOption &option : serverOptions(false)) {
        const QString key = option.names().constLast();
        text += QLatin1Char('\n') + commentLines(option.description());
        text += option.valueName().isEmpty() ? QStringLiteral("#%1 = false\n").arg(key)
                                             : QStringLiteral("#%1 = <%2>\n").arg(key, option.valueName());
    }
    return text;
}

} // namespace orchard
