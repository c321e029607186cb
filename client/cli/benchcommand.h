#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>
#include <QVector>

#include "client/bench/benchconnection.h"
#include "client/bench/benchlevel.h"
#include "client/bench/loadgenerator.h"
#include "client/cli/parsedarguments.h"

namespace orchard {

/**
 * `orchard-cli bench`: closed-loop load on a server, level by level (`--clients 1,2,4,8,16`),
 * or the same images through the engine in this process (`--engine`), the ceiling a server
 * is measured against. Prints a table, or one JSON object per level for scripts
 * (scripts/bench.sh turns them into docs/performance.md). The exit status follows
 * client/cli/exitcode.h: 1 when some requests failed, 2 when no server answered (or the
 * model could not be loaded), 64 for bad options or images that cannot be read.
 *
 * Numbers come from here and from scripts/bench.sh, never from timed unit tests.
 */
class BenchCommand
{
public:
    struct Options
    {
        QString host;
        quint16 port = 0;
        QVector<int> levels;          ///< clients (engine: threads) per level
        int requests = 100;           ///< per client per level; 0 with a duration
        double duration = 0.0;        ///< seconds per level, instead of a number of requests
        int warmup = 10;
        int topK = 3;
        bool json = false;
        bool requireBinary = false;
        BenchConnection::BodyForm bodyForm = BenchConnection::BodyForm::Auto;
        bool engine = false;
        bool legacy = false;
        QString modelDirectory;       ///< the default model's when not given
        int intraOpThreads = 1;
        QString label;
        int levelTimeoutSeconds = 600;
        qint64 serverPid = 0;         ///< 0: not given
        ServerConnection::TlsOptions tls;
        QStringList paths;            ///< image files and folders; the sample images when none are given
    };

    BenchCommand();

    static QString name() { return QStringLiteral("bench"); }
    static QString summary();
    /** arguments: the whole command line, program name and "bench" included. */
    static ParsedArguments<Options> parseArguments(const QStringList &arguments);

    /** arguments: the whole command line, program name and "bench" included. */
    int run(const QStringList &arguments);

private:
    int bench();
    bool loadImages(const QStringList &paths);
    int runEngine();
    int runServer();
    /** Reports why the warm-up got no answer at all from the server. */
    void printNoAnswer(const BenchLevelResult &warmup, const LoadGenerator &generator);
    void printHeader(const QString &what);
    void printColumnHeadings();
    void printLevel(const BenchLevelResult &result, const QString &server, int workers);
    void printLevelJson(const BenchLevelResult &result, const QString &server, int workers);

    QTextStream m_out;
    QTextStream m_err;
    Options m_options;
    QVector<BenchImage> m_images;
    qint64 m_imageBytes = 0;
};

} // namespace orchard
