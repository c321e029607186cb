// libFuzzer target: ImageRequest::fromFrame, the CLIENT_IMAGE body in its three forms.
//
// Input: byte 0 shapes the header (bit 0: "encoding":"binary"; bit 1: a msg_id; bit 2: a
// top_k of 1 + byte 1), the rest is the body. Properties: a refusal is a BAD_IMAGE with
// the request's msg_id; an accepted request has a non-empty image and the frame's msg_id
// (a binary one the body itself); and whatever was accepted survives being sent again in
// each form and read back through FrameReader.
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "common/protocol/framereader.h"
#include "common/protocol/imagerequest.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

namespace {

void checkRoundTrip(const ImageRequest &request, ImageBodyForm form)
{
    ImageRequest sent = request;
    // top_k travels in a binary request's header, which allows 1-1000 only: a sender
    // that had a larger one from a JSON body would have its frame refused, so we don't.
    if (form == ImageBodyForm::Binary && sent.topK && *sent.topK > 1000)
        sent.topK.reset();
    const Result<QByteArray> bytes = sent.toFrame(form);
    if (!bytes) { // only a header that cannot fit may refuse: a huge msg_id
        FUZZ_CHECK(bytes.error().code == ErrorCode::BadHeader);
        return;
    }
    FUZZ_CHECK(bytes->size() == FrameHeader::kSize + sent.bodyLength(form));
    FrameReader reader;
    reader.feed(*bytes);
    FUZZ_CHECK(reader.hasFrame());
    const Result<ImageRequest> received = ImageRequest::fromFrame(reader.takeFrame());
    FUZZ_CHECK(received.ok());
    FUZZ_CHECK(received->imageData == sent.imageData);
    FUZZ_CHECK(received->messageId == sent.messageId);
    if (form == ImageBodyForm::Base64Json)
        FUZZ_CHECK(received->name == sent.name);
    if (form != ImageBodyForm::Base64Text)
        FUZZ_CHECK(received->topK == sent.topK);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    Frame frame;
    frame.header = FrameHeader::make(MessageType::ClientImage, qint64(size - 2));
    if (data[0] & 1)
        frame.header.encoding = BodyEncoding::Binary;
    if (data[0] & 2)
        frame.header.messageId = data[0] >> 3;
    if (data[0] & 4)
        frame.header.topK = 1 + data[1];
    frame.body = QByteArray(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    const Result<ImageRequest> request = ImageRequest::fromFrame(frame);
    if (!request) {
        FUZZ_CHECK(request.error().code == ErrorCode::BadImage);
        FUZZ_CHECK(request.error().messageId == frame.header.messageId);
        FUZZ_CHECK(!request.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!request->imageData.isEmpty());
    FUZZ_CHECK(request->messageId == frame.header.messageId);
    FUZZ_CHECK(!request->topK || *request->topK >= 1);
    if (frame.header.encoding == BodyEncoding::Binary) {
        FUZZ_CHECK(request->imageData == frame.body);
        FUZZ_CHECK(request->topK == frame.header.topK);
    }
    for (ImageBodyForm form : { ImageBodyForm::Base64Text, ImageBodyForm::Base64Json, ImageBodyForm::Binary })
        checkRoundTrip(*request, form);
    return 0;
}
