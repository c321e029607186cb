#include "tests/operations/serverprocess.h"

#include <csignal>
#include <cstdio>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace orchard::test {

ServerProcess::ServerProcess()
{
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("stdout.log")));
    m_process.setStandardErrorFile(m_dir.filePath(QStringLiteral("stderr.log")));
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(15000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::serverPath()
{
    return QStringLiteral(ORCHARD_SERVER_PATH);
}

QString ServerProcess::writeFile(const QString &name, const QByteArray &text) const
{
    // Written beside and renamed over, as editors do: the server never reads half a file.
    const QString target = path(name);
    QFile file(target + QStringLiteral(".new"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
        return {};
    file.close();
    ::rename(qPrintable(target + QStringLiteral(".new")), qPrintable(target));
    return target;
}

QString ServerProcess::readFile(const QString &name) const
{
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

void ServerProcess::start(const QStringList &arguments, const QProcessEnvironment &environment, const QString &program)
{
    m_process.setProcessEnvironment(environment);
    m_process.start(program.isEmpty() ? serverPath() : program, arguments);
    m_process.waitForStarted(10000);
}

bool ServerProcess::waitListening(int timeoutMs)
{
    static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
    QDeadlineTimer deadline(timeoutMs);
    while (m_port == 0 && !deadline.hasExpired() && running()) {
        const QRegularExpressionMatch match = listening.match(out());
        if (match.hasMatch())
            m_port = static_cast<quint16>(match.captured(1).toUInt());
        else
            QTest::qWait(20);
    }
    if (m_port == 0) { // say why where ctest shows it: the folder with the logs goes away
        std::fprintf(stderr, "orchard-server did not listen (%s, exit code %d, error: %s); stderr:\n%s\n",
                     running() ? "still running" : "not running", m_process.exitCode(),
                     qPrintable(m_process.errorString()), qPrintable(err()));
    }
    return m_port != 0;
}

int ServerProcess::runToExit(const QStringList &arguments, int timeoutMs)
{
    start(arguments);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool ServerProcess::hasEnded()
{
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(0);
}

void ServerProcess::signal(int signalNumber) const
{
    if (running())
        ::kill(static_cast<pid_t>(m_process.processId()), signalNumber);
}

int ServerProcess::waitExit(int timeoutMs)
{
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool ServerProcess::waitForText(const QString &name, const QString &text, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return readFile(name).contains(text); }, timeoutMs);
}

quint16 freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

bool portAccepts(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool accepted = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return accepted;
}

} // namespace orchard::test
