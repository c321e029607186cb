#include "common/protocol/imagerequest.h"

#include <cmath>
#include <limits>

#include <QJsonObject>
#include <QJsonValue>

#include <simdjson.h>

#include "common/protocol/base64.h"
#include "common/protocol/jsonbody.h"

namespace orchard {

namespace {

ProtocolError badImage(const QString &message, std::optional<qint64> messageId)
{
    return { ErrorCode::BadImage, message, messageId };
}

/** {"image": base64, "name": …, "top_k": …}: the JSON body form. */
QJsonObject jsonForm(const ImageRequest &request, const QString &base64)
{
    QJsonObject object { { QStringLiteral("image"), base64 } };
    if (!request.name.isEmpty())
        object.insert(QStringLiteral("name"), request.name);
    if (request.topK)
        object.insert(QStringLiteral("top_k"), *request.topK);
    if (!request.model.isEmpty())
        object.insert(QStringLiteral("model"), request.model);
    if (request.modelVersion)
        object.insert(QStringLiteral("model_version"), *request.modelVersion);
    return object;
}

/** What the JSON form's members said, read by either parser. */
struct JsonFields
{
    std::optional<QByteArrayView> image; ///< absent, or not a string
    QString name;
    std::optional<double> topK;
    bool topKPresent = false;
    std::optional<QString> model; ///< present and a string
    bool modelPresent = false; ///< present and not null
    std::optional<double> modelVersion;
    bool modelVersionPresent = false;
};

/** model and model_version as the JSON form may give them (absent or null: the header's). */
std::optional<ProtocolError> readModel(const JsonFields &fields, ImageRequest &request)
{
    if (fields.modelPresent) {
        if (!fields.model || fields.model->isEmpty() || fields.model->size() > ImageRequest::kMaxModelNameLength)
            return badImage(QStringLiteral("\"model\" must be the name of a served model (text, 1 to %1 "
                                           "characters).")
                                    .arg(ImageRequest::kMaxModelNameLength),
                            request.messageId);
        request.model = *fields.model;
    }
    if (fields.modelVersionPresent) {
        const std::optional<double> value = fields.modelVersion;
        if (!value || !std::isfinite(*value) || std::floor(*value) != *value || *value < 1 || *value > 9e15)
            return badImage(QStringLiteral("\"model_version\" must be a whole number, 1 or more."),
                            request.messageId);
        request.modelVersion = qint64(*value);
    }
    return std::nullopt;
}

/** top_k as the JSON form may give it: absent or null, else a whole number from 1. */
std::optional<ProtocolError> readTopK(std::optional<double> value, bool present, ImageRequest &request)
{
    if (!present)
        return std::nullopt;
    // As QJsonValue::toInt(0) read it: a whole number in int's range, else 0 (refused).
    const bool whole = value && std::isfinite(*value) && std::floor(*value) == *value
            && *value >= std::numeric_limits<int>::min() && *value <= std::numeric_limits<int>::max();
    const int k = whole ? static_cast<int>(*value) : 0;
    if (!value || k < 1 || k != *value)
        return badImage(QStringLiteral("\"top_k\" must be a whole number, 1 or more."), request.messageId);
    request.topK = k;
    return std::nullopt;
}

std::optional<ProtocolError> fillFromJson(const JsonFields &fields, ImageRequest &request)
{
    if (!fields.image)
        return badImage(QStringLiteral("The image request has no \"image\" text."), request.messageId);
    std::optional<QByteArray> decoded = decodeBase64(*fields.image);
    if (!decoded)
        return badImage(QStringLiteral("The \"image\" field is not valid base64."), request.messageId);
    request.imageData = std::move(*decoded);
    request.name = fields.name;
    if (std::optional<ProtocolError> refused = readTopK(fields.topK, fields.topKPresent, request))
        return refused;
    return readModel(fields, request);
}

/** The JSON form through Qt: the reference, and the words for every malformed body. */
std::optional<ProtocolError> readJsonFormWithQt(const QByteArray &body, ImageRequest &request)
{
    Result<QJsonObject> parsed = parseJsonObject(body, ErrorCode::BadImage, QStringLiteral("image request"));
    if (!parsed)
        return badImage(parsed.error().message, request.messageId);
    const QJsonObject &object = parsed.value();
    const QJsonValue image = object.value(QStringLiteral("image"));
    const QByteArray latin1 = image.toString().toLatin1();
    const QJsonValue topK = object.value(QStringLiteral("top_k"));
    const QJsonValue model = object.value(QStringLiteral("model"));
    const QJsonValue modelVersion = object.value(QStringLiteral("model_version"));
    JsonFields fields;
    fields.image = image.isString() ? std::optional<QByteArrayView>(latin1) : std::nullopt;
    fields.name = object.value(QStringLiteral("name")).toString();
    fields.topK = topK.isDouble() ? std::optional<double>(topK.toDouble()) : std::nullopt;
    fields.topKPresent = !topK.isUndefined() && !topK.isNull();
    fields.model = model.isString() ? std::optional<QString>(model.toString()) : std::nullopt;
    fields.modelPresent = !model.isUndefined() && !model.isNull();
    fields.modelVersion = modelVersion.isDouble() ? std::optional<double>(modelVersion.toDouble()) : std::nullopt;
    fields.modelVersionPresent = !modelVersion.isUndefined() && !modelVersion.isNull();
    return fillFromJson(fields, request);
}

/**
 * The JSON form through simdjson, straight from the body's bytes: for the JSON body of a
 * 926 KB photo, Qt's QJsonDocument parse, the QString of the image, its Latin-1 copy and
 * Qt's base64 took 8.4 ms; this takes 0.63 ms (13×). simdjson's DOM parser validates the whole document,
 * as Qt's does; anything it does not accept goes to the Qt path, which then says what is
 * wrong in the words it always used, so errors and their messages are unchanged. Later
 * duplicate keys win, as in QJsonObject.
 */
std::optional<ProtocolError> readJsonForm(const QByteArray &body, ImageRequest &request)
{
    // One parser per thread: it keeps its buffers, sized to the largest body seen.
    thread_local simdjson::dom::parser parser;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: a body read by FrameReader
    // usually has that capacity spare; otherwise it works on a padded copy.
    simdjson::dom::element root;
    const auto error = body.capacity() - body.size() >= qsizetype(simdjson::SIMDJSON_PADDING)
            ? parser.parse(body.constData(), static_cast<size_t>(body.size()), false).get(root)
            : parser.parse(body.constData(), static_cast<size_t>(body.size()), true).get(root);
    simdjson::dom::object object;
    if (error || root.get_object().get(object))
        return readJsonFormWithQt(body, request);

    JsonFields fields;
    for (const simdjson::dom::key_value_pair field : object) {
        std::string_view text;
        double number = 0.0;
        if (field.key == "image") {
            fields.image = field.value.get_string().get(text)
                    ? std::nullopt
                    : std::optional<QByteArrayView>(QByteArrayView(text.data(), qsizetype(text.size())));
        } else if (field.key == "name") {
            fields.name = field.value.get_string().get(text) ? QString()
                                                             : QString::fromUtf8(text.data(), qsizetype(text.size()));
        } else if (field.key == "top_k") {
            fields.topKPresent = !field.value.is_null();
            fields.topK = field.value.get_double().get(number) ? std::nullopt : std::optional<double>(number);
        } else if (field.key == "model") {
            fields.modelPresent = !field.value.is_null();
            fields.model = field.value.get_string().get(text)
                    ? std::nullopt
                    : std::optional<QString>(QString::fromUtf8(text.data(), qsizetype(text.size())));
        } else if (field.key == "model_version") {
            fields.modelVersionPresent = !field.value.is_null();
            fields.modelVersion = field.value.get_double().get(number) ? std::nullopt : std::optional<double>(number);
        }
    }
    return fillFromJson(fields, request);
}

} // namespace

Result<ImageRequest> ImageRequest::fromFrame(const Frame &frame)
{
    ImageRequest request;
    request.messageId = frame.messageId();
    // Which model: the header's keys, for every form; a JSON body's own keys win.
    request.model = frame.header.model;
    request.modelVersion = frame.header.modelVersion;

    if (frame.header.encoding == BodyEncoding::Binary) {
        request.imageData = frame.body;
        request.topK = frame.header.topK;
    } else if (startsWithJsonObject(frame.body)) {
        if (std::optional<ProtocolError> refused = readJsonForm(frame.body, request))
            return *refused;
    } else {
        std::optional<QByteArray> decoded = decodeBase64(frame.body);
        if (!decoded)
            return badImage(QStringLiteral("The image data is not valid base64."),
                            request.messageId);
        request.imageData = std::move(*decoded);
    }

    if (request.imageData.isEmpty())
        return badImage(QStringLiteral("The image is empty (0 bytes)."), request.messageId);
    return request;
}

qint64 ImageRequest::bodyLength(ImageBodyForm form, std::optional<qint64> imageSize) const
{
    const qint64 size = imageSize.value_or(imageData.size());
    switch (form) {
    case ImageBodyForm::Binary:
        return size;
    case ImageBodyForm::Base64Text:
        return base64Length(size);
    case ImageBodyForm::Base64Json:
        return compactJson(jsonForm(*this, QString())).size() + base64Length(size);
    }
    return base64Length(size);
}

Result<QByteArray> ImageRequest::toFrame(ImageBodyForm form) const
{
    switch (form) {
    case ImageBodyForm::Binary: {
        FrameHeader header = FrameHeader::make(MessageType::ClientImage, 0, messageId, BodyEncoding::Binary);
        header.topK = topK;
        header.model = model;
        header.modelVersion = modelVersion;
        return encodeFrame(header, imageData);
    }
    case ImageBodyForm::Base64Text: {
        // The text form has no room but the header's; with no model named it is the
        // original's frame exactly.
        FrameHeader header = FrameHeader::make(MessageType::ClientImage, 0, messageId);
        header.model = model;
        header.modelVersion = modelVersion;
        return encodeFrame(header, encodeBase64(imageData));
    }
    case ImageBodyForm::Base64Json:
        return encodeFrame(MessageType::ClientImage,
                           compactJson(jsonForm(*this, QString::fromLatin1(encodeBase64(imageData)))), messageId);
    }
    return encodeFrame(MessageType::ClientImage, encodeBase64(imageData), messageId);
}

} // namespace orchard
