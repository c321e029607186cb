#pragma once

#include <QByteArray>

namespace orchard {

class OrchardServer;

/**
 * The /metrics page: the server's gauges, counters and histograms and the process_*
 * metrics, in Prometheus' text format 0.0.4 (docs/operations.md says what each means).
 * Called in the server's thread, which alone may read its gauges; the counters and
 * histograms are atomics that workers keep adding to meanwhile.
 */
QByteArray metricsPage(const OrchardServer &server);

} // namespace orchard
