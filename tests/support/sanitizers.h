#pragma once

#include <catch2/catch.hpp>

namespace orchard::test {

/**
 * Whether the process tests at a descriptor limit can run in this build. Under ASan and
 * UBSan they cannot: the sanitizers' own checks need descriptors too (UBSan tests that
 * memory is readable with a pipe, and with none left reports a false "invalid vptr" in
 * the server), so at the limit the server under test is not the one users run. The
 * plain build's pass runs them.
 */
inline bool descriptorLimitTestsRun()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    WARN("skipped under the sanitizers: they need descriptors of their own at the limit");
    return false;
#else
    return true;
#endif
}

} // namespace orchard::test
