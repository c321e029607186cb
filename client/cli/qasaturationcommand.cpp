#include "qasaturationcommand.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include "imageloader.h"
#include "securityoptions.h"
#include "serveraddressoptions.h"

namespace orchard {

QaSaturationCommand::QaSaturationCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString QaSaturationCommand::summary()
{
    return QStringLiteral("QA scenarios against a server: qa saturation (the pool-saturation demo)");
}

bool QaSaturationCommand::parseArguments(const QStringList &arguments, int &exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The pool-saturation demo against any server, as a timeline. N clients connect one\n"
        "after another and each asks for a diagnosis at once; each keeps its worker for the\n"
        "hold time after its answer, then goes offline. With W workers, clients 1..W must be\n"
        "served at once, the others told `queued` at positions 1, 2, ... and served in order\n"
        "as the earlier clients leave, never more than W at once. See docs/qa.md.\n"
        "Exit status: 0 the server behaved as a pool of W predicts, 1 it did not, 2 bad options\n"
        "or no server answered."));
    parser.addHelpOption();
    const ServerAddressOptions address;
    parser.addOptions(address.options());
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
        QStringLiteral("How many clients connect (default 4, as in the original demo)."), QStringLiteral("N"),
        QStringLiteral("4"));
    const QCommandLineOption holdOption(QStringLiteral("hold"),
        QStringLiteral("Seconds each client keeps its worker after its answer (default: 2, or "
                       "longer when needed so that every client has connected before the first "
                       "one leaves)."),
        QStringLiteral("S"));
    const QCommandLineOption staggerOption(QStringLiteral("stagger"),
        QStringLiteral("Milliseconds between one client connecting and the next (default 250)."),
        QStringLiteral("MS"), QStringLiteral("250"));
    const QCommandLineOption workersOption(QStringLiteral("workers"),
        QStringLiteral("The pool size to judge against (default: what the server's welcome says; "
                       "required with --legacy-server)."),
        QStringLiteral("W"));
    const QCommandLineOption imagesOption(QStringLiteral("images"),
        QStringLiteral("Image file or folder; client k asks about the k-th image (default: the "
                       "sample images)."),
        QStringLiteral("FILE|DIR"));
    const QCommandLineOption legacyOption(QStringLiteral("legacy-server"),
        QStringLiteral("The server is the original Python design: it never says welcome or "
                       "queued, so waiting is seen only as silence."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
        QStringLiteral("Give up after S seconds (default: enough for every client's turn)."), QStringLiteral("S"));
    parser.addOptions({ clientsOption, holdOption, staggerOption, workersOption,
                        imagesOption, legacyOption, timeoutOption });
    const SecurityOptions security;
    parser.addOptions(security.options());
    parser.addPositionalArgument(QStringLiteral("qa saturation"), summary(), QStringLiteral("qa saturation"));

    exitCode = Failed;
    auto usage = [this](const QString &sentence) {
        m_err << "orchard-cli qa saturation: " << sentence << "\n";
        return false;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        m_out << parser.helpText();
        exitCode = Behaved;
        return false;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 2)
        return usage(QStringLiteral("unexpected argument \"%1\"").arg(positional.at(2)));
    bool ok = false;
    QString error;
    if (!address.read(parser, m_options.host, m_options.port, error))
        return usage(error);
    m_options.clients = parser.value(clientsOption).toInt(&ok);
    if (!ok || m_options.clients < 1 || m_options.clients > 1000)
        return usage(QStringLiteral("--clients needs a whole number from 1 to 1000"));
    m_options.staggerMs = parser.value(staggerOption).toInt(&ok);
    if (!ok || m_options.staggerMs < 0)
        return usage(QStringLiteral("--stagger needs a whole number of milliseconds of at least 0"));
    // Every client must have connected, and so have its place in line, before the first
    // one leaves; otherwise "served at once" and "queued" would depend on the timing.
    const double allConnected = m_options.staggerMs * (m_options.clients - 1) / 1000.0;
    m_options.holdSeconds = std::max(2.0, allConnected + 1.0);
    if (parser.isSet(holdOption)) {
        m_options.holdSeconds = parser.value(holdOption).toDouble(&ok);
        if (!ok || m_options.holdSeconds <= allConnected)
            return usage(QStringLiteral("--hold needs a number of seconds above %1 (the time the %2 clients take "
                                        "to connect, %3 ms apart), so that every client has its place in line "
                                        "before the first one leaves")
                                 .arg(allConnected, 0, 'f', 2)
                                 .arg(m_options.clients)
                                 .arg(m_options.staggerMs));
    }
    m_options.legacyServer = parser.isSet(legacyOption);
    if (!security.read(parser, m_options.tls, error))
        return usage(error);
    if (m_options.legacyServer && m_options.tls.enabled)
        return usage(QStringLiteral("an original server (--legacy-server) has no TLS"));
    m_options.accessToken = SecurityOptions::accessToken();
    if (parser.isSet(workersOption)) {
        m_options.expectedWorkers = parser.value(workersOption).toInt(&ok);
        if (!ok || m_options.expectedWorkers < 1)
            return usage(QStringLiteral("--workers needs a whole number of at least 1"));
    } else if (m_options.legacyServer) {
        return usage(QStringLiteral("an original server never says how many workers it has: give --workers"));
    }
    // Each client's turn lasts its hold plus a few seconds for the answer; turns overlap W at a time.
    const int turns = m_options.clients;
    m_options.timeoutMs = static_cast<int>((allConnected + turns * (m_options.holdSeconds + 10.0) + 10.0) * 1000);
    if (parser.isSet(timeoutOption)) {
        const double seconds = parser.value(timeoutOption).toDouble(&ok);
        if (!ok || seconds <= 0)
            return usage(QStringLiteral("--timeout needs a number of seconds above 0"));
        m_options.timeoutMs = static_cast<int>(seconds * 1000);
    }

    QStringList paths = parser.values(imagesOption);
    if (paths.isEmpty())
        paths << QStringLiteral(ORCHARD_SOURCE_SAMPLES_DIR);
    const QStringList files = ImageLoader::expand(paths);
    if (files.isEmpty())
        return usage(QStringLiteral("no image files in %1").arg(paths.join(QStringLiteral(", "))));
    for (const QString &file : files) {
        QFile input(file);
        if (!input.open(QIODevice::ReadOnly))
            return usage(QStringLiteral("cannot open %1: %2").arg(file, input.errorString()));
        m_options.images.append({ QFileInfo(file).fileName(), input.readAll() });
        if (m_options.images.size() >= m_options.clients)
            break; // one per client is all the scenario sends
    }
    exitCode = Behaved;
    return true;
}

