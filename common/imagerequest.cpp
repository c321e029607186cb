#include "imagerequest.h"

#include <QJsonObject>
#include <QJsonValue>

#include "jsonbody.h"

namespace orchard {

namespace {

ProtocolError badImage(const QString &message, std::optional<qint64> messageId)
{
    return { ErrorCode::BadImage, message, messageId };
}

/** Strict: one stray character makes the whole image invalid rather than silently dropped. */
std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
            text.trimmed().toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace

Result<ImageRequest> ImageRequest::fromFrame(const Frame &frame)
{
    ImageRequest request;
    request.messageId = frame.messageId();

    if (frame.header.encoding == BodyEncoding::Binary) {
        request.imageData = frame.body;
    } else if (startsWithJsonObject(frame.body)) {
        Result<QJsonObject> parsed = parseJsonObject(frame.body, ErrorCode::BadImage,
                                                     QStringLiteral("image request"));
        if (!parsed)
            return badImage(parsed.error().message, request.messageId);
        const QJsonObject &object = parsed.value();
        const QJsonValue image = object.value(QStringLiteral("image"));
        if (!image.isString())
            return badImage(QStringLiteral("The image request has no \"image\" text."),
                            request.messageId);
        std::optional<QByteArray> decoded = decodeBase64(image.toString().toLatin1());
        if (!decoded)
            return badImage(QStringLiteral("The \"image\" field is not valid base64."),
                            request.messageId);
        request.imageData = std::move(*decoded);
        request.name = object.value(QStringLiteral("name")).toString();
        const QJsonValue topK = object.value(QStringLiteral("top_k"));
        if (!topK.isUndefined() && !topK.isNull()) {
            const int k = topK.toInt(0);
            if (!topK.isDouble() || k < 1 || k != topK.toDouble())
                return badImage(QStringLiteral("\"top_k\" must be a whole number, 1 or more."),
                                request.messageId);
            request.topK = k;
        }
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

Result<QByteArray> ImageRequest::toFrame(ImageBodyForm form) const
{
    switch (form) {
    case ImageBodyForm::Binary:
        return encodeFrame(MessageType::ClientImage, imageData, messageId, BodyEncoding::Binary);
    case ImageBodyForm::Base64Text:
        return encodeFrame(MessageType::ClientImage, imageData.toBase64(), messageId);
    case ImageBodyForm::Base64Json: {
        QJsonObject object { { QStringLiteral("image"), QString::fromLatin1(imageData.toBase64()) } };
        if (!name.isEmpty())
            object.insert(QStringLiteral("name"), name);
        if (topK)
            object.insert(QStringLiteral("top_k"), *topK);
        return encodeFrame(MessageType::ClientImage, compactJson(object), messageId);
    }
    }
    return encodeFrame(MessageType::ClientImage, imageData.toBase64(), messageId);
}

} // namespace orchard
