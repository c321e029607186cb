#pragma once

#include <atomic>

#include "common/imaging/imageformatset.h"

namespace orchard {

class DecodeBudget;

/**
 * What one caller of the decoder admits besides the pixel limit: the formats it accepts and
 * the share of decode memory it waits for. The defaults (every format, no shared budget)
 * suit a tool decoding its user's own files; a server passes its --image-formats, its
 * DecodeBudget and its stop flag with every request.
 */
struct DecodePolicy
{
    ImageFormatSet formats = ImageFormatSet::all();
    /** Null: the decode does not wait for, or count against, anything shared. */
    DecodeBudget *budget = nullptr;
    /** Ends a wait for the budget when it becomes true (a server shutting down). */
    const std::atomic_bool *stopRequested = nullptr;
};

} // namespace orchard
