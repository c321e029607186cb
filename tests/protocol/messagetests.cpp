#include <catch2/catch.hpp>

#include <optional>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "common/protocol/clientmessage.h"
#include "common/protocol/clienttext.h"
#include "common/protocol/framereader.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"

using namespace orchard;

namespace {

/** Bytes that are not valid UTF-8 or ASCII, like a real image file's. */
const QByteArray kImageBytes = QByteArray::fromHex("89504e470d0a1a0a0000000d49484452ff00fe7f80");

Frame readBack(const Result<QByteArray> &bytes)
{
    REQUIRE(bytes.ok());
    FrameReader reader;
    reader.feed(bytes.value());
    REQUIRE(reader.hasFrame());
    return reader.takeFrame();
}

Frame imageFrame(const QByteArray &body, std::optional<qint64> id = 12)
{
    return readBack(encodeFrame(MessageType::ClientImage, body, id));
}

} // namespace

TEST_CASE("A CLIENT_IMAGE whose body is base64 text (the original form) yields the file bytes")
{
    const Result<ImageRequest> request = ImageRequest::fromFrame(imageFrame(kImageBytes.toBase64()));
    REQUIRE(request.ok());
    CHECK(request->imageData == kImageBytes);
    CHECK(request->name.isEmpty());
    CHECK_FALSE(request->topK.has_value());
    CHECK(request->messageId == 12);
}

TEST_CASE("The JSON body form carries a non-ASCII file name and top_k")
{
    ImageRequest sent;
    sent.imageData = kImageBytes;
    sent.name = QStringLiteral("苹果叶_Test_0 (été).jpg");
    sent.topK = 3;
    sent.messageId = 99;
    const Frame frame = readBack(sent.toFrame(ImageBodyForm::Base64Json));
    CHECK(frame.body.trimmed().startsWith('{'));

    const Result<ImageRequest> received = ImageRequest::fromFrame(frame);
    REQUIRE(received.ok());
    CHECK(received->imageData == kImageBytes);
    CHECK(received->name == sent.name);
    CHECK(received->topK == 3);
    CHECK(received->messageId == 99);
}

TEST_CASE("Leading white space before '{' still selects the JSON form")
{
    const QByteArray body = "  \n{\"image\":\"" + kImageBytes.toBase64() + "\",\"name\":\"a.png\"}";
    const Result<ImageRequest> request = ImageRequest::fromFrame(imageFrame(body));
    REQUIRE(request.ok());
    CHECK(request->name == "a.png");
    CHECK(request->imageData == kImageBytes);
}

TEST_CASE("With binary encoding the body is the raw file, 25% smaller than base64")
{
    ImageRequest sent;
    sent.imageData = QByteArray(3000, '\x7f');
    sent.messageId = 1;
    const Result<QByteArray> binary = sent.toFrame(ImageBodyForm::Binary);
    const Result<QByteArray> base64 = sent.toFrame(ImageBodyForm::Base64Text);
    REQUIRE(binary.ok());
    REQUIRE(base64.ok());
    CHECK(binary->size() - 128 == 3000);
    CHECK(base64->size() - 128 == 4000);

    const Frame frame = readBack(binary);
    CHECK(frame.header.encoding == BodyEncoding::Binary);
    const Result<ImageRequest> received = ImageRequest::fromFrame(frame);
    REQUIRE(received.ok());
    CHECK(received->imageData == sent.imageData);
}

TEST_CASE("A binary request carries top_k in its header")
{
    ImageRequest sent;
    sent.imageData = kImageBytes;
    sent.topK = 7;
    sent.messageId = 2;
    const Frame frame = readBack(sent.toFrame(ImageBodyForm::Binary));
    CHECK(frame.header.topK == 7);
    const Result<ImageRequest> received = ImageRequest::fromFrame(frame);
    REQUIRE(received.ok());
    CHECK(received->topK == 7);

    const QByteArray json = R"({"encoding":"binary","msg_len":1,"msg_type":"CLIENT_IMAGE","top_k":0})";
    CHECK(FrameHeader::decode(QByteArray(128 - json.size(), ' ') + json).error().code == ErrorCode::BadHeader);
}

