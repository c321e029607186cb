// systemd's notify protocol, with the test as the service manager: it binds the datagram
// socket that $NOTIFY_SOCKET names and reads what a real orchard-server process sends.
// READY=1 only once the port accepts, STOPPING=1 on SIGTERM, RELOADING=1 on SIGHUP, and
// WATCHDOG=1 while $WATCHDOG_USEC asks for it and $WATCHDOG_PID names the server.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <algorithm>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "common/protocol/servermessage.h"
#include "tests/operations/serverprocess.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

/** The service manager's end of sd_notify(3): an AF_UNIX datagram socket in a temporary folder. */
class NotifySocket
{
public:
    NotifySocket()
    {
        REQUIRE(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("notify"));
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        const sockaddr_un address = addressOf(m_path);
        REQUIRE(::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);
    }
    ~NotifySocket()
    {
        ::close(m_fd);
        if (m_filler >= 0)
            ::close(m_filler);
    }

    const QString &path() const { return m_path; }

    /**
     * Fills the receive queue (net.unix.max_dgram_qlen datagrams): the next sender then
     * waits in sendmsg() until a datagram is read, as sd_notify() does (it sends blocking).
     * Returns how many it queued.
     */
    int fill()
    {
        m_filler = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        REQUIRE(m_filler >= 0);
        const sockaddr_un address = addressOf(m_path);
        int queued = 0;
        while (queued < 100000) {
            const char filler[] = "FILLER=1";
            if (::sendto(m_filler, filler, sizeof filler - 1, 0, reinterpret_cast<const sockaddr *>(&address),
                         sizeof address)
                < 0)
                break;
            ++queued;
        }
        REQUIRE((errno == EAGAIN || errno == EWOULDBLOCK));
        return queued;
    }

    /** The next datagram, or nothing after timeoutMs. */
    std::optional<QByteArray> next(int timeoutMs)
    {
        pollfd pfd { m_fd, POLLIN, 0 };
        if (::poll(&pfd, 1, timeoutMs) <= 0)
            return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0)
            return std::nullopt;
        QByteArray datagram(buffer, n);
        m_received << datagram;
        return datagram;
    }

    /**
     * Reads until a datagram has the line assignment ("READY=1"): that datagram, or nothing
     * after timeoutMs or once the server has ended (and no datagram is left to read).
     */
    std::optional<QByteArray> waitFor(const QByteArray &assignment, int timeoutMs, ServerProcess &server)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const std::optional<QByteArray> datagram = next(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
            if (datagram && datagram->split('\n').contains(assignment))
                return datagram;
            if (!datagram && server.hasEnded()) {
                std::fprintf(stderr, "orchard-server ended before %s; stderr:\n%s\n", assignment.constData(),
                             qPrintable(server.err()));
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    /** How many datagrams read so far have the line assignment. */
    int count(const QByteArray &assignment) const
    {
        int found = 0;
        for (const QByteArray &datagram : m_received)
            found += datagram.split('\n').contains(assignment) ? 1 : 0;
        return found;
    }
    const QList<QByteArray> &received() const { return m_received; }

private:
    static sockaddr_un addressOf(const QString &path)
    {
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray bytes = QFile::encodeName(path);
        REQUIRE(static_cast<size_t>(bytes.size()) < sizeof address.sun_path);
        std::copy(bytes.begin(), bytes.end(), address.sun_path);
        return address;
    }

    QTemporaryDir m_dir;
    QString m_path;
    int m_fd = -1;
    int m_filler = -1;
    QList<QByteArray> m_received;
};

/** Whether process pid's main thread waits in the system call number (from /proc/PID/syscall). */
bool waitsInSystemCall(qint64 pid, long number)
{
    QFile file(QStringLiteral("/proc/%1/syscall").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return file.readAll().split(' ').value(0) == QByteArray::number(qint64(number));
}

/** Whether /proc/PID/syscall can be read here at all (it needs ptrace rights over the process). */
bool systemCallsVisible(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/syscall").arg(pid));
    return file.open(QIODevice::ReadOnly) && !file.readAll().isEmpty();
}

QProcessEnvironment notifyEnvironment(const NotifySocket &socket)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), socket.path());
    environment.remove(QStringLiteral("WATCHDOG_USEC"));
    environment.remove(QStringLiteral("WATCHDOG_PID"));
    return environment;
}

QStringList serverArguments(quint16 port)
{
    return { "--headless", "--host", "127.0.0.1", "--port", QString::number(port), "--threads", "2" };
}

} // namespace

