#include "tests/hardening/hostile.h"

#include <QList>

#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "tests/support/testdata.h"

namespace orchard::hardening {

ProtocolError errorOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

ServerMessage messageOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerMessage);
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    REQUIRE(message.ok());
    return message.value();
}

PredictionReply predictionOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerPrediction);
    const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
    REQUIRE(reply.ok());
    return reply.value();
}

QByteArray rawHeader(const QByteArray &json)
{
    REQUIRE(json.size() <= FrameHeader::kSize);
    return QByteArray(FrameHeader::kSize - json.size(), ' ') + json;
}

QByteArray sampleImage()
{
    const QList<test::SampleImage> samples = test::sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    return samples.first().bytes;
}

QString sampleLabel()
{
    return test::sampleImages().first().expectedLabel;
}

QByteArray imageFrame(const QByteArray &image, qint64 messageId)
{
    ImageRequest request;
    request.imageData = image;
    request.messageId = messageId;
    const Result<QByteArray> frame = request.toFrame(ImageBodyForm::Binary);
    REQUIRE(frame.ok());
    return frame.value();
}

std::unique_ptr<test::TestClient> welcomedClient(quint16 port)
{
    auto client = std::make_unique<test::TestClient>(port);
    for (;;) {
        REQUIRE(client->waitForNext());
        const QString kind = client->nextKind();
        if (kind == QLatin1String("welcome"))
            return client;
        REQUIRE(kind == QLatin1String("queued"));
    }
}

void requireServed(test::TestClient &client, qint64 messageId)
{
    client.sendRaw(imageFrame(sampleImage(), messageId));
    REQUIRE(client.waitForNext());
    const PredictionReply reply = predictionOf(client.next());
    CHECK(reply.messageId == messageId);
    CHECK(reply.label == sampleLabel());
}

} // namespace orchard::hardening
