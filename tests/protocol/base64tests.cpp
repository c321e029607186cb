// The protocol's base64 (OpenSSL underneath) keeps the rules Qt's strict decoder had, so
// that no client that worked before is refused now and nothing refused before is read
// differently; the only new acceptance is CR/LF line breaks (MIME-style encoders).
#include <catch2/catch.hpp>

#include <random>

#include <QByteArray>

#include "common/protocol/base64.h"

using namespace orchard;

namespace {

/** Qt's strict decoder, the reference the rules were written against. */
std::optional<QByteArray> qtDecode(const QByteArray &text)
{
    QByteArray joined = text.trimmed();
    joined.replace('\r', QByteArray()).replace('\n', QByteArray());
    const auto decoded = QByteArray::fromBase64Encoding(joined.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? std::optional<QByteArray>(decoded.decoded) : std::nullopt;
}

} // namespace

TEST_CASE("base64: every padding length, with and without its padding")
{
    CHECK(decodeBase64("YWJj") == QByteArray("abc"));
    CHECK(decodeBase64("YWI=") == QByteArray("ab"));
    CHECK(decodeBase64("YWI") == QByteArray("ab"));
    CHECK(decodeBase64("YQ==") == QByteArray("a"));
    CHECK(decodeBase64("YQ") == QByteArray("a"));
    CHECK(decodeBase64("YWJjZA==") == QByteArray("abcd"));
    CHECK(decodeBase64("") == QByteArray());
    CHECK(decodeBase64("   ") == QByteArray());
    CHECK(decodeBase64("Y") == QByteArray()); // a dangling character is ignored, as Qt did
    CHECK(decodeBase64("YWJjZ") == QByteArray("abc"));
    CHECK(decodeBase64("YWJjZ \n") == QByteArray("abc"));
    for (const char *bad : { "YQ=", "YWJjZA=", "YWJj=", "YWJj====", "YQ===", "=", "==" }) {
        INFO(bad);
        CHECK_FALSE(decodeBase64(bad));
    }
}

TEST_CASE("base64: surrounding whitespace is ignored, inside, only line breaks are")
{
    CHECK(decodeBase64(" \t YWJj \r\n") == QByteArray("abc"));
    CHECK(decodeBase64("YWJj\nZGVm\n") == QByteArray("abcdef"));
    CHECK(decodeBase64("YWJj\r\nZGVm\r\nZw==\r\n") == QByteArray("abcdefg"));
    CHECK(decodeBase64("YW\nI=") == QByteArray("ab"));
    for (const char *bad : { "YW Jj", "YW\tJj", "YWJ\vj", "YWJj \nZGVm", "YWJjZ\t!", "YW=j", "=YWJ", "YQ==YQ==",
                             "YWJj!", "YWJj-_", "\x80YWJ" }) {
        INFO(QByteArray(bad).toHex().toStdString());
        CHECK_FALSE(decodeBase64(bad));
    }
}

TEST_CASE("base64: the same answers as Qt's strict decoder on a million random strings")
{
    std::mt19937 random(20261202);
    // Mostly the alphabet, padding and the whitespace and '-' OpenSSL treats specially.
    static const char characters[] = "AQZaqz09+/==\n\r\t -\v\f*\0\x80";
    const QByteArray alphabet(characters, sizeof characters - 1);
    int differences = 0;
    for (int i = 0; i < 1'000'000; ++i) {
        QByteArray text;
        const int length = static_cast<int>(random() % 21);
        for (int k = 0; k < length; ++k)
            text.append(alphabet.at(static_cast<int>(random() % alphabet.size())));
        const auto ours = decodeBase64(text);
        const auto qts = qtDecode(text);
        if (ours.has_value() != qts.has_value() || (ours && *ours != *qts)) {
            if (++differences <= 5)
                WARN("differs on \"" << text.toStdString() << "\"");
        }
    }
    CHECK(differences == 0);
}

TEST_CASE("base64: round trips of every length, and of a body larger than one OpenSSL call")
{
    std::mt19937 random(7);
    for (int size = 0; size < 300; ++size) {
        QByteArray data(size, Qt::Uninitialized);
        for (char &c : data)
            c = static_cast<char>(random());
        const QByteArray text = encodeBase64(data);
        INFO("size " << size);
        CHECK(text == data.toBase64());
        CHECK(text.size() == base64Length(size));
        CHECK(decodeBase64(text) == data);
    }
    // 100 MB decoded in 64 MiB pieces: the join must be seamless, and a space that falls
    // on a piece's edge is still refused.
    QByteArray large(100'000'000, 'x');
    large[12345] = '\x01';
    const QByteArray text = encodeBase64(large);
    CHECK(text == large.toBase64());
    CHECK(decodeBase64(text) == large);
    QByteArray spaced = text;
    spaced[(qsizetype(64) << 20) - 1] = ' ';
    CHECK_FALSE(decodeBase64(spaced));
}
