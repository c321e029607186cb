#pragma once

#include "common/expected.h"
#include "common/imaging/inferenceerror.h"

namespace orchard {

/** An engine value or the InferenceError that explains why there is none. */
template<typename T>
using InferenceResult = Expected<T, InferenceError>;

} // namespace orchard
