#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include "client/cli/parsedarguments.h"
#include "client/core/historystore.h"

namespace orchard {

/**
 * `orchard-cli history`: the diagnosis history the desktop client and `orchard-cli
 * predict` keep, listed newest first as a table or one JSON object per line, narrowed by
 * tag, label, dates, "not sure" and words in notes or file names, or exported as CSV.
 * A history not made yet lists as empty and is not created; one that cannot be opened
 * (damaged, written by a newer Orchard, Qt's SQLite driver missing) is said in words, exit 2.
 */
class HistoryCommand
{
public:
    struct Options
    {
        HistoryFilter filter;
        bool json = false;
        QString exportPath; ///< --export FILE.csv; empty: list
        QString historyFile; ///< --history-file, else HistoryStore::defaultPath()
    };

    HistoryCommand();

    static QString name() { return QStringLiteral("history"); }
    static QString summary();
    static ParsedArguments<Options> parseArguments(const QStringList &arguments);

    /** arguments: the whole command line, program name and "history" included. */
    int run(const QStringList &arguments);

    /** The table without --json: time, file, diagnosis, confidence, warnings, tag; then the count. */
    static QString table(const QVector<HistoryRecord> &records);

private:
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace orchard
