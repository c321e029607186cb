#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include "saturationscenario.h"

namespace orchard {

/**
 * `orchard-cli qa saturation`: the original QA demo against any server, as a readable
 * timeline. N clients connect, each asks for a diagnosis; who is served at once, who is
 * told `queued` and at which position, who is served when which client goes offline.
 * The exit status says whether the server behaved as its pool size predicts; docs/qa.md
 * is the script QA follows.
 */
class QaSaturationCommand
{
public:
    enum ExitCode {
        Behaved = 0,   ///< every check passed
        Misbehaved = 1, ///< the server did not behave as the pool size predicts
        Failed = 2,    ///< bad options, no images, or no server answered
    };

    QaSaturationCommand();

    /** The `qa` command's name; `saturation` is its only scenario so far. */
    static QString name() { return QStringLiteral("qa"); }
    static QString summary();

    /** arguments: the whole command line, program name, "qa" and "saturation" included. */
    int run(const QStringList &arguments);

private:
    bool parseArguments(const QStringList &arguments, int &exitCode);
    void printEvent(const SaturationEvent &event);

    QTextStream m_out;
    QTextStream m_err;
    SaturationOptions m_options;
};

} // namespace orchard
