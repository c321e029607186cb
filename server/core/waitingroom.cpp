#include "waitingroom.h"

#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "servermessage.h"

namespace orchard {

WaitingRoom::WaitingRoom(QObject *parent) : QObject(parent)
{
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &WaitingRoom::pollForHangUps);
}

WaitingRoom::~WaitingRoom()
{
    for (const Entry &entry : m_entries)
        closeDescriptor(entry.descriptor);
}

void WaitingRoom::admit(const Entry &entry, int workers)
{
    m_entries.push_back(entry);
    const QByteArray queued = *encodeFrame(MessageType::ServerMessage,
                                           ServerMessage::queued(size(), size(), workers).toBody());
    sendNow(entry.descriptor, queued);
    if (!m_pollTimer.isActive())
        m_pollTimer.start();
}

WaitingRoom::Entry WaitingRoom::takeNext()
{
    Entry entry = m_entries.front();
    m_entries.pop_front();
    if (m_entries.empty())
        m_pollTimer.stop();
    return entry;
}

void WaitingRoom::announcePositions(int workers)
{
    int position = 1;
    for (const Entry &entry : m_entries) {
        sendNow(entry.descriptor, *encodeFrame(MessageType::ServerMessage,
                                               ServerMessage::queued(position, size(), workers).toBody()));
        ++position;
    }
}

void WaitingRoom::closeAll(const QByteArray &frame)
{
    m_pollTimer.stop();
    for (const Entry &entry : m_entries) {
        sendNow(entry.descriptor, frame);
        closeDescriptor(entry.descriptor);
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
    std::vector<pollfd> fds;
    fds.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        fds.push_back({ static_cast<int>(entry.descriptor), POLLRDHUP, 0 });
    if (::poll(fds.data(), fds.size(), 0) <= 0)
        return;

    QList<quint64> left;
    std::deque<Entry> staying;
    for (size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) {
            ::close(fds[i].fd);
            left.append(m_entries[i].sessionId);
        } else {
            staying.push_back(m_entries[i]);
        }
    }
    m_entries.swap(staying);
    if (m_entries.empty())
        m_pollTimer.stop();
    for (quint64 id : left)
        emit entryLeft(id);
}

} // namespace orchard