TEST_CASE("bodyLength predicts the body size of every form without building it")
{
    ImageRequest request;
    request.imageData = QByteArray(1001, '\x42');
    request.name = QStringLiteral("Blatt \"Nord\" 苹果.jpg");
    request.topK = 4;
    for (ImageBodyForm form : { ImageBodyForm::Binary, ImageBodyForm::Base64Text, ImageBodyForm::Base64Json }) {
        const Result<QByteArray> frame = request.toFrame(form);
        REQUIRE(frame.ok());
        CHECK(request.bodyLength(form) == frame->size() - 128);
        CHECK(request.bodyLength(form, 1001) == frame->size() - 128);
    }
    CHECK(request.bodyLength(ImageBodyForm::Binary, 12'000'000) == 12'000'000);
    CHECK(request.bodyLength(ImageBodyForm::Base64Text, 12'000'000) == 16'000'000);
}

TEST_CASE("Invalid base64 is a BAD_IMAGE carrying the msg_id, in both base64 forms")
{
    const Result<ImageRequest> raw = ImageRequest::fromFrame(imageFrame("iVBORw0KGgo*not-base64*", 5));
    REQUIRE_FALSE(raw.ok());
    CHECK(raw.error().code == ErrorCode::BadImage);
    CHECK(raw.error().messageId == 5);
    CHECK(raw.error().message.contains("base64"));

    const Result<ImageRequest> json = ImageRequest::fromFrame(imageFrame(R"({"image":"@@@@"})", 6));
    REQUIRE_FALSE(json.ok());
    CHECK(json.error().code == ErrorCode::BadImage);
    CHECK(json.error().messageId == 6);
}

TEST_CASE("A malformed JSON image request is a BAD_IMAGE that says what is wrong")
{
    const auto errorOf = [](const QByteArray &body) {
        const Result<ImageRequest> request = ImageRequest::fromFrame(imageFrame(body));
        REQUIRE_FALSE(request.ok());
        CHECK(request.error().code == ErrorCode::BadImage);
        return request.error().message;
    };
    CHECK(errorOf(R"({"image": "aGk=", )").contains("not valid JSON"));
    CHECK(errorOf(R"({"name":"x.jpg"})").contains("\"image\""));
    CHECK(errorOf(R"({"image":"aGk=","top_k":0})").contains("top_k"));
    CHECK(errorOf(R"({"image":"aGk=","top_k":2.5})").contains("top_k"));
}

TEST_CASE("An empty image is a BAD_IMAGE in every form")
{
    CHECK(ImageRequest::fromFrame(imageFrame(QByteArray())).error().code == ErrorCode::BadImage);
    CHECK(ImageRequest::fromFrame(imageFrame(R"({"image":""})")).error().code == ErrorCode::BadImage);
    ImageRequest empty;
    const Frame binary = readBack(empty.toFrame(ImageBodyForm::Binary));
    CHECK(ImageRequest::fromFrame(binary).error().message.contains("empty"));
}

TEST_CASE("CLIENT_MESSAGE plain text is the original offline message")
{
    const ClientMessage message = ClientMessage::parse(QStringLiteral("客户机下线 bye").toUtf8());
    CHECK(message.action == ClientMessage::Action::Offline);
    CHECK(message.text == QStringLiteral("客户机下线 bye"));
}

TEST_CASE("CLIENT_MESSAGE JSON actions: offline with text, ping, info, unknown")
{
    const ClientMessage offline = ClientMessage::parse(ClientMessage::offlineBody("farm 3 done"));
    CHECK(offline.action == ClientMessage::Action::Offline);
    CHECK(offline.text == "farm 3 done");
    CHECK(ClientMessage::parse(ClientMessage::actionBody("ping")).action == ClientMessage::Action::Ping);
    CHECK(ClientMessage::parse(ClientMessage::actionBody("info")).action == ClientMessage::Action::Info);
    const ClientMessage other = ClientMessage::parse(R"({"action":"dance"})");
    CHECK(other.action == ClientMessage::Action::Other);
    CHECK(other.actionName == "dance");
}

