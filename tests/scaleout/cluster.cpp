#include "tests/scaleout/cluster.h"

#include <csignal>

#include <QFile>
#include <QLocalSocket>
#include <QProcess>

#include "tests/http/httpclient.h"
#include "tests/operations/serverprocess.h"

namespace orchard::test {

namespace {

const QString kScript = QStringLiteral(ORCHARD_SOURCE_DIR "/scripts/cluster.sh");
/** Starting loads the model in every backend at once: slow on two cores, slower under load. */
constexpr int kStartMs = 300'000;

QProcessEnvironment clusterEnvironment(int drainSeconds)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("ORCHARD_SERVER"), QStringLiteral(ORCHARD_SERVER_PATH));
    environment.insert(QStringLiteral("ORCHARD_DRAIN_SECONDS"), QString::number(drainSeconds));
    return environment;
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

Cluster::Cluster(int backends, int drainSeconds, const QStringList &serverOptions)
    : m_drainSeconds(drainSeconds)
{
    m_port = freeLoopbackPort();
    QProcess script;
    script.setProcessEnvironment(clusterEnvironment(drainSeconds));
    script.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments { kScript, QStringLiteral("start"), QString::number(backends), QString::number(m_port),
                            m_dir.path() };
    if (!serverOptions.isEmpty())
        arguments += QStringList { QStringLiteral("--") } + serverOptions;
    script.start(QStringLiteral("/bin/bash"), arguments);
    const bool finished = script.waitForFinished(kStartMs);
    m_output = QString::fromUtf8(script.readAll());
    m_started = finished && script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
    for (const QString &line : readText(m_dir.filePath(QStringLiteral("backends.txt"))).split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList fields = line.split(u' ');
        if (fields.size() == 4) {
            m_backends.append({ fields.at(0).toLongLong(), fields.at(1).toUShort(), fields.at(2).toUShort(),
                                fields.at(3).toUShort() });
        }
    }
    m_started = m_started && m_backends.size() == backends;
}

Cluster::~Cluster()
{
    QProcess script;
    script.setProcessEnvironment(clusterEnvironment(m_drainSeconds));
    script.start(QStringLiteral("/bin/bash"), { kScript, QStringLiteral("stop"), m_dir.path() });
    if (!script.waitForFinished(m_drainSeconds * 1000 + 60'000)) {
        script.kill();
        for (const Backend &backend : std::as_const(m_backends))
            ::kill(static_cast<pid_t>(backend.pid), SIGKILL);
    }
}

QString Cluster::backendLog(int index) const
{
    return readText(m_dir.filePath(QStringLiteral("backend-%1.log").arg(index + 1)));
}

QString Cluster::haproxyLog() const
{
    return readText(m_dir.filePath(QStringLiteral("haproxy.log")));
}

QHash<QString, QHash<QString, QString>> Cluster::serverStats() const
{
    QLocalSocket socket;
    socket.connectToServer(m_dir.filePath(QStringLiteral("haproxy.sock")));
    QHash<QString, QHash<QString, QString>> stats;
    if (!socket.waitForConnected(5000))
        return stats;
    socket.write("show stat\n");
    // HAProxy answers and closes: read to the end.
    QByteArray data;
    while (socket.state() == QLocalSocket::ConnectedState && socket.waitForReadyRead(5000))
        data += socket.readAll();
    data += socket.readAll();
    const QStringList lines = QString::fromUtf8(data).split(u'\n', Qt::SkipEmptyParts);
    if (lines.isEmpty())
        return stats;
    const QStringList header = lines.first().mid(2).split(u','); // "# pxname,svname,…"
    for (const QString &line : lines.mid(1)) {
        const QStringList fields = line.split(u',');
        if (fields.value(0) != QLatin1String("orchard") || fields.value(1) == QLatin1String("FRONTEND")
            || fields.value(1) == QLatin1String("BACKEND"))
            continue;
        QHash<QString, QString> row;
        for (int i = 0; i < header.size() && i < fields.size(); ++i)
            row.insert(header.at(i), fields.at(i));
        stats.insert(fields.value(1), row);
    }
    return stats;
}

QList<int> Cluster::sessionsStarted() const
{
    QList<int> sessions;
    for (const Backend &backend : m_backends) {
        const HttpReply metrics = httpGet(backend.httpPort, "/metrics");
        sessions.append(static_cast<int>(sampleValue(metrics.body, "orchard_queue_wait_seconds_count").value_or(-1)));
    }
    return sessions;
}

bool Cluster::backendRunning(int index) const
{
    // Not our child (the script started it), so no wait(): its /proc entry, a zombie
    // counting as ended, in case nobody reaps it.
    const QString stat = readText(QStringLiteral("/proc/%1/stat").arg(m_backends.at(index).pid));
    const int afterName = static_cast<int>(stat.lastIndexOf(u')'));
    return afterName > 0 && stat.mid(afterName + 2, 1) != QLatin1String("Z");
}

} // namespace orchard::test
