#include "server/core/systemdnotifier.h"

#include <algorithm>

#include <time.h>

#include <systemd/sd-daemon.h>

namespace orchard {

namespace {

/** STATUS= is one line: a newline would end the status and begin a bogus assignment. */
QByteArray statusLine(const QString &text)
{
    QString line = text;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return "STATUS=" + line.toUtf8();
}

} // namespace

SystemdNotifier::SystemdNotifier(QObject *parent) : QObject(parent)
{
    // The event loop itself sends WATCHDOG=1: if it stalls, the pings stop and systemd
    // restarts the server; a thread of its own would keep pinging through a stall.
    connect(&m_watchdog, &QTimer::timeout, this, [this] { send("WATCHDOG=1"); });
}

bool SystemdNotifier::isListening()
{
    return qEnvironmentVariableIsSet("NOTIFY_SOCKET");
}

void SystemdNotifier::status(const QString &text)
{
    send(statusLine(text));
}

void SystemdNotifier::ready(const QString &status)
{
    send("READY=1\n" + statusLine(status));
    const std::chrono::microseconds interval = watchdogInterval();
    if (interval.count() > 0 && !m_watchdog.isActive()) {
        m_watchdog.start(std::max(std::chrono::milliseconds(1),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(interval / 2)));
        send("WATCHDOG=1");
    }
}

void SystemdNotifier::reloading(const QString &status)
{
    // MONOTONIC_USEC: what systemd 253's Type=notify-reload asks with RELOADING=1; older
    // ones ignore it.
    timespec now {};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const qint64 microseconds = qint64(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
    send("RELOADING=1\nMONOTONIC_USEC=" + QByteArray::number(microseconds) + '\n' + statusLine(status));
}

void SystemdNotifier::stopping(const QString &status)
{
    m_watchdog.stop();
    send("STOPPING=1\n" + statusLine(status));
}

std::chrono::microseconds SystemdNotifier::watchdogInterval()
{
    uint64_t microseconds = 0;
    // 0: keep $WATCHDOG_USEC; sd_watchdog_enabled() checks $WATCHDOG_PID against getpid().
    if (::sd_watchdog_enabled(0, &microseconds) <= 0)
        return std::chrono::microseconds(0);
    return std::chrono::microseconds(static_cast<qint64>(microseconds));
}

void SystemdNotifier::send(const QByteArray &state)
{
    if (!isListening())
        return;
    // 0: keep $NOTIFY_SOCKET, for every later notification. A failure has nobody to tell:
    // systemd not listening is what it would say.
    ::sd_notify(0, state.constData());
}

} // namespace orchard