TEST_CASE("A CLIENT_MESSAGE that is not a JSON object with an action means offline")
{
    CHECK(ClientMessage::parse(R"({"text":"no action"})").action == ClientMessage::Action::Offline);
    CHECK(ClientMessage::parse(R"({"action":5})").action == ClientMessage::Action::Offline);
    CHECK(ClientMessage::parse(R"(["ping"])").action == ClientMessage::Action::Offline);
    CHECK(ClientMessage::parse(R"({broken json)").action == ClientMessage::Action::Offline);
    CHECK(ClientMessage::parse(QByteArray()).action == ClientMessage::Action::Offline);
}

TEST_CASE("A prediction reply round-trips every field")
{
    PredictionReply reply;
    reply.messageId = 31;
    reply.name = QStringLiteral("Test_0.jpg");
    reply.model = "fashion-mnist";
    reply.label = "Ankle boot";
    reply.index = 9;
    reply.confidence = 0.97;
    reply.topK = { { "Ankle boot", 9, 0.97 }, { "Sneaker", 7, 0.02 }, { "Sandal", 5, 0.01 } };
    reply.imageWidth = 28;
    reply.imageHeight = 28;
    reply.timing = { 0.1, 0.2, 0.05, 0.3, 0.4, 0.8 };
    reply.batchSize = 4;
    reply.advice = QStringLiteral("Remove fallen leaves; spray at green tip.");

    const Result<PredictionReply> back = PredictionReply::fromBody(reply.toBody());
    REQUIRE(back.ok());
    CHECK(back->messageId == 31);
    CHECK(back->name == reply.name);
    CHECK(back->model == reply.model);
    CHECK(back->label == reply.label);
    CHECK(back->index == 9);
    CHECK(back->confidence == Approx(0.97));
    CHECK(back->topK == reply.topK);
    CHECK(back->imageWidth == 28);
    CHECK(back->imageHeight == 28);
    CHECK(back->timing.decode == Approx(0.2));
    CHECK(back->timing.queue == Approx(0.3));
    CHECK(back->timing.infer == Approx(0.4));
    CHECK(back->timing.total == Approx(0.8));
    CHECK(back->batchSize == 4);
    CHECK(back->advice == reply.advice);

    const QJsonObject json = reply.toJson();
    for (const char *key : { "msg_id", "name", "model", "label", "index", "confidence", "top_k",
                             "image", "timing_ms", "batch_size" })
        CHECK(json.contains(QLatin1String(key)));
}

TEST_CASE("A prediction reply carries quality and uncertain, and an older server reply has neither")
{
    PredictionReply reply;
    reply.label = "Scab";
    reply.confidence = 0.42;
    reply.topK = { { "Scab", 1, 0.42 }, { "Rust", 2, 0.4 } };
    reply.uncertain = true;
    reply.quality = PhotoQualityReport { 123.25, 0.0625, { "blurry", "small" } };
    const QByteArray body = reply.toBody();
    // The direct writer and QJsonDocument agree byte for byte, new keys included.
    CHECK(body == QJsonDocument(reply.toJson()).toJson(QJsonDocument::Compact));
    CHECK(body.contains(R"("quality":{"brightness":0.0625,"sharpness":123.25,"warnings":["blurry","small"]})"));
    CHECK(body.endsWith(R"("uncertain":true})"));
    const Result<PredictionReply> back = PredictionReply::fromBody(body);
    REQUIRE(back.ok());
    CHECK(back->uncertain);
    REQUIRE(back->quality);
    CHECK(*back->quality == *reply.quality);

    reply.uncertain = false;
    reply.quality = PhotoQualityReport {};
    const QByteArray plain = reply.toBody();
    CHECK(plain.contains(R"("warnings":[])"));
    CHECK(plain.contains(R"("uncertain":false)"));
    CHECK(PredictionReply::fromBody(plain)->quality->warnings.isEmpty());

    const Result<PredictionReply> old = PredictionReply::fromBody(R"({"label":"Scab","confidence":0.9,"top_k":[]})");
    REQUIRE(old.ok());
    CHECK_FALSE(old->quality);
    CHECK_FALSE(old->uncertain);
    const Result<PredictionReply> odd
            = PredictionReply::fromBody(R"({"label":"Scab","confidence":0.9,"quality":{"warnings":["dark",3]}})");
    REQUIRE(odd.ok());
    REQUIRE(odd->quality);
    CHECK(odd->quality->warnings == QStringList { "dark" });
}

