// The HTTP port of a real orchard-server process: its command line, a port already
// taken, and accepting again after the process ran out of file descriptors.
#include <catch2/catch.hpp>

#include <optional>
#include <utility>
#include <vector>

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "httpclient.h"
#include "tests/support/sanitizers.h"

using namespace orchard::test;

namespace {

/** A loopback port nobody listens on now (bound and let go: good enough on a test machine). */
quint16 freePort()
{
    QTcpServer probe;
    REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    return probe.serverPort();
}

/** orchard-server --headless on loopback with the given arguments, its output in a temporary folder. */
class ServerProcess
{
public:
    explicit ServerProcess(const QStringList &arguments, std::optional<rlim_t> descriptorLimit = std::nullopt)
    {
        REQUIRE(m_dir.isValid());
        m_process.setStandardOutputFile(m_dir.filePath("stdout.log"));
        m_process.setStandardErrorFile(m_dir.filePath("stderr.log"));
        if (descriptorLimit) {
            const rlimit limit { *descriptorLimit, *descriptorLimit };
            m_process.setChildProcessModifier([limit] { ::setrlimit(RLIMIT_NOFILE, &limit); });
        }
        // No drain before a stop unless a test asks (the last --drain-seconds wins).
        m_process.start(QStringLiteral(ORCHARD_SERVER_PATH),
                        QStringList { "--headless", "--host", "127.0.0.1", "--port", "0", "--drain-seconds", "0" }
                                + arguments);
        REQUIRE(m_process.waitForStarted(10000));
    }

    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(15000))
                m_process.kill();
        }
    }

    /** The protocol port from the banner, once it is printed; 0 if the process ended first. */
    quint16 waitListening()
    {
        const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
        QDeadlineTimer deadline(120000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            const QRegularExpressionMatch match = listening.match(log(QStringLiteral("stdout.log")));
            if (match.hasMatch())
                return static_cast<quint16>(match.captured(1).toUInt());
            QTest::qWait(50);
        }
        return 0;
    }

    QProcess &process() { return m_process; }

    QString log(const QString &name) const
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().right(20000)) : QString();
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
};

/** A blocking IPv4 connection to 127.0.0.1:port; -1 if it could not be made. */
int connectRaw(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/** How many of the descriptor numbers below `limit` the process has in use now. */
rlim_t descriptorsInUseBelow(qint64 pid, rlim_t limit)
{
    // Only these count against RLIMIT_NOFILE: one inherited above it stays open but takes no
    // slot. The entries are links to "socket:[…]" and the like, which QDir lists as System.
    const QStringList entries = QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                                        .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    rlim_t inUse = 0;
    for (const QString &entry : entries)
        inUse += entry.toULongLong() < limit ? 1 : 0;
    return inUse;
}

/** User and system CPU seconds the process has used so far (proc(5): fields 14 and 15). */
double cpuSecondsOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    REQUIRE(stat.open(QIODevice::ReadOnly));
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    REQUIRE(fields.size() > 13);
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ::sysconf(_SC_CLK_TCK);
}

} // namespace

TEST_CASE("orchard-server --http-port serves health and metrics, and stops cleanly")
{
    const quint16 http = freePort();
    ServerProcess server({ "--http-port", QString::number(http), "--http-host", "127.0.0.1", "--drain-seconds", "3" });
    REQUIRE(server.waitListening() != 0);
    const HttpReply ready = httpGet(http, "/health/ready");
    INFO("stderr: " << server.log("stderr.log").toStdString());
    REQUIRE(ready.complete);
    CHECK(ready.status == 200);
    const HttpReply metrics = httpGet(http, "/metrics");
    REQUIRE(metrics.complete);
    CHECK(metrics.body.contains("orchard_build_info{version=\"" ORCHARD_VERSION_TEXT "\"} 1\n"));
    CHECK(metrics.body.contains("orchard_model_info{name=\"fashion-mnist\","));
    // --drain-seconds: SIGTERM first makes it not ready for that long, while it still answers.
    server.process().terminate();
    CHECK(QTest::qWaitFor([&] { return httpGet(http, "/health/ready").status == 503; }, 10000));
    const HttpReply draining = httpGet(http, "/health/ready");
    CHECK(draining.body.startsWith("not ready: draining"));
    CHECK(httpGet(http, "/health/live").status == 200);
    REQUIRE(server.process().waitForFinished(30000));
    CHECK(server.process().exitCode() == 0);
    CHECK(server.log("stdout.log").contains("not ready for new clients for 3 s"));
}

