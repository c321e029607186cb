#pragma once

#include <cstdio>
#include <cstdlib>

#include <sanitizer/common_interface_defs.h>

/**
 * Reports a violated property and aborts, so libFuzzer saves the input as a crash artifact
 * exactly as it does for a sanitizer report. The text goes through the sanitizers' report
 * channel, which stays open when scripts/fuzz.sh silences a target's own stderr (libpng and
 * libjpeg complain on it about every hostile file).
 */
[[noreturn]] inline void fuzzFailure(const char *what)
{
    __sanitizer_report_error_summary(what);
    std::abort();
}

#define FUZZ_CHECK_STRINGIFY2(x) #x
#define FUZZ_CHECK_STRINGIFY(x) FUZZ_CHECK_STRINGIFY2(x)

// A property a fuzz target checks on every input.
#define FUZZ_CHECK(condition)                                                              \
    do {                                                                                   \
        if (!(condition))                                                                  \
            fuzzFailure("property violated at " __FILE__ ":" FUZZ_CHECK_STRINGIFY(__LINE__) \
                        ": " #condition);                                                  \
    } while (false)
