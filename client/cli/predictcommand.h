#pragma once

#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include "client/cli/parsedarguments.h"
#include "client/cli/resultformatter.h"
#include "client/core/serverconnection.h"
#include "common/protocol/frameheader.h"

namespace orchard {

class HistoryStore;
class ImageBatch;
class PlantDiagnosis;
class RequestQueue;
class ServerMessage;

/**
 * `orchard-cli predict`: sends image files and folders to an Orchard server and prints the
 * diagnoses, one aligned table row or one JSON line per file, in the order given.
 *
 * It is the desktop client without a window: it drives the same ImageBatch over the same
 * ServerConnection and RequestQueue, so it pipelines requests and waits in the server's
 * line the same way, and scripts and QA can check a server end to end. Files are read only
 * when the queue needs more work and let go once answered, so a folder of camera photos is
 * never held in memory all at once. A file that cannot be read or diagnosed gets an error
 * line and the others still go; the exit code says what happened (client/cli/exitcode.h).
 * A connection lost mid-batch reconnects by itself (--reconnect-attempts, said on stderr)
 * and the images not yet answered are sent again: a batch that ends with every answer in
 * exits 0 however often it had to reconnect. With --as-plant the files are photos of one
 * plant: every label's probability is asked for, and after the per-photo lines one more
 * line combines them (PlantDiagnosis says how, and which photos disagree or were skipped).
 * Every answered photo is recorded in the diagnosis history (HistoryStore), the desktop
 * client's file unless --history-file names another; a history that cannot be written is
 * said once on stderr and changes neither the lines nor the exit code.
 */
class PredictCommand : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString host;
        quint16 port = 0;
        int topK = 3;
        bool json = false;
        bool forceBinary = false;
        bool forceBase64 = false;
        bool sendOriginals = false;
        /** --model-name NAME[:VERSION]: empty, the server's default; no version, the latest. */
        QString modelName;
        std::optional<qint64> modelVersion;
        /** --reconnect-attempts N: tries after a lost connection before giving up; 0: none. */
        int reconnectAttempts = ReconnectPolicy::kDefaultMaxAttempts;
        /** --as-plant: the files are photos of one plant; a last line combines their answers. */
        bool asPlant = false;
        /** Whether answers go to the history (--no-history: not). */
        bool recordsHistory = true;
        /** --history-file FILE; HistoryStore::defaultPath() (ORCHARD_HISTORY honoured) when not given. */
        QString historyFile;
        /** --tag TAG: the field or plot the photos come from, stored with each record. */
        QString tag;
        ServerConnection::TlsOptions tls;
        QStringList paths; ///< files and folders, as given
    };

    PredictCommand();
    ~PredictCommand() override;

    static QString name() { return QStringLiteral("predict"); }
    static QString summary();
    /** arguments: the whole command line, program name and "predict" included. */
    static ParsedArguments<Options> parseArguments(const QStringList &arguments);
    /** A --model-name NAME: as long as the wire lets a request name a model. */
    static constexpr int kMaxModelNameLength = FrameHeader::kMaxModelNameLength;
    /** A --model-name VERSION: at most 2^53, the largest whole number JSON carries exactly. */
    static constexpr qint64 kMaxModelVersion = Q_INT64_C(9007199254740992);
    /**
     * Reads a --model-name value, NAME[:VERSION]: a NAME of 1 to kMaxModelNameLength
     * characters, a VERSION a whole number from 1. nullopt when it is one (name and version
     * set), else the sentence saying what is wrong.
     */
    static std::optional<QString> readModelName(const QString &value, QString &name,
                                                std::optional<qint64> &version);
    /** The most --reconnect-attempts takes: with 4 s between the later ones, some 6 minutes. */
    static constexpr int kMaxReconnectAttempts = 100;
    /** The longest --tag: a field or plot's name, not a note. */
    static constexpr int kMaxTagLength = 100;

    /** arguments: the whole command line, program name and "predict" included. */
    int run(const QStringList &arguments);

private:
    int predict();
    void listFiles();
    void connectSignals();
    void onQueued(int position);
    void onServerMessage(const ServerMessage &message);
    void onConnectionLost(const QString &reason);
    void onReconnecting(int attempt, int maxAttempts, int delayMs, const QString &reason);
    void onReconnected();
    void onDisconnected();
    /** Files given that have no line yet: not answered, nor failed here. */
    int unansweredCount() const;

    /** Reads and queues files until enough wait to keep the pipeline full. */
    void feed();
    /** Reads one file into the batch and queues it, or fails its row saying why it cannot. */
    void send(int row);
    void failLocally(int row, const QString &code, const QString &message);
    void printHeader();
    /** Says on stderr when the server does not list the model asked for (its answers will say why). */
    void warnAboutModel();
    void printFinishedLines();
    /** --as-plant's last line: the answers so far combined into one diagnosis. */
    void printPlantLine();
    /** The history's record of an answered row; opens the store at the first. */
    void recordAnswer(int row);
    /** --as-plant: the combined photos' records get one plant group and its verdict. */
    void recordPlantGroup(const PlantDiagnosis &plant);
    /** Whether the store is open, opening it if it is not yet; false once it has failed. */
    bool historyReady();
    /** Says once that the history is not saved, and records nothing more. */
    void giveUpHistory();
    /** The top_k asked of the server: every label for --as-plant, else --top-k. */
    int requestedTopK() const;
    void finishIfDone();
    void fail(const QString &sentence);

    QTextStream m_out;
    QTextStream m_err;
    QEventLoop m_loop;
    Options m_options;
    ResultFormatter m_lines;

    ServerConnection *m_connection = nullptr;
    RequestQueue *m_queue = nullptr;
    ImageBatch *m_batch = nullptr;

    std::unique_ptr<HistoryStore> m_history;
    bool m_historyFailed = false; ///< said on stderr; nothing more is recorded
    /** Thumbnails of the rows on the wire, made before their bytes are let go; taken when recorded. */
    QHash<int, QImage> m_thumbnails;
    QHash<int, qint64> m_recordIds; ///< batch row → its history record

    int m_nextToSend = 0;        ///< batch row of the next file to read
    int m_nextToPrint = 0;       ///< batch row of the next line to print
    int m_localFailures = 0;     ///< rows that failed here, never reaching the server

    int m_lastPosition = 0;      ///< the last waiting-line position told to the user
    QElapsedTimer m_waitClock;   ///< from connecting to the welcome
    double m_waitedSeconds = 0.0;
    QElapsedTimer m_batchClock;  ///< from the welcome to the last answer
    bool m_welcomed = false;
    bool m_feeding = false;      ///< feed() is on the stack (enqueue() calls back through jobSent)
    bool m_finishing = false;
    bool m_refused = false;      ///< the server said BUSY: it is full, not down
    int m_exitCode = ExitSuccess;
};

} // namespace orchard
