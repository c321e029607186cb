#include "serverevents.h"

#include <utility>

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

void ServerEvents::reportRequestFailed(quint64 sessionId, const QString &code, const QString &message)
{
    enqueue([=] { emit requestFailed(sessionId, code, message); }, true);
}

void ServerEvents::reportSessionEnded(quint64 sessionId, const QString &reason)
{
    enqueue([=] { emit sessionEnded(sessionId, reason); }, true);
}

void ServerEvents::enqueue(Emission emission, bool now)
{
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
    std::vector<Emission> queued;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        queued.swap(m_queue);
        m_emitPosted = false;
    }
    for (const Emission &emission : queued)
        emission();
}

} // namespace orchard
