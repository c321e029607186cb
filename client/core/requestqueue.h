#pragma once

#include <deque>
#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>

#include "common/protocol/predictionreply.h"
#include "common/protocol/protocolerror.h"

namespace orchard {

class ServerConnection;

/**
 * Images waiting to be diagnosed, pipelined to the server a few at a time.
 *
 * Each job gets a msg_id when it is sent; replies are matched by it. Up to maxInFlight
 * requests are on the wire at once, so the server always has the next image while it
 * answers the last, without flooding a slow link. When the connection drops, the jobs
 * that were in flight go back to the front of the line and are sent again once the
 * connection is back: nothing the user asked for is lost.
 */
class RequestQueue : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultMaxInFlight = 4;

    struct Job
    {
        int id = 0;
        QString name;      ///< shown to the user and sent as the request's name
        QByteArray bytes;  ///< the image file, read once
        int topK = 3;
    };

    explicit RequestQueue(ServerConnection *connection, QObject *parent = nullptr);

    /** Queues an image; returns its job id. Sending starts as soon as the server is ready. */
    int enqueue(const QString &name, const QByteArray &bytes, int topK = 3);
    /** The id the next enqueue() will return (it may report jobSent before returning). */
    int nextJobId() const { return m_nextJobId; }
    /**
     * TOO_LARGE, with a sentence for the user, when an image of imageBytes would make a
     * body over the server's limit; checked before a file is even read, and again before
     * each send, because the server would close the connection on it.
     */
    std::optional<ProtocolError> sizeError(const QString &name, qint64 imageBytes, int topK) const;
    /** Drops jobs not yet sent; replies to the ones in flight are ignored. */
    void cancel();

    int maxInFlight() const { return m_maxInFlight; }
    void setMaxInFlight(int count) { m_maxInFlight = std::max(1, count); }

    int pendingCount() const { return static_cast<int>(m_pending.size()); }
    int inFlightCount() const { return static_cast<int>(m_inFlight.size()); }
    bool isIdle() const { return m_pending.empty() && m_inFlight.isEmpty(); }
    /** This batch: jobs finished (answered or failed) and all jobs since the queue was idle. */
    int doneCount() const { return m_done; }
    int totalCount() const { return m_total; }
    int failedCount() const { return m_failed; }
    /** Finished jobs per second since this batch's first send. */
    double imagesPerSecond() const;

signals:
    void jobSent(int jobId);
    void jobFinished(int jobId, const orchard::PredictionReply &reply);
    void jobFailed(int jobId, const orchard::ProtocolError &error);
    void progressChanged(int done, int total);
    /** Every job of the batch has an answer (or the batch was cancelled). */
    void batchFinished();

private:
    void pump();
    void onPrediction(const PredictionReply &reply);
    void onError(const ProtocolError &error);
    void requeueInFlight();
    void finishJob();

    ServerConnection *m_connection;
    std::deque<Job> m_pending;
    QHash<qint64, Job> m_inFlight; ///< by msg_id
    QHash<qint64, bool> m_ignored; ///< msg_ids of cancelled jobs still on the wire
    int m_maxInFlight = kDefaultMaxInFlight;
    int m_nextJobId = 1;
    qint64 m_nextMessageId = 1;
    int m_done = 0;
    int m_failed = 0;
    int m_total = 0;
    QElapsedTimer m_batchClock;
};

} // namespace orchard
