#include "client/bench/saturationscenario.h"

#include <QEventLoop>
#include <QTimer>

namespace orchard {

SaturationScenario::SaturationScenario(QObject *parent) : QObject(parent) { }

void SaturationScenario::run(const SaturationOptions &options)
{
    m_options = options;
    m_events.clear();
    m_workers = options.expectedWorkers;
    m_serverDescription.clear();
    m_timedOut = false;
    if (options.images.isEmpty() || options.clients < 1)
        return;

    QEventLoop loop;
    m_loop = &loop;
    m_open = m_options.clients;
    m_clients.resize(m_options.clients);
    for (int i = 0; i < m_options.clients; ++i)
        createClient(i);

    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, &loop, [&] {
        m_timedOut = true;
        loop.quit();
    });
    // The loop is the context of the staggered starts: those still pending when it gives
    // up die with it instead of firing into a later run.
    QTimer::singleShot(0, &loop, [&] {
        m_clock.start();
        for (int i = 0; i < m_options.clients; ++i)
            QTimer::singleShot(i * m_options.staggerMs, Qt::PreciseTimer, &loop, [this, i] { connectClient(i); });
        giveUp.start(m_options.timeoutMs);
    });
    loop.exec();

    destroyClients();
    m_loop = nullptr;
}

void SaturationScenario::createClient(int index)
{
    Client &client = m_clients[index];
    client.image = &m_options.images.at(index % m_options.images.size());
    client.connection = new BenchConnection(m_options.legacyServer, BenchConnection::BodyForm::Auto, this);
    client.connection->setSecurity(m_options.tls, m_options.accessToken);
    client.holdTimer = new QTimer(this);
    client.holdTimer->setSingleShot(true);
    client.holdTimer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early

    connect(client.holdTimer, &QTimer::timeout, this, [this, index] { goOffline(index); });
    BenchConnection *connection = client.connection;
    connect(connection, &BenchConnection::queued, this, [this, index](int position, int waiting, int workers) {
        onQueued(index, position, waiting, workers);
    });
    connect(connection, &BenchConnection::ready, this, [this, index] { onReady(index); });
    connect(connection, &BenchConnection::replied, this,
            [this, index](const PredictionReply &reply) { onReplied(index, reply); });
    connect(connection, &BenchConnection::failed, this,
            [this, index](ErrorCode code, const QString &message) { onFailed(index, code, message); });
    connect(connection, &BenchConnection::offlineAcknowledged, this,
            [this, index](const QString &text) { onOfflineAcknowledged(index, text); });
    connect(connection, &BenchConnection::closed, this,
            [this, index](const QString &reason, bool expected) { onClosed(index, reason, expected); });
}

void SaturationScenario::destroyClients()
{
    for (Client &client : m_clients) {
        client.connection->disconnect(this);
        delete client.connection;
        delete client.holdTimer;
    }
    m_clients.clear();
}

void SaturationScenario::connectClient(int index)
{
    Client &client = m_clients[index];
    client.connectNs = m_clock.nsecsElapsed();
    SaturationEvent asked = eventFor(index, SaturationEvent::Kind::Asked);
    asked.detail = client.image->name;
    record(asked);
    client.connection->connectToServer(m_options.host, m_options.port);
}

void SaturationScenario::onQueued(int index, int position, int waiting, int workers)
{
    if (m_workers == 0)
        m_workers = workers;
    SaturationEvent queued = eventFor(index, SaturationEvent::Kind::Queued);
    queued.position = position;
    queued.waiting = waiting;
    record(queued);
}

void SaturationScenario::onReady(int index)
{
    Client &client = m_clients[index];
    if (m_serverDescription.isEmpty())
        m_serverDescription = client.connection->serverDescription();
    if (!m_options.legacyServer) {
        if (m_workers == 0)
            m_workers = client.connection->serverWorkers();
        recordServed(index);
    }
    // Asked at connect time, as a farmer clicks Predict; a connection in line can only
    // send once served (an original server's socket just holds the bytes).
    client.connection->sendImage(client.image->name, client.image->bytes, m_options.topK);
}

void SaturationScenario::onReplied(int index, const PredictionReply &reply)
{
    Client &client = m_clients[index];
    if (!client.served)
        recordServed(index); // an original server never says welcome: the answer is the first sign of a worker
    client.diagnosed = true;
    SaturationEvent diagnosed = eventFor(index, SaturationEvent::Kind::Diagnosed);
    diagnosed.milliseconds = millisecondsSinceConnect(index);
    diagnosed.detail = QStringLiteral("%1 (%2 %)").arg(reply.label).arg(reply.confidence * 100.0, 0, 'f', 1);
    record(diagnosed);
    holdWorker(index);
}

