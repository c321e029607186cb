#pragma once

#include <optional>

#include <QByteArray>

#include "common/protocol/protocolerror.h"

namespace orchard {

/** The body of SERVER_ERROR: {"code", "message", "msg_id"}. */
QByteArray serverErrorBody(const ProtocolError &error);

/**
 * Reads a SERVER_ERROR body; nothing when it is not a JSON object. An unknown code reads
 * as INTERNAL, keeping the server's message for the person reading it.
 */
std::optional<ProtocolError> parseServerErrorBody(const QByteArray &body);

} // namespace orchard
