#include "client/cli/benchcommand.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "client/bench/enginebench.h"
#include "client/cli/exitcode.h"
#include "client/cli/securityoptions.h"
#include "client/cli/serveraddressoptions.h"
#include "client/core/imageloader.h"
#include "common/inference/inferenceengine.h"

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

/** bench's command line: every option, declared once for the parser and for reading it. */
struct BenchOptionSet
{
    BenchOptionSet();
    void addTo(QCommandLineParser &parser) const;

    const ServerAddressOptions address;
    const SecurityOptions security;
    QCommandLineOption clients;
    QCommandLineOption requests;
    QCommandLineOption duration;
    QCommandLineOption images;
    QCommandLineOption binary;
    QCommandLineOption base64;
    QCommandLineOption json;
    QCommandLineOption engine;
    QCommandLineOption model;
    QCommandLineOption intraOpThreads;
    QCommandLineOption legacy;
    QCommandLineOption topK;
    QCommandLineOption warmup;
    QCommandLineOption label;
    QCommandLineOption levelTimeout;
    QCommandLineOption serverPid;
};

// One declaration per option, in --help order: long only because the help texts are.
BenchOptionSet::BenchOptionSet()
    : clients(QStringLiteral("clients"),
              QStringLiteral("Clients (engine: threads) per level, or a sweep such as 1,2,4,8,16 (default 1)."),
              QStringLiteral("N[,N...]"), QStringLiteral("1"))
    , requests(QStringLiteral("requests"), QStringLiteral("Requests per client per level (default 100)."),
               QStringLiteral("M"), QStringLiteral("100"))
    , duration(QStringLiteral("duration"),
               QStringLiteral("Run each level for S seconds instead of a number of requests. Clients that "
                              "are still waiting for a worker then leave and count as unserved."),
               QStringLiteral("S"))
    , images(QStringLiteral("images"),
             QStringLiteral("Image file or folder to send (repeatable; also as arguments). Default: the "
                            "sample images (%1).").arg(QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR)),
             QStringLiteral("FILE|DIR"))
    , binary(QStringLiteral("binary"),
             QStringLiteral("Require raw image bodies (fail if the server does not offer them). Binary "
                            "is already what an Orchard server gets when it offers it."))
    , base64(QStringLiteral("base64"), QStringLiteral("Send base64 JSON bodies even if the server offers binary."))
    , json(QStringLiteral("json"), QStringLiteral("One JSON object per level."))
    , engine(QStringLiteral("engine"), QStringLiteral("Run the engine in this process instead (--clients: threads)."))
    , model(QStringLiteral("model"),
            QStringLiteral("--engine: the model folder (default %1).").arg(InferenceEngine::defaultModelDirectory()),
            QStringLiteral("DIR"))
    , intraOpThreads(QStringLiteral("intra-op-threads"),
                     QStringLiteral("--engine: LibTorch threads per forward pass (default 1, as the server)."),
                     QStringLiteral("N"), QStringLiteral("1"))
    , legacy(QStringLiteral("legacy-server"),
             QStringLiteral("The server is the original Python design (bench/reference/seed_server.py): "
                            "it never says welcome, so a connection is ready once TCP is up, and images "
                            "go as base64 text. An Orchard server that stays silent is reported as "
                            "NO_WELCOME after 5 s."))
    , topK(QStringLiteral("top-k"), QStringLiteral("Labels per answer (default 3)."), QStringLiteral("K"),
           QStringLiteral("3"))
    , warmup(QStringLiteral("warmup"),
             QStringLiteral("Requests on one connection (engine: one thread) before the first level, "
                            "not measured (default 10)."),
             QStringLiteral("N"), QStringLiteral("10"))
    , label(QStringLiteral("label"),
            QStringLiteral("A name for this run, copied into every JSON object (e.g. the workload)."),
            QStringLiteral("TEXT"))
    , levelTimeout(QStringLiteral("level-timeout"), QStringLiteral("Give up on a level after S seconds (default 600)."),
                   QStringLiteral("S"), QStringLiteral("600"))
    , serverPid(QStringLiteral("server-pid"),
                QStringLiteral("The server's process id, when it runs on this machine: its CPU time per "
                               "image is reported beside the clients' (Linux /proc)."),
                QStringLiteral("PID"))
{ }