void SaturationScenario::onFailed(int index, ErrorCode code, const QString &message)
{
    SaturationEvent failed = eventFor(index, SaturationEvent::Kind::Failed);
    failed.detail = QStringLiteral("%1: %2").arg(errorCodeName(code), message);
    record(failed);
    const Client &client = m_clients[index];
    if (client.served && !client.diagnosed)
        holdWorker(index); // still leave in turn
}

void SaturationScenario::onOfflineAcknowledged(int index, const QString &text)
{
    SaturationEvent closed = eventFor(index, SaturationEvent::Kind::Closed);
    closed.detail = QStringLiteral("server says goodbye: \"%1\"").arg(text);
    record(closed);
    closeClient(index);
}

void SaturationScenario::onClosed(int index, const QString &reason, bool expected)
{
    if (m_clients[index].closed)
        return;
    SaturationEvent closed = eventFor(index, SaturationEvent::Kind::Closed);
    closed.detail = expected ? QStringLiteral("connection closed") : QStringLiteral("connection lost: %1").arg(reason);
    record(closed);
    closeClient(index);
}

void SaturationScenario::goOffline(int index)
{
    record(eventFor(index, SaturationEvent::Kind::WentOffline));
    m_clients[index].connection->disconnectFromServer(QStringLiteral("client %1 goes offline").arg(index + 1));
}

void SaturationScenario::holdWorker(int index)
{
    m_clients[index].holdTimer->start(static_cast<int>(m_options.holdSeconds * 1000));
}

void SaturationScenario::recordServed(int index)
{
    m_clients[index].served = true;
    SaturationEvent served = eventFor(index, SaturationEvent::Kind::Served);
    served.milliseconds = millisecondsSinceConnect(index);
    record(served);
}

void SaturationScenario::closeClient(int index)
{
    Client &client = m_clients[index];
    if (client.closed)
        return;
    client.closed = true;
    client.holdTimer->stop();
    if (--m_open == 0)
        m_loop->quit();
}

SaturationEvent SaturationScenario::eventFor(int index, SaturationEvent::Kind kind) const
{
    SaturationEvent event;
    event.seconds = m_clock.nsecsElapsed() / 1e9;
    event.client = index + 1;
    event.kind = kind;
    return event;
}

double SaturationScenario::millisecondsSinceConnect(int index) const
{
    return (m_clock.nsecsElapsed() - m_clients[index].connectNs) / 1e6;
}

void SaturationScenario::record(SaturationEvent event)
{
    m_events.append(event);
    emit eventRecorded(event);
}

SaturationVerdict SaturationScenario::verdict() const
{
    SaturationExpectation expected;
    expected.clients = m_options.clients;
    expected.workers = m_workers;
    expected.queuedMessages = !m_options.legacyServer;
    SaturationVerdict verdict = judgeSaturation(m_events, expected);
    if (m_timedOut) {
        verdict.passed = false;
        verdict.checks.append({ false, QStringLiteral("the scenario did not finish within %1 s")
                                               .arg(m_options.timeoutMs / 1000.0, 0, 'f', 0) });
    }
    if (m_workers < 1) {
        verdict.passed = false;
        verdict.checks.prepend({ false, QStringLiteral("the server never said how many workers it has (use --workers)") });
    }
    return verdict;
}

QString SaturationScenario::describe(const SaturationEvent &event, bool legacyServer)
{
    using Kind = SaturationEvent::Kind;
    switch (event.kind) {
    case Kind::Asked:
        return QStringLiteral("connects and asks for a diagnosis of %1").arg(event.detail);
    case Kind::Queued:
        return QStringLiteral("told queued: position %1 of %2").arg(event.position).arg(event.waiting);
    case Kind::Served:
        if (legacyServer)
            return event.milliseconds < 1000
                    ? QStringLiteral("answered at once: a worker took it")
                    : QStringLiteral("answered after %1 s of silence: a worker took it").arg(event.milliseconds / 1000.0, 0, 'f', 2);
        return event.milliseconds < 100
                ? QStringLiteral("served at once (welcome)")
                : QStringLiteral("served after waiting %1 s (welcome)").arg(event.milliseconds / 1000.0, 0, 'f', 2);
    case Kind::Diagnosed:
        return QStringLiteral("diagnosis: %1, %2 ms after asking").arg(event.detail).arg(event.milliseconds, 0, 'f', 0);
    case Kind::Failed:
        return QStringLiteral("error %1").arg(event.detail);
    case Kind::WentOffline:
        return QStringLiteral("goes offline, freeing its worker");
    case Kind::Closed:
        return event.detail;
    }
    return {};
}

} // namespace orchard
