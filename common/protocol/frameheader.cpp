#include "common/protocol/frameheader.h"

#include <cmath>
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include "common/protocol/clienttext.h"
#include "common/protocol/jsonwriter.h"

namespace orchard {

namespace {

const QString kTypeKey = QStringLiteral("msg_type");
const QString kLengthKey = QStringLiteral("msg_len");
const QString kIdKey = QStringLiteral("msg_id");
const QString kEncodingKey = QStringLiteral("encoding");
const QString kTopKKey = QStringLiteral("top_k");
const QString kModelKey = QStringLiteral("model");
const QString kModelVersionKey = QStringLiteral("model_version");

ProtocolError badHeader(const QString &message)
{
    return { ErrorCode::BadHeader, message, std::nullopt };
}

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/**
 * A JSON number that must be a whole number >= 0. Qt keeps integers written without a
 * fraction exactly (qint64); anything else arrives as a double, which we accept only
 * when it has no fractional part, saturating huge values (they fail any size limit).
 */
std::optional<qint64> wholeNonNegative(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double asDouble = value.toDouble();
    if (!std::isfinite(asDouble) || asDouble < 0 || std::floor(asDouble) != asDouble)
        return std::nullopt;
    constexpr qint64 kNoInteger = -1;
    const qint64 exact = value.toInteger(kNoInteger);
    if (exact >= 0)
        return exact;
    if (asDouble >= static_cast<double>(std::numeric_limits<qint64>::max()))
        return std::numeric_limits<qint64>::max();
    return static_cast<qint64>(asDouble);
}

/**
 * A msg_id: a whole number >= 0 that Qt kept exactly, since the reply echoes it and the
 * client matches by it. 1e30 or 2^64 - 1 would come back as 9223372036854775807, a
 * different number, and the reply could never be matched.
 */
std::optional<qint64> exactMessageId(const QJsonValue &value)
{
    const std::optional<qint64> id = wholeNonNegative(value);
    if (!id || value.toInteger(-1) != *id)
        return std::nullopt;
    return id;
}

/** A JSON value as it would be written, for error messages: 12.5, "12", null. */
QString jsonText(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

} // namespace

QString bodyEncodingName(BodyEncoding encoding)
{
    return encoding == BodyEncoding::Binary ? QStringLiteral("binary") : QStringLiteral("base64");
}

FrameHeader FrameHeader::make(MessageType type, qint64 length, std::optional<qint64> messageId,
                              BodyEncoding encoding)
{
    FrameHeader header;
    header.type = type;
    header.typeName = messageTypeName(type);
    header.length = length;
    header.messageId = messageId;
    header.encoding = encoding;
    return header;
}

Result<QByteArray> FrameHeader::encode() const
{
    if (model.size() > kMaxModelNameLength)
        return badHeader(QStringLiteral("The model name is %1 characters long; at most %2 fit in a header.")
                                 .arg(model.size())
                                 .arg(kMaxModelNameLength));
    // Written directly, in QJsonObject's sorted key order, so that the bytes are what
    // QJsonDocument gave (frameheadertests compares them); a header goes with every reply
    // and through QJsonObject it was 1.5 % of the server's samples (JsonWriter says more).
    JsonWriter writer(kSize);
    writer.beginObject();
    // base64 is the default; leaving it out keeps headers identical to the original's.
    if (encoding != BodyEncoding::Base64)
        writer.key("encoding").value(bodyEncodingName(encoding));
    if (!model.isEmpty())
        writer.key("model").value(model);
    if (modelVersion)
        writer.key("model_version").value(*modelVersion);
    if (messageId)
        writer.key("msg_id").value(*messageId);
    writer.key("msg_len").value(length);
    writer.key("msg_type").value(typeName.isEmpty() ? messageTypeName(type) : typeName);
    if (topK)
        writer.key("top_k").value(*topK);
    writer.endObject();
    const QByteArray json = writer.take();
    if (json.size() > kSize) {
        return badHeader(QStringLiteral("The header is %1 bytes long; it must fit in %2 bytes.")
                                 .arg(json.size())
                                 .arg(kSize));
    }
    QByteArray header(kSize - json.size(), ' ');
    header.append(json);
    return header;
}

namespace {

/** The header's JSON object, surrounding spaces (the original's padding) ignored. */
Result<QJsonObject> headerObject(QByteArrayView bytes)
{
    qsizetype begin = 0;
    qsizetype end = bytes.size();
    while (begin < end && isAsciiSpace(bytes[begin]))
        ++begin;
    while (end > begin && isAsciiSpace(bytes[end - 1]))
        --end;
    const QByteArray text = bytes.sliced(begin, end - begin).toByteArray();

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return badHeader(QStringLiteral("The 128-byte header is not a JSON object (%1).")
                                 .arg(parseError.error != QJsonParseError::NoError
                                              ? parseError.errorString()
                                              : QStringLiteral("found another JSON value")));
    }
    return document.object();
}

/**
 * top_k and encoding, which only image requests carry. Their errors keep the msg_id, so
 * the client can match the refusal to its request.
 */
std::optional<ProtocolError> readImageFields(const QJsonObject &object, FrameHeader &header)
{
    const auto refuse = [&header](const QString &sentence) {
        ProtocolError error = badHeader(sentence);
        error.messageId = header.messageId;
        return error;
    };
    const QJsonValue topKValue = object.value(kTopKKey);
    if (!topKValue.isUndefined() && !topKValue.isNull()) {
        const std::optional<qint64> topK = wholeNonNegative(topKValue);
        if (!topK || *topK < 1 || *topK > 1000)
            return refuse(QStringLiteral("top_k must be a whole number from 1 to 1000."));
        header.topK = static_cast<int>(*topK);
    }
    const QJsonValue modelValue = object.value(kModelKey);
    if (!modelValue.isUndefined() && !modelValue.isNull()) {
        const QString model = modelValue.toString();
        if (!modelValue.isString() || model.isEmpty() || model.size() > FrameHeader::kMaxModelNameLength)
            return refuse(QStringLiteral("model must be the name of a served model (text, 1 to %1 characters).")
                                  .arg(FrameHeader::kMaxModelNameLength));
        header.model = model;
    }
    const QJsonValue versionValue = object.value(kModelVersionKey);
    if (!versionValue.isUndefined() && !versionValue.isNull()) {
        const std::optional<qint64> version = wholeNonNegative(versionValue);
        if (!version || *version < 1)
            return refuse(QStringLiteral("model_version must be a whole number, 1 or more."));
        header.modelVersion = *version;
    }
    const QJsonValue encodingValue = object.value(kEncodingKey);
    if (!encodingValue.isUndefined() && !encodingValue.isNull()) {
        const QString encoding = encodingValue.toString();
        if (encoding == QLatin1String("binary"))
            header.encoding = BodyEncoding::Binary;
        else if (encoding != QLatin1String("base64"))
            return refuse(QStringLiteral("Unknown encoding \"%1\": use \"base64\" or \"binary\".")
                                  .arg(quotedClientText(encoding)));
    }
    return std::nullopt;
}

} // namespace

Result<FrameHeader> FrameHeader::decode(QByteArrayView bytes)
{
    if (bytes.size() != kSize) {
        return badHeader(QStringLiteral("A header must be exactly %1 bytes, not %2.")
                                 .arg(kSize)
                                 .arg(bytes.size()));
    }
    // A balancer's PROXY header (v1 text or the v2 signature) where a frame should begin:
    // the server was not told to expect one from this address. Said so, for whoever set
    // the balancer up; "not JSON" would send them looking in the wrong place.
    static constexpr char kProxyV2Signature[] = "\r\n\r\n\0\r\nQUIT\n";
    if (bytes.startsWith(QByteArrayView("PROXY ")) || bytes.startsWith(QByteArrayView(kProxyV2Signature, 12))) {
        return badHeader(QStringLiteral(
                "The connection began with a PROXY protocol header, as a load balancer sends (HAProxy's "
                "send-proxy); the server takes one only with --proxy-protocol, from an address in "
                "--trusted-proxies."));
    }
    const Result<QJsonObject> parsed = headerObject(bytes);
    if (!parsed)
        return parsed.error();
    const QJsonObject &object = *parsed;

    FrameHeader header;
    const QJsonValue type = object.value(kTypeKey);
    if (!type.isString() || type.toString().isEmpty())
        return badHeader(QStringLiteral("The header has no msg_type text."));
    header.typeName = type.toString();
    header.type = messageTypeFromName(header.typeName);

    const QJsonValue lengthValue = object.value(kLengthKey);
    if (lengthValue.isUndefined())
        return badHeader(QStringLiteral("The header has no msg_len."));
    const std::optional<qint64> length = wholeNonNegative(lengthValue);
    if (!length) {
        return badHeader(
                QStringLiteral("msg_len must be a whole number of bytes, 0 or more; got %1.")
                        .arg(jsonText(lengthValue)));
    }
    header.length = *length;

    const QJsonValue idValue = object.value(kIdKey);
    if (!idValue.isUndefined() && !idValue.isNull()) {
        const std::optional<qint64> id = exactMessageId(idValue);
        if (!id)
            return badHeader(QStringLiteral("msg_id must be a whole number from 0 to 9223372036854775807; "
                                            "got %1.")
                                     .arg(quotedClientText(jsonText(idValue))));
        header.messageId = id;
    }
    if (const std::optional<ProtocolError> error = readImageFields(object, header))
        return *error;
    return header;
}

} // namespace orchard
