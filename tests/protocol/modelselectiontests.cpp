// Choosing a model on the wire: "model" and "model_version" in the header (every form) or
// in the JSON body, the replies that name the version, the welcome's model list and the
// UNKNOWN_MODEL code. Requests that name no model are the original's frames exactly.
#include <catch2/catch.hpp>

#include "common/protocol/errorcode.h"
#include "common/protocol/framereader.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servermessage.h"

using namespace orchard;

namespace {

const QByteArray kImage("\x89PNG not really, but bytes", 26);

/** What a server reads back from the bytes a client sends. */
Result<ImageRequest> sentAndRead(const ImageRequest &request, ImageBodyForm form)
{
    const Result<QByteArray> bytes = request.toFrame(form);
    REQUIRE(bytes);
    FrameReader reader;
    reader.feed(*bytes);
    REQUIRE(reader.hasFrame());
    return ImageRequest::fromFrame(reader.takeFrame());
}

Frame frameWith(const QByteArray &headerJson, const QByteArray &body)
{
    const QByteArray header = QByteArray(FrameHeader::kSize - headerJson.size(), ' ') + headerJson;
    FrameReader reader;
    reader.feed(header + body);
    REQUIRE(reader.hasFrame());
    return reader.takeFrame();
}

} // namespace

TEST_CASE("A model and version travel in every body form", "[protocol][models]")
{
    ImageRequest request;
    request.imageData = kImage;
    request.messageId = 5;
    request.model = QStringLiteral("apple-leaf");
    request.modelVersion = 12;
    for (const ImageBodyForm form : { ImageBodyForm::Binary, ImageBodyForm::Base64Text, ImageBodyForm::Base64Json }) {
        const Result<ImageRequest> read = sentAndRead(request, form);
        INFO("form " << int(form));
        REQUIRE(read);
        CHECK(read->imageData == kImage);
        CHECK(read->model == QStringLiteral("apple-leaf"));
        CHECK(read->modelVersion == 12);
    }
}

TEST_CASE("A request that names no model is the original's frame and asks for the default", "[protocol][models]")
{
    ImageRequest request;
    request.imageData = kImage;
    const Result<QByteArray> bytes = request.toFrame(ImageBodyForm::Base64Text);
    REQUIRE(bytes);
    CHECK(bytes->left(FrameHeader::kSize).trimmed() == R"({"msg_len":36,"msg_type":"CLIENT_IMAGE"})");
    const Result<ImageRequest> read = sentAndRead(request, ImageBodyForm::Base64Json);
    REQUIRE(read);
    CHECK(read->model.isEmpty());
    CHECK_FALSE(read->modelVersion);
}

TEST_CASE("The JSON body's model wins over the header's", "[protocol][models]")
{
    const QByteArray body = R"({"image":"aGVsbG8=","model":"pear","model_version":3})";
    const Frame frame = frameWith(R"({"model":"apple","model_version":9,"msg_len":)" + QByteArray::number(body.size())
                                          + R"(,"msg_type":"CLIENT_IMAGE"})",
                                  body);
    const Result<ImageRequest> read = ImageRequest::fromFrame(frame);
    REQUIRE(read);
    CHECK(read->model == QStringLiteral("pear"));
    CHECK(read->modelVersion == 3);

    const QByteArray bodyWithout = R"({"image":"aGVsbG8="})";
    const Result<ImageRequest> fromHeader = ImageRequest::fromFrame(frameWith(
            R"({"model":"apple","msg_len":)" + QByteArray::number(bodyWithout.size()) + R"(,"msg_type":"CLIENT_IMAGE"})",
            bodyWithout));
    REQUIRE(fromHeader);
    CHECK(fromHeader->model == QStringLiteral("apple"));
    CHECK_FALSE(fromHeader->modelVersion);
}

TEST_CASE("A bad model or version in a JSON body is BAD_IMAGE and the session goes on", "[protocol][models]")
{
    const char *bodies[] = {
        R"({"image":"aGVsbG8=","model":7})",
        R"({"image":"aGVsbG8=","model":""})",
        R"({"image":"aGVsbG8=","model_version":0})",
        R"({"image":"aGVsbG8=","model_version":1.5})",
        R"({"image":"aGVsbG8=","model_version":"2"})",
    };
    for (const char *body : bodies) {
        Frame frame;
        frame.header = FrameHeader::make(MessageType::ClientImage, qstrlen(body), 8);
        frame.body = body;
        const Result<ImageRequest> read = ImageRequest::fromFrame(frame);
        INFO(body);
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ErrorCode::BadImage);
        CHECK(read.error().messageId == 8);
        CHECK(read.error().message.contains(QStringLiteral("model")));
    }
    CHECK_FALSE(errorClosesConnection(ErrorCode::BadImage));
}

