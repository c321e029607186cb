#pragma once

#include <optional>

#include <QByteArray>
#include <QHash>

namespace orchard::test {

/** One HTTP answer as it came over the wire. */
struct HttpReply
{
    bool complete = false; ///< a whole answer arrived before the deadline
    int status = 0;
    QByteArray reason; ///< "OK", "Service Unavailable"…
    QHash<QByteArray, QByteArray> headers; ///< names in lower case
    QByteArray body;
    double elapsedMs = 0; ///< from connecting to the last byte of the answer
};

/**
 * Sends one HTTP/1.1 request on a fresh loopback connection and waits for the whole
 * answer (by Content-Length) in the event loop, so a server in this thread keeps serving
 * meanwhile. The wait is event-driven, so elapsedMs is the answer's time, not a poll's.
 */
/** extraHeaders: whole header lines, each ending in \r\n ("Authorization: Bearer …\r\n"). */
HttpReply httpRequest(quint16 port, const QByteArray &method, const QByteArray &path, int timeoutMs = 10000,
                      const QByteArray &extraHeaders = {});
inline HttpReply httpGet(quint16 port, const QByteArray &path) { return httpRequest(port, "GET", path); }

/** The value of the sample `series` (name with its labels, as written) in a /metrics page. */
std::optional<double> sampleValue(const QByteArray &page, const QByteArray &series);

} // namespace orchard::test
