#pragma once

#include <chrono>

#include <QObject>
#include <QString>
#include <QTimer>

namespace orchard {

/**
 * Tells systemd where the server stands (`Type=notify`, sd_notify(3)): `READY=1` once it
 * serves, `RELOADING=1` while SIGHUP is handled, `STOPPING=1` when it shuts down, a
 * `STATUS=` line for `systemctl status` with each, and `WATCHDOG=1` from the event loop
 * while systemd asks for it (`WatchdogSec=`).
 *
 * Outside systemd (no `$NOTIFY_SOCKET`) every call does nothing. The only file that
 * includes `<systemd/sd-daemon.h>` is this class's own.
 */
class SystemdNotifier : public QObject
{
    Q_OBJECT

public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    /** Whether a service manager listens ($NOTIFY_SOCKET is set). */
    static bool isListening();

    void status(const QString &text);
    /** The server serves: model loaded, workers warm, port listening. Starts the watchdog. */
    void ready(const QString &status);
    void reloading(const QString &status);
    void stopping(const QString &status);

    /**
     * The interval systemd wants `WATCHDOG=1` at ($WATCHDOG_USEC, for this process when
     * $WATCHDOG_PID names one); zero when it wants none.
     */
    static std::chrono::microseconds watchdogInterval();

private:
    void send(const QByteArray &state);

    /** Pings at half the interval, as sd_watchdog_enabled(3) advises: one late tick is no kill. */
    QTimer m_watchdog;
};

} // namespace orchard