TEST_CASE("A bad model or version in a header is BAD_HEADER", "[protocol][models]")
{
    const char *headers[] = {
        R"({"model":7,"msg_len":1,"msg_type":"CLIENT_IMAGE"})",
        R"({"model":"","msg_len":1,"msg_type":"CLIENT_IMAGE"})",
        R"({"model_version":-1,"msg_len":1,"msg_type":"CLIENT_IMAGE"})",
        R"({"model_version":"1","msg_len":1,"msg_type":"CLIENT_IMAGE"})",
    };
    for (const char *json : headers) {
        const QByteArray header = QByteArray(FrameHeader::kSize - qstrlen(json), ' ') + json;
        const Result<FrameHeader> decoded = FrameHeader::decode(header);
        INFO(json);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == ErrorCode::BadHeader);
    }
    FrameHeader tooLong = FrameHeader::make(MessageType::ClientImage, 1);
    tooLong.model = QString(FrameHeader::kMaxModelNameLength + 1, u'm');
    CHECK_FALSE(tooLong.encode()); // it would not fit anyway: 128 bytes
}

TEST_CASE("UNKNOWN_MODEL is a code of its own that keeps the session", "[protocol][models]")
{
    CHECK(errorCodeName(ErrorCode::UnknownModel) == QStringLiteral("UNKNOWN_MODEL"));
    CHECK(errorCodeFromName(QStringLiteral("UNKNOWN_MODEL")) == ErrorCode::UnknownModel);
    CHECK_FALSE(errorClosesConnection(ErrorCode::UnknownModel));
}

TEST_CASE("A prediction names the model version that answered", "[protocol][models]")
{
    PredictionReply reply;
    reply.model = QStringLiteral("apple-leaf");
    reply.modelVersion = 4;
    reply.label = QStringLiteral("scab");
    reply.confidence = 0.9;
    const Result<PredictionReply> read = PredictionReply::fromBody(reply.toBody());
    REQUIRE(read);
    CHECK(read->model == QStringLiteral("apple-leaf"));
    CHECK(read->modelVersion == 4);
    CHECK(reply.toBody().contains(R"("model":"apple-leaf","model_version":4)"));
}

TEST_CASE("The welcome lists every served model and keeps the default's fields for older clients", "[protocol][models]")
{
    WelcomeInfo info;
    info.version = QStringLiteral("0.2.0");
    info.model = QStringLiteral("fashion-mnist");
    info.labels = { QStringLiteral("Bag") };
    ServedModelInfo fashion;
    fashion.name = QStringLiteral("fashion-mnist");
    fashion.versions = { 1, 2 };
    fashion.labels = { QStringLiteral("Bag") };
    fashion.input = ModelInputInfo { 28, 28, 1, QStringLiteral("gray"), QStringLiteral("area") };
    fashion.isDefault = true;
    fashion.card = QStringLiteral("# Fashion-MNIST\nA demonstration model.");
    ServedModelInfo apple;
    apple.name = QStringLiteral("apple-leaf");
    apple.versions = { 3 };
    apple.card = QString(ServedModelInfo::kMaxCardLength + 500, u'x');
    info.models = { fashion, apple };

    const Result<ServerMessage> read = ServerMessage::fromBody(ServerMessage::welcome(info).toBody());
    REQUIRE(read);
    const std::optional<WelcomeInfo> welcome = read->welcomeInfo();
    REQUIRE(welcome);
    CHECK(welcome->model == QStringLiteral("fashion-mnist"));
    REQUIRE(welcome->models.size() == 2);
    CHECK(welcome->models.at(0) == fashion);
    CHECK(welcome->models.at(0).latestVersion() == 2);
    CHECK(welcome->models.at(1).name == QStringLiteral("apple-leaf"));
    CHECK(welcome->models.at(1).card.size() == ServedModelInfo::kMaxCardLength);
    CHECK_FALSE(welcome->models.at(1).isDefault);

    WelcomeInfo single; // a server of one model that says nothing more
    const std::optional<WelcomeInfo> old = ServerMessage::fromBody(ServerMessage::welcome(single).toBody())->welcomeInfo();
    REQUIRE(old);
    CHECK(old->models.isEmpty());
}
