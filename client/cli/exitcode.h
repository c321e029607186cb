#pragma once

namespace orchard {

/**
 * What every orchard-cli command's exit status means, so that a script reads them all
 * the same way (each command's --help and docs/cli.md say it too).
 */
enum ExitCode : int {
    ExitSuccess = 0, ///< everything asked for was done
    ExitSomeFailed = 1, ///< every item was tried; at least one failed (its line says why)
    /** Nothing could be done: server unreachable, busy or refusing; no model to load. */
    ExitUnavailable = 2,
    ExitUsage = 64, ///< bad options (EX_USAGE); nothing was tried
};

/** The exit-status paragraph each command's --help ends with. */
inline const char *exitCodeHelp()
{
    return "Exit status: 0 all done, 1 some items failed, 2 server unreachable, busy or\n"
           "refusing (classify: the model could not be loaded), 64 bad options.";
}

} // namespace orchard
