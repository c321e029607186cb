#include "common/protocol/imagerequest.h"

#include <QJsonObject>
#include <QJsonValue>

#include "common/protocol/jsonbody.h"

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

/** {"image": base64, "name": …, "top_k": …}: the JSON body form. */
QJsonObject jsonForm(const ImageRequest &request, const QString &base64)
{
    QJsonObject object { { QStringLiteral("image"), base64 } };
    if (!request.name.isEmpty())
        object.insert(QStringLiteral("name"), request.name);
    if (request.topK)
        object.insert(QStringLiteral("top_k"), *request.topK);
    return object;
}

} // namespace

Result<ImageRequest> ImageRequest::fromFrame(const Frame &frame)
{
    ImageRequest request;
    request.messageId = frame.messageId();

    if (frame.header.encoding == BodyEncoding::Binary) {
        request.imageData = frame.body;
        request.topK = frame.header.topK;
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

qint64 ImageRequest::bodyLength(ImageBodyForm form, std::optional<qint64> imageSize) const
{
    const qint64 size = imageSize.value_or(imageData.size());
    const qint64 base64Length = 4 * ((size + 2) / 3);
    switch (form) {
    case ImageBodyForm::Binary:
        return size;
    case ImageBodyForm::Base64Text:
        return base64Length;
    case ImageBodyForm::Base64Json:
        return compactJson(jsonForm(*this, QString())).size() + base64Length;
    }
    return base64Length;
}

Result<QByteArray> ImageRequest::toFrame(ImageBodyForm form) const
{
    switch (form) {
    case ImageBodyForm::Binary: {
        FrameHeader header = FrameHeader::make(MessageType::ClientImage, 0, messageId, BodyEncoding::Binary);
        header.topK = topK;
        return encodeFrame(header, imageData);
    }
    case ImageBodyForm::Base64Text:
        return encodeFrame(MessageType::ClientImage, imageData.toBase64(), messageId);
    case ImageBodyForm::Base64Json:
        return encodeFrame(MessageType::ClientImage,
                           compactJson(jsonForm(*this, QString::fromLatin1(imageData.toBase64()))), messageId);
    }
    return encodeFrame(MessageType::ClientImage, imageData.toBase64(), messageId);
}

} // namespace orchard
