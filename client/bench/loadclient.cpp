#include "client/bench/loadclient.h"

#include <algorithm>

#include "client/bench/benchconnection.h"

namespace orchard {

namespace {

double millisecondsSince(const QElapsedTimer &clock, qint64 sinceNs)
{
    return (clock.nsecsElapsed() - sinceNs) / 1e6;
}

} // namespace

LoadClient::LoadClient(int index, LoadLevelState &level, QObject *parent)
    : QObject(parent)
    , m_level(level)
    , m_index(index)
{
    const LoadLevelOptions &options = m_level.options;
    m_connection = new BenchConnection(options.legacyServer, options.bodyForm, this);
    m_connection->setSecurity(options.tls, options.accessToken);
    connect(m_connection, &BenchConnection::ready, this, &LoadClient::onReady);
    connect(m_connection, &BenchConnection::queued, this, &LoadClient::onQueued);
    connect(m_connection, &BenchConnection::replied, this, &LoadClient::onReplied);
    connect(m_connection, &BenchConnection::failed, this, &LoadClient::onFailed);
    connect(m_connection, &BenchConnection::closed, this, &LoadClient::onClosed);
}

LoadClient::~LoadClient()
{
    m_connection->disconnect(this);
    delete m_connection; // nothing is reported from a destructor
}

void LoadClient::connectToServer()
{
    m_connectNs = m_level.clock.nsecsElapsed();
    m_connection->connectToServer(m_level.options.host, m_level.options.port);
}

void LoadClient::stopAfterAnswer()
{
    if (!m_done && !m_waitingForAnswer)
        leave();
}

void LoadClient::dropIfSilent()
{
    // A connection in line has heard `queued`; one that heard nothing is talking to
    // something that is not an Orchard server (or a stuck one).
    if (m_done || m_served || m_connection->serverWorkers() > 0)
        return;
    m_level.recorder.recordError(QStringLiteral("NO_WELCOME"));
    m_errorRecorded = true;
    m_leaving = true;
    m_connection->abort();
    m_level.recorder.recordUnserved();
    finish();
}

void LoadClient::giveUp()
{
    if (m_done)
        return;
    m_level.recorder.recordError(QStringLiteral("LEVEL_TIMEOUT"));
    m_connection->abort();
    if (!m_served)
        m_level.recorder.recordUnserved();
    finish();
}

bool LoadClient::usesBinary() const
{
    return m_connection->usesBinary();
}

void LoadClient::onReady()
{
    m_served = true;
    if (!m_level.options.legacyServer)
        m_level.recorder.recordQueueWait(millisecondsSince(m_level.clock, m_connectNs));
    if (m_level.serverDescription.isEmpty())
        m_level.serverDescription = m_connection->serverDescription();
    m_level.serverWorkers = std::max(m_level.serverWorkers, m_connection->serverWorkers());
    sendNext();
}

void LoadClient::onQueued(int, int, int workers)
{
    m_level.serverWorkers = std::max(m_level.serverWorkers, workers);
}

void LoadClient::onReplied(const PredictionReply &reply)
{
    if (!m_waitingForAnswer)
        return;
    m_waitingForAnswer = false;
    m_level.recorder.recordAnswer(millisecondsSince(m_level.clock, m_sentNs));
    m_level.recorder.recordServerReport(reply.timing, reply.batchSize);
    m_level.lastAnswerNs = m_level.clock.nsecsElapsed();
    sendNext();
}

void LoadClient::onFailed(ErrorCode code)
{
    m_level.recorder.recordError(errorCodeName(code));
    if (!m_waitingForAnswer) {
        m_errorRecorded = true; // a connection-level error (BUSY, TIMEOUT): the close follows
        return;
    }
    m_waitingForAnswer = false;
    sendNext();
}

void LoadClient::onClosed(const QString &reason, bool expected)
{
    if (!expected && !reason.isEmpty())
        m_level.lastConnectionProblem = reason;
    // An error the server named (BUSY, TIMEOUT…) is already counted; this is the rest.
    if (!expected && !m_errorRecorded)
        m_level.recorder.recordError(m_served ? QStringLiteral("CONNECTION_LOST") : QStringLiteral("CONNECT_FAILED"));
    if (!m_served)
        m_level.recorder.recordUnserved();
    finish();
}

bool LoadClient::wantsMore() const
{
    if (m_level.deadlinePassed)
        return false;
    const int requests = m_level.options.requestsPerClient;
    return requests <= 0 || m_sent < requests; // 0 requests: as many as the duration allows
}

void LoadClient::sendNext()
{
    if (!wantsMore()) {
        leave();
        return;
    }
    // Client i's j-th request is image (i + j) mod K: every client cycles through the
    // whole set, and at any moment the clients are on different images.
    const QVector<BenchImage> &images = m_level.options.images;
    const BenchImage &image = images.at((m_index + m_sent) % images.size());
    m_sentNs = m_level.clock.nsecsElapsed();
    if (!m_connection->sendImage(image.name, image.bytes, m_level.options.topK)) {
        m_level.recorder.recordError(QStringLiteral("SEND_FAILED"));
        leave();
        return;
    }
    ++m_sent;
    m_waitingForAnswer = true;
}

void LoadClient::leave()
{
    if (m_leaving || m_done)
        return;
    m_leaving = true;
    m_connection->disconnectFromServer(QStringLiteral("orchard-cli bench done"));
}

void LoadClient::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_level.recorder.addBytesSent(m_connection->bytesSent());
    emit finished();
}

} // namespace orchard