TEST_CASE("READY=1 comes only once the port accepts connections, STOPPING=1 once SIGTERM arrives")
{
    NotifySocket notify;
    const int fillers = notify.fill();
    const quint16 port = freeLoopbackPort();
    REQUIRE(port != 0);
    ServerProcess server;
    server.start(serverArguments(port), notifyEnvironment(notify));
    REQUIRE(server.running());

    // With the queue full, the server waits in its first sd_notify(), which it sends before
    // it loads the model: the port must not accept yet.
    if (systemCallsVisible(server.pid())) {
        REQUIRE(QTest::qWaitFor([&] { return waitsInSystemCall(server.pid(), SYS_sendmsg); }, 30000));
        CHECK_FALSE(portAccepts(port));
        CHECK_FALSE(server.out().contains("listening"));
    } else {
        WARN("/proc/PID/syscall cannot be read here: not checked that the port is closed before READY=1");
    }
    for (int i = 0; i < fillers; ++i)
        REQUIRE(notify.next(5000) == QByteArray("FILLER=1"));

    // Connect the moment READY=1 arrives: it must be accepted and served.
    const std::optional<QByteArray> ready = notify.waitFor("READY=1", ServerProcess::kStartMs, server);
    INFO("stderr: " << server.err().toStdString());
    REQUIRE(ready);
    CHECK(portAccepts(port));
    TestClient client(port);
    REQUIRE(client.waitForNext());
    CHECK(client.nextKind() == "welcome");
    CHECK(ready->contains("STATUS=Serving on 127.0.0.1 port " + QByteArray::number(port) + ": 2 workers"));
    // What came before: the model, then the warm-up (STATUS= lines for systemctl status).
    const QList<QByteArray> &before = notify.received();
    CHECK(before.indexOf("STATUS=Loading the models") >= 0);
    CHECK(before.indexOf("STATUS=Warming up 2 workers, then listening") > before.indexOf("STATUS=Loading the models"));

    server.signal(SIGTERM);
    const std::optional<QByteArray> stopping = notify.waitFor("STOPPING=1", 15000, server);
    REQUIRE(stopping);
    CHECK(stopping->contains("STATUS=Shutting down"));
    CHECK(server.waitExit() == 0);
    CHECK(notify.count("READY=1") == 1);
    // Nobody asked for a watchdog.
    CHECK(notify.count("WATCHDOG=1") == 0);
}

TEST_CASE("SIGHUP is RELOADING=1, then READY=1 again once the reload is done")
{
    NotifySocket notify;
    ServerProcess server;
    server.writeFile("tokens", "lab 0123456789abcdef0123\n");
    server.start(serverArguments(0) << "--token-file" << server.path("tokens"), notifyEnvironment(notify));
    REQUIRE(notify.waitFor("READY=1", ServerProcess::kStartMs, server));

    server.signal(SIGHUP);
    const std::optional<QByteArray> reloading = notify.waitFor("RELOADING=1", 15000, server);
    REQUIRE(reloading);
    CHECK(reloading->contains("MONOTONIC_USEC="));
    REQUIRE(notify.waitFor("READY=1", 15000, server));
    CHECK(server.waitForText("stdout.log", "tokens reloaded: 1 token (no change)"));
    CHECK(server.running());
}

TEST_CASE("WATCHDOG=1 comes from the event loop while $WATCHDOG_USEC asks and $WATCHDOG_PID is the server")
{
    NotifySocket notify;
    QProcessEnvironment environment = notifyEnvironment(notify);
    environment.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("200000")); // a ping every 100 ms
    ServerProcess server;
    // As systemd does, WATCHDOG_PID names the service's own process: a shell that sets it
    // to its own pid, then becomes the server (exec keeps the pid).
    server.start(QStringList { "-c", "WATCHDOG_PID=$$ exec \"$0\" \"$@\"", ServerProcess::serverPath() }
                         + serverArguments(0),
                 environment, QStringLiteral("/bin/sh"));
    REQUIRE(notify.waitFor("READY=1", ServerProcess::kStartMs, server));
    const int before = notify.count("WATCHDOG=1");
    for (int ping = 0; ping < 5; ++ping) {
        INFO("ping " << ping);
        REQUIRE(notify.waitFor("WATCHDOG=1", 10000, server));
    }
    CHECK(notify.count("WATCHDOG=1") >= before + 5);
    server.signal(SIGTERM);
    REQUIRE(notify.waitFor("STOPPING=1", 15000, server));
    CHECK(server.waitExit() == 0);
}

TEST_CASE("No WATCHDOG=1 when $WATCHDOG_PID names another process")
{
    NotifySocket notify;
    QProcessEnvironment environment = notifyEnvironment(notify);
    environment.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("200000"));
    environment.insert(QStringLiteral("WATCHDOG_PID"), QString::number(::getpid())); // the test's, not the server's
    ServerProcess server;
    server.start(serverArguments(0), environment);
    REQUIRE(notify.waitFor("READY=1", ServerProcess::kStartMs, server));
    // Ten watchdog intervals: an absence can only be watched for a while.
    CHECK_FALSE(notify.waitFor("WATCHDOG=1", 1000, server));
    server.signal(SIGTERM);
    CHECK(notify.waitFor("STOPPING=1", 15000, server));
    CHECK(server.waitExit() == 0);
}
