// Hostile connections against a real in-process server: clients that drip bytes, stall,
// flood the waiting line or never read their replies. Every wait is bounded
// (BlockingFrameStream), so each ends with its documented error, the worker comes back and
// the other sessions are served meanwhile. Timeouts are shortened through ServerConfig so
// "a byte per second against a 30 s read timeout" runs as "a byte per 100 ms against 1 s".
#include <catch2/catch.hpp>

#include <cerrno>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QTest>

#include "common/protocol/framereader.h"
#include "common/protocol/imagerequest.h"
#include "tests/hardening/hostile.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::hardening;
using namespace orchard::test;
using namespace std::chrono_literals;

namespace {

/** Sends bytes one at a time, every interval, until the server closes or count are sent. */
int drip(TestClient &client, const QByteArray &bytes, int intervalMs)
{
    int sent = 0;
    for (const char byte : bytes) {
        if (!client.isConnected() || client.untaken() > 0)
            break;
        client.sendRaw(QByteArray(1, byte));
        ++sent;
        QTest::qWait(intervalMs);
    }
    return sent;
}

} // namespace

TEST_CASE("A header sent a byte at a time gets TIMEOUT after the read timeout; others are served meanwhile")
{
    ServerConfig config = withWorkers(2);
    config.readTimeout = 1000ms;
    ServerFixture fixture(config);
    auto bystander = welcomedClient(fixture.port());
    auto slow = welcomedClient(fixture.port());

    QElapsedTimer timer;
    timer.start();
    // A byte per 100 ms: the whole header would take 12.8 s; every byte is progress, but the
    // read timeout counts from the frame's first byte, not from the last one.
    const QByteArray header = rawHeader(R"({"msg_type":"CLIENT_IMAGE","msg_len":10})");
    int sent = 0;
    for (int i = 0; i < 5; ++i)
        sent += drip(*slow, header.mid(sent, 1), 100);
    requireServed(*bystander, 1); // while the slow client holds its worker
    sent += drip(*slow, header.mid(sent), 100);
    REQUIRE(slow->waitForNext());
    const ProtocolError error = errorOf(slow->next());
    CHECK(error.code == ErrorCode::Timeout);
    CHECK(error.message.contains("not completed within 1 s"));
    CHECK(slow->waitDisconnected());
    CHECK(timer.elapsed() >= 900);
    CHECK(sent < header.size());
    requireServed(*bystander, 2);
    requireServed(*welcomedClient(fixture.port()), 3); // its worker came back
}

TEST_CASE("A body that trickles in forever gets TIMEOUT although bytes keep arriving")
{
    ServerConfig config = withWorkers(1);
    config.readTimeout = 1000ms;
    ServerFixture fixture(config);
    auto slow = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    slow->sendRaw(rawHeader(R"({"encoding":"binary","msg_len":100000,"msg_type":"CLIENT_IMAGE"})"));
    QElapsedTimer timer;
    timer.start();
    while (slow->isConnected() && slow->untaken() == 0 && timer.elapsed() < 5000) {
        slow->sendRaw(QByteArray(10, 'x'));
        QTest::qWait(100);
    }
    REQUIRE(slow->waitForNext());
    const ProtocolError error = errorOf(slow->next());
    CHECK(error.code == ErrorCode::Timeout);
    CHECK(slow->waitDisconnected());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome"); // the single worker came back
}

TEST_CASE("A body that stalls after its header gets TIMEOUT and the worker serves the next in line")
{
    ServerConfig config = withWorkers(1);
    config.readTimeout = 500ms;
    ServerFixture fixture(config);
    auto stalled = welcomedClient(fixture.port());
    TestClient waiting(fixture.port());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    // The header claims 20 MB; 5000 bytes come, then nothing.
    stalled->sendRaw(rawHeader(R"({"encoding":"binary","msg_id":4,"msg_len":20000000,"msg_type":"CLIENT_IMAGE"})")
                     + QByteArray(5000, 'x'));
    REQUIRE(stalled->waitForNext());
    const ProtocolError error = errorOf(stalled->next());
    CHECK(error.code == ErrorCode::Timeout);
    CHECK(error.message.contains("not completed"));
    CHECK(stalled->waitDisconnected());
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome");
    requireServed(waiting, 1);
}

