#include "client/cli/qasaturationcommand.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include "client/cli/exitcode.h"
#include "client/cli/securityoptions.h"
#include "client/cli/serveraddressoptions.h"
#include "client/core/imageloader.h"

namespace orchard {

namespace {

constexpr int kMaxClients = 1000;

/** The exit-status paragraph: exitCodeHelp()'s convention, in the words of a verdict. */
const char *const kExitStatusHelp =
        "Exit status: 0 the server behaved as a pool of W predicts, 1 it did not (the verdict\n"
        "failed), 2 server unreachable, busy or refusing, 64 bad options.";

/** qa saturation's command line: every option, declared once for the parser and for reading it. */
struct QaOptionSet
{
    QaOptionSet();
    void addTo(QCommandLineParser &parser) const;

    const ServerAddressOptions address;
    const SecurityOptions security;
    QCommandLineOption clients;
    QCommandLineOption hold;
    QCommandLineOption stagger;
    QCommandLineOption workers;
    QCommandLineOption images;
    QCommandLineOption legacy;
    QCommandLineOption timeout;
};

QaOptionSet::QaOptionSet()
    : clients(QStringLiteral("clients"), QStringLiteral("How many clients connect (default 4, as in the original demo)."),
              QStringLiteral("N"), QStringLiteral("4"))
    , hold(QStringLiteral("hold"),
           QStringLiteral("Seconds each client keeps its worker after its answer (default: 2, or "
                          "longer when needed so that every client has connected before the first "
                          "one leaves)."),
           QStringLiteral("S"))
    , stagger(QStringLiteral("stagger"),
              QStringLiteral("Milliseconds between one client connecting and the next (default 250)."),
              QStringLiteral("MS"), QStringLiteral("250"))
    , workers(QStringLiteral("workers"),
              QStringLiteral("The pool size to judge against (default: what the server's welcome says; "
                             "required with --legacy-server)."),
              QStringLiteral("W"))
    , images(QStringLiteral("images"),
             QStringLiteral("Image file or folder; client k asks about the k-th image (default: the "
                            "sample images)."),
             QStringLiteral("FILE|DIR"))
    , legacy(QStringLiteral("legacy-server"),
             QStringLiteral("The server is the original Python design: it never says welcome or "
                            "queued, so waiting is seen only as silence."))
    , timeout(QStringLiteral("timeout"),
              QStringLiteral("Give up after S seconds (default: enough for every client's turn)."), QStringLiteral("S"))
{ }

void QaOptionSet::addTo(QCommandLineParser &parser) const
{
    parser.setApplicationDescription(QStringLiteral(
        "The pool-saturation demo against any server, as a timeline. N clients connect one\n"
        "after another and each asks for a diagnosis at once; each keeps its worker for the\n"
        "hold time after its answer, then goes offline. With W workers, clients 1..W must be\n"
        "served at once, the others told `queued` at positions 1, 2, ... and served in order\n"
        "as the earlier clients leave, never more than W at once. See docs/qa.md.\n")
        + QLatin1String(kExitStatusHelp));
    parser.addHelpOption();
    parser.addOptions(address.options());
    parser.addOptions({ clients, hold, stagger, workers, images, legacy, timeout });
    parser.addOptions(security.options());
    parser.addPositionalArgument(QStringLiteral("qa saturation"), QaSaturationCommand::summary(),
                                 QStringLiteral("qa saturation"));
}

/**
 * --clients, --stagger and --hold: how many come, how far apart, and how long each keeps
 * its worker.
 */
bool readPace(const QCommandLineParser &parser, const QaOptionSet &set, SaturationOptions &options, QString &error)
{
    bool ok = false;
    options.clients = parser.value(set.clients).toInt(&ok);
    if (!ok || options.clients < 1 || options.clients > kMaxClients) {
        error = QStringLiteral("--clients needs a whole number from 1 to %1").arg(kMaxClients);
        return false;
    }
    options.staggerMs = parser.value(set.stagger).toInt(&ok);
    if (!ok || options.staggerMs < 0) {
        error = QStringLiteral("--stagger needs a whole number of milliseconds of at least 0");
        return false;
    }
    // Every client must have connected, and so have its place in line, before the first
    // one leaves; otherwise "served at once" and "queued" would depend on the timing.
    const double allConnected = options.staggerMs * (options.clients - 1) / 1000.0;
    options.holdSeconds = std::max(2.0, allConnected + 1.0);
    if (!parser.isSet(set.hold))
        return true;
    options.holdSeconds = parser.value(set.hold).toDouble(&ok);
    if (!ok || options.holdSeconds <= allConnected) {
        error = QStringLiteral("--hold needs a number of seconds above %1 (the time the %2 clients take "
                               "to connect, %3 ms apart), so that every client has its place in line "
                               "before the first one leaves")
                        .arg(allConnected, 0, 'f', 2)
                        .arg(options.clients)
                        .arg(options.staggerMs);
        return false;
    }
    return true;
}

/** --legacy-server, --tls, --ca, --pin and --workers: what kind of server, and what it is judged against. */
bool readServer(const QCommandLineParser &parser, const QaOptionSet &set, SaturationOptions &options, QString &error)
{
    options.legacyServer = parser.isSet(set.legacy);
    if (!set.security.read(parser, options.tls, error))
        return false;
    if (options.legacyServer && options.tls.enabled) {
        error = QStringLiteral("an original server (--legacy-server) has no TLS");
        return false;
    }
    if (parser.isSet(set.workers)) {
        bool ok = false;
        options.expectedWorkers = parser.value(set.workers).toInt(&ok);
        if (!ok || options.expectedWorkers < 1) {
            error = QStringLiteral("--workers needs a whole number of at least 1");
            return false;
        }
    } else if (options.legacyServer) {
        error = QStringLiteral("an original server never says how many workers it has: give --workers");
        return false;
    }
    return true;
}

/** --timeout, or enough for every client's turn at the pace already read. */
bool readTimeout(const QCommandLineParser &parser, const QaOptionSet &set, SaturationOptions &options, QString &error)
{
    // Each client's turn lasts its hold plus a few seconds for the answer; turns overlap W at a time.
    const double allConnected = options.staggerMs * (options.clients - 1) / 1000.0;
    const int turns = options.clients;
    options.timeoutMs = static_cast<int>((allConnected + turns * (options.holdSeconds + 10.0) + 10.0) * 1000);
    if (!parser.isSet(set.timeout))
        return true;
    bool ok = false;
    const double seconds = parser.value(set.timeout).toDouble(&ok);
    if (!ok || seconds <= 0) {
        error = QStringLiteral("--timeout needs a number of seconds above 0");
        return false;
    }
    options.timeoutMs = static_cast<int>(seconds * 1000);
    return true;
}

} // namespace

QaSaturationCommand::QaSaturationCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString QaSaturationCommand::summary()
{
    return QStringLiteral("QA scenarios against a server: qa saturation (the pool-saturation demo)");
}

ParsedArguments<QaSaturationCommand::Options> QaSaturationCommand::parseArguments(const QStringList &arguments)
{
    using Parsed = ParsedArguments<Options>;
    const QaOptionSet set;
    QCommandLineParser parser;
    set.addTo(parser);
    if (const auto stop = Parsed::parseOrStop(parser, arguments))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 2) // "qa" and "saturation"
        return Parsed::usageError(QStringLiteral("unexpected argument \"%1\"").arg(positional.at(2)));

