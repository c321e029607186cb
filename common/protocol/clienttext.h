#pragma once

#include <QString>
#include <QStringView>

namespace orchard {

/**
 * How many characters of a client's own words (an action name, a message type, an
 * encoding) an error message, a log line or the monitor quotes.
 */
constexpr int kQuotedClientTextLength = 80;

/**
 * Client-supplied text made safe to quote: control characters escaped (`\n`, `\r`, `\t`,
 * `\u001b`…) so it cannot forge a log line or move a terminal's cursor, and cut to
 * maxLength characters with a note of how long it really was, so it cannot flood the log
 * or the event model. Measured: ten 32 MB action names quoted whole kept 641 MB in the
 * event log and wrote 320 MB each to stdout (docs/security.md).
 */
QString quotedClientText(QStringView text, int maxLength = kQuotedClientTextLength);

} // namespace orchard
