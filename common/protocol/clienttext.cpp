#include "common/protocol/clienttext.h"

namespace orchard {

namespace {

void appendEscaped(QString &out, QChar c)
{
    switch (c.unicode()) {
    case '\n':
        out += QLatin1String("\\n");
        return;
    case '\r':
        out += QLatin1String("\\r");
        return;
    case '\t':
        out += QLatin1String("\\t");
        return;
    default:
        break;
    }
    // C0, DEL, C1, and the line and paragraph separators some terminals and editors honour.
    const char16_t u = c.unicode();
    if (u < 0x20 || (u >= 0x7f && u < 0xa0) || u == 0x2028 || u == 0x2029)
        out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
    else
        out += c;
}

} // namespace

QString quotedClientText(QStringView text, int maxLength)
{
    QString out;
    const qsizetype kept = std::min<qsizetype>(text.size(), maxLength);
    out.reserve(kept + 32);
    for (qsizetype i = 0; i < kept; ++i)
        appendEscaped(out, text.at(i));
    if (kept < text.size())
        out += QStringLiteral("… (%1 characters)").arg(text.size());
    return out;
}

} // namespace orchard
