#include "server/core/accesstokens.h"

#include <algorithm>

#include <QFile>
#include <QSet>

namespace orchard {

namespace {

/** Equal in time that depends only on the lengths, never on where the bytes differ. */
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    const qsizetype length = std::max(a.size(), b.size());
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        difference |= x ^ y;
    }
    return difference == 0;
}

} // namespace

Expected<AccessTokens, QString> AccessTokens::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the token file %1: %2").arg(path, file.errorString());
    return parse(file.readAll(), path);
}

Expected<AccessTokens, QString> AccessTokens::parse(const QByteArray &text, const QString &source)
{
    AccessTokens tokens;
    QSet<QByteArray> seen;
    int lineNumber = 0;
    for (const QByteArray &rawLine : text.split('\n')) {
        ++lineNumber;
        const QByteArray line = rawLine.left(rawLine.indexOf('#') < 0 ? rawLine.size() : rawLine.indexOf('#'))
                                        .simplified();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(' ');
        const QString where = QStringLiteral("%1 line %2").arg(source).arg(lineNumber);
        if (fields.size() != 2)
            return QStringLiteral("%1: expected \"<label> <token>\"").arg(where);
        if (fields[1].size() < kMinimumTokenLength)
            return QStringLiteral("%1: the token for \"%2\" is shorter than %3 characters")
                    .arg(where, QString::fromUtf8(fields[0]))
                    .arg(kMinimumTokenLength);
        if (seen.contains(fields[1]))
            return QStringLiteral("%1: this token is already given to another label").arg(where);
        seen.insert(fields[1]);
        tokens.m_entries.append({ QString::fromUtf8(fields[0]), fields[1] });
    }
    if (tokens.m_entries.isEmpty())
        return QStringLiteral("%1 has no tokens (one per line: \"<label> <token>\")").arg(source);
    return tokens;
}

QString AccessTokens::labelFor(const QByteArray &token) const
{
    QString label;
    for (const Entry &entry : m_entries) {
        // No early return: every entry is compared, whichever one matches.
        if (constantTimeEquals(entry.token, token))
            label = entry.label;
    }
    return label;
}

} // namespace orchard
