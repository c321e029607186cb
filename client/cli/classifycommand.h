#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include "client/cli/parsedarguments.h"
#include "common/inference/inferenceengine.h"

namespace orchard {

class ResultFormatter;

/**
 * `orchard-cli classify`: runs the inference engine in-process on image files and folders,
 * with no server involved, and prints one aligned table row or one JSON line per file.
 *
 * It is how a farm checks a model folder before deploying it, and the offline reference
 * the server's answers can be compared with. A file that cannot be read or decoded gets an
 * error line and the others are still classified; the exit code says what happened
 * (client/cli/exitcode.h; a model that cannot be loaded is 2).
 */
class ClassifyCommand
{
public:
    struct Options
    {
        QString modelDirectory; ///< the default model's when not given
        int topK = 3;
        bool json = false;
        InferenceEngine::Options engine;
        QStringList paths; ///< files and folders, as given
    };

    ClassifyCommand();

    static QString name() { return QStringLiteral("classify"); }
    static QString summary();
    /** arguments: the whole command line, program name and "classify" included. */
    static ParsedArguments<Options> parseArguments(const QStringList &arguments);

    /** arguments: the whole command line, program name and "classify" included. */
    int run(const QStringList &arguments);

private:
    int classify(const Options &options);
    /** Prints one line for `file`; false when it failed. */
    bool classifyFile(const InferenceEngine &engine, const QString &file, int topK, const ResultFormatter &lines);

    QTextStream m_out;
    QTextStream m_err;
};

} // namespace orchard
