#include "server/core/proxyheader.h"

#include <algorithm>

#include <QList>
#include <QtEndian>

namespace orchard {

namespace {

const QByteArrayView kV1Signature("PROXY ", 6);
const QByteArrayView kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);

// Version 2's 13th byte: version (high nibble) and command (low nibble).
constexpr int kV2Version = 2;
constexpr int kV2CommandLocal = 0;
constexpr int kV2CommandProxy = 1;
// Its 14th byte: address family (high nibble) and transport (low nibble); 0 in either is
// UNSPEC, which names no address.
constexpr int kV2FamilyInet = 1;
constexpr int kV2FamilyInet6 = 2;
constexpr int kV2FamilyUnix = 3;
constexpr int kV2TransportStream = 1;
constexpr int kV2TransportDgram = 2;
// Addresses and ports of TCP over IPv4 (2 * 4 + 2 * 2) and over IPv6 (2 * 16 + 2 * 2).
constexpr qsizetype kV2InetAddressLength = 12;
constexpr qsizetype kV2Inet6AddressLength = 36;

/** True when the shorter of the two is a prefix of the longer. */
bool agreesWith(QByteArrayView bytes, QByteArrayView signature)
{
    const qsizetype compared = std::min(bytes.size(), signature.size());
    return bytes.first(compared) == signature.first(compared);
}

ProxyHeader incomplete(int version)
{
    ProxyHeader header;
    header.version = version;
    return header;
}

ProxyHeader invalid(int version, const QString &error)
{
    ProxyHeader header;
    header.status = ProxyHeader::Status::Invalid;
    header.version = version;
    header.error = error;
    return header;
}

ProxyHeader complete(int version, qsizetype length)
{
    ProxyHeader header;
    header.status = ProxyHeader::Status::Complete;
    header.version = version;
    header.length = length;
    return header;
}

ProxyHeader completeLocal(int version, qsizetype length)
{
    ProxyHeader header = complete(version, length);
    header.local = true;
    return header;
}

/** The first bytes as hex ("7b 22 6d ..."): what a log can show of bytes that may be binary. */
QString firstBytesInHex(QByteArrayView bytes)
{
    constexpr qsizetype kShown = 8;
    QString text
        = QString::fromLatin1(bytes.first(std::min(bytes.size(), kShown)).toByteArray().toHex(' '));
    if (bytes.size() > kShown)
        text += QStringLiteral(" ...");
    return text;
}

/** Text a v1 line carries, quoted in an error; the line is printable US-ASCII by then. */
QString quoted(QByteArrayView field)
{
    return QStringLiteral("\"%1\"").arg(QString::fromLatin1(field.data(), field.size()));
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/**
 * A decimal number from 0 to `maximum` as the specification writes it: digits only, no
 * sign, no heading zero (which some readers take for octal), at most `maxDigits` of them.
 */
bool parseCanonicalDecimal(QByteArrayView text, int maxDigits, int maximum, int *value)
{
    if (text.isEmpty() || text.size() > maxDigits || (text.size() > 1 && text.front() == '0'))
        return false;
    int result = 0;
    for (const char c : text) {
        if (!isDigit(c))
            return false;
        result = result * 10 + (c - '0');
    }
    if (result > maximum)
        return false;
    *value = result;
    return true;
}

/**
 * Exactly four decimal numbers from 0 to 255, one dot between each. Stricter than
 * QHostAddress, which also takes "127.1", so a proxy's address is read one way only.
 */
bool parseIPv4(QByteArrayView text, QHostAddress *address)
{
    quint32 ip = 0;
    qsizetype start = 0;
    for (int part = 0; part < 4; ++part) {
        qsizetype end = text.indexOf('.', start);
        if (part == 3) {
            if (end != -1)
                return false;
            end = text.size();
        } else if (end == -1) {
            return false;
        }
        int number = 0;
        if (!parseCanonicalDecimal(text.sliced(start, end - start), 3, 255, &number))
            return false;
        ip = (ip << 8) | quint32(number);
        start = end + 1;
    }
    address->setAddress(ip);
    return true;
}

/**
 * IPv6 text: hexadecimal groups, colons, at most one "::", and the dotted IPv4 tail that
 * inet_ntop writes for mapped addresses ("::ffff:192.0.2.1"). No zone ("%eth0") and no
 * brackets: the characters are checked before QHostAddress, which would take those.
 */
bool parseIPv6(QByteArrayView text, QHostAddress *address)
{
    constexpr qsizetype kLongestIPv6Text = 45; // eight groups, or six and a dotted IPv4 tail
    if (text.isEmpty() || text.size() > kLongestIPv6Text)
        return false;
    for (const char c : text) {
        const bool hex = isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex && c != ':' && c != '.')
            return false;
    }
    QHostAddress parsed;
    if (!parsed.setAddress(QString::fromLatin1(text.data(), text.size()))
        || parsed.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    *address = parsed;
    return true;
}

/** "source address" or "destination address" of a TCP4 or TCP6 line, or why not. */
QString readV1Address(QByteArrayView text, bool ipv6, const char *which, QHostAddress *address)
{
    QHostAddress other;
    if (ipv6) {
        if (parseIPv6(text, address))
            return {};
        if (parseIPv4(text, &other))
            return QStringLiteral(
                "PROXY v1 header says TCP6 but its %1 address %2 is an IPv4 address")
                .arg(QLatin1String(which), quoted(text));
        return QStringLiteral("PROXY v1 header's %1 address %2 is not an IPv6 address")
            .arg(QLatin1String(which), quoted(text));
    }
    if (parseIPv4(text, address))
        return {};
    if (parseIPv6(text, &other))
        return QStringLiteral("PROXY v1 header says TCP4 but its %1 address %2 is an IPv6 address")
            .arg(QLatin1String(which), quoted(text));
    return QStringLiteral("PROXY v1 header's %1 address %2 is not an IPv4 address of four decimal "
                          "numbers from 0 to 255 without leading zeros")
        .arg(QLatin1String(which), quoted(text));
}

QString readV1Port(QByteArrayView text, const char *which, quint16 *port)
{
    int value = 0;
    if (parseCanonicalDecimal(text, 5, 65535, &value)) {
        *port = quint16(value);
        return {};
    }
    return QStringLiteral("PROXY v1 header's %1 port %2 is not a decimal number from 0 to 65535 "
                          "without sign or leading zeros")
        .arg(QLatin1String(which), quoted(text));
}

/** The fields of a whole v1 line (without its CRLF), which takes `length` bytes with it. */
ProxyHeader parseV1Line(QByteArrayView line, qsizetype length)
{
    QList<QByteArrayView> fields;
    qsizetype start = 0;
    while (true) {
        const qsizetype space = line.indexOf(' ', start);
        fields.append(line.sliced(start, (space == -1 ? line.size() : space) - start));
        if (space == -1)
            break;
        start = space + 1;
    }
    // fields[0] is "PROXY": the signature was checked with its space.
    const QByteArrayView protocol = fields.value(1);
    if (protocol == QByteArrayView("UNKNOWN"))
        return completeLocal(1, length); // the specification: ignore the rest of the line
    const bool tcp4 = protocol == QByteArrayView("TCP4");
    if (!tcp4 && protocol != QByteArrayView("TCP6")) {
        if (protocol.isEmpty())
            return invalid(1, QStringLiteral("PROXY v1 header names no protocol after \"PROXY\""));
        return invalid(1,
            QStringLiteral("PROXY v1 header names protocol %1; only TCP4, TCP6 and UNKNOWN exist")
                .arg(quoted(protocol)));
    }
    if (std::any_of(
            fields.cbegin(), fields.cend(), [](QByteArrayView field) { return field.isEmpty(); }))
        return invalid(1,
            QStringLiteral("PROXY v1 header has two spaces in a row or a space at the end "
                           "of its line; its fields are separated by exactly one space"));
    if (fields.size() != 6)
        return invalid(1,
            QStringLiteral("PROXY v1 %1 header has %2 fields; it needs 6 (PROXY, the protocol, "
                           "two addresses and two ports)")
                .arg(QString::fromLatin1(protocol.data(), protocol.size()))
                .arg(fields.size()));

    ProxyHeader header = complete(1, length);
    QString error = readV1Address(fields[2], !tcp4, "source", &header.sourceAddress);
    if (error.isEmpty())
        error = readV1Address(fields[3], !tcp4, "destination", &header.destinationAddress);
    if (error.isEmpty())
        error = readV1Port(fields[4], "source", &header.sourcePort);
    if (error.isEmpty())
        error = readV1Port(fields[5], "destination", &header.destinationPort);
    if (!error.isEmpty())
        return invalid(1, error);
    return header;
}

/**
 * Version 1: one line of printable US-ASCII ending in CRLF, at most kMaxV1Length bytes.
 * The line is judged as a whole once its CRLF is there (the specification: wait for the
 * CRLF before decoding addresses); before that only what no later byte can mend (a stray
 * CR or LF, a control byte, the length) makes it Invalid.
 */
ProxyHeader parseV1(QByteArrayView bytes)
{
    const qsizetype searched = std::min(bytes.size(), ProxyHeader::kMaxV1Length);
    for (qsizetype i = 0; i < searched; ++i) {
        const char c = bytes[i];
        if (c == '\r') {
            if (i + 2 > ProxyHeader::kMaxV1Length)
                break; // its LF would be the 108th byte
            if (i + 1 == bytes.size())
                return incomplete(1);
            if (bytes[i + 1] != '\n')
                return invalid(1,
                    QStringLiteral("PROXY v1 header has a CR that is not followed by LF "
                                   "(at byte %1); the line must end in CRLF")
                        .arg(i + 1));
            return parseV1Line(bytes.first(i), i + 2);
        }
        if (c == '\n')
            return invalid(1,
                QStringLiteral("PROXY v1 header ends its line with a bare LF (at byte %1); "
                               "the line must end in CRLF")
                    .arg(i + 1));
        if (c < 0x20 || c > 0x7e)
            return invalid(1,
                QStringLiteral("PROXY v1 header contains byte 0x%1 (at byte %2), which is "
                               "not printable US-ASCII")
                    .arg(int(uchar(c)), 2, 16, QLatin1Char('0'))
                    .arg(i + 1));
    }
    if (bytes.size() >= ProxyHeader::kMaxV1Length)
        return invalid(1,
            QStringLiteral("PROXY v1 header longer than %1 bytes: no CRLF ends it within "
                           "the %1 bytes the specification allows")
                .arg(ProxyHeader::kMaxV1Length));
    return incomplete(1);
}

/**
 * Version 2: the 16 fixed bytes, then `length` bytes of addresses and TLVs. Each fixed
 * field is judged as soon as it has arrived, so a bad version or command, or a length
 * above the limit, is Invalid without waiting for the bytes it declares.
 */
ProxyHeader parseV2(QByteArrayView bytes)
{
    if (bytes.size() <= kV2Signature.size())
        return incomplete(2);
    const auto versionAndCommand = uchar(bytes[12]);
    const int version = versionAndCommand >> 4;
    const int command = versionAndCommand & 0x0f;
    if (version != kV2Version)
        return invalid(2,
            QStringLiteral("PROXY v2 header says protocol version %1 in its 13th byte; only "
                           "version 2 exists")
                .arg(version));
    if (command != kV2CommandLocal && command != kV2CommandProxy)
        return invalid(2,
            QStringLiteral("PROXY v2 header has command %1; only LOCAL (0) and PROXY (1) exist")
                .arg(command));
    if (bytes.size() < 14)
        return incomplete(2);

    // LOCAL: the specification says to ignore the family byte and the addresses.
    const auto familyAndTransport = uchar(bytes[13]);
    const int family = familyAndTransport >> 4;
    const int transport = familyAndTransport & 0x0f;
    if (command == kV2CommandProxy) {
        if (family > kV2FamilyUnix)
            return invalid(2,
                QStringLiteral("PROXY v2 header has address family %1; only UNSPEC (0), INET (1), "
                               "INET6 (2) and UNIX (3) exist")
                    .arg(family));
        if (transport > kV2TransportDgram)
            return invalid(2,
                QStringLiteral("PROXY v2 header has transport protocol %1; only UNSPEC (0), "
                               "STREAM (1) and DGRAM (2) exist")
                    .arg(transport));
    }
    if (bytes.size() < ProxyHeader::kV2FixedLength)
        return incomplete(2);

    const qsizetype addressLength = qFromBigEndian<quint16>(bytes.data() + 14);
    if (addressLength > ProxyHeader::kMaxV2AddressLength)
        return invalid(2,
            QStringLiteral("PROXY v2 header declares %1 address bytes; at most %2 are accepted")
                .arg(addressLength)
                .arg(ProxyHeader::kMaxV2AddressLength));
    // TCP over IPv4 or IPv6 is what a client of ours connects with: its addresses are taken.
    // Every other combination falls back to the real endpoints, as the specification asks
    // of a receiver that does not implement it (UNSPEC, UDP, UNIX sockets).
    const bool tcp = command == kV2CommandProxy && transport == kV2TransportStream
        && (family == kV2FamilyInet || family == kV2FamilyInet6);
    const qsizetype needed = family == kV2FamilyInet ? kV2InetAddressLength : kV2Inet6AddressLength;
    if (tcp && addressLength < needed)
        return invalid(2,
            QStringLiteral("PROXY v2 header for TCP over %1 declares %2 address bytes; it needs "
                           "at least %3")
                .arg(family == kV2FamilyInet ? QStringLiteral("IPv4") : QStringLiteral("IPv6"))
                .arg(addressLength)
                .arg(needed));
    const qsizetype length = ProxyHeader::kV2FixedLength + addressLength;
    if (bytes.size() < length)
        return incomplete(2);
    if (!tcp)
        return completeLocal(2, length);

    ProxyHeader header = complete(2, length);
    const char *addresses = bytes.data() + ProxyHeader::kV2FixedLength;
    if (family == kV2FamilyInet) {
        header.sourceAddress.setAddress(qFromBigEndian<quint32>(addresses));
        header.destinationAddress.setAddress(qFromBigEndian<quint32>(addresses + 4));
        header.sourcePort = qFromBigEndian<quint16>(addresses + 8);
        header.destinationPort = qFromBigEndian<quint16>(addresses + 10);
    } else {
        header.sourceAddress.setAddress(reinterpret_cast<const quint8 *>(addresses));
        header.destinationAddress.setAddress(reinterpret_cast<const quint8 *>(addresses + 16));
        header.sourcePort = qFromBigEndian<quint16>(addresses + 32);
        header.destinationPort = qFromBigEndian<quint16>(addresses + 34);
    }
    return header;
}

} // namespace

ProxyHeader ProxyHeader::parse(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return incomplete(0);
    if (agreesWith(bytes, kV1Signature))
        return parseV1(bytes);
    if (agreesWith(bytes, kV2Signature))
        return parseV2(bytes);
    return invalid(0,
        QStringLiteral("The connection does not begin with a PROXY protocol header (\"PROXY \" "
                       "or the version 2 signature); its first bytes are %1")
            .arg(firstBytesInHex(bytes)));
}

bool ProxyHeader::startsLikeProxyHeader(QByteArrayView bytes)
{
    return agreesWith(bytes, kV1Signature) || agreesWith(bytes, kV2Signature);
}

} // namespace orchard
