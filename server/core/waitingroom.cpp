#include "server/core/waitingroom.h"

#include <algorithm>
#include <vector>

#include <QSet>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/protocol/frame.h"
#include "common/protocol/servermessage.h"

namespace orchard {

WaitingRoom::WaitingRoom(QObject *parent) : QObject(parent)
{
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &WaitingRoom::pollForHangUps);
}

WaitingRoom::~WaitingRoom()
{
    for (const Entry &entry : m_entries)
        close(entry);
}

void WaitingRoom::admit(const Entry &entry, int workers)
{
    m_entries.push_back(entry);
    if (entry.tlsSocket) {
        entry.tlsSocket->setParent(this);
        entry.tlsSocket->setReadBufferSize(kWaitingReadBuffer);
        const quint64 id = entry.sessionId;
        connect(entry.tlsSocket, &QSslSocket::disconnected, this, [this, id] { leave({ id }); });
    }
    sendPosition(entry, size(), workers);
    if (!m_pollTimer.isActive())
        m_pollTimer.start();
}

WaitingRoom::Entry WaitingRoom::takeNext()
{
    Entry entry = m_entries.front();
    m_entries.pop_front();
    if (entry.tlsSocket)
        entry.tlsSocket->disconnect(this);
    if (m_entries.empty())
        m_pollTimer.stop();
    return entry;
}

void WaitingRoom::leave(const QList<quint64> &sessionIds)
{
    const QSet<quint64> leaving(sessionIds.begin(), sessionIds.end());
    QList<quint64> left;
    const auto kept = std::remove_if(m_entries.begin(), m_entries.end(), [&](const Entry &entry) {
        if (!leaving.contains(entry.sessionId))
            return false;
        if (entry.tlsSocket)
            entry.tlsSocket->deleteLater();
        left.append(entry.sessionId);
        return true;
    });
    m_entries.erase(kept, m_entries.end());
    if (m_entries.empty())
        m_pollTimer.stop();
    if (!left.isEmpty())
        emit entriesLeft(left);
}

void WaitingRoom::send(const Entry &entry, const QByteArray &frame)
{
    if (entry.tlsSocket)
        entry.tlsSocket->write(frame); // buffered and encrypted by the event loop, never blocks
    else
        sendNow(entry.descriptor, frame);
}

void WaitingRoom::close(const Entry &entry)
{
    if (entry.tlsSocket) {
        entry.tlsSocket->disconnect();
        entry.tlsSocket->flush(); // encrypt and hand the last frame to the kernel now
        entry.tlsSocket->disconnectFromHost();
        entry.tlsSocket->deleteLater();
    } else {
        closeDescriptor(entry.descriptor);
    }
}

void WaitingRoom::announcePositions(int workers)
{
    int position = 1;
    for (const Entry &entry : m_entries)
        sendPosition(entry, position++, workers);
}

void WaitingRoom::sendPosition(const Entry &entry, int position, int workers)
{
    send(entry, *encodeFrame(MessageType::ServerMessage, ServerMessage::queued(position, size(), workers).toBody()));
}

void WaitingRoom::closeAll(const QByteArray &frame)
{
    m_pollTimer.stop();
    for (const Entry &entry : m_entries) {
        send(entry, frame);
        close(entry);
    }
    m_entries.clear();
}

QList<quint64> WaitingRoom::sessionIds() const
{
    QList<quint64> ids;
    ids.reserve(size());
    for (const Entry &entry : m_entries)
        ids.append(entry.sessionId);
    return ids;
}

bool WaitingRoom::sendNow(qintptr descriptor, const QByteArray &frame)
{
    // MSG_DONTWAIT: a client that stopped reading must not stall the server's thread;
    // MSG_NOSIGNAL: a client that vanished must not kill the process with SIGPIPE.
    const ssize_t sent = ::send(static_cast<int>(descriptor), frame.constData(),
                                static_cast<size_t>(frame.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0 && sent < frame.size()) {
        // Half a frame would break the client's framing for good: end the connection; the
        // next hang-up poll takes it out of the line.
        ::shutdown(static_cast<int>(descriptor), SHUT_RDWR);
    }
    return sent == frame.size();
}

void WaitingRoom::closeDescriptor(qintptr descriptor)
{
    const int fd = static_cast<int>(descriptor);
    ::shutdown(fd, SHUT_WR);
    char sink[4096];
    for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) { }
    ::close(fd);
}

void WaitingRoom::pollForHangUps()
{
    // TLS entries report their hang-up by signal; only bare descriptors need polling.
    std::vector<pollfd> fds;
    std::vector<quint64> ids;
    for (const Entry &entry : m_entries) {
        if (entry.tlsSocket)
            continue;
        fds.push_back({ static_cast<int>(entry.descriptor), POLLRDHUP, 0 });
        ids.push_back(entry.sessionId);
    }
    if (fds.empty() || ::poll(fds.data(), fds.size(), 0) <= 0)
        return;
    QList<quint64> hungUp;
    for (size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) {
            ::close(fds[i].fd);
            hungUp.append(ids[i]);
        }
    }
    leave(hungUp);
}

} // namespace orchard