void BenchOptionSet::addTo(QCommandLineParser &parser) const
{
    parser.setApplicationDescription(QStringLiteral(
        "Closed-loop load on an Orchard server: for each level, N clients connect at once,\n"
        "each a real connection that waits its turn for a worker like a farmer would, and\n"
        "sends its next image only when the last was answered. Per level: images/s, latency\n"
        "p50/p95/p99/max (sent to answered, on the client), time queued for a worker\n"
        "(connect to welcome), errors by code, bytes sent.\n"
        "--engine runs the same images through the engine in this process on N threads, with\n"
        "no network: the ceiling a server is measured against.\n")
        + QLatin1String(exitCodeHelp()));
    parser.addHelpOption();
    parser.addOptions(address.options());
    parser.addOptions({ clients, requests, duration, images, binary, base64, json, engine, model, intraOpThreads,
                        legacy, topK, warmup, label, levelTimeout, serverPid });
    parser.addOptions(security.options());
    parser.addPositionalArgument(BenchCommand::name(), BenchCommand::summary(), BenchCommand::name());
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("More image files or folders."),
                                 QStringLiteral("[FILE|DIR...]"));
}

/** The option's value as a whole number of at least `minimum`; nullopt when it is not one. */
std::optional<int> wholeNumber(const QCommandLineParser &parser, const QCommandLineOption &option, int minimum)
{
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < minimum)
        return std::nullopt;
    return value;
}

/** --clients, --requests or --duration, --warmup, --top-k, --level-timeout: how much load each level makes. */
bool readLoad(const QCommandLineParser &parser, const BenchOptionSet &set, BenchCommand::Options &options,
              QString &error)
{
    const auto levels = parseLevels(parser.value(set.clients), kMaxClients, &error);
    if (!levels) {
        error = QStringLiteral("--clients: %1").arg(error);
        return false;
    }
    options.levels = *levels;
    const auto requests = wholeNumber(parser, set.requests, 1);
    if (!requests) {
        error = QStringLiteral("--requests needs a whole number of at least 1");
        return false;
    }
    options.requests = *requests;
    if (parser.isSet(set.duration)) {
        if (parser.isSet(set.requests)) {
            error = QStringLiteral("--requests and --duration exclude each other");
            return false;
        }
        bool ok = false;
        options.duration = parser.value(set.duration).toDouble(&ok);
        if (!ok || options.duration <= 0) {
            error = QStringLiteral("--duration needs a number of seconds above 0");
            return false;
        }
        options.requests = 0;
    }
    const auto warmup = wholeNumber(parser, set.warmup, 0);
    const auto topK = wholeNumber(parser, set.topK, 1);
    const auto levelTimeout = wholeNumber(parser, set.levelTimeout, 1);
    if (!warmup)
        error = QStringLiteral("--warmup needs a whole number of at least 0");
    else if (!topK)
        error = QStringLiteral("--top-k needs a whole number of at least 1");
    else if (!levelTimeout)
        error = QStringLiteral("--level-timeout needs a whole number of seconds of at least 1");
    if (!warmup || !topK || !levelTimeout)
        return false;
    options.warmup = *warmup;
    options.topK = *topK;
    options.levelTimeoutSeconds = *levelTimeout;
    return true;
}

/**
 * --json, --binary or --base64, --engine or --legacy-server, --model, --intra-op-threads,
 * --label: what is measured, and how images go and results come out.
 */
bool readTarget(const QCommandLineParser &parser, const BenchOptionSet &set, BenchCommand::Options &options,
                QString &error)
{
    options.json = parser.isSet(set.json);
    options.requireBinary = parser.isSet(set.binary);
    if (parser.isSet(set.base64))
        options.bodyForm = BenchConnection::BodyForm::Base64;
    options.engine = parser.isSet(set.engine);
    options.legacy = parser.isSet(set.legacy);
    if (options.requireBinary && parser.isSet(set.base64))
        error = QStringLiteral("--binary and --base64 exclude each other");
    else if (options.engine && options.legacy)
        error = QStringLiteral("--engine and --legacy-server exclude each other");
    else if (options.legacy && options.requireBinary)
        error = QStringLiteral("an original server (--legacy-server) takes base64 text only; leave out --binary");
    if (!error.isEmpty())
        return false;
    options.modelDirectory =
            parser.isSet(set.model) ? parser.value(set.model) : InferenceEngine::defaultModelDirectory();
    const auto intraOpThreads = wholeNumber(parser, set.intraOpThreads, 1);
    if (!intraOpThreads) {
        error = QStringLiteral("--intra-op-threads needs a whole number of at least 1");
        return false;
    }
    options.intraOpThreads = *intraOpThreads;
    options.label = parser.value(set.label);
    return true;
}

