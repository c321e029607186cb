// The JSON image form is read by simdjson now; Qt's QJsonDocument reading, as the first
// version did it, is the oracle: every body, valid or not, must give the same request or
// the same error (code, message, msg_id).
#include <catch2/catch.hpp>

#include <random>

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include "common/protocol/frame.h"
#include "common/protocol/imagerequest.h"

using namespace orchard;

namespace {

Frame jsonFrame(const QByteArray &body)
{
    Frame frame;
    frame.header = FrameHeader::make(MessageType::ClientImage, body.size(), 42);
    frame.body = body;
    return frame;
}

/** The first version's reading of the JSON form, with Qt's JSON and base64. */
Result<ImageRequest> qtReading(const QByteArray &body)
{
    const auto bad = [](const QString &message) { return ProtocolError { ErrorCode::BadImage, message, 42 }; };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return bad(QStringLiteral("The image request is not valid JSON (%1 at byte %2).")
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    if (!document.isObject())
        return bad(QStringLiteral("The image request must be a JSON object."));
    const QJsonObject object = document.object();
    const QJsonValue image = object.value(QStringLiteral("image"));
    if (!image.isString())
        return bad(QStringLiteral("The image request has no \"image\" text."));
    // Line breaks inside the base64 are the one thing read differently now, on purpose
    // (docs/protocol.md): the oracle takes them out first.
    QByteArray text = image.toString().toLatin1().trimmed();
    text.replace('\r', QByteArray()).replace('\n', QByteArray());
    const auto decoded = QByteArray::fromBase64Encoding(text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return bad(QStringLiteral("The \"image\" field is not valid base64."));
    ImageRequest request;
    request.messageId = 42;
    request.imageData = decoded.decoded;
    request.name = object.value(QStringLiteral("name")).toString();
    const QJsonValue topK = object.value(QStringLiteral("top_k"));
    if (!topK.isUndefined() && !topK.isNull()) {
        const int k = topK.toInt(0);
        if (!topK.isDouble() || k < 1 || k != topK.toDouble())
            return bad(QStringLiteral("\"top_k\" must be a whole number, 1 or more."));
        request.topK = k;
    }
    if (request.imageData.isEmpty())
        return bad(QStringLiteral("The image is empty (0 bytes)."));
    return request;
}

/** "" when the two readings agree, else what differs. */
std::string disagreement(const QByteArray &body)
{
    const Result<ImageRequest> ours = ImageRequest::fromFrame(jsonFrame(body));
    const Result<ImageRequest> qts = qtReading(body);
    if (ours.ok() != qts.ok())
        return ours.ok() ? "we accept, Qt refused: " + qts.error().message.toStdString()
                         : "we refuse, Qt accepted: " + ours.error().message.toStdString();
    if (!ours.ok()) {
        if (ours.error().code != qts.error().code || ours.error().message != qts.error().message
            || ours.error().messageId != qts.error().messageId)
            return "errors differ: " + ours.error().message.toStdString() + " | " + qts.error().message.toStdString();
        return {};
    }
    if (ours->imageData != qts->imageData || ours->name != qts->name || ours->topK != qts->topK
        || ours->messageId != qts->messageId)
        return "requests differ";
    return {};
}

} // namespace

TEST_CASE("JSON form: tricky bodies read as Qt read them")
{
    const QList<QByteArray> bodies {
        R"({"image":"YWJj"})",
        R"(  {"image" : "YWJj" , "name" : "leaf.jpg" , "top_k" : 3 }  )",
        R"({"image":"YWJj","top_k":3.0})",
        R"({"image":"YWJj","top_k":1e2})",
        R"({"image":"YWJj","top_k":"3"})",
        R"({"image":"YWJj","top_k":true})",
        R"({"image":"YWJj","top_k":null})",
        R"({"image":"YWJj","top_k":-1})",
        R"({"image":"YWJj","top_k":2.5})",
        R"({"image":"YWJj","top_k":3000000000})",
        R"({"image":"YWJj","top_k":1e400})",
        R"({"image":"YWJj","name":7})",
        R"({"image":"YWJj","name":"gr\u00fcn \ud83c\udf43.jpg"})",
        R"({"image":"YW\/j"})",
        R"({"image":"YW\u004aj"})",
        R"({"image":"YWJj","image":"ZGVm"})",
        R"({"name":"a","name":"b","image":"YWJj"})",
        R"({"image":"YWJj\n"})",
        R"({"image":" YWJj "})",
        R"({"image":"YW Jj"})",
        R"({"image":"grün"})",
        R"({"image":""})",
        R"({"image":null})",
        R"({"image":["YWJj"]})",
        R"({"image":"YWJj"} trailing)",
        R"({"image":"YWJj",})",
        R"({"image":"YWJj")",
        R"({"image":"YWJj","x":[1,2,})",
        R"({"image":"YWJj","x":{"y":[[[]]]}})",
        R"({"image":"YWJj","x":"\ud800"})",
        R"({"image":"YWJj","x":01})",
        R"({'image':'YWJj'})",
        R"({"image":"YWJj"}{"image":"ZGVm"})",
        "{\"image\":\"YWJj\",\"name\":\"\xff\xfe\"}",
        "{\"image\":\"YWJj\",\"name\":\"a\x01b\"}",
        QByteArray("{\"image\":\"YWJj\"\0}", 17),
        R"({})",
        R"({ )",
    };
    for (const QByteArray &body : bodies) {
        INFO(body.toStdString());
        CHECK(disagreement(body).empty());
    }
}

TEST_CASE("JSON form: random damage to a body reads as Qt read it")
{
    const QByteArray valid = R"({"image":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==","name":"leaf_07.png","top_k":3})";
    std::mt19937 random(11);
    int disagreements = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray body = valid;
        const int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits; ++e) {
            const int at = static_cast<int>(random() % body.size());
            switch (random() % 3) {
            case 0:
                body[at] = static_cast<char>(random());
                break;
            case 1:
                body.remove(at, 1);
                break;
            default:
                body.insert(at, "\"{}[],:\\ 0e-"[random() % 12]);
                break;
            }
        }
        if (!body.trimmed().startsWith('{'))
            continue; // not the JSON form any more: the base64 text form reads it
        const std::string differs = disagreement(body);
        if (!differs.empty() && ++disagreements <= 5)
            WARN(body.toHex().toStdString() << ": " << differs);
    }
    CHECK(disagreements == 0);
}
