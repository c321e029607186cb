#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace orchard::test {

/** How long a CliProcess waits for what it waits for. */
constexpr int kCliWaitMs = 60000;

/** orchard-cli running alongside this thread's event loop, its output collected as it comes. */
class CliProcess
{
public:
    explicit CliProcess(const QStringList &arguments)
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
        m_arguments = QStringList { QStringLiteral("predict") } + arguments;
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
