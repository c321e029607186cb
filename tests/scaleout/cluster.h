#pragma once

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace orchard::test {

/**
 * A real cluster for a test: `scripts/cluster.sh start N PORT DIR` (orchard-server
 * backends behind a real HAProxy on loopback) in a temporary folder, stopped with
 * `scripts/cluster.sh stop DIR` when it goes out of scope.
 */
class Cluster
{
public:
    struct Backend
    {
        qint64 pid = 0;
        quint16 port = 0;
        quint16 httpPort = 0;
        quint16 agentPort = 0;
    };

    /** drainSeconds: each backend's --drain-seconds; serverOptions: more of orchard-server's. */
    explicit Cluster(int backends, int drainSeconds = 2, const QStringList &serverOptions = {});
    ~Cluster();

    /** Whether start succeeded; output() says what the script said either way. */
    bool started() const { return m_started; }
    const QString &output() const { return m_output; }
    quint16 port() const { return m_port; }
    const QList<Backend> &backends() const { return m_backends; }
    QString backendLog(int index) const;
    QString haproxyLog() const;

    /** HAProxy's "show stat" row per server of backend orchard ("orchard1"…), field by CSV header name. */
    QHash<QString, QHash<QString, QString>> serverStats() const;
    /** Sessions each backend has started so far (its /metrics), in backends() order. */
    QList<int> sessionsStarted() const;
    /** Whether backend index's process still runs. */
    bool backendRunning(int index) const;

private:
    QTemporaryDir m_dir;
    int m_drainSeconds;
    bool m_started = false;
    QString m_output;
    quint16 m_port = 0;
    QList<Backend> m_backends;
};

} // namespace orchard::test