int QaSaturationCommand::run(const QStringList &arguments)
{
    int exitCode = Behaved;
    if (arguments.value(2) != QLatin1String("saturation")) {
        if (arguments.value(2) == QLatin1String("--help") || arguments.value(2) == QLatin1String("-h")) {
            m_out << "Usage: orchard-cli qa saturation [options]\n\nScenarios:\n  saturation  " << summary() << "\n";
            return Behaved;
        }
        m_err << "orchard-cli qa: "
              << (arguments.size() > 2 ? QStringLiteral("unknown scenario \"%1\"").arg(arguments.value(2))
                                       : QStringLiteral("which scenario?"))
              << " The scenarios are: saturation (see orchard-cli qa saturation --help)\n";
        m_err.flush();
        return Failed;
    }
    if (!parseArguments(arguments, exitCode)) {
        m_out.flush();
        m_err.flush();
        return exitCode;
    }

    m_out << "qa saturation: " << m_options.clients << " clients against " << m_options.host << ":" << m_options.port
          << ", " << m_options.staggerMs << " ms apart, each holding its worker "
          << QString::number(m_options.holdSeconds, 'f', 1) << " s after its answer";
    if (m_options.expectedWorkers > 0)
        m_out << "; expecting " << m_options.expectedWorkers << " workers";
    m_out << "\n\n";
    m_out.flush();

    SaturationScenario scenario;
    QObject::connect(&scenario, &SaturationScenario::eventRecorded, &scenario,
                     [this](const SaturationEvent &event) { printEvent(event); });
    scenario.run(m_options);

    // Nobody served and nobody told to wait: the server is not there, which is not a verdict.
    const QVector<SaturationEvent> &events = scenario.events();
    const bool heardFromServer = std::any_of(events.cbegin(), events.cend(), [](const SaturationEvent &event) {
        return event.kind == SaturationEvent::Kind::Served || event.kind == SaturationEvent::Kind::Queued;
    });
    if (!heardFromServer) {
        const auto lost = std::find_if(events.cbegin(), events.cend(), [](const SaturationEvent &event) {
            return event.kind == SaturationEvent::Kind::Closed;
        });
        m_err << "orchard-cli qa saturation: no answer from " << m_options.host << ":" << m_options.port
              << (lost != events.cend() ? QStringLiteral(" (%1)").arg(lost->detail) : QString()) << "\n";
        m_err.flush();
        return Failed;
    }
    const SaturationVerdict verdict = scenario.verdict();
    m_out << "\nserver: " << (scenario.serverDescription().isEmpty() ? QStringLiteral("no answer") : scenario.serverDescription())
          << "; judged as a pool of " << scenario.workers() << " worker" << (scenario.workers() == 1 ? "" : "s") << "\n";
    for (const SaturationCheck &check : verdict.checks)
        m_out << (check.passed ? "  ok    " : "  FAIL  ") << check.text << "\n";
    m_out << (verdict.passed ? "verdict: PASS, the server behaved as its pool size predicts\n"
                             : "verdict: FAIL, the server did not behave as its pool size predicts\n");
    m_out.flush();
    return verdict.passed ? Behaved : Misbehaved;
}

void QaSaturationCommand::printEvent(const SaturationEvent &event)
{
    m_out << QString::number(event.seconds, 'f', 3).rightJustified(9) << " s  client "
          << QString::number(event.client).leftJustified(3) << " "
          << SaturationScenario::describe(event, m_options.legacyServer) << "\n";
    m_out.flush();
}

} // namespace orchard
