#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include "common/protocol/frame.h"
#include "common/protocol/framechannel.h"
#include "common/protocol/protocolerror.h"
#include "common/protocol/servermessage.h"

namespace orchard::test {

/**
 * A real protocol client for tests: a QTcpSocket with a FrameChannel that records every
 * frame the server sends. Its waits spin the event loop (QTest::qWaitFor), so a server in
 * the same thread keeps serving while a test waits.
 */
class TestClient : public QObject
{
    Q_OBJECT

public:
    static constexpr int kWaitMs = 15000;

    explicit TestClient(quint16 port, QObject *parent = nullptr);
    /**
     * Connects from localAddress (127.0.0.2, say: a second loopback address, as a load
     * balancer's would be), optionally sending firstBytes before any frame (a PROXY header).
     */
    TestClient(quint16 port, const QHostAddress &localAddress, const QByteArray &firstBytes = {},
               QObject *parent = nullptr);

    bool waitConnected();
    /** Waits until at least count frames have arrived in total. */
    bool waitForFrames(int count, int timeoutMs = kWaitMs);
    /** Waits for the next frame after those already taken with next(). */
    bool waitForNext(int timeoutMs = kWaitMs);
    /** Waits until the server closed the connection. */
    bool waitDisconnected(int timeoutMs = kWaitMs);

    /** The oldest frame not yet taken; an empty Unknown frame when none is left. */
    Frame next();
    /** next() as a SERVER_MESSAGE kind ("welcome", "queued"…), or "" for another type. */
    QString nextKind();
    const QList<Frame> &frames() const { return m_frames; }
    int untaken() const { return static_cast<int>(m_frames.size()) - m_taken; }
    /** How many SERVER_PREDICTION frames have arrived so far. */
    int predictionCount() const;

    void sendRaw(const QByteArray &bytes);
    void sendFrame(MessageType type, const QByteArray &body, std::optional<qint64> id = {},
                   BodyEncoding encoding = BodyEncoding::Base64);
    void sendOffline(const QString &text = QStringLiteral("bye"));
    /** Resets the connection at once (RST), dropping anything not yet sent. */
    void abort() { m_socket.abort(); }
    /** Sends what is buffered, then closes (FIN): a client that just goes away. */
    void hangUp();
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    /** This end's port: how the server (or a balancer) names this client, with its address. */
    quint16 localPort() const { return m_socket.localPort(); }

private:
    QTcpSocket m_socket;
    FrameChannel m_channel;
    QList<Frame> m_frames;
    int m_taken = 0;
};

} // namespace orchard::test
