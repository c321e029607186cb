// libFuzzer target: FrameReader, fed the same byte stream whole and in random chunks.
//
// Input: byte 0 picks the body limit (32 MiB, 1000, 100 or 0 bytes, so TOO_LARGE is
// reachable), bytes 1-4 seed the chunking, the rest is the stream. Properties: however the
// stream is cut, the reader yields the same frames and the same error; no body exceeds
// the limit; a stored body is exactly msg_len bytes (an unknown type's is dropped); after
// an error nothing more comes out; the reader never holds more than one header and one
// body.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>

#include "common/protocol/framereader.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

namespace {

struct Outcome
{
    std::vector<Frame> frames;
    std::optional<ProtocolError> error;
    bool midFrame = false;
    qint64 buffered = 0;
};

void drain(FrameReader &reader, Outcome &outcome)
{
    while (reader.hasFrame()) {
        Frame frame = reader.takeFrame();
        FUZZ_CHECK(frame.header.length <= reader.maxBodyLength());
        if (frame.type() == MessageType::Unknown)
            FUZZ_CHECK(frame.body.isEmpty());
        else
            FUZZ_CHECK(frame.body.size() == frame.header.length);
        outcome.frames.push_back(std::move(frame));
    }
}

void finish(const FrameReader &reader, Outcome &outcome)
{
    outcome.error = reader.error();
    outcome.midFrame = reader.isMidFrame();
    outcome.buffered = reader.bufferedBytes();
}

/** A small xorshift: deterministic chunk sizes from the input's seed bytes. */
class Chunker
{
public:
    explicit Chunker(uint32_t seed) : m_state(seed | 1) { }
    qsizetype next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        switch (m_state % 4) {
        case 0:
            return 1;
        case 1:
            return 1 + (m_state >> 8) % 16; // header-sized pieces
        case 2:
            return 1 + (m_state >> 8) % 200; // across header/body boundaries
        default:
            return 1 + (m_state >> 8) % 70000; // one socket read
        }
    }

private:
    uint32_t m_state;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    static constexpr qint64 kLimits[] = { FrameReader::kDefaultMaxBodyLength, 1000, 100, 0 };
    const qint64 limit = kLimits[data[0] % 4];
    const uint32_t seed = uint32_t(data[1]) | uint32_t(data[2]) << 8 | uint32_t(data[3]) << 16
            | uint32_t(data[4]) << 24;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 5), qsizetype(size - 5));

    FrameReader whole(limit);
    Outcome wholeOutcome;
    whole.feed(stream);
    drain(whole, wholeOutcome);
    finish(whole, wholeOutcome);

    FrameReader chunked(limit);
    Outcome chunkedOutcome;
    Chunker chunker(seed);
    QByteArrayView rest = stream;
    while (!rest.isEmpty()) {
        const qsizetype n = std::min(chunker.next(), rest.size());
        const bool hadError = chunked.hasError();
        const size_t framesBefore = chunkedOutcome.frames.size();
        chunked.feed(rest.first(n));
        rest = rest.sliced(n);
        drain(chunked, chunkedOutcome);
        if (hadError) // a stopped reader stays stopped
            FUZZ_CHECK(chunkedOutcome.frames.size() == framesBefore);
        FUZZ_CHECK(chunked.bufferedBytes() <= FrameHeader::kSize + limit);
    }
    finish(chunked, chunkedOutcome);

    FUZZ_CHECK(wholeOutcome.frames.size() == chunkedOutcome.frames.size());
    for (size_t i = 0; i < wholeOutcome.frames.size(); ++i) {
        const Frame &a = wholeOutcome.frames[i];
        const Frame &b = chunkedOutcome.frames[i];
        FUZZ_CHECK(a.header.type == b.header.type);
        FUZZ_CHECK(a.header.typeName == b.header.typeName);
        FUZZ_CHECK(a.header.length == b.header.length);
        FUZZ_CHECK(a.header.messageId == b.header.messageId);
        FUZZ_CHECK(a.header.encoding == b.header.encoding);
        FUZZ_CHECK(a.header.topK == b.header.topK);
        FUZZ_CHECK(a.body == b.body);
    }
    FUZZ_CHECK(wholeOutcome.error.has_value() == chunkedOutcome.error.has_value());
    if (wholeOutcome.error) {
        FUZZ_CHECK(wholeOutcome.error->code == chunkedOutcome.error->code);
        FUZZ_CHECK(wholeOutcome.error->code == ErrorCode::BadHeader
                   || wholeOutcome.error->code == ErrorCode::TooLarge);
        FUZZ_CHECK(wholeOutcome.error->message == chunkedOutcome.error->message);
        FUZZ_CHECK(wholeOutcome.error->messageId == chunkedOutcome.error->messageId);
    } else {
        FUZZ_CHECK(wholeOutcome.midFrame == chunkedOutcome.midFrame);
        FUZZ_CHECK(wholeOutcome.buffered == chunkedOutcome.buffered);
    }
    return 0;
}
