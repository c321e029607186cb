#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QTcpServer>
#include <QTimer>

namespace orchard {

class OrchardServer;

/**
 * HAProxy's agent check (--agent-port): HAProxy connects every agent-inter, reads one
 * line and weights the backend by it (docs/scale-out.md). What it hears:
 *
 *   up ready 60%            the share of workers free now: HAProxy sends more clients here
 *   drain                   draining (SIGTERM, POST /admin/drain): no new clients, keep the old
 *   down#no model loaded    nothing to serve: taken out until the answer changes
 *
 * Health (GET /health/ready) says whether to send clients at all; the agent says how many,
 * from what the server knows of its own workers, which HAProxy's connection counts cannot
 * tell (a backend's waiting line, a reload, a pool resized from the monitor).
 *
 * Each connection is answered and closed at once, from the server's own thread, without a
 * socket object: the answer is a few bytes that fit any socket buffer.
 */
class AgentEndpoint : public QTcpServer
{
    Q_OBJECT

public:
    /** After an accept error (out of descriptors), accepting is tried again this much later. */
    static constexpr int kAcceptRetryMs = 100;

    /** server: what the answers describe; it must outlive this endpoint. */
    explicit AgentEndpoint(const OrchardServer *server, QObject *parent = nullptr);

    /** Listens on address and port (0: any free one); false with errorString() if it cannot. */
    bool start(const QHostAddress &address, quint16 port);

    /**
     * The agent's line for a server in this state. The free share never goes below 1 %:
     * at 0 % HAProxy treats the backend as drained, and with every backend full none would
     * take a client, who would then get HAProxy's refusal instead of a place in Orchard's
     * waiting line and its position.
     */
    static QByteArray answer(bool modelLoaded, bool draining, int workers, int activeSessions, int waiting);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    const OrchardServer *m_server;
    QTimer m_acceptRetry;
};

} // namespace orchard
