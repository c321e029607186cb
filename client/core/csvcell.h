#pragma once

#include <QString>

namespace orchard {

/**
 * One CSV cell (RFC 4180) of any table the client exports: quoted when it holds a comma,
 * a quote or a line break; and when it begins with = + - @, a tab or a carriage return,
 * preceded by an apostrophe, so that a spreadsheet shows a file name or a note such as
 * "=HYPERLINK(…)" as text instead of running it (CSV injection, OWASP).
 */
QString csvCell(const QString &text);

} // namespace orchard
