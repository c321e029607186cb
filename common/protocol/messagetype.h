#pragma once

#include <QString>

namespace orchard {

/** The msg_type values of the wire protocol. */
enum class MessageType {
    ClientImage,
    ClientMessage,
    ServerPrediction,
    ServerMessage,
    ServerError,
    Unknown, ///< any other msg_type text: the receiver skips the body
};

/** The wire name, e.g. "CLIENT_IMAGE"; Unknown has none and gives an empty string. */
QString messageTypeName(MessageType type);
MessageType messageTypeFromName(const QString &name);

} // namespace orchard
