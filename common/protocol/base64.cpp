#include "common/protocol/base64.h"

#include <algorithm>
#include <cstring>

#include <openssl/evp.h>

namespace orchard {

namespace {

// Whole groups (4 characters decode to 3 bytes), well inside EVP's int lengths.
constexpr qsizetype kDecodePiece = qsizetype(64) << 20;
constexpr qsizetype kEncodePiece = qsizetype(48) << 20;

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool contains(QByteArrayView text, char c)
{
    return !text.isEmpty() && std::memchr(text.data(), c, static_cast<size_t>(text.size())) != nullptr;
}

bool isBase64Character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

qsizetype trailingPadding(QByteArrayView text)
{
    qsizetype pad = 0;
    while (pad < text.size() && text[text.size() - 1 - pad] == '=')
        ++pad;
    return pad;
}

} // namespace

std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isAsciiSpace(text[begin]))
        ++begin;
    while (end > begin && isAsciiSpace(text[end - 1]))
        --end;
    text = text.sliced(begin, end - begin);

    // Line breaks are the only whitespace allowed inside; taking them out costs a copy,
    // paid only by the clients that send them.
    QByteArray joined;
    if (contains(text, '\n') || contains(text, '\r')) {
        joined.reserve(text.size());
        for (const char c : text) {
            if (c != '\n' && c != '\r')
                joined.append(c);
        }
        text = joined;
    }

    qsizetype pad = trailingPadding(text);
    QByteArray padded;
    if (pad > 0) {
        if (pad > 2 || text.size() % 4 != 0)
            return std::nullopt;
    } else {
        qsizetype remainder = text.size() % 4;
        if (remainder == 1) { // Qt ignores a dangling character, if it is one of the alphabet
            if (!isBase64Character(text.back()))
                return std::nullopt;
            text.chop(1);
            remainder = 0;
        }
        if (remainder != 0) { // EVP_DecodeBlock wants whole groups of four
            pad = 4 - remainder;
            padded.reserve(text.size() + pad);
            padded.append(text);
            padded.append(pad, '=');
            text = padded;
        }
    }
    if (text.isEmpty())
        return QByteArray();
    // EVP_DecodeBlock reads '=' anywhere as zero bits; only trailing padding is valid.
    if (contains(text.first(text.size() - pad), '='))
        return std::nullopt;

    // EVP_DecodeBlock takes an int length: bodies may be larger (--max-msg-len up to 4 GiB),
    // so it gets whole groups of four, 64 MiB at a time. At a piece's ends it silently
    // drops whitespace and '-' (PEM's "-----END"), which Qt refused: so a piece must begin
    // and end with a character of the alphabet (or the padding).
    QByteArray decoded(text.size() / 4 * 3, Qt::Uninitialized);
    qsizetype written = 0;
    for (qsizetype offset = 0; offset < text.size(); offset += kDecodePiece) {
        const QByteArrayView piece = text.sliced(offset, std::min(kDecodePiece, text.size() - offset));
        if (!isBase64Character(piece.front()) || !(isBase64Character(piece.back()) || piece.back() == '='))
            return std::nullopt;
        const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(decoded.data() + written),
                                           reinterpret_cast<const unsigned char *>(piece.data()),
                                           static_cast<int>(piece.size()));
        if (length < 0)
            return std::nullopt;
        written += length;
    }
    decoded.truncate(written - pad); // EVP_DecodeBlock counts the padding's zero bytes as output
    return decoded;
}

QByteArray encodeBase64(QByteArrayView data)
{
    QByteArray text(base64Length(data.size()) + 1, Qt::Uninitialized); // + the NUL it writes
    qsizetype written = 0;
    for (qsizetype offset = 0; offset < data.size(); offset += kEncodePiece) {
        const QByteArrayView piece = data.sliced(offset, std::min(kEncodePiece, data.size() - offset));
        written += EVP_EncodeBlock(reinterpret_cast<unsigned char *>(text.data() + written),
                                   reinterpret_cast<const unsigned char *>(piece.data()),
                                   static_cast<int>(piece.size()));
    }
    text.truncate(written);
    return text;
}

} // namespace orchard
