#include "server/core/serverevents.h"

#include <utility>

#include <QThread>

namespace orchard {

ServerEvents::ServerEvents(QObject *parent) : QObject(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kPredictionBatchDelay);
    connect(&m_batchTimer, &QTimer::timeout, this, &ServerEvents::emitQueued);
}

void ServerEvents::reportSessionStarted(quint64 sessionId, const QString &peer, double waitedMs)
{
    enqueue([=] { emit sessionStarted(sessionId, peer, waitedMs); }, true);
}

void ServerEvents::reportSessionAuthenticated(quint64 sessionId, const QString &label)
{
    enqueue([=] { emit sessionAuthenticated(sessionId, label); }, true);
}

void ServerEvents::reportPrediction(quint64 sessionId, const QString &label, double confidence,
                                    double latencyMs)
{
    enqueue([=] { emit predictionServed(sessionId, label, confidence, latencyMs); }, false);
}

void ServerEvents::reportRequestFailed(quint64 sessionId, ErrorCode code, const QString &message)
{
    enqueue([=] { emit requestFailed(sessionId, code, message); }, true);
}

void ServerEvents::reportSessionEnded(quint64 sessionId, const QString &reason)
{
    enqueue([=] { emit sessionEnded(sessionId, reason); }, true);
}

void ServerEvents::reportListening(const QString &address, quint16 port)
{
    enqueue([=] { emit listening(address, port); }, true);
}

void ServerEvents::reportStopped()
{
    enqueue([this] { emit stopped(); }, true);
}

void ServerEvents::reportConnectionQueued(quint64 sessionId, const QString &peer, int position)
{
    enqueue([=] { emit connectionQueued(sessionId, peer, position); }, true);
}

void ServerEvents::reportConnectionRejected(const QString &peer, const QString &reason)
{
    enqueue([=] { emit connectionRejected(peer, reason); }, true);
}

void ServerEvents::reportWaitingConnectionLeft(quint64 sessionId)
{
    enqueue([=] { emit waitingConnectionLeft(sessionId); }, true);
}

void ServerEvents::reportWaitingLineChanged(const QList<quint64> &sessionIds)
{
    enqueue([=] { emit waitingLineChanged(sessionIds); }, true);
}

void ServerEvents::reportWorkerCountChanged(int workers)
{
    enqueue([=] { emit workerCountChanged(workers); }, true);
}

void ServerEvents::reportDraining(const QString &why, qint64 seconds)
{
    enqueue([=] { emit draining(why, seconds); }, true);
}

void ServerEvents::reportWorkersWarmed(int threads, double wallMs, double slowestMs, const QString &error)
{
    enqueue([=] { emit workersWarmed(threads, wallMs, slowestMs, error); }, true);
}

void ServerEvents::reportModelEvent(const QString &model, qint64 version, const QString &text, bool problem)
{
    enqueue([=] { emit modelEvent(model, version, text, problem); }, true);
}

void ServerEvents::enqueue(Emission emission, bool now)
{
    if (QThread::currentThread() == thread()) {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_queue.push_back(std::move(emission));
        }
        // No wake-up to save in this thread: emit now, after what sessions queued before.
        emitQueued();
        return;
    }
    bool postEmit = false;
    bool startBatch = false;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        startBatch = m_queue.empty();
        m_queue.push_back(std::move(emission));
        if (now && !m_emitPosted)
            postEmit = m_emitPosted = true;
    }
    // At most one wake-up of this thread per batch of predictions, and one per other
    // report. The timer belongs to this thread, so it is started there; restarting a
    // running one would only delay the batch.
    if (postEmit)
        QMetaObject::invokeMethod(this, "emitQueued", Qt::QueuedConnection);
    else if (startBatch)
        QMetaObject::invokeMethod(this, "startBatchTimer", Qt::QueuedConnection);
}

void ServerEvents::startBatchTimer()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void ServerEvents::emitQueued()
{
    // A receiver that reports (or spins the event loop) calls back in here: emitting the
    // queue from inside would put its events before the rest of the batch being emitted.
    // The outer call takes them after that batch instead.
    if (m_emitting) {
        m_queuedWhileEmitting = true;
        return;
    }
    m_emitting = true;
    do {
        m_queuedWhileEmitting = false;
        std::vector<Emission> queued;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            queued.swap(m_queue);
            m_emitPosted = false;
        }
        for (const Emission &emission : queued)
            emission();
    } while (m_queuedWhileEmitting);
    m_emitting = false;
}

} // namespace orchard
