#include "server/core/agentendpoint.h"

#include <algorithm>

#include <sys/socket.h>
#include <unistd.h>

#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"

namespace orchard {

AgentEndpoint::AgentEndpoint(const OrchardServer *server, QObject *parent)
    : QTcpServer(parent)
    , m_server(server)
{
    // Out of descriptors QTcpServer pauses accepting for good (acceptError); an agent that
    // stopped answering would read to HAProxy as a dead backend, so accept again soon.
    m_acceptRetry.setSingleShot(true);
    m_acceptRetry.setInterval(kAcceptRetryMs);
    connect(&m_acceptRetry, &QTimer::timeout, this, &QTcpServer::resumeAccepting);
    connect(this, &QTcpServer::acceptError, this, [this] { m_acceptRetry.start(); });
}

bool AgentEndpoint::start(const QHostAddress &address, quint16 port)
{
    return listen(address, port);
}

QByteArray AgentEndpoint::answer(bool modelLoaded, bool draining, int workers, int activeSessions, int waiting)
{
    if (!modelLoaded)
        return QByteArrayLiteral("down#no model loaded\n");
    if (draining)
        return QByteArrayLiteral("drain\n");
    // With clients waiting in line no worker is free, whatever the count says for a moment.
    const int free = waiting > 0 ? 0 : std::max(0, workers - activeSessions);
    const int percent = std::clamp(workers > 0 ? free * 100 / workers : 0, 1, 100);
    // "ready" too: it ends a DRAIN state HAProxy kept from this port's last process.
    return QByteArrayLiteral("up ready ") + QByteArray::number(percent) + "%\n";
}

void AgentEndpoint::incomingConnection(qintptr descriptor)
{
    const QByteArray line = answer(!m_server->models().catalog()->isEmpty(), m_server->isDraining(),
                                   m_server->workerCount(), m_server->activeSessionCount(), m_server->waitingCount());
    // A new socket's buffer takes a few bytes at once; a peer that is gone gets nothing.
    ::send(static_cast<int>(descriptor), line.constData(), static_cast<size_t>(line.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(static_cast<int>(descriptor));
}

} // namespace orchard
