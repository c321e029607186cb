#include <catch2/catch.hpp>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "common/protocol/errorcode.h"
#include "common/protocol/frame.h"
#include "common/protocol/frameheader.h"

using namespace orchard;

namespace {

/** A 128-byte header around arbitrary JSON text, padded the way the original did. */
QByteArray leftPadded(const QByteArray &json)
{
    return QByteArray(FrameHeader::kSize - json.size(), ' ') + json;
}

ErrorCode decodeErrorOf(const QByteArray &json)
{
    const Result<FrameHeader> header = FrameHeader::decode(leftPadded(json));
    REQUIRE_FALSE(header.ok());
    return header.error().code;
}

} // namespace

TEST_CASE("An encoded header is exactly 128 bytes, JSON padded on the left with spaces")
{
    const Result<QByteArray> bytes = FrameHeader::make(MessageType::ClientImage, 1234).encode();
    REQUIRE(bytes.ok());
    CHECK(bytes->size() == 128);
    const QByteArray json = R"({"msg_len":1234,"msg_type":"CLIENT_IMAGE"})";
    CHECK(bytes->endsWith(json));
    CHECK(bytes->left(128 - json.size()) == QByteArray(128 - json.size(), ' '));
}

TEST_CASE("The header bytes match the documented example byte for byte")
{
    // docs/protocol.md shows this header as a hex dump; keep them in step.
    const Result<QByteArray> bytes =
            FrameHeader::make(MessageType::ClientImage, 1046, 7, BodyEncoding::Binary).encode();
    REQUIRE(bytes.ok());
    CHECK(bytes->trimmed()
          == QByteArray(R"({"encoding":"binary","msg_id":7,"msg_len":1046,"msg_type":"CLIENT_IMAGE"})"));
}

TEST_CASE("A header round-trips type, length, id and encoding")
{
    const FrameHeader original =
            FrameHeader::make(MessageType::ServerPrediction, 987654321, 42, BodyEncoding::Binary);
    const Result<FrameHeader> decoded = FrameHeader::decode(*original.encode());
    REQUIRE(decoded.ok());
    CHECK(decoded->type == MessageType::ServerPrediction);
    CHECK(decoded->typeName == "SERVER_PREDICTION");
    CHECK(decoded->length == 987654321);
    CHECK(decoded->messageId == 42);
    CHECK(decoded->encoding == BodyEncoding::Binary);
}

TEST_CASE("A header from the original Python client decodes")
{
    // json.dumps() with its ", " and ": " separators, left-padded with b' '.
    const QByteArray python = R"({"msg_type": "CLIENT_IMAGE", "msg_len": 5120})";
    const Result<FrameHeader> header = FrameHeader::decode(leftPadded(python));
    REQUIRE(header.ok());
    CHECK(header->type == MessageType::ClientImage);
    CHECK(header->length == 5120);
    CHECK_FALSE(header->messageId.has_value());
    CHECK(header->encoding == BodyEncoding::Base64);
}

TEST_CASE("A right-padded header is accepted too")
{
    QByteArray json = R"({"msg_type":"CLIENT_MESSAGE","msg_len":3})";
    json.append(QByteArray(128 - json.size(), ' '));
    const Result<FrameHeader> header = FrameHeader::decode(json);
    REQUIRE(header.ok());
    CHECK(header->type == MessageType::ClientMessage);
    CHECK(header->length == 3);
}

TEST_CASE("A header whose JSON would exceed 128 bytes is refused, not truncated")
{
    FrameHeader header = FrameHeader::make(MessageType::ClientImage, 1);
    // {"msg_len":1,"msg_type":"..."} is 27 bytes plus the name: 102 characters make 129.
    header.typeName = QString(102, QLatin1Char('X'));
    const Result<QByteArray> bytes = header.encode();
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().code == ErrorCode::BadHeader);
    CHECK(bytes.error().message.contains("129"));

    header.typeName = QString(101, QLatin1Char('X'));
    REQUIRE(header.encode().ok());
    CHECK(header.encode()->size() == 128);
    CHECK(header.encode()->at(0) == '{');
}

TEST_CASE("Decoding anything but exactly 128 bytes is a BAD_HEADER")
{
    const QByteArray json = R"({"msg_type":"CLIENT_IMAGE","msg_len":1})";
    CHECK_FALSE(FrameHeader::decode(QByteArray(129 - json.size(), ' ') + json).ok());
    CHECK_FALSE(FrameHeader::decode(QByteArray(127 - json.size(), ' ') + json).ok());
}

TEST_CASE("A missing msg_len is a BAD_HEADER")
{
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE"})") == ErrorCode::BadHeader);
}

TEST_CASE("A negative msg_len is a BAD_HEADER")
{
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":-1})") == ErrorCode::BadHeader);
}

TEST_CASE("A fractional msg_len is a BAD_HEADER, but a whole one written as float is read")
{
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":1.5})") == ErrorCode::BadHeader);
    const Result<FrameHeader> whole =
            FrameHeader::decode(leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":12.0})"));
    REQUIRE(whole.ok());
    CHECK(whole->length == 12);
}

