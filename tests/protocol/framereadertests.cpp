#include <catch2/catch.hpp>

#include <malloc.h>

#include <QByteArray>
#include <QList>

#include "common/protocol/frame.h"
#include "common/protocol/framereader.h"

using namespace orchard;

namespace {

QByteArray frameBytes(MessageType type, const QByteArray &body, std::optional<qint64> id = {})
{
    Result<QByteArray> frame = encodeFrame(type, body, id);
    REQUIRE(frame.ok());
    return frame.value();
}

QByteArray headerOnly(const QByteArray &json)
{
    return QByteArray(FrameHeader::kSize - json.size(), ' ') + json;
}

/** Bytes the C heap currently holds for the process, mmapped blocks included. */
qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return static_cast<qint64>(info.uordblks + info.hblkhd);
}

} // namespace

TEST_CASE("One frame fed whole comes out whole")
{
    FrameReader reader;
    reader.feed(frameBytes(MessageType::ClientMessage, "bye", 5));
    REQUIRE(reader.hasFrame());
    const Frame frame = reader.takeFrame();
    CHECK(frame.type() == MessageType::ClientMessage);
    CHECK(frame.body == "bye");
    CHECK(frame.messageId() == 5);
    CHECK_FALSE(reader.hasFrame());
    CHECK_FALSE(reader.isMidFrame());
    CHECK_FALSE(reader.hasError());
}

TEST_CASE("Two frames in one chunk come out as two frames in order")
{
    FrameReader reader;
    reader.feed(frameBytes(MessageType::ClientImage, "aGVsbG8=", 1)
                + frameBytes(MessageType::ClientMessage, "offline", 2));
    REQUIRE(reader.hasFrame());
    CHECK(reader.takeFrame().body == "aGVsbG8=");
    REQUIRE(reader.hasFrame());
    const Frame second = reader.takeFrame();
    CHECK(second.body == "offline");
    CHECK(second.messageId() == 2);
    CHECK_FALSE(reader.hasFrame());
}

TEST_CASE("A stream split at every byte offset yields the same frames")
{
    const QByteArray first = frameBytes(MessageType::ClientImage, QByteArray(300, 'A'), 10);
    const QByteArray second = frameBytes(MessageType::ClientMessage, "see you", 11);
    const QByteArray stream = first + second;

    for (qsizetype split = 0; split <= stream.size(); ++split) {
        FrameReader reader;
        reader.feed(QByteArrayView(stream).first(split));
        reader.feed(QByteArrayView(stream).sliced(split));
        INFO("split at " << split);
        REQUIRE(reader.hasFrame());
        const Frame a = reader.takeFrame();
        CHECK(a.body == QByteArray(300, 'A'));
        CHECK(a.messageId() == 10);
        REQUIRE(reader.hasFrame());
        CHECK(reader.takeFrame().body == "see you");
        CHECK_FALSE(reader.hasFrame());
    }
}

TEST_CASE("A stream fed one byte at a time yields its frames, and reports mid-frame state")
{
    const QByteArray stream = frameBytes(MessageType::ClientMessage, "one")
            + frameBytes(MessageType::ClientMessage, "two");
    FrameReader reader;
    QList<QByteArray> bodies;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        reader.feed(QByteArrayView(stream).sliced(i, 1));
        const bool atBoundary = i + 1 == 131 || i + 1 == stream.size();
        CHECK(reader.isMidFrame() == !atBoundary);
        while (reader.hasFrame())
            bodies.append(reader.takeFrame().body);
    }
    CHECK(bodies == QList<QByteArray> { "one", "two" });
}

TEST_CASE("A frame with an empty body is complete right after its header")
{
    FrameReader reader;
    reader.feed(frameBytes(MessageType::ClientMessage, QByteArray()));
    REQUIRE(reader.hasFrame());
    CHECK(reader.takeFrame().body.isEmpty());
    CHECK_FALSE(reader.isMidFrame());
}

