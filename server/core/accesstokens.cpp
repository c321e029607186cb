#include "server/core/accesstokens.h"

#include <algorithm>

#include <QFile>
#include <QHash>
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

AccessTokens::Changes AccessTokens::changesFrom(const AccessTokens &before) const
{
    // Compared by value, not in constant time: both sides come from the operator's file,
    // not from a client.
    QHash<QByteArray, QString> labelBefore;
    for (const Entry &entry : before.m_entries)
        labelBefore.insert(entry.token, entry.label);
    Changes changes;
    QSet<QByteArray> now;
    for (const Entry &entry : m_entries) {
        now.insert(entry.token);
        const auto old = labelBefore.constFind(entry.token);
        if (old == labelBefore.cend())
            changes.added << entry.label;
        else if (*old != entry.label)
            changes.relabelled << entry.label;
    }
    for (const Entry &entry : before.m_entries) {
        if (!now.contains(entry.token))
            changes.removed << entry.label;
    }
    return changes;
}

QString AccessTokens::Changes::description() const
{
    if (added.isEmpty() && removed.isEmpty() && relabelled.isEmpty())
        return QStringLiteral("no change");
    QStringList counts, names;
    const auto describe = [&](const QStringList &labels, const QString &what) {
        if (labels.isEmpty())
            return;
        counts << QStringLiteral("%1 %2").arg(labels.size()).arg(what);
        names << QStringLiteral("%1: %2").arg(what, labels.join(QStringLiteral(", ")));
    };
    describe(added, QStringLiteral("added"));
    describe(removed, QStringLiteral("removed"));
    describe(relabelled, QStringLiteral("relabelled"));
    return QStringLiteral("%1; %2").arg(counts.join(QStringLiteral(", ")), names.join(QStringLiteral("; ")));
}

} // namespace orchard
