#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include "client/cli/exitcode.h"

namespace orchard {

/**
 * What a command line asks of a command: run with these options, show the help, or
 * nothing because the arguments are wrong. Each command's parseArguments() returns one,
 * a pure function of the argument list that tests call without starting a process.
 */
template<typename Options>
struct ParsedArguments
{
    enum class Outcome { Run, ShowHelp, UsageError };

    Outcome outcome = Outcome::UsageError;
    Options options;
    QString text; ///< the help text, or the sentence saying what is wrong

    static ParsedArguments run(Options options) { return { Outcome::Run, std::move(options), {} }; }
    static ParsedArguments help(const QString &text) { return { Outcome::ShowHelp, {}, text }; }
    static ParsedArguments usageError(const QString &sentence) { return { Outcome::UsageError, {}, sentence }; }

    /**
     * Parses the command line into `parser`. The outcome when the command stops right
     * there (an unknown option, --help); nullopt when its options are to be read.
     */
    static std::optional<ParsedArguments> parseOrStop(QCommandLineParser &parser, const QStringList &arguments)
    {
        if (!parser.parse(arguments))
            return usageError(parser.errorText());
        if (parser.isSet(QStringLiteral("help")))
            return help(parser.helpText());
        return std::nullopt;
    }

    bool shouldRun() const { return outcome == Outcome::Run; }

    /**
     * For a command that does not run: prints the help to out, or "orchard-cli <command>:
     * <error>" to err, and gives the exit status (0 or 64).
     */
    int report(const QString &command, QTextStream &out, QTextStream &err) const
    {
        if (outcome == Outcome::ShowHelp) {
            out << text;
            out.flush();
            return ExitSuccess;
        }
        err << "orchard-cli " << command << ": " << text << "\n";
        err.flush();
        return ExitUsage;
    }
};

/** A command's name and its FILE|DIR... arguments, as --help shows them. */
inline void addPathArguments(QCommandLineParser &parser, const QString &command, const QString &summary)
{
    parser.addPositionalArgument(command, summary, command);
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Image files or folders."),
                                 QStringLiteral("FILE|DIR..."));
}

/** The files and folders after the command's name; the sentence for a usage error if none. */
inline std::optional<QString> readPathArguments(const QCommandLineParser &parser, QStringList &paths)
{
    paths = parser.positionalArguments().mid(1); // after the command's name
    if (paths.isEmpty())
        return QStringLiteral("no files or folders given (see --help)");
    return std::nullopt;
}

} // namespace orchard
