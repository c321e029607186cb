// Both socket adapters over real loopback connections: BlockingFrameStream runs in a plain
// std::thread (no event loop, like a pool worker), FrameChannel in the test's event loop.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <thread>

#include <QHostAddress>
#include <QList>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "common/protocol/blockingframestream.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/framechannel.h"

using namespace orchard;
using namespace std::chrono_literals;

namespace {

/**
 * A connected pair: `accepted` lives in the test thread, the other end in a worker thread
 * that runs `peer` with a blocking socket and then closes it.
 */
class LoopbackPair
{
public:
    explicit LoopbackPair(std::function<void(QTcpSocket &)> peer)
    {
        REQUIRE(m_server.listen(QHostAddress::LocalHost, 0));
        const quint16 port = m_server.serverPort();
        m_thread = std::thread([this, port, peer = std::move(peer)] {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            if (socket.waitForConnected(5000))
                peer(socket);
            socket.disconnectFromHost();
            if (socket.state() != QAbstractSocket::UnconnectedState)
                socket.waitForDisconnected(1000);
            m_peerDone = true;
        });
        REQUIRE(QTest::qWaitFor([this] { return m_server.hasPendingConnections(); }, 5000));
        accepted = m_server.nextPendingConnection();
        REQUIRE(accepted);
    }

    ~LoopbackPair()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    bool waitForPeer() { return QTest::qWaitFor([this] { return m_peerDone.load(); }, 10000); }

    QTcpSocket *accepted = nullptr;

private:
    QTcpServer m_server;
    std::thread m_thread;
    std::atomic_bool m_peerDone { false };
};

QByteArray frame(MessageType type, const QByteArray &body, std::optional<qint64> id = {})
{
    return *encodeFrame(type, body, id);
}

} // namespace

TEST_CASE("Blocking stream and frame channel exchange pipelined frames over loopback")
{
    QList<QByteArray> bodiesSeenByPeer;
    LoopbackPair pair([&](QTcpSocket &socket) {
        BlockingFrameStream stream(&socket);
        for (int i = 0; i < 2; ++i) {
            const auto result = stream.readFrame(5s, 5s);
            if (result.status != BlockingFrameStream::ReadStatus::FrameReady)
                return;
            bodiesSeenByPeer.append(result.frame.body);
            stream.writeFrame(frame(MessageType::ServerMessage, "reply:" + result.frame.body,
                                    result.frame.messageId()),
                              5s);
        }
    });

    FrameChannel channel(pair.accepted);
    QSignalSpy received(&channel, &FrameChannel::frameReceived);
    const QByteArray both = frame(MessageType::ClientMessage, "first", 1)
            + frame(MessageType::ClientMessage, "second", 2);
    // Send the first frame's header in two pieces to make the peer reassemble it.
    REQUIRE(channel.send(both.left(60)));
    pair.accepted->flush();
    REQUIRE(channel.send(both.mid(60)));

    REQUIRE(QTest::qWaitFor([&] { return received.count() == 2; }, 10000));
    const Frame one = received.at(0).at(0).value<Frame>();
    const Frame two = received.at(1).at(0).value<Frame>();
    CHECK(one.body == "reply:first");
    CHECK(one.messageId() == 1);
    CHECK(two.body == "reply:second");
    CHECK(two.messageId() == 2);
    REQUIRE(pair.waitForPeer());
    CHECK(bodiesSeenByPeer == QList<QByteArray> { "first", "second" });
    CHECK(channel.bytesSent() == both.size());
}

TEST_CASE("The blocking stream times out when idle, and when a frame stalls midway")
{
    std::atomic_bool idleChecked { false };
    BlockingFrameStream::ReadResult idle;
    BlockingFrameStream::ReadResult stalled;
    LoopbackPair pair([&](QTcpSocket &socket) {
        BlockingFrameStream stream(&socket);
        idle = stream.readFrame(150ms, 10s);
        idleChecked = true;
        stalled = stream.readFrame(10s, 150ms);
    });

    REQUIRE(QTest::qWaitFor([&] { return idleChecked.load(); }, 10000));
    pair.accepted->write(QByteArray(10, ' ')); // the start of a header, then nothing
    REQUIRE(pair.waitForPeer());

    CHECK(idle.status == BlockingFrameStream::ReadStatus::TimedOut);
    CHECK(idle.error.code == ErrorCode::Timeout);
    CHECK(idle.error.message.contains("No message arrived"));
    CHECK(stalled.status == BlockingFrameStream::ReadStatus::TimedOut);
    CHECK(stalled.error.code == ErrorCode::Timeout);
    CHECK(stalled.error.message.contains("not completed"));
}

TEST_CASE("The blocking stream reports a peer that hangs up, and a raised stop flag")
{
    std::atomic_bool stop { false };
    std::atomic_bool firstDone { false };
    BlockingFrameStream::ReadResult stopped;
    BlockingFrameStream::ReadResult closed;
    LoopbackPair pair([&](QTcpSocket &socket) {
        BlockingFrameStream stream(&socket);
        stopped = stream.readFrame(30s, 30s, &stop);
        firstDone = true;
        closed = stream.readFrame(30s, 30s);
    });

    stop = true;
    REQUIRE(QTest::qWaitFor([&] { return firstDone.load(); }, 10000));
    pair.accepted->write(QByteArray(50, ' ')); // half a header, then hang up
    pair.accepted->disconnectFromHost();
    REQUIRE(pair.waitForPeer());

    CHECK(stopped.status == BlockingFrameStream::ReadStatus::Stopped);
    CHECK(closed.status == BlockingFrameStream::ReadStatus::Disconnected);
}

TEST_CASE("An oversized message reaches the blocking stream as TOO_LARGE before its body")
{
    BlockingFrameStream::ReadResult result;
    LoopbackPair pair([&](QTcpSocket &socket) {
        BlockingFrameStream stream(&socket, 1024);
        result = stream.readFrame(5s, 5s);
    });
    const QByteArray json = R"({"msg_type":"CLIENT_IMAGE","msg_len":1099511627776,"msg_id":3})";
    pair.accepted->write(QByteArray(128 - json.size(), ' ') + json);
    REQUIRE(pair.waitForPeer());
    CHECK(result.status == BlockingFrameStream::ReadStatus::ProtocolError);
    CHECK(result.error.code == ErrorCode::TooLarge);
    CHECK(result.error.messageId == 3);
}

TEST_CASE("A frame channel reports a broken stream once and delivers the frames before it")
{
    LoopbackPair pair([](QTcpSocket &socket) {
        socket.write(*encodeFrame(MessageType::ServerMessage, "{\"kind\":\"pong\"}"));
        socket.write(QByteArray(128, '\0'));
        socket.write(QByteArray(128, '\0'));
        socket.waitForBytesWritten(5000);
    });
    FrameChannel channel(pair.accepted);
    QSignalSpy frames(&channel, &FrameChannel::frameReceived);
    QSignalSpy errors(&channel, &FrameChannel::protocolError);
    REQUIRE(errors.wait(10000));
    REQUIRE(pair.waitForPeer());
    QCoreApplication::processEvents();
    CHECK(frames.count() == 1);
    CHECK(errors.count() == 1);
    CHECK(errors.at(0).at(0).value<ProtocolError>().code == ErrorCode::BadHeader);
}