TEST_CASE("A body over the limit is TOO_LARGE as soon as the header is complete")
{
    FrameReader reader(1000);
    reader.feed(headerOnly(R"({"msg_type":"CLIENT_IMAGE","msg_len":1001,"msg_id":77})"));
    REQUIRE(reader.hasError());
    CHECK(reader.error()->code == ErrorCode::TooLarge);
    CHECK(reader.error()->messageId == 77);
    CHECK(reader.error()->message.contains("1001"));
    CHECK(reader.error()->message.contains("1000"));
    CHECK_FALSE(reader.hasFrame());

    FrameReader atLimit(1000);
    atLimit.feed(frameBytes(MessageType::ClientImage, QByteArray(1000, 'x')));
    CHECK_FALSE(atLimit.hasError());
    CHECK(atLimit.hasFrame());
}

TEST_CASE("The body limit is enforced without allocating the claimed size")
{
    const qint64 before = heapInUse();
    FrameReader reader; // 32 MiB default limit
    reader.feed(headerOnly(R"({"msg_type":"CLIENT_IMAGE","msg_len":1099511627776})"));
    REQUIRE(reader.hasError());
    CHECK(reader.error()->code == ErrorCode::TooLarge);

    FrameReader justOver;
    justOver.feed(headerOnly(R"({"msg_type":"CLIENT_IMAGE","msg_len":33554433})"));
    REQUIRE(justOver.hasError());
    CHECK(justOver.error()->code == ErrorCode::TooLarge);

    // A claim within the limit that never delivers its body must not pin the claim either.
    FrameReader stalled;
    stalled.feed(headerOnly(R"({"msg_type":"CLIENT_IMAGE","msg_len":33554432})") + "abc");
    CHECK_FALSE(stalled.hasError());
    CHECK(stalled.isMidFrame());
    CHECK(stalled.bufferedBytes() == 3);

    // All three readers are still alive: 32 MiB reserved by any of them would show here.
    CHECK(heapInUse() - before < 2 * 1024 * 1024);
}

TEST_CASE("Bodies of unknown types are skipped, and the next frame is intact")
{
    FrameReader reader;
    reader.feed(frameBytes(MessageType::ClientMessage, "x"));
    const QByteArray unknown =
            headerOnly(R"({"msg_type":"CLIENT_VIDEO","msg_len":5000,"msg_id":4})") + QByteArray(5000, 'v');
    reader.feed(unknown.first(2000));
    CHECK(reader.bufferedBytes() == 0); // skipped bytes are not kept
    reader.feed(unknown.sliced(2000) + frameBytes(MessageType::ClientMessage, "after"));

    REQUIRE(reader.hasFrame());
    CHECK(reader.takeFrame().body == "x");
    REQUIRE(reader.hasFrame());
    const Frame skipped = reader.takeFrame();
    CHECK(skipped.type() == MessageType::Unknown);
    CHECK(skipped.header.typeName == "CLIENT_VIDEO");
    CHECK(skipped.header.length == 5000);
    CHECK(skipped.messageId() == 4);
    CHECK(skipped.body.isEmpty());
    REQUIRE(reader.hasFrame());
    CHECK(reader.takeFrame().body == "after");
}

TEST_CASE("After a framing error the reader stops but keeps the frames before it")
{
    FrameReader reader;
    reader.feed(frameBytes(MessageType::ClientMessage, "good") + QByteArray(128, '\0')
                + frameBytes(MessageType::ClientMessage, "never"));
    REQUIRE(reader.hasError());
    CHECK(reader.error()->code == ErrorCode::BadHeader);
    REQUIRE(reader.hasFrame());
    CHECK(reader.takeFrame().body == "good");
    CHECK_FALSE(reader.hasFrame());

    reader.feed(frameBytes(MessageType::ClientMessage, "ignored"));
    CHECK_FALSE(reader.hasFrame());
}

TEST_CASE("A bad header is reported only once 128 bytes have arrived")
{
    FrameReader reader;
    reader.feed(QByteArray(127, 'z'));
    CHECK_FALSE(reader.hasError());
    CHECK(reader.isMidFrame());
    reader.feed("z");
    CHECK(reader.hasError());
}
