#pragma once

#include <QObject>

class QSocketNotifier;

namespace orchard {

/**
 * Turns SIGINT and SIGTERM (terminationRequested) and SIGHUP (reloadRequested) into Qt
 * signals in the event loop.
 *
 * A Unix signal handler may only call async-signal-safe functions, so the handler writes
 * one byte to a socket pair and a QSocketNotifier picks it up in the event loop, where
 * the graceful shutdown can run (the pattern Qt's documentation describes).
 */
class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);
    /** SIGHUP: read the token file again, reopen the log file (logrotate). */
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace orchard
