#pragma once

#include <optional>

#include <QString>

namespace orchard {

/** The codes a SERVER_ERROR reply carries; docs/protocol.md says when each is sent. */
enum class ErrorCode {
    BadHeader,   ///< header unreadable: framing is lost, the server closes
    TooLarge,    ///< msg_len over the limit: refused before reading the body, closes
    BadImage,    ///< body is not a decodable image (or bad base64): session continues
    UnknownType, ///< unknown msg_type or action: body skipped, session continues
    Busy,        ///< the waiting queue is full: closes
    Timeout,     ///< frame not completed in time, or idle too long: closes
    Internal,    ///< the server failed: session continues
    Unauthorized, ///< no valid access token before the first request: closes
    UnknownModel, ///< the request names a model or version the server does not serve: session continues
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

/** Whether the server closes the connection after sending this error. */
bool errorClosesConnection(ErrorCode code);

} // namespace orchard
