#include "client/core/requestqueue.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QFutureWatcher>
#include <QLocale>
#include <QSet>
#include <QtConcurrent>

#include "client/core/serverconnection.h"
#include "common/protocol/imagerequest.h"

namespace orchard {

RequestQueue::RequestQueue(ServerConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(connection, &ServerConnection::welcomed, this, &RequestQueue::pump);
    connect(connection, &ServerConnection::predictionReceived, this, &RequestQueue::onPrediction);
    connect(connection, &ServerConnection::requestFailed, this, &RequestQueue::onError);
    connect(connection, &ServerConnection::stateChanged, this, [this](ServerConnection::State state) {
        // Connecting too: connectToServer() on a live connection drops the old socket
        // without passing through Disconnected, and its replies will never come. And
        // Reconnecting: the old socket is gone and its frames are no longer delivered, so
        // what it still owed is sent once more on the next session, with new msg_ids.
        if (state == ServerConnection::State::Disconnected || state == ServerConnection::State::Connecting
            || state == ServerConnection::State::Reconnecting)
            requeueInFlight();
    });
}

int RequestQueue::enqueue(const QString &name, const QByteArray &bytes, int topK)
{
    if (isIdle()) {
        m_done = m_failed = m_total = 0;
        m_batchClock.invalidate();
    }
    Job job;
    job.id = m_nextJobId++;
    job.name = name;
    job.bytes = bytes;
    job.file = bytes;
    job.topK = topK;
    m_pending.push_back(job);
    ++m_total;
    emit progressChanged(m_done, m_total);
    pump();
    return job.id;
}

std::optional<ProtocolError> RequestQueue::sizeError(const QString &name, qint64 imageBytes, int topK) const
{
    ImageRequest planned;
    planned.name = name;
    planned.topK = topK;
    planned.model = m_model;
    planned.modelVersion = m_modelVersion;
    // The header it will have: a named model may not leave room for a binary body's header.
    planned.messageId = m_nextMessageId;
    const qint64 length = m_connection->bodyLengthFor(planned, imageBytes);
    if (length <= m_connection->maxMessageLength())
        return std::nullopt;
    return ProtocolError { ErrorCode::TooLarge,
                           tr("The image is %1 MiB to send; the server accepts at most %2 MiB.")
                                   .arg(QLocale().toString(length / 1048576.0, 'f', 1),
                                        QLocale().toString(m_connection->maxMessageLength() / 1048576.0, 'f', 1)),
                           std::nullopt };
}

void RequestQueue::cancel()
{
    const bool hadWork = !isIdle();
    m_total -= static_cast<int>(m_pending.size()) + static_cast<int>(m_inFlight.size());
    m_pending.clear();
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        m_ignored.insert(it.key(), true);
    m_inFlight.clear();
    if (hadWork) {
        emit progressChanged(m_done, m_total);
        emit batchFinished();
    }
}

void RequestQueue::cancelJobs(const QList<int> &jobIds)
{
    const QSet<int> cancelled(jobIds.cbegin(), jobIds.cend());
    const bool hadWork = !isIdle();
    const auto kept = std::remove_if(m_pending.begin(), m_pending.end(),
                                     [&cancelled](const Job &job) { return cancelled.contains(job.id); });
    int dropped = static_cast<int>(std::distance(kept, m_pending.end()));
    m_pending.erase(kept, m_pending.end());
    for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
        if (!cancelled.contains(it->id)) {
            ++it;
            continue;
        }
        m_ignored.insert(it.key(), true);
        it = m_inFlight.erase(it);
        ++dropped;
    }
    if (dropped == 0)
        return;
    m_total -= dropped;
    emit progressChanged(m_done, m_total);
    if (hadWork && isIdle()) {
        emit batchFinished();
        return;
    }
    // An ignored answer does not pump (onPrediction), so the photos behind a cancelled one
    // would wait for an answer that is never counted: send them now. The server may then
    // hold one or two requests more than maxInFlight for as long as it works on the
    // cancelled ones; a stalled line would be worse.
    pump();
}

double RequestQueue::imagesPerSecond() const
{
    if (!m_batchClock.isValid() || m_done == 0)
        return 0.0;
    const double seconds = m_batchClock.nsecsElapsed() / 1e9;
    return seconds > 0 ? m_done / seconds : 0.0;
}

void RequestQueue::setModel(const QString &name, std::optional<qint64> version)
{
    m_model = name;
    m_modelVersion = version;
    pump(); // copies made for another model's input are made again before they are sent
}

std::optional<ModelInputInfo> RequestQueue::modelInput() const
{
    // A model the welcome does not list is either served by a server that lists none (which
    // answers with its one model whatever is asked) or unknown (UNKNOWN_MODEL, whatever is sent).
    if (!m_model.isEmpty()) {
        if (const auto served = m_connection->servedModel(m_model))
            return served->input;
    }
    return m_connection->modelInput();
}

bool RequestQueue::sendsCopies() const
{
    return !m_sendsOriginals && modelInput().has_value();
}

bool RequestQueue::needsCopy(const Job &job) const
{
    return sendsCopies() && job.preparedFor != modelInput();
}

