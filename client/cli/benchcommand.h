#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>
#include <QVector>

#include "benchconnection.h"
#include "benchlevel.h"
#include "loadgenerator.h"

namespace orchard {

/**
 * `orchard-cli bench`: closed-loop load on a server, level by level (`--clients 1,2,4,8,16`),
 * or the same images through the engine in this process (`--engine`), the ceiling a server
 * is measured against. Prints a table, or one JSON object per level for scripts
 * (scripts/bench.sh turns them into docs/performance.md).
 *
 * Numbers come from here and from scripts/bench.sh, never from timed unit tests.
 */
class BenchCommand
{
public:
    enum ExitCode {
        Success = 0,
        SomeRequestsFailed = 1, ///< every level ran; some requests or connections got errors
        Failed = 2, ///< bad options, no images, model not loaded, or no server answered at all
    };

    BenchCommand();

    static QString name() { return QStringLiteral("bench"); }
    static QString summary();

    /** arguments: the whole command line, program name and "bench" included. */
    int run(const QStringList &arguments);

private:
    bool parseArguments(const QStringList &arguments, int &exitCode);
    bool loadImages(const QStringList &paths);
    int runEngine();
    int runServer();
    void printHeader(const QString &what);
    void printLevel(const BenchLevelResult &result, const QString &server, int workers);

    QTextStream m_out;
    QTextStream m_err;

    QString m_host;
    quint16 m_port = 0;
    QVector<int> m_levels;
    int m_requests = 100;
    double m_duration = 0.0;
    int m_warmup = 10;
    int m_topK = 3;
    bool m_json = false;
    bool m_requireBinary = false;
    BenchConnection::BodyForm m_bodyForm = BenchConnection::BodyForm::Auto;
    bool m_engine = false;
    bool m_legacy = false;
    QString m_modelDirectory;
    int m_intraOpThreads = 1;
    QString m_label;
    int m_levelTimeoutSeconds = 600;
    qint64 m_serverPid = 0;
    ServerConnection::TlsOptions m_tls;
    QVector<BenchImage> m_images;
    qint64 m_imageBytes = 0;
};

} // namespace orchard
