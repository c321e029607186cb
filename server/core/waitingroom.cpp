#include "server/core/waitingroom.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <QSet>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/protocol/frame.h"
#include "common/protocol/servermessage.h"

namespace orchard {

WaitingRoom::WaitingRoom(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll >= 0) {
        m_hangUps = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
        connect(m_hangUps, &QSocketNotifier::activated, this, &WaitingRoom::dropDeparted);
    } else {
        qWarning("WaitingRoom: epoll_create1 failed (%s): hang-ups of waiting clients will go unnoticed",
                 ::strerror(errno));
    }
    m_sweepTimer.setSingleShot(true);
    m_sweepTimer.setInterval(kSweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &WaitingRoom::sweepAnnouncements);
}

WaitingRoom::~WaitingRoom()
{
    for (const Entry &entry : m_entries) {
        unwatch(entry);
        close(entry);
    }
    delete m_hangUps; // before its descriptor goes
    if (m_epoll >= 0)
        ::close(m_epoll);
}

void WaitingRoom::admit(const Entry &admitted, int workers)
{
    m_workers = workers;
    m_entries.push_back(admitted);
    Entry &entry = m_entries.back();
    if (entry.tlsSocket) {
        entry.tlsSocket->setParent(this);
        entry.tlsSocket->setReadBufferSize(kWaitingReadBuffer);
        const quint64 id = entry.sessionId;
        connect(entry.tlsSocket, &QSslSocket::disconnected, this, [this, id] { leave({ id }); });
    } else if (m_epoll >= 0) {
        // Level-triggered: readable (data, or the end of the stream), half-closed, and
        // always (whatever was asked) reset or closed both ways.
        const int fd = static_cast<int>(entry.descriptor);
        epoll_event watched {};
        watched.events = EPOLLIN | EPOLLRDHUP;
        watched.data.fd = fd;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &watched) == 0)
            m_sessionByDescriptor.insert(fd, entry.sessionId);
    }
    sendPosition(entry, size(), workers);
}

WaitingRoom::Entry WaitingRoom::takeNext()
{
    Entry entry = m_entries.front();
    m_entries.pop_front();
    unwatch(entry);
    if (entry.tlsSocket)
        entry.tlsSocket->disconnect(this);
    if (m_entries.empty())
        m_sweepTimer.stop();
    return entry;
}

void WaitingRoom::unwatch(const Entry &entry)
{
    const int fd = static_cast<int>(entry.descriptor);
    if (!entry.tlsSocket && m_sessionByDescriptor.remove(fd) > 0)
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void WaitingRoom::dropDeparted()
{
    if (m_epoll < 0)
        return;
    QList<quint64> departed;
    constexpr int kBatch = 256;
    epoll_event ready[kBatch];
    for (;;) {
        const int count = ::epoll_wait(m_epoll, ready, kBatch, 0);
        if (count <= 0)
            break;
        for (int i = 0; i < count; ++i) {
            const int fd = ready[i].data.fd;
            const auto found = m_sessionByDescriptor.constFind(fd);
            if (found == m_sessionByDescriptor.cend()) {
                ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
                continue;
            }
            if (!(ready[i].events & (EPOLLERR | EPOLLHUP))) {
                // Readable: peek (the session reads it later) to tell a client that left
                // (end of stream, nothing before it) from one whose request waits for us,
                // even if it shut its write side after it (HTTP-style tools do): that one
                // is served. Watch such a client for a reset or a close both ways only
                // (always reported), or its pending bytes would wake us forever.
                char byte = 0;
                const ssize_t peeked = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                if (peeked > 0) {
                    epoll_event quiet {};
                    quiet.data.fd = fd;
                    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &quiet);
                    continue;
                }
                if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                    continue;
            }
            departed.append(found.value());
            m_sessionByDescriptor.erase(found);
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            ::close(fd);
        }
        if (count < kBatch)
            break;
    }
    leave(departed);
}

void WaitingRoom::leave(const QList<quint64> &sessionIds)
{
    if (sessionIds.isEmpty())
        return;
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
        m_sweepTimer.stop();
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
    m_workers = workers;
    int position = 0;
    for (Entry &entry : m_entries) {
        if (++position > kAnnouncedAtOnce)
            break;
        if (entry.toldPosition != position)
            sendPosition(entry, position, workers);
    }
    if (size() > kAnnouncedAtOnce && !m_sweepTimer.isActive())
        m_sweepTimer.start();
}

void WaitingRoom::sweepAnnouncements()
{
    // O(line) comparisons every kSweepIntervalMs while news is pending (10,000 waiting:
    // tens of microseconds); the sends are what cost: at most kSweepBudget a sweep, and
    // one per client per kAnnounceIntervalMs.
    const qint64 now = m_clock.elapsed();
    bool pending = false;
    int budget = kSweepBudget;
    int position = 0;
    for (Entry &entry : m_entries) {
        ++position;
        if (entry.toldPosition == position)
            continue;
        const bool due = position <= kAnnouncedAtOnce || now - entry.toldAtMs >= kAnnounceIntervalMs;
        if (due && budget > 0) {
            sendPosition(entry, position, m_workers);
            --budget;
        } else {
            pending = true;
        }
    }
    if (pending)
        m_sweepTimer.start();
}

void WaitingRoom::sendPosition(Entry &entry, int position, int workers)
{
    send(entry, *encodeFrame(MessageType::ServerMessage, ServerMessage::queued(position, size(), workers).toBody()));
    entry.toldPosition = position;
    entry.toldAtMs = m_clock.elapsed();
}

void WaitingRoom::closeAll(const QByteArray &frame)
{
    m_sweepTimer.stop();
    for (const Entry &entry : m_entries) {
        unwatch(entry);
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
        // Half a frame would break the client's framing for good: end the connection. Shut
        // both ways, the room's epoll set reports it (EPOLLHUP) and it leaves the line.
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

} // namespace orchard