/** --tls, --ca, --pin and --server-pid: how to reach the server, and where it runs. */
bool readServerSide(const QCommandLineParser &parser, const BenchOptionSet &set, BenchCommand::Options &options,
                    QString &error)
{
    if (!set.security.read(parser, options.tls, error))
        return false;
    if (options.legacy && options.tls.enabled) {
        error = QStringLiteral("an original server (--legacy-server) has no TLS");
        return false;
    }
    if (parser.isSet(set.serverPid)) {
        bool ok = false;
        options.serverPid = parser.value(set.serverPid).toLongLong(&ok);
        if (!ok || options.serverPid < 1) {
            error = QStringLiteral("--server-pid needs a process id");
            return false;
        }
    }
    return true;
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

ParsedArguments<BenchCommand::Options> BenchCommand::parseArguments(const QStringList &arguments)
{
    using Parsed = ParsedArguments<Options>;
    const BenchOptionSet set;
    QCommandLineParser parser;
    set.addTo(parser);
    if (const auto stop = Parsed::parseOrStop(parser, arguments))
        return *stop;

    Options options;
    QString error;
    if (!readLoad(parser, set, options, error) || !set.address.read(parser, options.host, options.port, error)
        || !readTarget(parser, set, options, error) || !readServerSide(parser, set, options, error))
        return Parsed::usageError(error);
    options.paths = parser.values(set.images) + parser.positionalArguments().mid(1); // after "bench" itself
    if (options.paths.isEmpty())
        options.paths << QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR);
    return Parsed::run(options);
}

int BenchCommand::run(const QStringList &arguments)
{
    const ParsedArguments<Options> parsed = parseArguments(arguments);
    if (!parsed.shouldRun())
        return parsed.report(name(), m_out, m_err);
    m_options = parsed.options;
    const int exitCode = bench();
    m_out.flush();
    m_err.flush();
    return exitCode;
}

