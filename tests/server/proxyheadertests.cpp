// ProxyHeader (the PROXY protocol parser, v1 text and v2 binary) and ProxyHeaderReader
// (which takes exactly the header's bytes off a bare descriptor) over real socket pairs and
// a real loopback TCP connection.
#include <catch2/catch.hpp>

#include <cerrno>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include "common/protocol/frame.h"
#include "server/core/proxyheader.h"
#include "server/core/proxyheaderreader.h"

using namespace orchard;

namespace {

using Status = ProxyHeader::Status;
using Outcome = ProxyHeaderReader::Outcome;

const QByteArray kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);

/** What a client speaking Orchard's protocol sends first: a whole frame (space-padded header). */
QByteArray orchardFrame()
{
    return *encodeFrame(MessageType::ClientMessage, QByteArray(R"({"action":"ping"})"), 1);
}

QByteArray bigEndian16(quint16 value)
{
    QByteArray bytes(2, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

/** A v2 header: signature, version/command, family/transport, length, then `block`. */
QByteArray v2Header(uchar versionAndCommand, uchar familyAndTransport, const QByteArray &block)
{
    return kV2Signature + char(versionAndCommand) + char(familyAndTransport)
        + bigEndian16(quint16(block.size())) + block;
}

QByteArray inetBlock(
    quint32 source, quint32 destination, quint16 sourcePort, quint16 destinationPort)
{
    QByteArray block(12, '\0');
    qToBigEndian(source, block.data());
    qToBigEndian(destination, block.data() + 4);
    qToBigEndian(sourcePort, block.data() + 8);
    qToBigEndian(destinationPort, block.data() + 10);
    return block;
}

QByteArray inet6Block(const QHostAddress &source, const QHostAddress &destination,
    quint16 sourcePort, quint16 destinationPort)
{
    const Q_IPV6ADDR from = source.toIPv6Address();
    const Q_IPV6ADDR to = destination.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(from.c), 16)
        + QByteArray(reinterpret_cast<const char *>(to.c), 16) + bigEndian16(sourcePort)
        + bigEndian16(destinationPort);
}

/** A TLV as HAProxy sends it: type, 16-bit length, value. */
QByteArray tlv(uchar type, const QByteArray &value)
{
    return char(type) + bigEndian16(quint16(value.size())) + value;
}

QByteArray inetV2() // 192.0.2.10:51000 -> 198.51.100.1:7000
{
    return v2Header(0x21, 0x11, inetBlock(0xc000020a, 0xc6336401, 51000, 7000));
}

/** Every valid header the prefix and reader tests use, by name. */
std::vector<std::pair<const char *, QByteArray>> validHeaders()
{
    return {
        { "v1 TCP4", "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n" },
        { "v1 TCP6", "PROXY TCP6 2001:db8::1 2001:db8::2 65535 0\r\n" },
        { "v1 UNKNOWN", "PROXY UNKNOWN\r\n" },
        { "v1 longest UNKNOWN",
            "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n" },
        { "v2 INET", inetV2() },
        { "v2 INET6",
            v2Header(0x21, 0x21,
                inet6Block(QHostAddress("2001:db8::7"), QHostAddress("2001:db8::1"), 443, 7000)) },
        { "v2 LOCAL", v2Header(0x20, 0x00, {}) },
        { "v2 INET with TLVs",
            v2Header(0x21, 0x11,
                inetBlock(0x0a000001, 0x0a000002, 1, 2) + tlv(0x01, "h2")
                    + tlv(0x04, QByteArray(20, '\0'))) },
    };
}

/** Closes what it holds when the test ends, whatever happened. */
class Descriptor
{
public:
    explicit Descriptor(int fd = -1)
        : m_fd(fd)
    { }
    ~Descriptor() { reset(); }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

/** A connected AF_UNIX stream pair: `server` for the reader, `client` for the test to write on. */
struct SocketPair
{
    Descriptor server;
    Descriptor client;

    SocketPair()
    {
        int fds[2] = { -1, -1 };
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        server.reset(fds[0]);
        client.reset(fds[1]);
    }
    void send(const QByteArray &bytes) const
    {
        REQUIRE(::send(client.get(), bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL)
            == bytes.size());
    }
    /** What waits unread on the server side now (an AF_UNIX write is there at once). */
    QByteArray pending() const
    {
        QByteArray all;
        char buffer[4096];
        while (true) {
            const ssize_t received = ::recv(server.get(), buffer, sizeof buffer, MSG_DONTWAIT);
            if (received <= 0)
                break;
            all.append(buffer, qsizetype(received));
        }
        return all;
    }
};

bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

/** The one finished() a reader emitted: its outcome, header and error. */
struct Finished
{
    Outcome outcome;
    ProxyHeader header;
    QString error;
};

Finished onlyFinished(QSignalSpy &spy)
{
    if (spy.isEmpty())
        REQUIRE(spy.wait(5000));
    REQUIRE(spy.count() == 1);
    const QList<QVariant> arguments = spy.first();
    return { arguments.at(0).value<Outcome>(), arguments.at(1).value<ProxyHeader>(),
        arguments.at(2).toString() };
}

} // namespace

TEST_CASE("A PROXY v1 TCP4 header gives the client's addresses and ports, not the bytes after it")
{
    const QByteArray line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
    const ProxyHeader header = ProxyHeader::parse(line + orchardFrame());
    REQUIRE(header.status == Status::Complete);
    CHECK(header.error.isEmpty());
    CHECK(header.length == line.size());
    CHECK(header.version == 1);
    CHECK_FALSE(header.local);
    CHECK(header.sourceAddress == QHostAddress("192.168.0.1"));
    CHECK(header.destinationAddress == QHostAddress("192.168.0.11"));
    CHECK(header.sourceAddress.protocol() == QAbstractSocket::IPv4Protocol);
    CHECK(header.sourcePort == 56324);
    CHECK(header.destinationPort == 443);
    CHECK(ProxyHeader::parse("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n").status
        == Status::Complete);
}

TEST_CASE("A PROXY v1 TCP6 header takes IPv6 text, compressed, full or with an IPv4 tail")
{
    const ProxyHeader header
        = ProxyHeader::parse("PROXY TCP6 2001:db8::1 ::1 65535 0\r\n{\"x\":1}");
    REQUIRE(header.status == Status::Complete);
    CHECK(header.length == 36);
    CHECK(header.sourceAddress == QHostAddress("2001:db8::1"));
    CHECK(header.destinationAddress == QHostAddress::LocalHostIPv6);
    CHECK(header.sourcePort == 65535);
    CHECK(header.destinationPort == 0);

    // The longest TCP6 line the specification shows (104 bytes), upper case.
    const QByteArray longest = "PROXY TCP6 FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF "
                               "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF 65535 65535\r\n";
    REQUIRE(longest.size() == 104);
    CHECK(ProxyHeader::parse(longest).length == 104);

    // inet_ntop writes a mapped IPv4 address this way, and a proxy may send what it wrote.
    const ProxyHeader mapped = ProxyHeader::parse("PROXY TCP6 ::ffff:192.0.2.1 ::1 1 2\r\n");
    REQUIRE(mapped.status == Status::Complete);
    CHECK(mapped.sourceAddress.protocol() == QAbstractSocket::IPv6Protocol);
    CHECK(mapped.sourceAddress.toIPv4Address() == 0xc0000201);
}

TEST_CASE("A PROXY v1 UNKNOWN header is the proxy's own connection, whatever follows UNKNOWN")
{
    for (const QByteArray &line :
        { QByteArray("PROXY UNKNOWN\r\n"), QByteArray("PROXY UNKNOWN 1.2.3.4 junk\r\n"),
            QByteArray("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n") }) {
        INFO(line.toStdString());
        const ProxyHeader header = ProxyHeader::parse(line + "{");
        REQUIRE(header.status == Status::Complete);
        CHECK(header.length == line.size());
        CHECK(header.local);
        CHECK(header.version == 1);
        CHECK(header.sourceAddress.isNull());
        CHECK(header.sourcePort == 0);
    }
    CHECK(ProxyHeader::parse("PROXY UNKNOWNX\r\n").status == Status::Invalid);
}

TEST_CASE("Every strict prefix of a valid header is Incomplete, and the whole is Complete")
{
    for (const auto &[name, bytes] : validHeaders()) {
        INFO(name);
        for (qsizetype size = 0; size < bytes.size(); ++size) {
            INFO("prefix of " << size << " bytes");
            const ProxyHeader prefix = ProxyHeader::parse(QByteArrayView(bytes).first(size));
            REQUIRE(prefix.status == Status::Incomplete);
            CHECK(prefix.error.isEmpty());
            CHECK(prefix.length == 0);
        }
        const ProxyHeader whole = ProxyHeader::parse(bytes + orchardFrame());
        REQUIRE(whole.status == Status::Complete);
        CHECK(whole.length == bytes.size());
        CHECK(whole.length <= ProxyHeader::kMaxLength);
    }
    // The version is known as soon as the first byte tells.
    CHECK(ProxyHeader::parse("P").version == 1);
    CHECK(ProxyHeader::parse("\r").version == 2);
    CHECK(ProxyHeader::parse("").version == 0);
}

TEST_CASE("Malformed PROXY v1 headers are Invalid, each with a sentence saying why")
{
    const std::vector<std::pair<const char *, QByteArray>> cases {
        { "bare LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n" },
        { "CR without LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX" },
        { "two spaces", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n" },
        { "two spaces after PROXY", "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n" },
        { "trailing space", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n" },
        { "no protocol", "PROXY \r\n" },
        { "unknown protocol", "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n" },
        { "lower-case protocol", "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n" },
        { "no ports", "PROXY TCP4 1.2.3.4 5.6.7.8\r\n" },
        { "one port", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n" },
        { "a field too many", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n" },
        { "port 65536", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n" },
        { "negative port", "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n" },
        { "signed port", "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n" },
        { "port with leading zero", "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n" },
        { "port with junk", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2a\r\n" },
        { "hex port", "PROXY TCP4 1.2.3.4 5.6.7.8 0x10 2\r\n" },
        { "six-digit port", "PROXY TCP4 1.2.3.4 5.6.7.8 000001 2\r\n" },
        { "octet over 255", "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n" },
        { "three octets", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n" },
        { "five octets", "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n" },
        { "octet with leading zero", "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n" },
        { "empty octet", "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n" },
        { "host name", "PROXY TCP4 localhost 5.6.7.8 1 2\r\n" },
        { "TCP4 with IPv6 source", "PROXY TCP4 ::1 5.6.7.8 1 2\r\n" },
        { "TCP4 with IPv6 destination", "PROXY TCP4 1.2.3.4 ::1 1 2\r\n" },
        { "TCP6 with IPv4 source", "PROXY TCP6 1.2.3.4 ::1 1 2\r\n" },
        { "IPv6 with a zone", "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n" },
        { "IPv6 in brackets", "PROXY TCP6 [::1] ::1 1 2\r\n" },
        { "IPv6 with nine groups", "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n" },
        { "IPv6 with two ::", "PROXY TCP6 1::2::3 ::1 1 2\r\n" },
        { "control byte", QByteArray("PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n") },
        { "NUL byte", QByteArray("PROXY TCP4 \0", 12) },
        { "non-ASCII byte", "PROXY TCP4 1.2.3.4 5.6.7.\xc3\xa9 1 2\r\n" },
        { "107 bytes without CRLF", "PROXY UNKNOWN " + QByteArray(93, 'x') },
        { "CRLF as the 107th and 108th bytes", "PROXY UNKNOWN " + QByteArray(92, 'x') + "\r\n" },
        { "no space after PROXY", "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n" },
        { "lower-case proxy", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n" },
        { "HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "an Orchard frame", orchardFrame() },
    };
    for (const auto &[name, bytes] : cases) {
        INFO(name);
        const ProxyHeader header = ProxyHeader::parse(bytes);
        CHECK(header.status == Status::Invalid);
        CHECK(header.length == 0);
        INFO(header.error.toStdString());
        CHECK((header.error.startsWith("PROXY v1 ")
            || header.error.startsWith("The connection does not begin")));
    }
}

TEST_CASE("PROXY v1 errors name what is wrong in words a person understands")
{
    const auto error
        = [](const QByteArray &bytes) { return ProxyHeader::parse(bytes).error.toStdString(); };
    CHECK_THAT(error("PROXY UNKNOWN " + QByteArray(93, 'x')),
        Catch::StartsWith("PROXY v1 header longer than 107 bytes"));
    CHECK_THAT(
        error("PROXY TCP4 1.2.3.4 5.6.7.8 70000 2\r\n"), Catch::Contains("source port \"70000\""));
    CHECK_THAT(error("PROXY TCP4 ::1 5.6.7.8 1 2\r\n"),
        Catch::Contains("says TCP4 but its source address \"::1\" is an IPv6"));
    CHECK_THAT(error("PROXY TCP6 ::1 10.0.0.1 1 2\r\n"),
        Catch::Contains("says TCP6 but its destination address \"10.0.0.1\" is an IPv4"));
    CHECK_THAT(error("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"), Catch::Contains("protocol \"UDP4\""));
    CHECK_THAT(error("{\"msg_type\""),
        Catch::Contains("does not begin with a PROXY protocol header")
            && Catch::Contains("7b 22 6d 73 67 5f 74 79 ..."));
}

TEST_CASE("What no later byte can mend is Invalid at once, without waiting for the CRLF")
{
    CHECK(ProxyHeader::parse("PROXY TCP4 1.2.3.4\n").status == Status::Invalid);
    CHECK(ProxyHeader::parse("PROXY TCP4\rx").status == Status::Invalid);
    CHECK(ProxyHeader::parse(QByteArray("PROXY \x01", 7)).status == Status::Invalid);
    CHECK(ProxyHeader::parse("PROXZ").status == Status::Invalid);
    CHECK(ProxyHeader::parse("{").status == Status::Invalid);
    CHECK(ProxyHeader::parse(kV2Signature.left(5) + "X").status == Status::Invalid);
    CHECK(ProxyHeader::parse(kV2Signature + char(0x11)).status == Status::Invalid);
    CHECK(ProxyHeader::parse(kV2Signature + char(0x2f)).status == Status::Invalid);
    CHECK(ProxyHeader::parse(kV2Signature + char(0x21) + char(0x41)).status == Status::Invalid);
    CHECK(ProxyHeader::parse(kV2Signature + char(0x21) + char(0x11) + bigEndian16(2000)).status
        == Status::Invalid);
    // Where an address could still come, it is waited for.
    CHECK(ProxyHeader::parse("PROXY TCP4 999.1.1.1 ").status == Status::Incomplete);
}

TEST_CASE(
    "A PROXY v2 header over IPv4 gives the client's addresses and ports, not the bytes after it")
{
    const QByteArray bytes = inetV2();
    REQUIRE(bytes.size() == 28);
    const ProxyHeader header = ProxyHeader::parse(bytes + orchardFrame());
    REQUIRE(header.status == Status::Complete);
    CHECK(header.length == 28);
    CHECK(header.version == 2);
    CHECK_FALSE(header.local);
    CHECK(header.error.isEmpty());
    CHECK(header.sourceAddress == QHostAddress("192.0.2.10"));
    CHECK(header.destinationAddress == QHostAddress("198.51.100.1"));
    CHECK(header.sourcePort == 51000);
    CHECK(header.destinationPort == 7000);
}

TEST_CASE("A PROXY v2 header over IPv6 gives the client's addresses and ports")
{
    const QByteArray bytes = v2Header(0x21, 0x21,
        inet6Block(QHostAddress("2001:db8::7"), QHostAddress("2001:db8::1"), 443, 7000));
    REQUIRE(bytes.size() == 52);
    const ProxyHeader header = ProxyHeader::parse(bytes + "{");
    REQUIRE(header.status == Status::Complete);
    CHECK(header.length == 52);
    CHECK(header.sourceAddress == QHostAddress("2001:db8::7"));
    CHECK(header.sourceAddress.protocol() == QAbstractSocket::IPv6Protocol);
    CHECK(header.destinationAddress == QHostAddress("2001:db8::1"));
    CHECK(header.sourcePort == 443);
    CHECK(header.destinationPort == 7000);
}

TEST_CASE("PROXY v2 TLVs after the addresses count in the length and are skipped")
{
    const QByteArray tlvs
        = tlv(0x01, "h2") + tlv(0x02, "orchard.example") + tlv(0x20, QByteArray(10, '\x01'));
    const QByteArray bytes
        = v2Header(0x21, 0x11, inetBlock(0x0a000001, 0x0a000002, 40000, 7000) + tlvs);
    const ProxyHeader header = ProxyHeader::parse(bytes + orchardFrame());
    REQUIRE(header.status == Status::Complete);
    CHECK(header.length == 16 + 12 + tlvs.size());
    CHECK(header.sourceAddress == QHostAddress("10.0.0.1"));
    CHECK(header.sourcePort == 40000);

    // The most address bytes accepted: the longest header there is.
    const QByteArray longest = v2Header(0x21, 0x11, inetBlock(1, 2, 3, 4) + QByteArray(1012, '\0'));
    const ProxyHeader atLimit = ProxyHeader::parse(longest);
    REQUIRE(atLimit.status == Status::Complete);
    CHECK(atLimit.length == ProxyHeader::kMaxLength);
    CHECK(ProxyHeader::kMaxLength == 1040);
}

TEST_CASE("A PROXY v2 LOCAL header, or one naming no TCP address, is the proxy's own connection")
{
    // LOCAL: the family byte and any address bytes are ignored, but skipped.
    for (const QByteArray &bytes :
        { v2Header(0x20, 0x00, {}), v2Header(0x20, 0x11, inetBlock(1, 2, 3, 4)),
            v2Header(0x20, 0xff, QByteArray(3, 'x')) }) {
        const ProxyHeader header = ProxyHeader::parse(bytes + orchardFrame());
        REQUIRE(header.status == Status::Complete);
        CHECK(header.local);
        CHECK(header.length == bytes.size());
        CHECK(header.sourceAddress.isNull());
    }
    // PROXY with UNSPEC, UDP or a UNIX socket: the specification's fallback to the real endpoints.
    for (const uchar family : { 0x00, 0x10, 0x12, 0x22, 0x31, 0x32 }) {
        INFO("family and transport " << int(family));
        const QByteArray bytes = v2Header(0x21, family, QByteArray(family == 0 ? 0 : 12, '\x07'));
        const ProxyHeader header = ProxyHeader::parse(bytes);
        REQUIRE(header.status == Status::Complete);
        CHECK(header.local);
        CHECK(header.length == bytes.size());
    }
}

TEST_CASE("Malformed PROXY v2 headers are Invalid, each with a sentence saying why")
{
    const std::vector<std::pair<const char *, QByteArray>> cases {
        { "version 1", v2Header(0x11, 0x11, inetBlock(1, 2, 3, 4)) },
        { "version 3", v2Header(0x31, 0x11, inetBlock(1, 2, 3, 4)) },
        { "command 2", v2Header(0x22, 0x11, inetBlock(1, 2, 3, 4)) },
        { "command 15", v2Header(0x2f, 0x11, inetBlock(1, 2, 3, 4)) },
        { "family 4", v2Header(0x21, 0x41, inetBlock(1, 2, 3, 4)) },
        { "transport 3", v2Header(0x21, 0x13, inetBlock(1, 2, 3, 4)) },
        { "IPv4 with 8 address bytes", v2Header(0x21, 0x11, QByteArray(8, '\0')) },
        { "IPv6 with 12 address bytes", v2Header(0x21, 0x21, inetBlock(1, 2, 3, 4)) },
        { "1025 address bytes", v2Header(0x21, 0x11, QByteArray(1025, '\0')) },
        { "a signature byte wrong", QByteArray("\r\n\r\n\0\r\nQUIT\r", 12) + QByteArray(20, '\0') },
    };
    for (const auto &[name, bytes] : cases) {
        INFO(name);
        const ProxyHeader header = ProxyHeader::parse(bytes);
        CHECK(header.status == Status::Invalid);
        INFO(header.error.toStdString());
        CHECK((header.error.startsWith("PROXY v2 ")
            || header.error.startsWith("The connection does not begin")));
    }
    // The declared length alone is enough: the 70000 (well, 65535) bytes need not arrive.
    const QByteArray huge = kV2Signature + char(0x21) + char(0x11) + bigEndian16(65535);
    CHECK(ProxyHeader::parse(huge).error
        == "PROXY v2 header declares 65535 address bytes; at most 1024 are accepted");
    CHECK(ProxyHeader::parse(v2Header(0x11, 0x11, {})).error.contains("version 1"));
    CHECK(ProxyHeader::parse(v2Header(0x23, 0x11, {})).error.contains("command 3"));
}

TEST_CASE("startsLikeProxyHeader knows a PROXY header's beginning, and an Orchard client's")
{
    CHECK(ProxyHeader::startsLikeProxyHeader(""));
    CHECK(ProxyHeader::startsLikeProxyHeader("P"));
    CHECK(ProxyHeader::startsLikeProxyHeader("PRO"));
    CHECK(ProxyHeader::startsLikeProxyHeader("PROXY "));
    CHECK(ProxyHeader::startsLikeProxyHeader("PROXY TCP4 garbage"));
    CHECK(ProxyHeader::startsLikeProxyHeader("\r"));
    CHECK(ProxyHeader::startsLikeProxyHeader(kV2Signature.left(7)));
    CHECK(ProxyHeader::startsLikeProxyHeader(inetV2()));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader("PROXY\t"));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader("PROXZ"));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader("\r\n\r\n\r"));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader("{"));
    CHECK_FALSE(
        ProxyHeader::startsLikeProxyHeader(R"({"msg_type": "CLIENT_IMAGE", "msg_len": 8})"));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader(orchardFrame()));
    CHECK_FALSE(ProxyHeader::startsLikeProxyHeader("GET / HTTP/1.1\r\n"));
    CHECK_FALSE(
        ProxyHeader::startsLikeProxyHeader(QByteArray("\x16\x03\x01", 3))); // a TLS ClientHello
}

TEST_CASE("The header reader takes the header and leaves the client's bytes in the descriptor")
{
    for (const auto &[name, header] : validHeaders()) {
        INFO(name);
        SocketPair pair;
        const QByteArray after = orchardFrame() + R"({"and":"more"})";
        pair.send(header + after);
        ProxyHeaderReader reader(pair.server.get(), 5000);
        QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
        reader.start();
        CHECK(spy.isEmpty()); // never from inside start()
        const Finished result = onlyFinished(spy);
        CHECK(result.outcome == Outcome::Complete);
        CHECK(result.error.isEmpty());
        CHECK(result.header.status == Status::Complete);
        CHECK(result.header.length == header.size());
        CHECK(reader.consumedBytes() == header.size());
        CHECK(reader.isFinished());
        CHECK(pair.pending() == after);
    }
}

TEST_CASE("The header reader puts together a header split across writes")
{
    SocketPair pair;
    const QByteArray line = "PROXY TCP4 203.0.113.9 10.0.0.1 4000 7000\r\n";
    const QByteArray after = orchardFrame();
    ProxyHeaderReader reader(pair.server.get(), 5000);
    QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
    reader.start();
    pair.send(line.left(17));
    // Taken at once, all of it the header's: the notifier then waits for new bytes.
    REQUIRE(QTest::qWaitFor([&] { return reader.consumedBytes() == 17; }, 5000));
    CHECK(spy.isEmpty());
    pair.send(line.mid(17) + after);
    const Finished result = onlyFinished(spy);
    REQUIRE(result.outcome == Outcome::Complete);
    CHECK(result.header.sourceAddress == QHostAddress("203.0.113.9"));
    CHECK(result.header.sourcePort == 4000);
    CHECK(pair.pending() == after);
}

TEST_CASE("The header reader puts together a v2 header sent one byte at a time")
{
    SocketPair pair;
    const QByteArray header
        = v2Header(0x21, 0x11, inetBlock(0xcb007109, 0x0a000001, 4000, 7000) + tlv(0x04, "pad"));
    ProxyHeaderReader reader(pair.server.get(), 5000);
    QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
    reader.start();
    for (qsizetype i = 0; i + 1 < header.size(); ++i) {
        pair.send(header.mid(i, 1));
        REQUIRE(QTest::qWaitFor([&] { return reader.consumedBytes() == i + 1; }, 5000));
    }
    CHECK(spy.isEmpty());
    pair.send(header.right(1) + "{rest");
    const Finished result = onlyFinished(spy);
    REQUIRE(result.outcome == Outcome::Complete);
    CHECK(result.header.sourceAddress == QHostAddress("203.0.113.9"));
    CHECK(pair.pending() == "{rest");
}

TEST_CASE("The header reader gives up at its deadline when no header comes")
{
    SocketPair pair;
    ProxyHeaderReader reader(pair.server.get(), 50);
    QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
    reader.start();
    const Finished result = onlyFinished(spy);
    CHECK(result.outcome == Outcome::Timeout);
    CHECK(result.error.contains("50 ms"));
    CHECK(isOpen(pair.server.get()));

    // Half a header is no header either.
    SocketPair half;
    half.send("PROXY TCP4 1.2");
    ProxyHeaderReader halfReader(half.server.get(), 50);
    QSignalSpy halfSpy(&halfReader, &ProxyHeaderReader::finished);
    halfReader.start();
    CHECK(onlyFinished(halfSpy).outcome == Outcome::Timeout);
    CHECK(halfReader.consumedBytes() == 14);
}

TEST_CASE("The header reader reports a peer that closes before its header is complete")
{
    SocketPair silent;
    silent.client.reset();
    ProxyHeaderReader reader(silent.server.get(), 5000);
    QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
    reader.start();
    const Finished result = onlyFinished(spy);
    CHECK(result.outcome == Outcome::Closed);
    CHECK_FALSE(result.error.isEmpty());
    CHECK(isOpen(silent.server.get())); // closed by the caller, never by the reader

    SocketPair partial;
    ProxyHeaderReader partialReader(partial.server.get(), 5000);
    QSignalSpy partialSpy(&partialReader, &ProxyHeaderReader::finished);
    partialReader.start();
    partial.send(kV2Signature + char(0x21));
    REQUIRE(QTest::qWaitFor([&] { return partialReader.consumedBytes() == 13; }, 5000));
    partial.client.reset();
    const Finished partialResult = onlyFinished(partialSpy);
    CHECK(partialResult.outcome == Outcome::Closed);
    CHECK(partialResult.error.contains("13 bytes"));
}

TEST_CASE(
    "The header reader says Missing, consuming nothing, when a client speaks Orchard directly")
{
    for (const QByteArray &first :
        { QByteArray("{\"msg_type\":\"CLIENT_MESSAGE\"}"), orchardFrame() }) {
        SocketPair pair;
        pair.send(first);
        ProxyHeaderReader reader(pair.server.get(), 5000);
        QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
        reader.start();
        const Finished result = onlyFinished(spy);
        CHECK(result.outcome == Outcome::Missing);
        CHECK(result.error.contains("does not begin with a PROXY protocol header"));
        CHECK(reader.consumedBytes() == 0);
        CHECK(pair.pending() == first);
    }
}

TEST_CASE("The header reader says Invalid for a header that begins well and goes wrong")
{
    for (const QByteArray &bytes :
        { QByteArray("PROXY XYZ 1.2.3.4 5.6.7.8 1 2\r\n{\"msg_type\":1}"),
            v2Header(0x31, 0x11, inetBlock(1, 2, 3, 4)), QByteArray("PX{") }) {
        INFO(bytes.toHex().toStdString());
        SocketPair pair;
        pair.send(bytes);
        ProxyHeaderReader reader(pair.server.get(), 5000);
        QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
        reader.start();
        const Finished result = onlyFinished(spy);
        CHECK(result.outcome == Outcome::Invalid);
        CHECK(result.header.status == Status::Invalid);
        CHECK(result.error == result.header.error);
        CHECK_FALSE(result.error.isEmpty());
    }
}

TEST_CASE("The header reader finishes once and stops watching the descriptor")
{
    SocketPair pair;
    pair.send("PROXY UNKNOWN\r\n");
    {
        ProxyHeaderReader reader(pair.server.get(), 30);
        QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
        reader.start();
        reader.start(); // a second start is nothing
        CHECK(onlyFinished(spy).outcome == Outcome::Complete);
        // Neither new bytes nor the deadline's passing bring a second finished().
        pair.send("{more}");
        CHECK_FALSE(spy.wait(80));
        CHECK(spy.count() == 1);
    }
    CHECK(isOpen(pair.server.get()));
    CHECK(pair.pending() == "{more}");
}

namespace {

/** Keeps accepted descriptors bare, as OrchardServer's incomingConnection() does. */
class DescriptorServer : public QTcpServer
{
public:
    QList<qintptr> accepted;

protected:
    void incomingConnection(qintptr descriptor) override { accepted.append(descriptor); }
};

} // namespace

TEST_CASE(
    "Over real TCP, the socket given the descriptor after the header reads the client's frame")
{
    DescriptorServer server;
    REQUIRE(server.listen(QHostAddress::LocalHost));
    QTcpSocket balancer;
    balancer.connectToHost(QHostAddress::LocalHost, server.serverPort());
    REQUIRE(balancer.waitForConnected(5000));
    REQUIRE(QTest::qWaitFor([&] { return !server.accepted.isEmpty(); }, 5000));
    Descriptor accepted(int(server.accepted.first()));

    const QByteArray frame = orchardFrame();
    balancer.write(inetV2() + frame);
    REQUIRE(balancer.waitForBytesWritten(5000));

    ProxyHeaderReader reader(accepted.get(), 5000);
    QSignalSpy spy(&reader, &ProxyHeaderReader::finished);
    reader.start();
    const Finished result = onlyFinished(spy);
    REQUIRE(result.outcome == Outcome::Complete);
    CHECK(result.header.sourceAddress == QHostAddress("192.0.2.10"));
    CHECK(result.header.sourcePort == 51000);

    QTcpSocket session;
    REQUIRE(session.setSocketDescriptor(accepted.release()));
    REQUIRE(QTest::qWaitFor([&] { return session.bytesAvailable() >= frame.size(); }, 5000));
    CHECK(session.readAll() == frame);
}
