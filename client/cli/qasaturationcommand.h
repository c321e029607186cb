#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include "client/bench/saturationscenario.h"
#include "client/cli/parsedarguments.h"

namespace orchard {

/**
 * `orchard-cli qa saturation`: the original QA demo against any server, as a readable
 * timeline. N clients connect, each asks for a diagnosis; who is served at once, who is
 * told `queued` and at which position, who is served when which client goes offline.
 * The exit status (client/cli/exitcode.h) says whether the server behaved as its pool size
 * predicts: 0 it did, 1 the verdict failed, 2 no server answered, 64 bad options;
 * docs/qa.md is the script QA follows.
 */
class QaSaturationCommand
{
public:
    struct Options
    {
        /** Everything but the images and the access token, which run() reads. */
        SaturationOptions scenario;
        QStringList imagePaths; ///< files and folders; the sample images when none are given
    };

    QaSaturationCommand();

    /** The `qa` command's name; `saturation` is its only scenario so far. */
    static QString name() { return QStringLiteral("qa"); }
    static QString summary();
    /** arguments: the whole command line, program name, "qa" and "saturation" included. */
    static ParsedArguments<Options> parseArguments(const QStringList &arguments);

    /** arguments: the whole command line, program name, "qa" and "saturation" included. */
    int run(const QStringList &arguments);

private:
    /** `qa` with no scenario, another one, or --help: the list of scenarios. */
    int reportNoScenario(const QStringList &arguments);
    /** Reads one image per client, at most; false (and why) when none can be read. */
    bool loadImages(const QStringList &paths, QString &error);
    int runScenario();
    void printIntroduction();
    void printEvent(const SaturationEvent &event);
    /** Nobody served and nobody told to wait: the server is not there, which is not a verdict. */
    static bool heardFromServer(const QVector<SaturationEvent> &events);
    /** Prints each check and the verdict; gives the exit status it means. */
    int printVerdict(const SaturationScenario &scenario);

    QTextStream m_out;
    QTextStream m_err;
    SaturationOptions m_options;
};

} // namespace orchard