TEST_CASE("A prediction reply without label is refused")
{
    CHECK_FALSE(PredictionReply::fromBody(R"({"confidence":0.5})").ok());
    CHECK_FALSE(PredictionReply::fromBody("not json").ok());
}

TEST_CASE("Every server message kind round-trips with its fields")
{
    const ServerMessage queued = *ServerMessage::fromBody(ServerMessage::queued(3, 4, 2).toBody());
    CHECK(queued.kind() == "queued");
    CHECK(queued.position() == 3);
    CHECK(queued.waiting() == 4);
    CHECK(queued.workers() == 2);

    WelcomeInfo info;
    info.version = "0.1.0";
    info.model = "fashion-mnist";
    info.labels = { "a", "b" };
    info.maxMessageLength = 33554432;
    info.workers = 5;
    const ServerMessage welcome = *ServerMessage::fromBody(ServerMessage::welcome(info).toBody());
    CHECK(welcome.kind() == "welcome");
    CHECK(welcome.fields().value("server").toString() == "Orchard");
    CHECK(welcome.fields().value("labels").toArray().size() == 2);
    CHECK(welcome.fields().value("max_msg_len").toInteger() == 33554432);
    CHECK(welcome.workers() == 5);
    CHECK(welcome.acceptsBinary());

    const ServerMessage offline =
            *ServerMessage::fromBody(ServerMessage::offline("bye", "2026-11-24 10:00:00").toBody());
    CHECK(offline.kind() == "offline");
    CHECK(offline.text() == "bye 2026-11-24 10:00:00");

    CHECK(ServerMessage::fromBody(ServerMessage::pong().toBody())->kind() == "pong");
    const ServerMessage details =
            *ServerMessage::fromBody(ServerMessage::info({ { "uptime_s", 12 } }).toBody());
    CHECK(details.kind() == "info");
    CHECK(details.fields().value("uptime_s").toInt() == 12);
    const ServerMessage shutdown =
            *ServerMessage::fromBody(ServerMessage::shutdown("server stopping").toBody());
    CHECK(shutdown.kind() == "shutdown");
    CHECK(shutdown.text() == "server stopping");
}

TEST_CASE("An old server's welcome without encodings means base64 only")
{
    const Result<ServerMessage> welcome = ServerMessage::fromBody(R"({"kind":"welcome"})");
    REQUIRE(welcome.ok());
    CHECK_FALSE(welcome->acceptsBinary());
    CHECK_FALSE(ServerMessage::fromBody(R"({"position":1})").ok());
}

