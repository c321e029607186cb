#include "client/core/imagebatch.h"

#include <algorithm>
#include <numeric>

#include "client/core/requestqueue.h"

namespace orchard {

ImageBatch::ImageBatch(RequestQueue *queue, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
{
    connect(queue, &RequestQueue::jobSent, this, &ImageBatch::onJobSent);
    connect(queue, &RequestQueue::jobFinished, this, &ImageBatch::onJobFinished);
    connect(queue, &RequestQueue::jobFailed, this, &ImageBatch::onJobFailed);
}

int ImageBatch::add(const LoadedImage &image)
{
    const int existing = rowOf(image.path);
    return existing >= 0 ? existing : insert(image);
}

int ImageBatch::append(const LoadedImage &image)
{
    return insert(image);
}

int ImageBatch::insert(const LoadedImage &image)
{
    const int row = count();
    emit itemAboutToBeAdded(row);
    Item item;
    item.image = image;
    m_items.append(item);
    emit itemAdded(row);
    return row;
}

int ImageBatch::rowOf(const QString &path) const
{
    const auto found = std::find_if(m_items.cbegin(), m_items.cend(),
                                    [&path](const Item &item) { return item.image.path == path; });
    return found == m_items.cend() ? -1 : static_cast<int>(found - m_items.cbegin());
}

int ImageBatch::countWithStatus(Status status) const
{
    return static_cast<int>(std::count_if(m_items.cbegin(), m_items.cend(),
                                          [status](const Item &item) { return item.status == status; }));
}

QList<int> ImageBatch::rowsWithResult() const
{
    QList<int> rows;
    for (int row = 0; row < count(); ++row) {
        if (m_items.at(row).hasResult)
            rows.append(row);
    }
    return rows;
}

void ImageBatch::setBytes(int row, const QByteArray &bytes)
{
    m_items[row].image.bytes = bytes;
}

bool ImageBatch::enqueue(int row, int topK)
{
    Item &item = m_items[row];
    if (item.isPending())
        return false;
    item.status = Status::Queued;
    item.sinceQueued.start();
    // enqueue() may send at once and report jobSent before it returns: know the job first.
    const int jobId = m_queue->nextJobId();
    item.jobId = jobId;
    m_rowOfJob.insert(jobId, row);
    emit itemChanged(row);
    m_queue->enqueue(item.image.fileName, item.image.bytes, topK);
    return true;
}

void ImageBatch::fail(int row, const QString &code, const QString &message)
{
    Item &item = m_items[row];
    item.status = Status::Failed;
    item.errorCode = code;
    item.error = message;
    finish(row);
}

void ImageBatch::cancel()
{
    m_queue->cancel();
    for (auto it = m_rowOfJob.cbegin(); it != m_rowOfJob.cend(); ++it) {
        Item &item = m_items[it.value()];
        item.status = Status::New;
        item.jobId = 0;
        emit itemChanged(it.value());
    }
    m_rowOfJob.clear();
}

void ImageBatch::remove(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    rows.erase(std::remove_if(rows.begin(), rows.end(), [this](int row) { return row < 0 || row >= count(); }),
               rows.end());
    if (rows.isEmpty())
        return;
    // The requests go before any row moves: cancelling may send the next photo (jobSent)
    // or end the batch (batchFinished), and whoever hears that must find the batch whole.
    // Out of m_rowOfJob, an answer already on its way finds no row and is dropped.
    QList<int> jobs;
    for (int row : std::as_const(rows)) {
        Item &item = m_items[row];
        if (!item.isPending())
            continue;
        jobs.append(item.jobId);
        m_rowOfJob.remove(item.jobId);
        item.status = Status::New;
        item.jobId = 0;
    }
    if (!jobs.isEmpty())
        m_queue->cancelJobs(jobs);
    // The last range first: the rows of the ranges before it stay where they are.
    int last = static_cast<int>(rows.size()) - 1;
    while (last >= 0) {
        int first = last;
        while (first > 0 && rows.at(first - 1) == rows.at(first) - 1)
            --first;
        removeRange(rows.at(first), rows.at(last));
        last = first - 1;
    }
}

void ImageBatch::clear()
{
    QList<int> rows(count());
    std::iota(rows.begin(), rows.end(), 0);
    remove(rows);
}

void ImageBatch::removeRange(int first, int last)
{
    const int removed = last - first + 1;
    emit itemsAboutToBeRemoved(first, last);
    m_items.remove(first, removed);
    for (auto it = m_rowOfJob.begin(); it != m_rowOfJob.end(); ++it) {
        if (it.value() > last)
            it.value() -= removed;
    }
    emit itemsRemoved(first, last);
}

void ImageBatch::onJobSent(int jobId)
{
    const auto found = m_rowOfJob.constFind(jobId);
    if (found == m_rowOfJob.cend())
        return;
    m_items[found.value()].status = Status::Sent;
    emit itemChanged(found.value());
}

int ImageBatch::takeRowOfJob(int jobId)
{
    const auto found = m_rowOfJob.constFind(jobId);
    if (found == m_rowOfJob.cend())
        return -1; // not ours, or cancelled
    const int row = found.value();
    m_rowOfJob.erase(found);
    return row;
}

void ImageBatch::onJobFinished(int jobId, const PredictionReply &reply)
{
    const int row = takeRowOfJob(jobId);
    if (row >= 0)
        answer(row, reply, m_items.at(row).sinceQueued.nsecsElapsed() / 1e6);
}

void ImageBatch::answer(int row, const PredictionReply &reply, double roundTripMs)
{
    Item &item = m_items[row];
    item.status = Status::Done;
    item.reply = reply;
    if (item.reply.name.isEmpty()) // binary bodies carry no name; we know which file it was
        item.reply.name = item.image.fileName;
    item.roundTripMs = roundTripMs;
    item.errorCode.clear();
    item.error.clear();
    finish(row);
}

void ImageBatch::onJobFailed(int jobId, const ProtocolError &error)
{
    const int row = takeRowOfJob(jobId);
    if (row >= 0)
        fail(row, errorCodeName(error.code), error.message);
}

void ImageBatch::finish(int row)
{
    Item &item = m_items[row];
    item.jobId = 0;
    item.hasResult = true;
    if (!m_keepsBytes)
        item.image.bytes.clear();
    emit itemChanged(row);
    emit itemFinished(row);
}

} // namespace orchard
