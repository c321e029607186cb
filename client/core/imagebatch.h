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
 * table never loses a row to it.
 *
 * Items leave only when the user takes them out (remove(), clear()): the request of one
 * still pending is cancelled first and an answer already on its way is dropped, then the
 * rows behind it move up. A row number is therefore good until the next removal; the
 * views follow through itemsAboutToBeRemoved()/itemsRemoved(), and code that keeps rows
 * across one (a plant's photos) must renumber them or look them up again by path.
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
    /**
     * Takes these rows out of the batch (rows not in it are passed over): their pending
     * requests are cancelled, then each contiguous range goes, the last range first, and
     * the rows behind it move up.
     */
    void remove(QList<int> rows);
    /** Takes every item out, cancelling whatever is pending. */
    void clear();

signals:
    void itemAboutToBeAdded(int row);
    void itemAdded(int row);
    void itemChanged(int row);
    /** The item got its answer or its error (its status is Done or Failed). */
    void itemFinished(int row);
    /**
     * Rows first to last (inclusive, contiguous) are about to go; they are still there.
     * A removal of scattered rows sends one pair per range, the last range first, so the
     * rows a later pair names have not moved yet.
     */
    void itemsAboutToBeRemoved(int first, int last);
    /** Rows first to last are gone; the rows that were behind them are last − first + 1 lower. */
    void itemsRemoved(int first, int last);

private:
    int insert(const LoadedImage &image);
    /** Takes out one contiguous range whose requests are cancelled already. */
    void removeRange(int first, int last);
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