TEST_CASE("A welcome reads back as the WelcomeInfo it was built from")
{
    WelcomeInfo sent;
    sent.version = "0.1.0";
    sent.model = "fashion-mnist";
    sent.labels = { "a", "b", "c" };
    sent.maxMessageLength = 33554432;
    sent.workers = 5;
    sent.authRequired = true;
    const ServerMessage message = *ServerMessage::fromBody(ServerMessage::welcome(sent).toBody());
    const std::optional<WelcomeInfo> back = message.welcomeInfo();
    REQUIRE(back);
    CHECK(back->server == "Orchard");
    CHECK(back->version == sent.version);
    CHECK(back->model == sent.model);
    CHECK(back->labels == sent.labels);
    CHECK(back->maxMessageLength == sent.maxMessageLength);
    CHECK(back->encodings == sent.encodings);
    CHECK(back->acceptsBinary());
    CHECK(back->workers == sent.workers);
    CHECK(back->authRequired);

    // An old server's welcome leaves fields out: empty, not our defaults (no binary).
    const std::optional<WelcomeInfo> old = ServerMessage::fromBody(R"({"kind":"welcome"})")->welcomeInfo();
    REQUIRE(old);
    CHECK(old->server.isEmpty());
    CHECK(old->encodings.isEmpty());
    CHECK_FALSE(old->acceptsBinary());
    CHECK(old->maxMessageLength == 0);
    CHECK_FALSE(old->authRequired);

    CHECK_FALSE(ServerMessage::pong().welcomeInfo());
}

TEST_CASE("SERVER_ERROR bodies round-trip code, message and msg_id")
{
    for (ErrorCode code : { ErrorCode::BadHeader, ErrorCode::TooLarge, ErrorCode::BadImage,
                            ErrorCode::UnknownType, ErrorCode::Busy, ErrorCode::Timeout,
                            ErrorCode::Internal, ErrorCode::Unauthorized }) {
        const ProtocolError sent { code, QStringLiteral("Explained: %1").arg(errorCodeName(code)), 8 };
        const std::optional<ProtocolError> back = parseServerErrorBody(serverErrorBody(sent));
        REQUIRE(back);
        CHECK(back->code == code);
        CHECK(back->message == sent.message);
        CHECK(back->messageId == 8);
    }
    const std::optional<ProtocolError> future =
            parseServerErrorBody(R"({"code":"RATE_LIMITED","message":"slow down"})");
    REQUIRE(future);
    CHECK(future->code == ErrorCode::Internal);
    CHECK(future->message == "slow down");
    CHECK_FALSE(future->messageId.has_value());
    CHECK_FALSE(parseServerErrorBody("<html>502</html>"));
}

TEST_CASE("Client text quoted in errors and logs is one short line")
{
    CHECK(quotedClientText(QStringLiteral("ping")) == "ping");
    CHECK(quotedClientText(QStringLiteral("a\nb\rc\td\x1b[2J\x7f")) == "a\\nb\\rc\\td\\u001b[2J\\u007f");
    CHECK(quotedClientText(QString(QChar(0x2028))) == "\\u2028");
    CHECK(quotedClientText(QStringLiteral("grün 叶")) == "grün 叶");
    const QString longName(100'000, QLatin1Char('x'));
    const QString quoted = quotedClientText(longName);
    CHECK(quoted.startsWith(QString(kQuotedClientTextLength, QLatin1Char('x')) + "…"));
    CHECK(quoted.endsWith("(100000 characters)"));
    CHECK(quoted.size() < kQuotedClientTextLength + 30);
    CHECK(quotedClientText(QStringLiteral("abcdef"), 3) == "abc… (6 characters)");
}

TEST_CASE("A welcome carries the model's input, and one without it reads as none")
{
    WelcomeInfo info;
    info.model = QStringLiteral("leaf");
    info.input = ModelInputInfo { 224, 224, 3, QStringLiteral("rgb"), QStringLiteral("letterbox") };
    const std::optional<WelcomeInfo> back = ServerMessage::fromBody(ServerMessage::welcome(info).toBody())->welcomeInfo();
    REQUIRE(back);
    REQUIRE(back->input);
    CHECK(*back->input == *info.input);

    info.input.reset();
    const std::optional<WelcomeInfo> none = ServerMessage::fromBody(ServerMessage::welcome(info).toBody())->welcomeInfo();
    REQUIRE(none);
    CHECK_FALSE(none->input);
    // Half an input is no input: a client must not shrink photos to a size it guessed.
    const auto partial = ServerMessage::fromBody(
            R"({"kind":"welcome","input":{"width":224,"channels":3}})");
    REQUIRE(partial);
    CHECK_FALSE(partial->welcomeInfo()->input);
}
