#pragma once

#include <QObject>

class QSocketNotifier;

namespace orchard {

/**
 * Turns SIGINT and SIGTERM into a Qt signal in the event loop.
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

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace orchard
