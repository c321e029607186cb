#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace orchard::test {

/**
 * A real `orchard-server` process for the operations tests, its stdout and stderr in files
 * in a temporary folder of its own (which also holds whatever files a test writes for it:
 * config, tokens, logs). Terminated gracefully (SIGTERM) when it goes out of scope.
 */
class ServerProcess
{
public:
    static constexpr int kStartMs = 120000; ///< loading the model is slow under sanitizers

    ServerProcess();
    ~ServerProcess();

    /** The folder's path for a file name. */
    QString path(const QString &name) const { return m_dir.filePath(name); }
    /** Writes text into the folder's file name (replacing it); returns its path. */
    QString writeFile(const QString &name, const QByteArray &text) const;
    QString readFile(const QString &name) const;

    /** Starts the server with these arguments (program: another one, e.g. /bin/sh as a wrapper). */
    void start(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
               const QString &program = QString());
    /** Waits until stdout says "listening on … port N"; false if it exits or the time passes first. */
    bool waitListening(int timeoutMs = kStartMs);
    /** Runs to the end (with a config check, --help…): the exit code, or -1 if it did not end in time. */
    int runToExit(const QStringList &arguments, int timeoutMs = kStartMs);

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    /** Whether the process has ended, looking now (for loops that do not run the event loop). */
    bool hasEnded();
    void signal(int signalNumber) const;
    /** Waits for the process to end after a signal; its exit code, -1 if it crashed or did not end. */
    int waitExit(int timeoutMs = 30000);

    QString out() const { return readFile(QStringLiteral("stdout.log")); }
    QString err() const { return readFile(QStringLiteral("stderr.log")); }
    /** Polls until file name contains text (deadline timeoutMs). */
    bool waitForText(const QString &name, const QString &text, int timeoutMs = 15000) const;

    /** orchard-server's path in the build tree. */
    static QString serverPath();

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

/** A TCP port on 127.0.0.1 that was free a moment ago (bound, read, closed). */
quint16 freeLoopbackPort();

/** Whether a TCP connect to 127.0.0.1:port is accepted now (refused: false). */
bool portAccepts(quint16 port);

} // namespace orchard::test
