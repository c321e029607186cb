#include "tests/support/testclient.h"

#include <algorithm>

#include <QHostAddress>
#include <QTest>

#include "common/protocol/clientmessage.h"

namespace orchard::test {

TestClient::TestClient(quint16 port, QObject *parent)
    : QObject(parent)
    , m_channel(&m_socket)
{
    connect(&m_channel, &FrameChannel::frameReceived, this,
            [this](const Frame &frame) { m_frames.append(frame); });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

TestClient::TestClient(quint16 port, const QHostAddress &localAddress, const QByteArray &firstBytes, QObject *parent)
    : QObject(parent)
    , m_channel(&m_socket)
{
    connect(&m_channel, &FrameChannel::frameReceived, this,
            [this](const Frame &frame) { m_frames.append(frame); });
    m_socket.bind(localAddress);
    if (!firstBytes.isEmpty()) {
        connect(&m_socket, &QTcpSocket::connected, this, [this, firstBytes] { m_socket.write(firstBytes); },
                Qt::SingleShotConnection);
    }
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

bool TestClient::waitConnected()
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           kWaitMs);
}

bool TestClient::waitForFrames(int count, int timeoutMs)
{
    return QTest::qWaitFor([this, count] { return m_frames.size() >= count; }, timeoutMs);
}

bool TestClient::waitForNext(int timeoutMs)
{
    return waitForFrames(m_taken + 1, timeoutMs);
}

bool TestClient::waitDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

Frame TestClient::next()
{
    if (m_taken >= m_frames.size())
        return {};
    return m_frames.at(m_taken++);
}

void TestClient::hangUp()
{
    m_socket.flush();
    m_socket.disconnectFromHost();
}

QString TestClient::nextKind()
{
    const Frame frame = next();
    if (frame.type() != MessageType::ServerMessage)
        return {};
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    return message ? message->kind() : QString();
}

int TestClient::predictionCount() const
{
    return static_cast<int>(std::count_if(m_frames.begin(), m_frames.end(), [](const Frame &frame) {
        return frame.type() == MessageType::ServerPrediction;
    }));
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

void TestClient::sendFrame(MessageType type, const QByteArray &body, std::optional<qint64> id,
                           BodyEncoding encoding)
{
    m_channel.send(*encodeFrame(type, body, id, encoding));
}

void TestClient::sendOffline(const QString &text)
{
    sendFrame(MessageType::ClientMessage, ClientMessage::offlineBody(text));
}

} // namespace orchard::test
