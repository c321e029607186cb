#pragma once

#include <deque>
#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSize>
#include <QString>

#include "client/core/photodownscaler.h"
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
 * connection is back (ServerConnection reconnects by itself): nothing the user asked for
 * is lost. Nothing is answered twice either: a job is on one connection at a time, under a
 * msg_id never used before, and a dropped socket delivers no more frames, so a late answer
 * to the old request cannot arrive; a job answered before the drop is not sent again.
 *
 * When the server says what its model looks at (welcome's `input`), each photo is sent as
 * a copy no larger than twice that on each side (PhotoDownscaler), made on Qt Concurrent's
 * pool for the next few jobs while earlier ones are on the wire; the order of sending does
 * not change. setSendsOriginals(true), or a server that says nothing, sends the files.
 *
 * Every request asks for the model chosen with setModel() (none: the server's default),
 * and a copy is sized to that model's input, which need not be the default model's.
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
        QByteArray bytes;  ///< what is sent: the file, or its smaller copy once made
        int topK = 3;
        QByteArray file;   ///< the image file, read once (copies are made from it)
        std::optional<ModelInputInfo> preparedFor; ///< the input `bytes` was made for
        bool preparing = false;
        /** Set when bytes is a smaller copy: a pipeline's boxes are scaled back by these. */
        QSize original;
        QSize sent;
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
    /**
     * Drops these jobs alone, wherever they are: not sent yet, or in flight (their replies
     * are ignored); ids no longer queued are passed over. The rest of the line moves up.
     */
    void cancelJobs(const QList<int> &jobIds);

    /**
     * The served model that answers from now on (docs/protocol.md, "Choosing a model"): a
     * name, and a version (nullopt: the latest one served); an empty name asks for the
     * server's default. It is read when a photo is sent, not when it is queued, so photos
     * kept for a reconnect go to the model chosen by then.
     */
    void setModel(const QString &name, std::optional<qint64> version = std::nullopt);
    QString model() const { return m_model; }
    std::optional<qint64> modelVersion() const { return m_modelVersion; }
    /**
     * What the chosen model looks at: its own input when the server's welcome lists it
     * (of its latest version), else the default model's; nullopt when the server did not say.
     */
    std::optional<ModelInputInfo> modelInput() const;

    /** Send the files themselves even to a server that says what its model needs. */
    void setSendsOriginals(bool sendOriginals) { m_sendsOriginals = sendOriginals; }
    bool sendsOriginals() const { return m_sendsOriginals; }
    /** Whether photos go to this server as smaller copies (so a file's size says little). */
    bool sendsCopies() const;

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
    /** The copy to be sent is made: `sent` is its size, `original` the photo's. */
    void jobPrepared(int jobId, bool downscaled, const QSize &original, const QSize &sent);
    void jobFinished(int jobId, const orchard::PredictionReply &reply);
    void jobFailed(int jobId, const orchard::ProtocolError &error);
    void progressChanged(int done, int total);
    /** Every job of the batch has an answer (or the batch was cancelled). */
    void batchFinished();

private:
    void pump();
    bool needsCopy(const Job &job) const;
    /** Starts the copies of the next jobs to be sent, twice maxInFlight of them ahead. */
    void prepareAhead();
    void onPrepared(int jobId, const ModelInputInfo &input, const PhotoDownscaler::Result &result);
    /** Fails a job that never reached the wire; false when that ended the batch. */
    bool failUnsent(int jobId, const ProtocolError &error);
    void onPrediction(const PredictionReply &reply);
    void onError(const ProtocolError &error);
    void requeueInFlight();
    void finishJob();

    ServerConnection *m_connection;
    std::deque<Job> m_pending;
    QHash<qint64, Job> m_inFlight; ///< by msg_id
    QHash<qint64, bool> m_ignored; ///< msg_ids of cancelled jobs still on the wire
    int m_maxInFlight = kDefaultMaxInFlight;
    bool m_sendsOriginals = false;
    QString m_model; ///< empty: the server's default
    std::optional<qint64> m_modelVersion;
    int m_nextJobId = 1;
    qint64 m_nextMessageId = 1;
    int m_done = 0;
    int m_failed = 0;
    int m_total = 0;
    QElapsedTimer m_batchClock;
};

} // namespace orchard
