#include "benchcommand.h"

#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "enginebench.h"
#include "imageloader.h"
#include "inferenceengine.h"
#include "securityoptions.h"
#include "serveraddressoptions.h"

namespace orchard {

namespace {

constexpr int kMaxClients = 10000;

QString number(double value, int decimals) { return QString::number(value, 'f', decimals); }

QString errorsText(const BenchLevelResult &result)
{
    if (result.errorsByCode.isEmpty())
        return QStringLiteral("0");
    QStringList parts;
    for (auto it = result.errorsByCode.cbegin(); it != result.errorsByCode.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    return parts.join(QStringLiteral(", "));
}

/** "0.48" (engine) or "0.62+0.06" (server+client; "?" where the server's is unknown). */
QString cpuText(const BenchLevelResult &result)
{
    if (result.completed == 0 || result.processCpuMs < 0)
        return QStringLiteral("-");
    const QString own = number(result.processCpuMs / result.completed, 3);
    if (result.target == QLatin1String("engine"))
        return own;
    const QString server = result.serverCpuMs >= 0 ? number(result.serverCpuMs / result.completed, 3) : QStringLiteral("?");
    return server + QLatin1Char('+') + own;
}

} // namespace

BenchCommand::BenchCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString BenchCommand::summary()
{
    return QStringLiteral("measure a server under closed-loop load, or the engine's ceiling");
}

bool BenchCommand::parseArguments(const QStringList &arguments, int &exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Closed-loop load on an Orchard server: for each level, N clients connect at once,\n"
        "each a real connection that waits its turn for a worker like a farmer would, and\n"
        "sends its next image only when the last was answered. Per level: images/s, latency\n"
        "p50/p95/p99/max (sent to answered, on the client), time queued for a worker\n"
        "(connect to welcome), errors by code, bytes sent.\n"
        "--engine runs the same images through the engine in this process on N threads, with\n"
        "no network: the ceiling a server is measured against.\n"
        "Exit status: 0 no errors, 1 some requests failed, 2 bad options or nothing answered."));
    parser.addHelpOption();
    const ServerAddressOptions address;
    parser.addOptions(address.options());
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
        QStringLiteral("Clients (engine: threads) per level, or a sweep such as 1,2,4,8,16 (default 1)."),
        QStringLiteral("N[,N...]"), QStringLiteral("1"));
    const QCommandLineOption requestsOption(QStringLiteral("requests"),
        QStringLiteral("Requests per client per level (default 100)."), QStringLiteral("M"), QStringLiteral("100"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
        QStringLiteral("Run each level for S seconds instead of a number of requests. Clients that "
                       "are still waiting for a worker then leave and count as unserved."),
        QStringLiteral("S"));
    const QCommandLineOption imagesOption(QStringLiteral("images"),
        QStringLiteral("Image file or folder to send (repeatable; also as arguments). Default: the "
                       "sample images (%1).").arg(QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR)),
        QStringLiteral("FILE|DIR"));
    const QCommandLineOption binaryOption(QStringLiteral("binary"),
        QStringLiteral("Require raw image bodies (fail if the server does not offer them). Binary "
                       "is already what an Orchard server gets when it offers it."));
    const QCommandLineOption base64Option(QStringLiteral("base64"),
        QStringLiteral("Send base64 JSON bodies even if the server offers binary."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("One JSON object per level."));
    const QCommandLineOption engineOption(QStringLiteral("engine"),
        QStringLiteral("Run the engine in this process instead (--clients: threads)."));
    const QCommandLineOption modelOption(QStringLiteral("model"),
        QStringLiteral("--engine: the model folder (default %1).").arg(InferenceEngine::defaultModelDirectory()),
        QStringLiteral("DIR"));
    const QCommandLineOption intraOpOption(QStringLiteral("intra-op-threads"),
        QStringLiteral("--engine: LibTorch threads per forward pass (default 1, as the server)."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption legacyOption(QStringLiteral("legacy-server"),
        QStringLiteral("The server is the original Python design (bench/reference/seed_server.py): "
                       "it never says welcome, so a connection is ready once TCP is up, and images "
                       "go as base64 text. An Orchard server that stays silent is reported as "
                       "NO_WELCOME after 5 s."));
    const QCommandLineOption topKOption(QStringLiteral("top-k"),
        QStringLiteral("Labels per answer (default 3)."), QStringLiteral("K"), QStringLiteral("3"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
        QStringLiteral("Requests on one connection (engine: one thread) before the first level, "
                       "not measured (default 10)."),
        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption labelOption(QStringLiteral("label"),
        QStringLiteral("A name for this run, copied into every JSON object (e.g. the workload)."),
        QStringLiteral("TEXT"));
    const QCommandLineOption timeoutOption(QStringLiteral("level-timeout"),
        QStringLiteral("Give up on a level after S seconds (default 600)."), QStringLiteral("S"),
        QStringLiteral("600"));
    const QCommandLineOption serverPidOption(QStringLiteral("server-pid"),
        QStringLiteral("The server's process id, when it runs on this machine: its CPU time per "
                       "image is reported beside the clients' (Linux /proc)."),
        QStringLiteral("PID"));
    parser.addOptions({ clientsOption, requestsOption, durationOption, imagesOption,
                        binaryOption, base64Option, jsonOption, engineOption, modelOption, intraOpOption,
                        legacyOption, topKOption, warmupOption, labelOption, timeoutOption, serverPidOption });
    const SecurityOptions security;
    parser.addOptions(security.options());
    parser.addPositionalArgument(name(), summary(), name());
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("More image files or folders."),
                                 QStringLiteral("[FILE|DIR...]"));

    exitCode = Failed;
    auto usage = [this](const QString &sentence) {
        m_err << "orchard-cli bench: " << sentence << "\n";
        return false;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        m_out << parser.helpText();
        exitCode = Success;
        return false;
    }
    QString error;
    const auto levels = parseLevels(parser.value(clientsOption), kMaxClients, &error);
    if (!levels)
        return usage(QStringLiteral("--clients: %1").arg(error));
    m_levels = *levels;
    bool ok = false;
    m_requests = parser.value(requestsOption).toInt(&ok);
    if (!ok || m_requests < 1)
        return usage(QStringLiteral("--requests needs a whole number of at least 1"));
    if (parser.isSet(durationOption)) {
        if (parser.isSet(requestsOption))
            return usage(QStringLiteral("--requests and --duration exclude each other"));
        m_duration = parser.value(durationOption).toDouble(&ok);
        if (!ok || m_duration <= 0)
            return usage(QStringLiteral("--duration needs a number of seconds above 0"));
        m_requests = 0;
    }
    m_warmup = parser.value(warmupOption).toInt(&ok);
    if (!ok || m_warmup < 0)
        return usage(QStringLiteral("--warmup needs a whole number of at least 0"));
    m_topK = parser.value(topKOption).toInt(&ok);
    if (!ok || m_topK < 1)
        return usage(QStringLiteral("--top-k needs a whole number of at least 1"));
    m_levelTimeoutSeconds = parser.value(timeoutOption).toInt(&ok);
    if (!ok || m_levelTimeoutSeconds < 1)
        return usage(QStringLiteral("--level-timeout needs a whole number of seconds of at least 1"));
    if (!address.read(parser, m_host, m_port, error))
        return usage(error);
    m_json = parser.isSet(jsonOption);
    m_requireBinary = parser.isSet(binaryOption);
    if (parser.isSet(base64Option))
        m_bodyForm = BenchConnection::BodyForm::Base64;
    if (m_requireBinary && parser.isSet(base64Option))
        return usage(QStringLiteral("--binary and --base64 exclude each other"));
    m_engine = parser.isSet(engineOption);
    m_legacy = parser.isSet(legacyOption);
    if (m_engine && m_legacy)
        return usage(QStringLiteral("--engine and --legacy-server exclude each other"));
    if (m_legacy && m_requireBinary)
        return usage(QStringLiteral("an original server (--legacy-server) takes base64 text only; leave out --binary"));
    m_modelDirectory = parser.isSet(modelOption) ? parser.value(modelOption) : InferenceEngine::defaultModelDirectory();
    m_intraOpThreads = parser.value(intraOpOption).toInt(&ok);
    if (!ok || m_intraOpThreads < 1)
        return usage(QStringLiteral("--intra-op-threads needs a whole number of at least 1"));
    m_label = parser.value(labelOption);
    if (!security.read(parser, m_tls, error))
        return usage(error);
    if (m_legacy && m_tls.enabled)
        return usage(QStringLiteral("an original server (--legacy-server) has no TLS"));
    if (parser.isSet(serverPidOption)) {
        m_serverPid = parser.value(serverPidOption).toLongLong(&ok);
        if (!ok || m_serverPid < 1)
            return usage(QStringLiteral("--server-pid needs a process id"));
    }

    QStringList paths = parser.values(imagesOption);
    QStringList positional = parser.positionalArguments();
    positional.removeFirst(); // "bench" itself
    paths += positional;
    if (paths.isEmpty())
        paths << QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR);
    if (!loadImages(paths))
        return false;
    exitCode = Success;
    return true;
}

bool BenchCommand::loadImages(const QStringList &paths)
{
    // Read once, up front: the benchmark measures the server, not this computer's disk.
    for (const QString &path : paths) {
        const QStringList files = ImageLoader::expand({ path });
        if (files.isEmpty()) {
            m_err << "orchard-cli bench: no image files in " << path << "\n";
            return false;
        }
        for (const QString &file : files) {
            QFile input(file);
            if (!input.open(QIODevice::ReadOnly)) {
                m_err << "orchard-cli bench: cannot open " << file << ": " << input.errorString() << "\n";
                return false;
            }
            m_images.append({ QFileInfo(file).fileName(), input.readAll() });
            m_imageBytes += m_images.constLast().bytes.size();
        }
    }
    return true;
}

int BenchCommand::run(const QStringList &arguments)
{
    int exitCode = Success;
    if (!parseArguments(arguments, exitCode)) {
        m_out.flush();
        m_err.flush();
        return exitCode;
    }
    exitCode = m_engine ? runEngine() : runServer();
    m_out.flush();
    m_err.flush();
    return exitCode;
}

int BenchCommand::runEngine()
{
    InferenceEngine::configureThreads(m_intraOpThreads);
    const auto engine = InferenceEngine::load(m_modelDirectory);
    if (!engine) {
        m_err << "orchard-cli bench: cannot load the model: " << engine.error().message << "\n";
        return Failed;
    }
    const QString description = QStringLiteral("engine in-process, model %1%2, %3 intra-op thread%4")
                                        .arg((*engine)->manifest().name,
                                             (*engine)->isOptimized() ? QStringLiteral(" (optimised)") : QString())
                                        .arg(m_intraOpThreads)
                                        .arg(m_intraOpThreads == 1 ? "" : "s");
    printHeader(description);
    if (m_warmup > 0) {
        EngineLevelOptions warmup;
        warmup.threads = 1;
        warmup.requestsPerThread = m_warmup;
        warmup.topK = m_topK;
        warmup.images = m_images;
        runEngineLevel(**engine, warmup);
    }
    int exitCode = Success;
    for (const int threads : std::as_const(m_levels)) {
        EngineLevelOptions options;
        options.threads = threads;
        options.requestsPerThread = m_requests;
        options.durationSeconds = m_duration;
        options.topK = m_topK;
        options.images = m_images;
        const BenchLevelResult result = runEngineLevel(**engine, options);
        printLevel(result, (*engine)->manifest().name, threads);
        if (result.failed > 0)
            exitCode = SomeRequestsFailed;
    }
    return exitCode;
}

int BenchCommand::runServer()
{
    LoadGenerator generator;
    LoadLevelOptions options;
    options.host = m_host;
    options.port = m_port;
    options.legacyServer = m_legacy;
    options.bodyForm = m_bodyForm;
    options.topK = m_topK;
    options.images = m_images;
    options.levelTimeoutMs = m_levelTimeoutSeconds * 1000;
    options.serverPid = m_serverPid;
    options.tls = m_tls;
    options.accessToken = SecurityOptions::accessToken();

    // The warm-up also says what the server is before the first line is printed.
    options.clients = 1;
    options.requestsPerClient = std::max(1, m_warmup);
    const BenchLevelResult warmup = generator.run(options);
    if (warmup.completed == 0) {
        m_err << "orchard-cli bench: no answer from " << m_host << ":" << m_port << " ("
              << errorsText(warmup) << ")";
        if (!generator.lastConnectionProblem().isEmpty())
            m_err << ": " << generator.lastConnectionProblem();
        if (warmup.errorsByCode.contains(QStringLiteral("NO_WELCOME")))
            m_err << "; an original server never says welcome: add --legacy-server";
        m_err << "\n";
        return Failed;
    }
    if (m_requireBinary && warmup.bodyForm != QLatin1String("binary")) {
        m_err << "orchard-cli bench: the server at " << m_host << ":" << m_port
              << " does not accept binary image bodies; leave out --binary\n";
        return Failed;
    }
    const QString server = generator.serverDescription();
    const int workers = generator.serverWorkers();
    printHeader(QStringLiteral("%1 at %2:%3, %4 bodies%5")
                        .arg(server, m_host)
                        .arg(m_port)
                        .arg(warmup.bodyForm)
                        .arg(workers > 0 ? QStringLiteral(", %1 workers").arg(workers) : QString()));

    int exitCode = Success;
    for (const int clients : std::as_const(m_levels)) {
        options.clients = clients;
        options.requestsPerClient = m_requests;
        options.durationSeconds = m_duration;
        const BenchLevelResult result = generator.run(options);
        printLevel(result, server, std::max(workers, generator.serverWorkers()));
        if (result.failed > 0)
            exitCode = SomeRequestsFailed;
    }
    return exitCode;
}

void BenchCommand::printHeader(const QString &what)
{
    if (m_json)
        return;
    m_out << "bench: " << what << "\n"
          << "       " << m_images.size() << " image" << (m_images.size() == 1 ? "" : "s") << " ("
          << number(m_imageBytes / 1024.0 / std::max<qsizetype>(1, m_images.size()), 1) << " KiB on average), "
          << (m_requests > 0 ? QStringLiteral("%1 requests per %2").arg(m_requests).arg(m_engine ? "thread" : "client")
                             : QStringLiteral("%1 s per level").arg(m_duration))
          << "\n\n";
    m_out << QString::fromLatin1(m_engine ? "THREADS" : "CLIENTS").rightJustified(7) << "  "
          << QStringLiteral("IMAGES/S").rightJustified(9) << "  " << QStringLiteral("P50 MS").rightJustified(8) << "  "
          << QStringLiteral("P95 MS").rightJustified(8) << "  " << QStringLiteral("P99 MS").rightJustified(8) << "  "
          << QStringLiteral("MAX MS").rightJustified(8) << "  " << QStringLiteral("QUEUED P50 MS").rightJustified(13)
          << "  " << QStringLiteral("QUEUED MAX MS").rightJustified(13) << "  "
          << QStringLiteral("SENT/IMAGE").rightJustified(10) << "  "
          << (m_engine ? QStringLiteral("CPU MS/IMAGE") : QStringLiteral("CPU MS/IMAGE SERVER+CLIENT")) << "  ERRORS\n";
    m_out.flush();
}

void BenchCommand::printLevel(const BenchLevelResult &result, const QString &server, int workers)
{
    if (m_json) {
        QJsonObject object = result.toJson();
        if (!m_label.isEmpty())
            object.insert(QStringLiteral("label"), m_label);
        object.insert(QStringLiteral("server"), server);
        object.insert(QStringLiteral("workers"), workers);
        object.insert(QStringLiteral("images"), static_cast<int>(m_images.size()));
        object.insert(QStringLiteral("image_bytes"), m_imageBytes);
        m_out << QJsonDocument(object).toJson(QJsonDocument::Compact) << "\n";
        m_out.flush();
        return;
    }
    const auto queued = [&](double value) {
        return result.queueMeasured ? number(value, 1) : QStringLiteral("n/a");
    };
    m_out << QString::number(result.clients).rightJustified(7) << "  "
          << number(result.imagesPerSecond, 1).rightJustified(9) << "  "
          << number(result.latencyMs.p50, 2).rightJustified(8) << "  "
          << number(result.latencyMs.p95, 2).rightJustified(8) << "  "
          << number(result.latencyMs.p99, 2).rightJustified(8) << "  "
          << number(result.latencyMs.max, 2).rightJustified(8) << "  "
          << queued(result.queuedMs.p50).rightJustified(13) << "  " << queued(result.queuedMs.max).rightJustified(13)
          << "  " << (result.target == QLatin1String("engine") ? QStringLiteral("-") : QStringLiteral("%1 B").arg(qRound64(result.bytesPerImage())))
                             .rightJustified(10)
          << "  " << cpuText(result).rightJustified(m_engine ? 12 : 26) << "  " << errorsText(result);
    if (result.unserved > 0)
        m_out << " (" << result.unserved << " never served)";
    m_out << "\n";
    m_out.flush();
}

} // namespace orchard
