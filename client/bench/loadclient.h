#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "client/bench/benchlevel.h"
#include "client/bench/loadgenerator.h"
#include "common/protocol/errorcode.h"
#include "common/protocol/predictionreply.h"

namespace orchard {

/**
 * What the clients of one load level share: its options, one clock, one recorder, and
 * what the server said about itself. The level's clients write into it from the one
 * event loop that runs them; LoadGenerator reads it once the loop has returned.
 */
struct LoadLevelState
{
    explicit LoadLevelState(const LoadLevelOptions &levelOptions) : options(levelOptions) { }

    const LoadLevelOptions &options;
    BenchRecorder recorder;
    QElapsedTimer clock;          ///< started when the first client connects
    bool deadlinePassed = false;  ///< --duration is over: nobody sends again
    qint64 lastAnswerNs = 0;      ///< on clock: when the last diagnosis of the level arrived
    QString serverDescription;    ///< from the first client that was served
    int serverWorkers = 0;        ///< the largest pool size any welcome or queued announced
    QString lastConnectionProblem;
};

/**
 * One simulated farmer of a load level: one BenchConnection and where it stands.
 *
 * It connects, waits its turn for a worker, then sends its next image only when the last
 * one was answered (client i's j-th request is image (i + j) mod K), and says goodbye when
 * it has sent all it should or the level's time is up. Every answer, error and ending is
 * recorded in the level's shared state; finished() says it is over, exactly once.
 */
class LoadClient : public QObject
{
    Q_OBJECT

public:
    /** index: 0-based, which image this client starts with. */
    LoadClient(int index, LoadLevelState &level, QObject *parent = nullptr);
    ~LoadClient() override;

    void connectToServer();
    /** The level's duration is over: stop after the answer in hand; leave now if none is awaited. */
    void stopAfterAnswer();
    /** The first-message timeout: a connection that heard nothing at all is dropped as NO_WELCOME. */
    void dropIfSilent();
    /** The whole level ran out of time: abort, counted as LEVEL_TIMEOUT. */
    void giveUp();

    bool isServed() const { return m_served; }
    bool usesBinary() const;

signals:
    void finished();

private:
    void onReady();
    void onQueued(int position, int waiting, int workers);
    void onReplied(const PredictionReply &reply);
    void onFailed(ErrorCode code);
    void onClosed(const QString &reason, bool expected);

    bool wantsMore() const;
    void sendNext();
    void leave();
    void finish();

    LoadLevelState &m_level;
    const int m_index;
    BenchConnection *m_connection = nullptr;
    qint64 m_connectNs = 0;
    qint64 m_sentNs = 0;
    int m_sent = 0;
    bool m_waitingForAnswer = false;
    bool m_served = false;
    bool m_leaving = false;
    bool m_done = false;
    bool m_errorRecorded = false; ///< the connection's own error (BUSY…) is already counted
};

} // namespace orchard
