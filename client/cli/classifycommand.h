#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace orchard {

struct Prediction;

/**
 * `orchard-cli classify`: runs the inference engine in-process on image files and folders,
 * with no server involved, and prints one aligned table row or one JSON line per file.
 *
 * It is how a farm checks a model folder before deploying it, and the offline reference
 * the server's answers can be compared with. A file that cannot be read or decoded gets an
 * error line and the others are still classified; the exit code says what happened.
 */
class ClassifyCommand
{
public:
    enum ExitCode {
        Success = 0,
        SomeFilesFailed = 1, ///< every file was tried; at least one got an error line
        ModelFailed = 2, ///< the model folder could not be loaded; nothing was classified
        UsageError = 64, ///< bad options (EX_USAGE)
    };

    ClassifyCommand();

    static QString name() { return QStringLiteral("classify"); }
    static QString summary();

    /** arguments: the whole command line, program name and "classify" included. */
    int run(const QStringList &arguments);

private:
    /** Folders become their image files (sorted, not recursive); files stay as given. */
    QStringList expandPaths(const QStringList &paths, QStringList &emptyFolders) const;
    void printResult(const QString &file, const Prediction &prediction);
    void printError(const QString &file, const QString &message);

    QTextStream m_out;
    QTextStream m_err;
    bool m_json = false;
    int m_fileWidth = 0;
    int m_labelWidth = 0;
};

} // namespace orchard