int BenchCommand::bench()
{
    // Images that cannot be read are a bad command line: nothing was tried.
    if (!loadImages(m_options.paths))
        return ExitUsage;
    return m_options.engine ? runEngine() : runServer();
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

int BenchCommand::runEngine()
{
    InferenceEngine::configureThreads(m_options.intraOpThreads);
    const auto engine = InferenceEngine::load(m_options.modelDirectory);
    if (!engine) {
        m_err << "orchard-cli bench: cannot load the model: " << engine.error().message << "\n";
        return ExitUnavailable;
    }
    const QString description = QStringLiteral("engine in-process, model %1%2, %3 intra-op thread%4")
                                        .arg((*engine)->manifest().name,
                                             (*engine)->isOptimized() ? QStringLiteral(" (optimised)") : QString())
                                        .arg(m_options.intraOpThreads)
                                        .arg(m_options.intraOpThreads == 1 ? "" : "s");
    printHeader(description);
    EngineLevelOptions level;
    level.topK = m_options.topK;
    level.images = m_images;
    if (m_options.warmup > 0) {
        level.threads = 1;
        level.requestsPerThread = m_options.warmup;
        runEngineLevel(**engine, level);
    }
    int exitCode = ExitSuccess;
    for (const int threads : std::as_const(m_options.levels)) {
        level.threads = threads;
        level.requestsPerThread = m_options.requests;
        level.durationSeconds = m_options.duration;
        const BenchLevelResult result = runEngineLevel(**engine, level);
        printLevel(result, (*engine)->manifest().name, threads);
        if (result.failed > 0)
            exitCode = ExitSomeFailed;
    }
    return exitCode;
}

int BenchCommand::runServer()
{
    LoadGenerator generator;
    LoadLevelOptions level;
    level.host = m_options.host;
    level.port = m_options.port;
    level.legacyServer = m_options.legacy;
    level.bodyForm = m_options.bodyForm;
    level.topK = m_options.topK;
    level.images = m_images;
    level.levelTimeoutMs = m_options.levelTimeoutSeconds * 1000;
    level.serverPid = m_options.serverPid;
    level.tls = m_options.tls;
    level.accessToken = SecurityOptions::accessToken();

    // The warm-up also says what the server is before the first line is printed.
    level.clients = 1;
    level.requestsPerClient = std::max(1, m_options.warmup);
    const BenchLevelResult warmup = generator.run(level);
    if (warmup.completed == 0) {
        printNoAnswer(warmup, generator);
        return ExitUnavailable;
    }
    if (m_options.requireBinary && warmup.bodyForm != QLatin1String("binary")) {
        m_err << "orchard-cli bench: the server at " << m_options.host << ":" << m_options.port
              << " does not accept binary image bodies; leave out --binary\n";
        return ExitUnavailable;
    }
    const QString server = generator.serverDescription();
    const int workers = generator.serverWorkers();
    printHeader(QStringLiteral("%1 at %2:%3, %4 bodies%5")
                        .arg(server, m_options.host)
                        .arg(m_options.port)
                        .arg(warmup.bodyForm)
                        .arg(workers > 0 ? QStringLiteral(", %1 workers").arg(workers) : QString()));

    int exitCode = ExitSuccess;
    for (const int clients : std::as_const(m_options.levels)) {
        level.clients = clients;
        level.requestsPerClient = m_options.requests;
        level.durationSeconds = m_options.duration;
        const BenchLevelResult result = generator.run(level);
        printLevel(result, server, std::max(workers, generator.serverWorkers()));
        if (result.failed > 0)
            exitCode = ExitSomeFailed;
    }
    return exitCode;
}

void BenchCommand::printNoAnswer(const BenchLevelResult &warmup, const LoadGenerator &generator)
{
    m_err << "orchard-cli bench: no answer from " << m_options.host << ":" << m_options.port << " ("
          << errorsText(warmup) << ")";
    if (!generator.lastConnectionProblem().isEmpty())
        m_err << ": " << generator.lastConnectionProblem();
    if (warmup.errorsByCode.contains(QStringLiteral("NO_WELCOME")))
        m_err << "; an original server never says welcome: add --legacy-server";
    m_err << "\n";
}

void BenchCommand::printHeader(const QString &what)
{
    if (m_options.json)
        return;
    m_out << "bench: " << what << "\n"
          << "       " << m_images.size() << " image" << (m_images.size() == 1 ? "" : "s") << " ("
          << number(m_imageBytes / 1024.0 / std::max<qsizetype>(1, m_images.size()), 1) << " KiB on average), "
          << (m_options.requests > 0
                      ? QStringLiteral("%1 requests per %2").arg(m_options.requests).arg(m_options.engine ? "thread" : "client")
                      : QStringLiteral("%1 s per level").arg(m_options.duration))
          << "\n\n";
    printColumnHeadings();
    m_out.flush();
}

void BenchCommand::printColumnHeadings()
{
    const bool engine = m_options.engine;
    m_out << QString::fromLatin1(engine ? "THREADS" : "CLIENTS").rightJustified(7) << "  "
          << QStringLiteral("IMAGES/S").rightJustified(9) << "  " << QStringLiteral("P50 MS").rightJustified(8) << "  "
          << QStringLiteral("P95 MS").rightJustified(8) << "  " << QStringLiteral("P99 MS").rightJustified(8) << "  "
          << QStringLiteral("MAX MS").rightJustified(8) << "  " << QStringLiteral("QUEUED P50 MS").rightJustified(13)
          << "  " << QStringLiteral("QUEUED MAX MS").rightJustified(13) << "  "
          << QStringLiteral("SENT/IMAGE").rightJustified(10) << "  "
          << (engine ? QStringLiteral("CPU MS/IMAGE") : QStringLiteral("CPU MS/IMAGE SERVER+CLIENT")) << "  ERRORS\n";
}

void BenchCommand::printLevel(const BenchLevelResult &result, const QString &server, int workers)
{
    if (m_options.json) {
        printLevelJson(result, server, workers);
        return;
    }
    const auto queued = [&](double value) {
        return result.queueMeasured ? number(value, 1) : QStringLiteral("n/a");
    };
    const QString sentPerImage = result.target == QLatin1String("engine")
            ? QStringLiteral("-")
            : QStringLiteral("%1 B").arg(qRound64(result.bytesPerImage()));
    m_out << QString::number(result.clients).rightJustified(7) << "  "
          << number(result.imagesPerSecond, 1).rightJustified(9) << "  "
          << number(result.latencyMs.p50, 2).rightJustified(8) << "  "
          << number(result.latencyMs.p95, 2).rightJustified(8) << "  "
          << number(result.latencyMs.p99, 2).rightJustified(8) << "  "
          << number(result.latencyMs.max, 2).rightJustified(8) << "  "
          << queued(result.queuedMs.p50).rightJustified(13) << "  " << queued(result.queuedMs.max).rightJustified(13)
          << "  " << sentPerImage.rightJustified(10) << "  " << cpuText(result).rightJustified(m_options.engine ? 12 : 26)
          << "  " << errorsText(result);
    if (result.unserved > 0)
        m_out << " (" << result.unserved << " never served)";
    m_out << "\n";
    m_out.flush();
}

void BenchCommand::printLevelJson(const BenchLevelResult &result, const QString &server, int workers)
{
    QJsonObject object = result.toJson();
    if (!m_options.label.isEmpty())
        object.insert(QStringLiteral("label"), m_options.label);
    object.insert(QStringLiteral("server"), server);
    object.insert(QStringLiteral("workers"), workers);
    object.insert(QStringLiteral("images"), static_cast<int>(m_images.size()));
    object.insert(QStringLiteral("image_bytes"), m_imageBytes);
    m_out << QJsonDocument(object).toJson(QJsonDocument::Compact) << "\n";
    m_out.flush();
}

} // namespace orchard
