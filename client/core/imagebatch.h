#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QVector>

#include "client/core/imageloader.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/protocolerror.h"

namespace orchard {

class RequestQueue;

/**
 * The images a user asked about, each with where it stands and its result: the one
 * record of a batch that the desktop client's list and results table show, and that
 * `orchard-cli predict` prints from.
 *
 * An item is New until it is queued; Queued while it waits in the RequestQueue, Sent
 * once it is on the wire, then Done (with the server's reply) or Failed (with why). A
 * re-run of an item keeps its last result until the new one arrives, so the results
 * table never loses a row. Items are never removed: rows stay stable for the views.
 */
class ImageBatch : public QObject
{
    Q_OBJECT

public:
    enum class Status { New, Queued, Sent, Done, Failed };

    struct Item
    {
        LoadedImage image;
        Status status = Status::New;
        int jobId = 0; ///< its RequestQueue job while Queued or Sent
        PredictionReply reply; ///< the last diagnosis (name filled in when the server sent none)
        /** Why the last run failed: the server's code (BAD_IMAGE…) or a local one (UNREADABLE…). */
        QString errorCode;
        QString error;
        double roundTripMs = 0.0; ///< from queueing the request to its answer
        bool hasResult = false; ///< answered or failed at least once
        QElapsedTimer sinceQueued;

        bool isPending() const { return status == Status::Queued || status == Status::Sent; }
    };

    explicit ImageBatch(RequestQueue *queue, QObject *parent = nullptr);

    /** Adds an image unless the same path is already listed; returns its row. */
    int add(const LoadedImage &image);
    /** Adds an image even when its path is listed already (a command line means what it says). */
    int append(const LoadedImage &image);

    int count() const { return static_cast<int>(m_items.size()); }
    const Item &item(int row) const { return m_items.at(row); }
    int rowOf(const QString &path) const;
    int countWithStatus(Status status) const;
    /** The rows answered or failed at least once, in batch order. */
    QList<int> rowsWithResult() const;

    /**
     * Whether items keep their bytes once answered. The desktop client keeps them (a re-run,
     * the preview); `orchard-cli predict` does not, so a folder of photos never sits in memory.
     */
    void setKeepsBytes(bool keep) { m_keepsBytes = keep; }
    /** Gives an item its file's bytes (the CLI reads each file just before it is sent). */
    void setBytes(int row, const QByteArray &bytes);

    /** Queues the item for diagnosis unless it is pending already; false when it was. */
    bool enqueue(int row, int topK);
    /** Records an answer that did not come through the queue (the offline engine, a test). */
    void answer(int row, const PredictionReply &reply, double roundTripMs = 0.0);
    /** Marks an item failed without asking the server (unreadable, too large, empty folder). */
    void fail(int row, const QString &code, const QString &message);
    /** Drops every pending request; those items go back to New. */
    void cancel();

signals:
    void itemAboutToBeAdded(int row);
    void itemAdded(int row);
    void itemChanged(int row);
    /** The item got its answer or its error (its status is Done or Failed). */
    void itemFinished(int row);

private:
    int insert(const LoadedImage &image);
    /** The row waiting for this job, no longer waiting; -1 when none is. */
    int takeRowOfJob(int jobId);
    void onJobSent(int jobId);
    void onJobFinished(int jobId, const PredictionReply &reply);
    void onJobFailed(int jobId, const ProtocolError &error);
    void finish(int row);

    RequestQueue *m_queue;
    QVector<Item> m_items;
    QHash<int, int> m_rowOfJob; ///< RequestQueue job id → row
    bool m_keepsBytes = true;
};

} // namespace orchard