TEST_CASE("A msg_len given as text, null or boolean is a BAD_HEADER naming the value")
{
    const Result<FrameHeader> text =
            FrameHeader::decode(leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":"12"})"));
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().code == ErrorCode::BadHeader);
    CHECK(text.error().message.contains("\"12\""));
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":null})") == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":true})") == ErrorCode::BadHeader);
}

TEST_CASE("Huge msg_len values decode exactly or saturate, never wrap negative")
{
    const Result<FrameHeader> big =
            FrameHeader::decode(leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":1099511627776})"));
    REQUIRE(big.ok());
    CHECK(big->length == (qint64(1) << 40));

    const Result<FrameHeader> absurd =
            FrameHeader::decode(leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":1e300})"));
    REQUIRE(absurd.ok());
    CHECK(absurd->length == std::numeric_limits<qint64>::max());
}

TEST_CASE("A missing or non-text msg_type is a BAD_HEADER")
{
    CHECK(decodeErrorOf(R"({"msg_len":3})") == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"({"msg_type":7,"msg_len":3})") == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"({"msg_type":"","msg_len":3})") == ErrorCode::BadHeader);
}

TEST_CASE("Non-JSON headers are BAD_HEADER: zeros, garbage, arrays, truncated JSON")
{
    CHECK_FALSE(FrameHeader::decode(QByteArray(128, '\0')).ok());
    CHECK_FALSE(FrameHeader::decode(QByteArray(128, ' ')).ok());
    CHECK(decodeErrorOf("GET / HTTP/1.1") == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"([1,2,3])") == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":)") == ErrorCode::BadHeader);
}

TEST_CASE("An unknown msg_type decodes as Unknown and keeps its name")
{
    const Result<FrameHeader> header =
            FrameHeader::decode(leftPadded(R"({"msg_type":"CLIENT_VIDEO","msg_len":10})"));
    REQUIRE(header.ok());
    CHECK(header->type == MessageType::Unknown);
    CHECK(header->typeName == "CLIENT_VIDEO");
    CHECK(header->length == 10);
}

TEST_CASE("Unknown header keys are ignored")
{
    const Result<FrameHeader> header = FrameHeader::decode(
            leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":10,"x-trace":"abc","v":2})"));
    REQUIRE(header.ok());
    CHECK(header->length == 10);
}

TEST_CASE("A bad msg_id or an unknown encoding is a BAD_HEADER")
{
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":1,"msg_id":-4})")
          == ErrorCode::BadHeader);
    CHECK(decodeErrorOf(R"({"msg_type":"CLIENT_IMAGE","msg_len":1,"msg_id":"a"})")
          == ErrorCode::BadHeader);
    const Result<FrameHeader> gzip = FrameHeader::decode(
            leftPadded(R"({"msg_type":"CLIENT_IMAGE","msg_len":1,"msg_id":3,"encoding":"gzip"})"));
    REQUIRE_FALSE(gzip.ok());
    CHECK(gzip.error().messageId == 3);
    CHECK(gzip.error().message.contains("gzip"));
}

TEST_CASE("Message type and error code names round-trip")
{
    for (MessageType type : { MessageType::ClientImage, MessageType::ClientMessage,
                              MessageType::ServerPrediction, MessageType::ServerMessage,
                              MessageType::ServerError }) {
        CHECK(messageTypeFromName(messageTypeName(type)) == type);
    }
    CHECK(messageTypeFromName("client_image") == MessageType::Unknown);
    for (ErrorCode code : { ErrorCode::BadHeader, ErrorCode::TooLarge, ErrorCode::BadImage,
                            ErrorCode::UnknownType, ErrorCode::Busy, ErrorCode::Timeout,
                            ErrorCode::Internal, ErrorCode::Unauthorized }) {
        CHECK(errorCodeFromName(errorCodeName(code)) == code);
    }
    CHECK(errorCodeName(ErrorCode::TooLarge) == "TOO_LARGE");
    CHECK_FALSE(errorCodeFromName("NOPE").has_value());
}

TEST_CASE("Errors that lose framing or end the wait close, the others keep the session")
{
    CHECK(errorClosesConnection(ErrorCode::BadHeader));
    CHECK(errorClosesConnection(ErrorCode::TooLarge));
    CHECK(errorClosesConnection(ErrorCode::Busy));
    CHECK(errorClosesConnection(ErrorCode::Timeout));
    CHECK_FALSE(errorClosesConnection(ErrorCode::BadImage));
    CHECK_FALSE(errorClosesConnection(ErrorCode::UnknownType));
    CHECK_FALSE(errorClosesConnection(ErrorCode::Internal));
}

TEST_CASE("encodeFrame puts the header before the body with msg_len = body size")
{
    const QByteArray body = "hello, orchard";
    const Result<QByteArray> frame = encodeFrame(MessageType::ClientMessage, body, 9);
    REQUIRE(frame.ok());
    CHECK(frame->size() == 128 + body.size());
    CHECK(frame->endsWith(body));
    const Result<FrameHeader> header = FrameHeader::decode(frame->left(128));
    REQUIRE(header.ok());
    CHECK(header->length == body.size());
    CHECK(header->messageId == 9);
}
