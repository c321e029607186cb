// libFuzzer target: the bodies a client parses: SERVER_PREDICTION (PredictionReply),
// SERVER_MESSAGE (ServerMessage and its accessors) and SERVER_ERROR.
//
// Input: byte 0 picks the parser, the rest is the body. Properties: no parser crashes;
// a refusal is an INTERNAL error (the server's fault, not the client's); what was read
// once reads the same after being written again.
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

namespace {

void predictionReply(const QByteArray &body)
{
    const Result<PredictionReply> reply = PredictionReply::fromBody(body);
    if (!reply) {
        FUZZ_CHECK(reply.error().code == ErrorCode::Internal);
        return;
    }
    const Result<PredictionReply> again = PredictionReply::fromBody(reply->toBody());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->messageId == reply->messageId);
    FUZZ_CHECK(again->label == reply->label);
    FUZZ_CHECK(again->name == reply->name);
    FUZZ_CHECK(again->topK == reply->topK);
    FUZZ_CHECK(again->imageWidth == reply->imageWidth && again->imageHeight == reply->imageHeight);
}

void serverMessage(const QByteArray &body)
{
    const Result<ServerMessage> message = ServerMessage::fromBody(body);
    if (!message) {
        FUZZ_CHECK(message.error().code == ErrorCode::Internal);
        return;
    }
    // The accessors a client calls on whatever kind arrived.
    (void)message->position();
    (void)message->waiting();
    (void)message->workers();
    (void)message->text();
    (void)message->acceptsBinary();
    const Result<ServerMessage> again = ServerMessage::fromBody(message->toBody());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->kind() == message->kind());
    FUZZ_CHECK(again->fields() == message->fields());
}

void serverError(const QByteArray &body)
{
    const std::optional<ProtocolError> error = parseServerErrorBody(body);
    if (!error)
        return;
    const std::optional<ProtocolError> again = parseServerErrorBody(serverErrorBody(*error));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->code == error->code);
    FUZZ_CHECK(again->message == error->message);
    FUZZ_CHECK(again->messageId == error->messageId);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0:
        predictionReply(body);
        break;
    case 1:
        serverMessage(body);
        break;
    default:
        serverError(body);
        break;
    }
    return 0;
}