    Options options;
    SaturationOptions &scenario = options.scenario;
    QString error;
    if (!set.address.read(parser, scenario.host, scenario.port, error) || !readPace(parser, set, scenario, error)
        || !readServer(parser, set, scenario, error) || !readTimeout(parser, set, scenario, error))
        return Parsed::usageError(error);
    options.imagePaths = parser.values(set.images);
    if (options.imagePaths.isEmpty())
        options.imagePaths << QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR);
    return Parsed::run(options);
}

int QaSaturationCommand::run(const QStringList &arguments)
{
    if (arguments.value(2) != QLatin1String("saturation"))
        return reportNoScenario(arguments);
    const ParsedArguments<Options> parsed = parseArguments(arguments);
    if (!parsed.shouldRun())
        return parsed.report(QStringLiteral("qa saturation"), m_out, m_err);
    m_options = parsed.options.scenario;
    QString error;
    if (!loadImages(parsed.options.imagePaths, error)) {
        // Images that cannot be read are a bad command line: nothing was tried.
        m_err << "orchard-cli qa saturation: " << error << "\n";
        m_err.flush();
        return ExitUsage;
    }
    m_options.accessToken = SecurityOptions::accessToken();
    return runScenario();
}

int QaSaturationCommand::reportNoScenario(const QStringList &arguments)
{
    const QString scenario = arguments.value(2);
    if (scenario == QLatin1String("--help") || scenario == QLatin1String("-h")) {
        m_out << "Usage: orchard-cli qa saturation [options]\n\nScenarios:\n  saturation  " << summary() << "\n\n"
              << kExitStatusHelp << "\n";
        m_out.flush();
        return ExitSuccess;
    }
    m_err << "orchard-cli qa: "
          << (arguments.size() > 2 ? QStringLiteral("unknown scenario \"%1\"").arg(scenario)
                                   : QStringLiteral("which scenario?"))
          << " The scenarios are: saturation (see orchard-cli qa saturation --help)\n";
    m_err.flush();
    return ExitUsage;
}