TEST_CASE("A connection flood past --max-queued: the extras get BUSY, the line holds, service resumes")
{
    ServerFixture fixture(withWorkers(2, 5));
    std::vector<std::unique_ptr<TestClient>> flood;
    for (int i = 0; i < 40; ++i)
        flood.push_back(std::make_unique<TestClient>(fixture.port()));
    int welcomed = 0, queued = 0, busy = 0;
    for (auto &client : flood) {
        REQUIRE(client->waitForNext());
        const Frame first = client->next();
        if (first.type() == MessageType::ServerError) {
            const ProtocolError error = errorOf(first);
            CHECK(error.code == ErrorCode::Busy);
            CHECK(client->waitDisconnected());
            ++busy;
        } else {
            const QString kind = messageOf(first).kind();
            welcomed += kind == "welcome";
            queued += kind == "queued";
        }
    }
    CHECK(welcomed == 2);
    CHECK(queued == 5);
    CHECK(busy == 33);
    CHECK(fixture.server->waitingCount() == 5);
    CHECK(fixture.server->activeSessionCount() == 2);

    // The served ones still work; when everyone leaves, the line empties and a newcomer is
    // welcomed at once.
    int id = 0;
    for (auto &client : flood) {
        if (client->isConnected() && client->frames().first().type() == MessageType::ServerMessage
            && messageOf(client->frames().first()).kind() == "welcome")
            requireServed(*client, ++id);
    }
    flood.clear(); // every socket closes
    REQUIRE(QTest::qWaitFor([&] {
        return fixture.server->waitingCount() == 0 && fixture.server->activeSessionCount() == 0;
    }, 5000));
    requireServed(*welcomedClient(fixture.port()), 100);
}

TEST_CASE("A client that pipelines requests and never reads a reply is dropped after the write timeout")
{
    ServerConfig config = withWorkers(1);
    config.writeTimeout = 500ms;
    ServerFixture fixture(config);
    // Sessions emit from their worker threads; a queued connection records the reasons on
    // this thread (a QSignalSpy would append on the worker while the test reads here).
    QStringList endReasons;
    QObject::connect(fixture.server->events(), &ServerEvents::sessionEnded, fixture.server.get(),
                     [&](quint64, const QString &reason) { endReasons.append(reason); },
                     Qt::QueuedConnection);

    // A raw socket with a small receive buffer, so the replies back up quickly.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    const int small = 4096;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(fixture.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

    TestClient waiting(fixture.port()); // must get the worker once the non-reader is dropped
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "queued");

    // Send image requests until the server stops taking them: it is stuck writing replies
    // nobody reads. Then it must give up within the write timeout. Each request names its
    // image with 200 KB of text, which the reply echoes: a few dozen replies fill every
    // buffer on the way, so the server has little backlog left to work through once the
    // client's sends stall.
    ImageRequest image;
    image.imageData = sampleImage();
    image.messageId = 1;
    image.name = QString(200'000, QLatin1Char('n'));
    const QByteArray request = *image.toFrame(ImageBodyForm::Base64Json);
    QByteArray pending;
    qint64 requests = 0;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    QElapsedTimer total;
    total.start();
    bool serverClosed = false;
    while (sinceProgress.elapsed() < 300 && total.elapsed() < 60000) {
        if (pending.isEmpty()) {
            pending = request;
            ++requests;
        }
        const ssize_t n = ::send(fd, pending.constData(), size_t(pending.size()), MSG_NOSIGNAL);
        if (n > 0) {
            pending.remove(0, n);
            sinceProgress.restart();
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            serverClosed = true; // already dropped while we were still sending
            break;
        } else {
            QTest::qWait(5);
        }
    }
    CHECK(requests > 10);

    QElapsedTimer stalled;
    stalled.start();
    REQUIRE(QTest::qWaitFor([&] { return !endReasons.isEmpty(); }, 10000));
    const qint64 droppedAfter = stalled.elapsed();
    // The client's sends stall when the server's receive buffers are full, not when the
    // server stops: it still answers the requests it buffered until its send buffer is
    // full too, then gives up after the write timeout. Without the timeout it would wait
    // forever.
    WARN("never-reading client: " << requests << " requests sent; dropped " << droppedAfter
         << " ms after its sends stalled");
    CHECK(endReasons.first().contains("client stopped reading"));
    // Dropped at all (within the 10 s wait above) is the property; how fast is the
    // benchmark's business, not a test's.
    Q_UNUSED(serverClosed)
    REQUIRE(waiting.waitForNext());
    CHECK(waiting.nextKind() == "welcome");
    requireServed(waiting, 2);
    ::close(fd);
}

