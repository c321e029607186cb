// libFuzzer target: FrameHeader::decode, the first code every received byte meets.
//
// Input: the 128 header bytes (shorter inputs are padded on the left with spaces, as a
// sender pads; longer ones are cut). Properties: decode never crashes and either fails
// with a BAD_HEADER sentence or yields a header within the documented ranges, and a header
// we accepted is one we can write again and read back unchanged.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "common/protocol/frameheader.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto used = static_cast<qsizetype>(std::min<size_t>(size, FrameHeader::kSize));
    QByteArray bytes(reinterpret_cast<const char *>(data), used);
    bytes.prepend(QByteArray(FrameHeader::kSize - used, ' '));

    const Result<FrameHeader> header = FrameHeader::decode(bytes);
    if (!header) {
        FUZZ_CHECK(header.error().code == ErrorCode::BadHeader);
        FUZZ_CHECK(!header.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!header->typeName.isEmpty());
    FUZZ_CHECK(header->length >= 0);
    FUZZ_CHECK(!header->messageId || *header->messageId >= 0);
    FUZZ_CHECK(!header->topK || (*header->topK >= 1 && *header->topK <= 1000));

    // What we accept we can say back (or refuse to, when the JSON would not fit).
    const Result<QByteArray> encoded = header->encode();
    if (!encoded) {
        FUZZ_CHECK(encoded.error().code == ErrorCode::BadHeader);
        return 0;
    }
    FUZZ_CHECK(encoded->size() == FrameHeader::kSize);
    const Result<FrameHeader> again = FrameHeader::decode(*encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->type == header->type);
    FUZZ_CHECK(again->typeName == header->typeName);
    FUZZ_CHECK(again->length == header->length);
    FUZZ_CHECK(again->messageId == header->messageId);
    FUZZ_CHECK(again->encoding == header->encoding);
    FUZZ_CHECK(again->topK == header->topK);
    return 0;
}
