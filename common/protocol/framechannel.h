#pragma once

#include <QObject>
#include <QPointer>

#include "common/protocol/framereader.h"

class QIODevice;

namespace orchard {

/**
 * Event-driven frames on a socket, for threads with an event loop (the desktop client,
 * the monitor, tests).
 *
 * It reads whatever readyRead delivers, never waits, and emits frameReceived once per
 * complete frame, so a 12 MB upload or a slow server never blocks the GUI thread.
 */
class FrameChannel : public QObject
{
    Q_OBJECT

public:
    /** Does not take ownership of device; it must outlive the channel or be its parent. */
    explicit FrameChannel(QIODevice *device,
                          qint64 maxBodyLength = FrameReader::kDefaultMaxBodyLength,
                          QObject *parent = nullptr);

    /** Queues a whole frame for writing; false when the device is not open for writing. */
    bool send(const QByteArray &frame);

    /** Forgets any partial frame and error, for a fresh connection on the same device. */
    void reset();

    qint64 bytesSent() const { return m_bytesSent; }

signals:
    void frameReceived(const orchard::Frame &frame);
    /** The stream can no longer be framed (BAD_HEADER, TOO_LARGE); emitted once. */
    void protocolError(const orchard::ProtocolError &error);

private:
    void readAvailable();

    QPointer<QIODevice> m_device;
    FrameReader m_reader;
    qint64 m_bytesSent = 0;
    bool m_errorReported = false;
};

} // namespace orchard
