#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "common/expected.h"

namespace orchard {

/**
 * Who may use the server: access tokens, each with a label saying whose it is.
 *
 * Read from `--token-file`: one token per line as `<label> <token>`, `#` starts a comment.
 * Tokens are compared in constant time (every byte of every token, whichever matches), so
 * response timing tells an attacker nothing about how close a guess was, and they are
 * never logged: only labels are.
 */
class AccessTokens
{
public:
    /** Shorter tokens are refused: they could be guessed over a farm's network. */
    static constexpr int kMinimumTokenLength = 16;

    /** The file's tokens, or a sentence naming the file and line that is wrong. */
    static Expected<AccessTokens, QString> load(const QString &path);
    static Expected<AccessTokens, QString> parse(const QByteArray &text, const QString &source);

    /** The label of the matching token; empty when none matches. */
    QString labelFor(const QByteArray &token) const;
    int size() const { return static_cast<int>(m_entries.size()); }

private:
    struct Entry
    {
        QString label;
        QByteArray token;
    };
    QList<Entry> m_entries;
};

} // namespace orchard
