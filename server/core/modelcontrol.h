#pragma once

#include <optional>

#include <QString>

namespace orchard {

/** --model-control: when the served models change after start-up (docs/models.md). */
enum class ModelControl {
    None,     ///< never: what start-up loaded is served until the server stops
    Poll,     ///< the repository is scanned every --repository-poll-secs, and on SIGHUP
    Explicit, ///< on SIGHUP, the monitor's Reload and HTTP POST …/load and …/unload
};

/** "none", "poll" or "explicit": the option's value. */
QString modelControlName(ModelControl control);
std::optional<ModelControl> modelControlFromName(const QString &name);

} // namespace orchard