bool QaSaturationCommand::loadImages(const QStringList &paths, QString &error)
{
    const QStringList files = ImageLoader::expand(paths);
    if (files.isEmpty()) {
        error = QStringLiteral("no image files in %1").arg(paths.join(QStringLiteral(", ")));
        return false;
    }
    for (const QString &file : files) {
        QFile input(file);
        if (!input.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot open %1: %2").arg(file, input.errorString());
            return false;
        }
        m_options.images.append({ QFileInfo(file).fileName(), input.readAll() });
        if (m_options.images.size() >= m_options.clients)
            break; // one per client is all the scenario sends
    }
    return true;
}

int QaSaturationCommand::runScenario()
{
    printIntroduction();
    SaturationScenario scenario;
    QObject::connect(&scenario, &SaturationScenario::eventRecorded, &scenario,
                     [this](const SaturationEvent &event) { printEvent(event); });
    scenario.run(m_options);

    const QVector<SaturationEvent> &events = scenario.events();
    if (!heardFromServer(events)) {
        const auto lost = std::find_if(events.cbegin(), events.cend(), [](const SaturationEvent &event) {
            return event.kind == SaturationEvent::Kind::Closed;
        });
        m_err << "orchard-cli qa saturation: no answer from " << m_options.host << ":" << m_options.port
              << (lost != events.cend() ? QStringLiteral(" (%1)").arg(lost->detail) : QString()) << "\n";
        m_err.flush();
        return ExitUnavailable;
    }
    return printVerdict(scenario);
}

void QaSaturationCommand::printIntroduction()
{
    m_out << "qa saturation: " << m_options.clients << " clients against " << m_options.host << ":" << m_options.port
          << ", " << m_options.staggerMs << " ms apart, each holding its worker "
          << QString::number(m_options.holdSeconds, 'f', 1) << " s after its answer";
    if (m_options.expectedWorkers > 0)
        m_out << "; expecting " << m_options.expectedWorkers << " workers";
    m_out << "\n\n";
    m_out.flush();
}

void QaSaturationCommand::printEvent(const SaturationEvent &event)
{
    m_out << QString::number(event.seconds, 'f', 3).rightJustified(9) << " s  client "
          << QString::number(event.client).leftJustified(3) << " "
          << SaturationScenario::describe(event, m_options.legacyServer) << "\n";
    m_out.flush();
}

bool QaSaturationCommand::heardFromServer(const QVector<SaturationEvent> &events)
{
    return std::any_of(events.cbegin(), events.cend(), [](const SaturationEvent &event) {
        return event.kind == SaturationEvent::Kind::Served || event.kind == SaturationEvent::Kind::Queued;
    });
}

int QaSaturationCommand::printVerdict(const SaturationScenario &scenario)
{
    const SaturationVerdict verdict = scenario.verdict();
    m_out << "\nserver: " << (scenario.serverDescription().isEmpty() ? QStringLiteral("no answer") : scenario.serverDescription())
          << "; judged as a pool of " << scenario.workers() << " worker" << (scenario.workers() == 1 ? "" : "s") << "\n";
    for (const SaturationCheck &check : verdict.checks)
        m_out << (check.passed ? "  ok    " : "  FAIL  ") << check.text << "\n";
    m_out << (verdict.passed ? "verdict: PASS, the server behaved as its pool size predicts\n"
                             : "verdict: FAIL, the server did not behave as its pool size predicts\n");
    m_out.flush();
    return verdict.passed ? ExitSuccess : ExitSomeFailed;
}

} // namespace orchard