void RequestQueue::prepareAhead()
{
    if (!m_connection->isConnected() || !sendsCopies())
        return;
    // Twice the pipeline's depth ahead, so that copies are ready before the wire wants them.
    const ModelInputInfo input = *modelInput();
    int ahead = 0;
    for (Job &job : m_pending) {
        if (ahead++ >= 2 * m_maxInFlight)
            break;
        if (job.preparing || !needsCopy(job))
            continue;
        if (!PhotoDownscaler::worthCopying(job.file, input)) {
            job.bytes = job.file; // small enough already: it goes as it is, now
            job.preparedFor = input;
            job.original = job.sent = QSize();
            continue;
        }
        job.preparing = true;
        auto *watcher = new QFutureWatcher<PhotoDownscaler::Result>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, jobId = job.id, input] {
            onPrepared(jobId, input, watcher->result());
            watcher->deleteLater();
        });
        watcher->setFuture(QtConcurrent::run(&PhotoDownscaler::prepare, job.file, input));
    }
}

void RequestQueue::onPrepared(int jobId, const ModelInputInfo &input, const PhotoDownscaler::Result &result)
{
    const auto job = std::find_if(m_pending.begin(), m_pending.end(), [jobId](const Job &j) { return j.id == jobId; });
    if (job == m_pending.end())
        return; // cancelled meanwhile
    job->preparing = false;
    job->bytes = result.bytes;
    job->preparedFor = input;
    job->original = result.downscaled ? result.original : QSize();
    job->sent = result.downscaled ? result.sent : QSize();
    emit jobPrepared(jobId, result.downscaled, result.original, result.sent);
    pump();
}

void RequestQueue::pump()
{
    prepareAhead();
    while (m_connection->isConnected() && !m_pending.empty() && m_inFlight.size() < m_maxInFlight) {
        if (needsCopy(m_pending.front()))
            return; // its copy is on its way; onPrepared() pumps again
        Job job = std::move(m_pending.front());
        m_pending.pop_front();
        if (const auto tooLarge = sizeError(job.name, job.bytes.size(), job.topK)) {
            // The server would answer TOO_LARGE and close the connection, taking every
            // request behind this one with it: refuse it here instead.
            if (!failUnsent(job.id, *tooLarge))
                return;
            continue;
        }
        ImageRequest request;
        request.imageData = job.bytes;
        request.name = job.name;
        request.topK = job.topK;
        request.model = m_model;
        request.modelVersion = m_modelVersion;
        request.messageId = m_nextMessageId++;
        QString framingError;
        if (!m_connection->sendImage(request, &framingError)) {
            if (framingError.isEmpty()) {
                m_pending.push_front(std::move(job));
                return;
            }
            // Sending it again would fail again and hold up every photo behind it.
            const ProtocolError unsendable { ErrorCode::BadHeader,
                                             tr("%1 cannot be sent: %2").arg(job.name, framingError), std::nullopt };
            if (!failUnsent(job.id, unsendable))
                return;
            continue;
        }
        if (!m_batchClock.isValid())
            m_batchClock.start();
        const int jobId = job.id;
        m_inFlight.insert(*request.messageId, std::move(job));
        emit jobSent(jobId);
    }
}

bool RequestQueue::failUnsent(int jobId, const ProtocolError &error)
{
    ++m_failed;
    ++m_done;
    emit jobFailed(jobId, error);
    emit progressChanged(m_done, m_total);
    if (!isIdle())
        return true;
    emit batchFinished();
    return false;
}

void RequestQueue::onPrediction(const PredictionReply &reply)
{
    if (!reply.messageId)
        return;
    if (m_ignored.remove(*reply.messageId))
        return;
    const auto it = m_inFlight.find(*reply.messageId);
    if (it == m_inFlight.end())
        return;
    const int jobId = it->id;
    const QSize original = it->original;
    const QSize sent = it->sent;
    m_inFlight.erase(it);
    if (reply.detections && sent.isValid() && !sent.isEmpty() && original != sent) {
        // The server's boxes are in the pixels of the copy it was sent; the farmer's photo
        // is the original: scale them back, rounding outwards, inside the photo.
        PredictionReply scaled = reply;
        const double sx = double(original.width()) / sent.width();
        const double sy = double(original.height()) / sent.height();
        for (DetectionReport &detection : *scaled.detections) {
            const PixelBox &box = detection.box;
            detection.box = PixelBox::scaled(box.x, box.y, box.width, box.height, sx, sy, original.width(),
                                             original.height());
        }
        emit jobFinished(jobId, scaled);
        finishJob();
        return;
    }
    emit jobFinished(jobId, reply);
    finishJob();
}

void RequestQueue::onError(const ProtocolError &error)
{
    if (!error.messageId || m_ignored.remove(*error.messageId))
        return;
    const auto it = m_inFlight.find(*error.messageId);
    if (it == m_inFlight.end())
        return;
    const int jobId = it->id;
    m_inFlight.erase(it);
    ++m_failed;
    emit jobFailed(jobId, error);
    finishJob();
}

void RequestQueue::finishJob()
{
    ++m_done;
    emit progressChanged(m_done, m_total);
    if (isIdle())
        emit batchFinished();
    else
        pump();
}

void RequestQueue::requeueInFlight()
{
    m_ignored.clear(); // a new connection reuses nothing of the old one's msg_ids
    if (m_inFlight.isEmpty())
        return;
    // Back to the front, in the order they were sent, to be sent again after reconnecting.
    QList<qint64> ids = m_inFlight.keys();
    std::sort(ids.begin(), ids.end(), std::greater<>());
    for (qint64 id : ids)
        m_pending.push_front(m_inFlight.take(id));
}

} // namespace orchard
