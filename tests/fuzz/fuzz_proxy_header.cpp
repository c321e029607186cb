// libFuzzer target: ProxyHeader::parse, the first code a balancer's bytes meet when the
// server takes the PROXY protocol (v1 text, v2 binary).
//
// Input: the first bytes of a connection, as they are. Properties: parse never crashes and
// always answers within its bounds: Complete only with 0 < length <= the bytes given and
// <= kMaxLength, with addresses exactly when the header is not local; Invalid always with a
// sentence; Incomplete only below kMaxLength and with every byte belonging to the header
// (ProxyHeaderReader consumes those from the kernel). It answers the same each time, a
// complete header parses alone to the same result, and its every prefix is Incomplete.
#include <cstddef>
#include <cstdint>

#include <QByteArray>
#include <QByteArrayView>

#include "server/core/proxyheader.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

namespace {

using Status = ProxyHeader::Status;

bool sameHeader(const ProxyHeader &a, const ProxyHeader &b)
{
    return a.status == b.status && a.length == b.length && a.version == b.version
        && a.local == b.local && a.sourceAddress == b.sourceAddress
        && a.destinationAddress == b.destinationAddress && a.sourcePort == b.sourcePort
        && a.destinationPort == b.destinationPort && a.error == b.error;
}

void checkComplete(QByteArrayView bytes, const ProxyHeader &header)
{
    FUZZ_CHECK(header.length > 0);
    FUZZ_CHECK(header.length <= bytes.size());
    FUZZ_CHECK(header.length <= ProxyHeader::kMaxLength);
    FUZZ_CHECK(header.error.isEmpty());
    FUZZ_CHECK(header.version == 1 || header.version == 2);
    FUZZ_CHECK(ProxyHeader::startsLikeProxyHeader(bytes));
    if (header.version == 1) {
        FUZZ_CHECK(header.length <= ProxyHeader::kMaxV1Length);
        FUZZ_CHECK(bytes.sliced(header.length - 2, 2) == QByteArrayView("\r\n"));
        FUZZ_CHECK(bytes.first(header.length - 2).indexOf('\n') == -1);
    } else {
        FUZZ_CHECK(header.length >= ProxyHeader::kV2FixedLength);
    }
    if (header.local) {
        FUZZ_CHECK(header.sourceAddress.isNull() && header.destinationAddress.isNull());
        FUZZ_CHECK(header.sourcePort == 0 && header.destinationPort == 0);
    } else {
        // Both addresses of one family, the one the header named.
        const auto family = header.sourceAddress.protocol();
        FUZZ_CHECK(
            family == QAbstractSocket::IPv4Protocol || family == QAbstractSocket::IPv6Protocol);
        FUZZ_CHECK(header.destinationAddress.protocol() == family);
    }

    // The header alone is the same header, and every prefix of it is waited on.
    const QByteArrayView alone = bytes.first(header.length);
    FUZZ_CHECK(sameHeader(ProxyHeader::parse(alone), header));
    for (qsizetype size = 0; size < header.length; ++size) {
        const ProxyHeader prefix = ProxyHeader::parse(alone.first(size));
        FUZZ_CHECK(prefix.status == Status::Incomplete);
        FUZZ_CHECK(prefix.length == 0 && prefix.error.isEmpty());
    }
}

void checkIncomplete(QByteArrayView bytes, const ProxyHeader &header)
{
    FUZZ_CHECK(bytes.size() < ProxyHeader::kMaxLength);
    FUZZ_CHECK(header.length == 0);
    FUZZ_CHECK(header.error.isEmpty());
    FUZZ_CHECK(ProxyHeader::startsLikeProxyHeader(bytes));
    // Every byte given belongs to the header: whatever comes next, a header that completes
    // ends after them, and a shorter prefix is waited on too.
    for (const QByteArray &more : { QByteArray("\r\n"), QByteArray(ProxyHeader::kMaxLength, '\0'),
             QByteArray(ProxyHeader::kMaxLength, '\n') }) {
        const QByteArray longer = bytes.toByteArray() + more;
        const ProxyHeader extended = ProxyHeader::parse(longer);
        if (extended.status == Status::Complete)
            FUZZ_CHECK(extended.length >= bytes.size());
    }
    if (!bytes.isEmpty())
        FUZZ_CHECK(ProxyHeader::parse(bytes.first(bytes.size() - 1)).status == Status::Incomplete);
}

void checkInvalid(QByteArrayView bytes, const ProxyHeader &header)
{
    FUZZ_CHECK(!header.error.isEmpty());
    FUZZ_CHECK(header.length == 0);
    // No later byte mends it: an Invalid beginning stays Invalid however it goes on.
    const QByteArray longer = bytes.toByteArray() + QByteArray("\r\n") + bytes.toByteArray();
    FUZZ_CHECK(ProxyHeader::parse(longer).status == Status::Invalid);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const ProxyHeader header = ProxyHeader::parse(bytes);
    FUZZ_CHECK(sameHeader(ProxyHeader::parse(bytes), header)); // no hidden state
    if (!ProxyHeader::startsLikeProxyHeader(bytes))
        FUZZ_CHECK(header.status == Status::Invalid);
    switch (header.status) {
    case Status::Complete:
        checkComplete(bytes, header);
        break;
    case Status::Incomplete:
        checkIncomplete(bytes, header);
        break;
    case Status::Invalid:
        checkInvalid(bytes, header);
        break;
    }
    return 0;
}
