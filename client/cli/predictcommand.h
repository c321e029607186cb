#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <QVector>

#include "predictionreply.h"
#include "protocolerror.h"
#include "serverconnection.h"

namespace orchard {

class RequestQueue;
class ServerConnection;
class ServerMessage;

/**
 * `orchard-cli predict`: sends image files and folders to an Orchard server and prints the
 * diagnoses, one aligned table row or one JSON line per file, in the order given.
 *
 * It is the desktop client without a window, built on the same ServerConnection and
 * RequestQueue, so it pipelines requests and waits in the server's line the same way, and
 * scripts and QA can check a server end to end. Files are read only when the queue needs
 * more work, so a folder of camera photos is never held in memory all at once. A file that
 * cannot be read or diagnosed gets an error line and the others still go; the exit code
 * says what happened.
 */
class PredictCommand : public QObject
{
    Q_OBJECT

public:
    enum ExitCode {
        Success = 0,
        SomeImagesFailed = 1, ///< every file was tried; at least one got an error line
        /** Bad options, or no diagnosis possible: unreachable, refused (BUSY), connection lost. */
        Failed = 2,
    };

    PredictCommand();
    ~PredictCommand() override;

    static QString name() { return QStringLiteral("predict"); }
    static QString summary();

    /** arguments: the whole command line, program name and "predict" included. */
    int run(const QStringList &arguments);

private:
    /** One output line to be: a file (or an empty folder), in command-line order. */
    struct Entry
    {
        QString file;
        bool resolved = false;
        bool diagnosed = false;
        QString line; ///< the rendered output line, once resolved
    };

    bool parseArguments(const QStringList &arguments, int &exitCode);
    void onQueued(int position);
    void onServerMessage(const ServerMessage &message);
    void onJobFinished(int jobId, const PredictionReply &reply);
    void onJobFailed(int jobId, const ProtocolError &error);
    void onConnectionLost(const QString &reason);
    void onDisconnected();

    /** Reads and queues files until enough wait to keep the pipeline full. */
    void feed();
    void printHeader();
    void resolve(int entry, bool diagnosed, const QString &line);
    QString resultLine(const QString &file, const PredictionReply &reply) const;
    QString errorLine(const QString &file, const QString &message, const QString &code) const;
    void printResolvedLines();
    void finishIfDone();
    void fail(const QString &sentence);

    QTextStream m_out;
    QTextStream m_err;
    QEventLoop m_loop;

    // Options.
    QString m_host;
    quint16 m_port = 0;
    int m_topK = 3;
    bool m_json = false;
    bool m_forceBinary = false;
    bool m_forceBase64 = false;
    ServerConnection::TlsOptions m_tls;

    ServerConnection *m_connection = nullptr;
    RequestQueue *m_queue = nullptr;

    QVector<Entry> m_entries;
    QVector<int> m_toSend;       ///< entry indexes of files still to be read, in order
    int m_nextToSend = 0;        ///< position in m_toSend
    int m_nextToPrint = 0;       ///< entry index of the next line to print
    QHash<int, int> m_entryOfJob; ///< RequestQueue job id → entry index
    int m_fileWidth = 0;
    int m_labelWidth = 0;

    int m_lastPosition = 0;      ///< the last waiting-line position told to the user
    QElapsedTimer m_waitClock;   ///< from connecting to the welcome
    double m_waitedSeconds = 0.0;
    QElapsedTimer m_batchClock;  ///< from the welcome to the last answer
    double m_batchSeconds = 0.0;
    int m_answered = 0;          ///< images the server answered (diagnosis or error)
    bool m_welcomed = false;
    bool m_feeding = false;      ///< feed() is on the stack (enqueue() calls back through jobSent)
    bool m_finishing = false;
    bool m_refused = false;      ///< the server said BUSY: it is full, not down
    int m_exitCode = Success;
};

} // namespace orchard
