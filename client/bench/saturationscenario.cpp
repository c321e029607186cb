#include "saturationscenario.h"

#include <vector>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace orchard {

namespace {

struct ScenarioClient
{
    BenchConnection *connection = nullptr;
    const BenchImage *image = nullptr;
    qint64 connectNs = 0;
    bool served = false;
    bool diagnosed = false;
    bool closed = false;
    QTimer *holdTimer = nullptr;
};

} // namespace

SaturationScenario::SaturationScenario(QObject *parent) : QObject(parent) { }

void SaturationScenario::record(SaturationEvent event)
{
    m_events.append(event);
    emit eventRecorded(event);
}

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
    QElapsedTimer clock;
    std::vector<ScenarioClient> clients(options.clients);
    int open = options.clients;
    auto now = [&] { return clock.nsecsElapsed() / 1e9; };
    auto event = [&](int index, SaturationEvent::Kind kind) {
        SaturationEvent e;
        e.seconds = now();
        e.client = index + 1;
        e.kind = kind;
        return e;
    };
    auto closeClient = [&](ScenarioClient &client) {
        if (client.closed)
            return;
        client.closed = true;
        client.holdTimer->stop();
        if (--open == 0)
            loop.quit();
    };

    for (int i = 0; i < options.clients; ++i) {
        ScenarioClient &client = clients[i];
        client.image = &options.images.at(i % options.images.size());
        client.connection = new BenchConnection(options.legacyServer, BenchConnection::BodyForm::Auto, this);
        client.connection->setSecurity(options.tls, options.accessToken);
        client.holdTimer = new QTimer(this);
        client.holdTimer->setSingleShot(true);
        client.holdTimer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
        BenchConnection *connection = client.connection;

        connect(client.holdTimer, &QTimer::timeout, this, [&, i] {
            record(event(i, SaturationEvent::Kind::WentOffline));
            clients[i].connection->disconnectFromServer(QStringLiteral("client %1 goes offline").arg(i + 1));
        });
        connect(connection, &BenchConnection::queued, this, [&, i](int position, int waiting, int workers) {
            if (m_workers == 0)
                m_workers = workers;
            SaturationEvent e = event(i, SaturationEvent::Kind::Queued);
            e.position = position;
            e.waiting = waiting;
            record(e);
        });
        connect(connection, &BenchConnection::ready, this, [&, i] {
            ScenarioClient &c = clients[i];
            if (m_serverDescription.isEmpty())
                m_serverDescription = c.connection->serverDescription();
            if (!options.legacyServer) {
                if (m_workers == 0)
                    m_workers = c.connection->serverWorkers();
                c.served = true;
                SaturationEvent e = event(i, SaturationEvent::Kind::Served);
                e.milliseconds = (clock.nsecsElapsed() - c.connectNs) / 1e6;
                record(e);
            }
            // Asked at connect time, as a farmer clicks Predict; a connection in line can
            // only send once served (an original server's socket just holds the bytes).
            c.connection->sendImage(c.image->name, c.image->bytes, options.topK);
        });
        connect(connection, &BenchConnection::replied, this, [&, i](const PredictionReply &reply) {
            ScenarioClient &c = clients[i];
            if (!c.served) {
                // An original server never says welcome: the answer is the first sign of a worker.
                c.served = true;
                SaturationEvent e = event(i, SaturationEvent::Kind::Served);
                e.milliseconds = (clock.nsecsElapsed() - c.connectNs) / 1e6;
                record(e);
            }
            c.diagnosed = true;
            SaturationEvent e = event(i, SaturationEvent::Kind::Diagnosed);
            e.milliseconds = (clock.nsecsElapsed() - c.connectNs) / 1e6;
            e.detail = QStringLiteral("%1 (%2 %)").arg(reply.label).arg(reply.confidence * 100.0, 0, 'f', 1);
            record(e);
            c.holdTimer->start(static_cast<int>(options.holdSeconds * 1000));
        });
        connect(connection, &BenchConnection::failed, this, [&, i](const QString &code, const QString &message) {
            SaturationEvent e = event(i, SaturationEvent::Kind::Failed);
            e.detail = QStringLiteral("%1: %2").arg(code, message);
            record(e);
            ScenarioClient &c = clients[i];
            if (c.served && !c.diagnosed)
                c.holdTimer->start(static_cast<int>(options.holdSeconds * 1000)); // still leave in turn
        });
        connect(connection, &BenchConnection::offlineAcknowledged, this, [&, i](const QString &text) {
            SaturationEvent e = event(i, SaturationEvent::Kind::Closed);
            e.detail = QStringLiteral("server says goodbye: \"%1\"").arg(text);
            record(e);
            closeClient(clients[i]);
        });
        connect(connection, &BenchConnection::closed, this, [&, i](const QString &reason, bool expected) {
            ScenarioClient &c = clients[i];
            if (c.closed)
                return;
            SaturationEvent e = event(i, SaturationEvent::Kind::Closed);
            e.detail = expected ? QStringLiteral("connection closed") : QStringLiteral("connection lost: %1").arg(reason);
            record(e);
            closeClient(c);
        });
    }

    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, this, [&] {
        m_timedOut = true;
        loop.quit();
    });

    QTimer::singleShot(0, this, [&] {
        clock.start();
        for (int i = 0; i < options.clients; ++i) {
            QTimer::singleShot(i * options.staggerMs, Qt::PreciseTimer, this, [&, i] {
                ScenarioClient &c = clients[i];
                c.connectNs = clock.nsecsElapsed();
                SaturationEvent e = event(i, SaturationEvent::Kind::Asked);
                e.detail = c.image->name;
                record(e);
                c.connection->connectToServer(options.host, options.port);
            });
        }
        giveUp.start(options.timeoutMs);
    });
    loop.exec();

    for (ScenarioClient &client : clients) {
        client.connection->disconnect(this);
        delete client.connection;
        delete client.holdTimer;
    }
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
