#pragma once

#include "common/expected.h"
#include "common/protocol/protocolerror.h"

namespace orchard {

/** A protocol value or the ProtocolError (code + sentence) that a SERVER_ERROR would carry. */
template<typename T>
using Result = Expected<T, ProtocolError>;

} // namespace orchard
