#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QtGlobal>

namespace orchard {

/**
 * The PROXY protocol header (HAProxy's proxy-protocol.txt, version 1 text and version 2
 * binary) that a load balancer in front of the server sends before the client's first
 * byte, saying whom the connection is really from.
 *
 * parse() is pure: it looks at the bytes received so far and says whether they hold a
 * whole header (and how many bytes it takes), need more, or can never become one. It never
 * interprets what follows the header. Both versions are accepted; which one a connection
 * speaks is told by its first bytes.
 *
 * A property the descriptor reader (ProxyHeaderReader) depends on: when parse() answers
 * Incomplete, every byte it was given belongs to the header (a v1 line has no CRLF yet, a
 * v2 header has fewer than its 16 + length bytes), so a reader may consume them from the
 * kernel without taking any of the client's own bytes.
 */
struct ProxyHeader
{
    enum class Status {
        Incomplete, ///< so far a valid beginning; more bytes are needed
        Complete, ///< a whole, valid header: its first `length` bytes
        Invalid, ///< these bytes can never begin a valid header (see `error`)
    };

    /** Version 1: the longest line the specification allows, CRLF included. */
    static constexpr qsizetype kMaxV1Length = 107;
    /** Version 2: the fixed part (signature, version/command, family, length). */
    static constexpr qsizetype kV2FixedLength = 16;
    /**
     * Version 2: the most address and TLV bytes accepted after the fixed part. Addresses
     * take at most 216 bytes (two UNIX paths); the rest is TLVs we skip, bounded so a
     * header cannot make us wait for, or buffer, up to the 65535 bytes its length allows.
     */
    static constexpr qsizetype kMaxV2AddressLength = 1024;
    /** The longest header of either version that parse() accepts. */
    static constexpr qsizetype kMaxLength = kV2FixedLength + kMaxV2AddressLength;

    Status status = Status::Incomplete;
    /** Complete: the bytes the header occupies; what follows is the client's. 0 otherwise. */
    qsizetype length = 0;
    /** 1 or 2 once the first bytes tell; 0 while they do not yet (or never will). */
    int version = 0;
    /**
     * Complete: the header names no client (v2 LOCAL, a v2 family or transport we do not
     * take addresses from, or v1 UNKNOWN). The connection is the proxy's own (a health
     * check) or one it cannot describe: use the socket's own peer address. The addresses
     * and ports below are then null and 0.
     */
    bool local = false;
    QHostAddress sourceAddress; ///< the client, as the proxy saw it
    QHostAddress destinationAddress; ///< the address the client connected to, on the proxy
    quint16 sourcePort = 0;
    quint16 destinationPort = 0;
    /** Invalid: one sentence saying what is wrong, for the log. Empty otherwise. */
    QString error;

    /**
     * Parses the first bytes a connection received. Bytes after a complete header are
     * ignored (and not counted in `length`). Invalid as soon as the bytes cannot begin a
     * header, including when they are not a PROXY header at all; a v1 line without CRLF
     * within kMaxV1Length bytes and a v2 header declaring more than kMaxV2AddressLength
     * address bytes are Invalid too.
     */
    static ProxyHeader parse(QByteArrayView bytes);

    /**
     * True when `bytes` begin with "PROXY " (version 1) or the 12-byte version 2
     * signature, or are a prefix of either (so true for an empty view and for "PRO"):
     * false means no more bytes can make them a PROXY header. It looks at the signature
     * only; parse() judges the rest. A connection that speaks Orchard's protocol directly
     * starts with its frame header's padding or '{', so this is false for it.
     */
    static bool startsLikeProxyHeader(QByteArrayView bytes);
};

} // namespace orchard

Q_DECLARE_METATYPE(orchard::ProxyHeader)