TEST_CASE("orchard-server with its --http-port taken exits 1 and says which port")
{
    QTcpServer squatter;
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    ServerProcess server({ "--http-port", QString::number(squatter.serverPort()) });
    REQUIRE(server.process().waitForFinished(120000));
    const QString err = server.log(QStringLiteral("stderr.log"));
    INFO("stderr: " << err.toStdString());
    CHECK(server.process().exitCode() == 1);
    CHECK(err.contains(QStringLiteral("orchard-server: cannot listen for HTTP (health and metrics) on 127.0.0.1 port %1: ")
                               .arg(squatter.serverPort())));
}

TEST_CASE("Bad --http-port and --http-host values are refused with the option's name")
{
    ServerProcess badPort({ "--http-port", "70000" });
    REQUIRE(badPort.process().waitForFinished(30000));
    CHECK(badPort.process().exitCode() == 2);
    CHECK(badPort.log(QStringLiteral("stderr.log")).contains(QStringLiteral("--http-port must be a whole number from 0 to 65535")));

    ServerProcess badHost({ "--http-port", "5051", "--http-host", "localhost" });
    REQUIRE(badHost.process().waitForFinished(30000));
    CHECK(badHost.process().exitCode() == 2);
    CHECK(badHost.log(QStringLiteral("stderr.log")).contains(QStringLiteral("--http-host must be an IP address")));
}

TEST_CASE("The HTTP port accepts again after the server ran out of file descriptors")
{
    // Qt 6.4's QTcpServer, out of descriptors, either stops accepting for good or spins
    // on its listening socket at full CPU (after an earlier EAGAIN: the GET below); the
    // endpoint pauses and tries again instead. A server held to 128 descriptors, filled
    // by a crowd in line.
    if (!descriptorLimitTestsRun())
        return;
    constexpr rlim_t kLimit = 128;
    const quint16 http = freePort();
    ServerProcess server({ "--http-port", QString::number(http), "--threads", "1", "--max-queued", "1000" }, kLimit);
    const quint16 port = server.waitListening();
    INFO("stderr: " << server.log("stderr.log").toStdString());
    REQUIRE(port != 0);
    REQUIRE(httpGet(http, "/health/live").status == 200);

    std::vector<int> crowd;
    for (rlim_t i = 0; i < kLimit + 32; ++i) {
        const int fd = connectRaw(port);
        REQUIRE(fd >= 0);
        crowd.push_back(fd);
    }
    // Out of descriptors: the server says so in its log (and turns the rest away with BUSY).
    QDeadlineTimer deadline(30000);
    while (!server.log(QStringLiteral("stdout.log")).contains(QStringLiteral("out of file descriptors"))
           && !deadline.hasExpired())
        QTest::qWait(20);
    REQUIRE(server.log(QStringLiteral("stdout.log")).contains(QStringLiteral("out of file descriptors")));
    // A descriptor can come free after that (the first GET's connection, closed late): one
    // more client takes it, until every descriptor is in use, or the GET below would get it.
    const qint64 pid = server.process().processId();
    for (int extra = 0; extra < 16 && descriptorsInUseBelow(pid, kLimit) < kLimit; ++extra) {
        const int fd = connectRaw(port);
        REQUIRE(fd >= 0);
        crowd.push_back(fd);
        QDeadlineTimer accepted(2000);
        while (descriptorsInUseBelow(pid, kLimit) < kLimit && !accepted.hasExpired())
            QTest::qWait(20);
    }
    REQUIRE(descriptorsInUseBelow(pid, kLimit) == kLimit);

    // Meanwhile the HTTP port cannot take a connection either, and does not spin trying.
    const double cpuBefore = cpuSecondsOf(pid);
    const HttpReply meanwhile = httpRequest(http, "GET", "/health/live", 1500);
    const double cpuMeanwhile = cpuSecondsOf(pid) - cpuBefore;
    CHECK_FALSE(meanwhile.complete);
    CHECK(cpuMeanwhile < 0.3); // spinning took over 1 s of CPU in these 1.5 s

    for (const int fd : crowd)
        ::close(fd);
    // The crowd is gone; within a few of HttpEndpoint's retries the port answers again.
    HttpReply again;
    QDeadlineTimer recovery(20000);
    do {
        again = httpRequest(http, "GET", "/health/live", 2000);
    } while (!again.complete && !recovery.hasExpired());
    REQUIRE(again.complete);
    CHECK(again.status == 200);
}
