// orchard-cli: Orchard's command-line tools, one subcommand each. This file only
// dispatches; each command lives in its own class.
#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <cstdio>
#include <functional>

#include "client/cli/benchcommand.h"
#include "client/cli/classifycommand.h"
#include "client/cli/historycommand.h"
#include "client/cli/predictcommand.h"
#include "client/cli/qasaturationcommand.h"
#include "common/i18n/uilanguage.h"

using namespace orchard;

namespace {

struct Command
{
    QString name;
    QString summary;
    std::function<int(const QStringList &)> run;
};

QList<Command> commands()
{
    return {
        { ClassifyCommand::name(), ClassifyCommand::summary(),
            [](const QStringList &arguments) { return ClassifyCommand().run(arguments); } },
        { PredictCommand::name(), PredictCommand::summary(),
            [](const QStringList &arguments) { return PredictCommand().run(arguments); } },
        { HistoryCommand::name(), HistoryCommand::summary(),
            [](const QStringList &arguments) { return HistoryCommand().run(arguments); } },
        { BenchCommand::name(), BenchCommand::summary(),
            [](const QStringList &arguments) { return BenchCommand().run(arguments); } },
        { QaSaturationCommand::name(), QaSaturationCommand::summary(),
            [](const QStringList &arguments) { return QaSaturationCommand().run(arguments); } },
    };
}

void printUsage(QTextStream &stream)
{
    stream << "Usage: orchard-cli <command> [options]\n\nCommands:\n";
    for (const Command &command : commands())
        stream << "  " << command.name.leftJustified(12) << command.summary << "\n";
    stream << "\nRun 'orchard-cli <command> --help' for a command's options.\n";
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("orchard-cli"));
    // Always English (scripts read it), with the plural forms of the texts shared with the window.
    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ORCHARD_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString first = arguments.value(1);
    if (first == QLatin1String("--help") || first == QLatin1String("-h")
        || first == QLatin1String("help")) {
        printUsage(out);
        return 0;
    }
    if (first == QLatin1String("--version")) {
        out << "orchard-cli " << QCoreApplication::applicationVersion() << "\n";
        return 0;
    }
    for (const Command &command : commands()) {
        if (command.name == first)
            return command.run(arguments);
    }
    if (first.isEmpty())
        err << "orchard-cli: no command given\n\n";
    else
        err << "orchard-cli: unknown command \"" << first << "\"\n\n";
    printUsage(err);
    return 64;
}
