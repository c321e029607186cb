#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

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

    /** What a reload of the token file changed, by label (tokens themselves are never said). */
    struct Changes
    {
        QStringList added;      ///< labels of tokens that are new
        QStringList removed;    ///< labels of tokens that are gone
        QStringList relabelled; ///< new labels of tokens whose label changed
        /** "1 added, 1 removed; added: lab-2; removed: field-team", or "no change". */
        QString description() const;
    };
    /** How these tokens differ from before, the tokens in use until now. */
    Changes changesFrom(const AccessTokens &before) const;

private:
    struct Entry
    {
        QString label;
        QByteArray token;
    };
    QList<Entry> m_entries;
};

} // namespace orchard
