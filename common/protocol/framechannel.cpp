#include "common/protocol/framechannel.h"

#include <QIODevice>

namespace orchard {

FrameChannel::FrameChannel(QIODevice *device, qint64 maxBodyLength, QObject *parent)
    : QObject(parent)
    , m_device(device)
    , m_reader(maxBodyLength)
{
    connect(device, &QIODevice::readyRead, this, &FrameChannel::readAvailable);
}

bool FrameChannel::send(const QByteArray &frame)
{
    if (!m_device || !m_device->isWritable())
        return false;
    if (m_device->write(frame) != frame.size())
        return false;
    m_bytesSent += frame.size();
    return true;
}

void FrameChannel::reset()
{
    m_reader = FrameReader(m_reader.maxBodyLength());
    m_errorReported = false;
}

void FrameChannel::readAvailable()
{
    if (!m_device)
        return;
    m_reader.feed(m_device->readAll());

    // A receiver may delete us (or the device) from its slot, e.g. after the offline
    // reply; stop touching members the moment that happens.
    const QPointer<FrameChannel> alive(this);
    while (alive && m_reader.hasFrame())
        emit frameReceived(m_reader.takeFrame());
    if (alive && m_reader.hasError() && !m_errorReported) {
        m_errorReported = true;
        emit protocolError(*m_reader.error());
    }
}

} // namespace orchard
