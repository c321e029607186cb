// JsonWriter and PredictionReply::toBody() write the bytes QJsonDocument's compact form
// would: clients parse them with whatever JSON library they have, and the protocol
// document's examples were made by QJsonDocument.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonObject>

#include "common/protocol/jsonbody.h"
#include "common/protocol/jsonwriter.h"
#include "common/protocol/predictionreply.h"

using namespace orchard;

namespace {

QString everyAwkwardCharacter()
{
    QString text;
    for (char16_t c = 0; c < 0x80; ++c)
        text.append(QChar(c));
    text += QStringLiteral("é中文🍎\u2028\u00ad\u07ff\u0800\uffff");
    // Lone and reversed surrogates (a client may send "\ud800" in a name; the fuzzer did).
    text += QChar(0xd800);
    text += u'a';
    text += QChar(0xdc01);
    text += QChar(0xdfff);
    text += QChar(0xdbff);
    return text;
}

PredictionReply sampleReply()
{
    PredictionReply reply;
    reply.messageId = 9'007'199'254'740'993LL; // above 2^53: must not pass through a double
    reply.name = QStringLiteral("leaf \"7\"\\n\t.jpg");
    reply.model = QStringLiteral("fashion-mnist");
    reply.modelVersion = 3;
    reply.label = QStringLiteral("Ankle boot");
    reply.index = 9;
    reply.confidence = 0.9876543210123;
    reply.topK = { { QStringLiteral("Ankle boot"), 9, 0.9876543210123 },
                   { QStringLiteral("Sneaker"), 7, 1.5e-7 },
                   { QStringLiteral("Bag"), 8, 0.0 } };
    reply.imageWidth = 28;
    reply.imageHeight = 28;
    reply.timing = { 0.0, 0.123, 0.01, 0.2, 1.0 / 3.0 };
    return reply;
}

} // namespace

TEST_CASE("JsonWriter escapes every character as QJsonDocument does", "[protocol][json]")
{
    const QString text = everyAwkwardCharacter();
    JsonWriter json;
    json.beginObject().key("text").value(text).endObject();
    CHECK(json.bytes() == compactJson(QJsonObject { { QStringLiteral("text"), text } }));
}

TEST_CASE("JsonWriter writes numbers as QJsonDocument does", "[protocol][json]")
{
    const double doubles[] = { 0.0, -0.0, 0.1, 1.0, 5.0, 1e-7, 123456.789, 1e21, 1e300, -2.5e-300,
                               1.0 / 3.0, std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::infinity() };
    for (const double number : doubles) {
        JsonWriter json;
        json.beginObject().key("n").value(number).endObject();
        INFO("double " << number);
        CHECK(json.bytes() == compactJson(QJsonObject { { QStringLiteral("n"), number } }));
    }
    const qint64 integers[] = { 0, -1, 42, std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min() };
    for (const qint64 number : integers) {
        JsonWriter json;
        json.beginObject().key("n").value(number).endObject();
        INFO("integer " << number);
        CHECK(json.bytes() == compactJson(QJsonObject { { QStringLiteral("n"), number } }));
    }
}

TEST_CASE("JsonWriter nests objects and arrays with commas in the right places", "[protocol][json]")
{
    JsonWriter json;
    json.beginObject()
            .key("a").beginArray().value(1).beginObject().key("b").value(true).endObject().beginArray().endArray().endArray()
            .key("c").beginObject().endObject()
            .key("d").value(false)
            .endObject();
    const QJsonObject expected { { QStringLiteral("a"), QJsonArray { 1, QJsonObject { { QStringLiteral("b"), true } }, QJsonArray {} } },
                                 { QStringLiteral("c"), QJsonObject {} },
                                 { QStringLiteral("d"), false } };
    CHECK(json.bytes() == compactJson(expected));
}

TEST_CASE("A prediction reply's body is QJsonDocument's text of its JSON", "[protocol][json]")
{
    PredictionReply reply = sampleReply();
    CHECK(reply.toBody() == compactJson(reply.toJson()));

    reply.advice = QStringLiteral("Remove fallen leaves; spray copper \u2014 see \"notes\".");
    reply.messageId.reset();
    reply.modelVersion.reset();
    reply.topK.clear();
    reply.name = everyAwkwardCharacter();
    CHECK(reply.toBody() == compactJson(reply.toJson()));

    const Result<PredictionReply> parsed = PredictionReply::fromBody(reply.toBody());
    REQUIRE(parsed);
    CHECK(parsed->name == reply.name); // lone surrogates included
    CHECK(parsed->advice == reply.advice);
}
