#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

namespace orchard::test {

/** How long a CliProcess waits for what it waits for. */
constexpr int kCliWaitMs = 60000;

/**
 * The diagnosis history every orchard-cli a test starts writes to unless told otherwise: a
 * file in a folder of this test program's, removed when it ends, never the user's own.
 */
inline QString testHistoryFile()
{
    static QTemporaryDir folder;
    return folder.filePath(QStringLiteral("history.sqlite"));
}

/** One of orchard-cli's --json lines as an object; fails the test when it is not one. */
inline QJsonObject parseJsonLine(const QString &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
    INFO(line.toStdString());
    REQUIRE(error.error == QJsonParseError::NoError);
    REQUIRE(document.isObject());
    return document.object();
}

/** orchard-cli running alongside this thread's event loop, its output collected as it comes. */
class CliProcess
{
public:
    /** `orchard-cli predict <arguments>`. */
    explicit CliProcess(const QStringList &arguments) : CliProcess(QStringLiteral("predict"), arguments) { }

    /** `orchard-cli <command> <arguments>`, recording to historyFile (default: testHistoryFile()). */
    CliProcess(const QString &command, const QStringList &arguments, const QString &historyFile = {})
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
        QObject::connect(&m_process, &QProcess::finished, &m_process, [this] { m_finished = true; });
        QObject::connect(&m_process, &QProcess::errorOccurred, &m_process, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart)
                m_finished = true;
        });
        m_arguments = QStringList { command } + arguments;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("ORCHARD_HISTORY"), historyFile.isEmpty() ? testHistoryFile() : historyFile);
        m_process.setProcessEnvironment(environment);
        m_process.start(QStringLiteral(ORCHARD_CLI_PATH), m_arguments);
    }

    ~CliProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            (void)QTest::qWaitFor([this] { return m_finished; }, kCliWaitMs); // best effort on the way out
        }
    }

    bool waitForLines(int count)
    {
        return QTest::qWaitFor([this, count] { return m_finished || lines().size() >= count; }, kCliWaitMs)
                && lines().size() >= count;
    }

    bool waitForStderr(const QString &text)
    {
        return QTest::qWaitFor([this, &text] { return m_finished || stderrText().contains(text); }, kCliWaitMs)
                && stderrText().contains(text);
    }

    /** Waits for the exit and returns the code; fails the test if it did not exit normally. */
    int waitForExit()
    {
        const bool finished = QTest::qWaitFor([this] { return m_finished; }, kCliWaitMs);
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        INFO(description());
        REQUIRE(finished);
        REQUIRE(m_process.error() != QProcess::FailedToStart);
        REQUIRE(m_process.exitStatus() == QProcess::NormalExit);
        return m_process.exitCode();
    }

    bool isFinished() const { return m_finished; }
    QString stderrText() const { return QString::fromUtf8(m_err); }
    QString stdoutText() const { return QString::fromUtf8(m_out); }
    QStringList lines() const { return stdoutText().split('\n', Qt::SkipEmptyParts); }

    std::string description() const
    {
        return ("orchard-cli " + m_arguments.join(' ') + "\nstdout:\n" + stdoutText() + "\nstderr:\n"
                + stderrText())
                .toStdString();
    }

private:
    QProcess m_process;
    QStringList m_arguments;
    QByteArray m_out;
    QByteArray m_err;
    bool m_finished = false;
};

} // namespace orchard::test
