// libFuzzer target: ClientMessage::parse (a CLIENT_MESSAGE body) and the replies the
// server builds from it.
//
// Input: the body. Properties: parse never fails; plain text is an offline message
// carrying the whole body; the server's offline reply (the client's text echoed with a
// timestamp) always makes a valid frame; and the bodies a client builds for an action or
// an offline text parse back to the same action and text.
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "common/protocol/clientmessage.h"
#include "common/protocol/frame.h"
#include "common/protocol/servermessage.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const ClientMessage message = ClientMessage::parse(body);
    if (message.object.isEmpty() && message.actionName.isEmpty()) {
        FUZZ_CHECK(message.action == ClientMessage::Action::Offline);
        FUZZ_CHECK(message.text == QString::fromUtf8(body));
    }
    if (message.action == ClientMessage::Action::Other)
        FUZZ_CHECK(message.actionName != "offline" && message.actionName != "ping"
                   && message.actionName != "info");

    // What the session answers: the text comes back inside a JSON reply.
    const QByteArray reply = ServerMessage::offline(message.text, "2026-01-01 00:00:00").toBody();
    const Result<ServerMessage> parsedReply = ServerMessage::fromBody(reply);
    FUZZ_CHECK(parsedReply.ok());
    FUZZ_CHECK(parsedReply->kind() == "offline");
    FUZZ_CHECK(encodeFrame(MessageType::ServerMessage, reply).ok());

    const ClientMessage offline = ClientMessage::parse(ClientMessage::offlineBody(message.text));
    FUZZ_CHECK(offline.action == ClientMessage::Action::Offline);
    FUZZ_CHECK(offline.text == message.text);
    if (!message.actionName.isEmpty()) {
        const ClientMessage action = ClientMessage::parse(ClientMessage::actionBody(message.actionName));
        FUZZ_CHECK(action.action == message.action);
        FUZZ_CHECK(action.actionName == message.actionName);
    }
    return 0;
}
