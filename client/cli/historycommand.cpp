#include "client/cli/historycommand.h"

#include <algorithm>
#include <utility>

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include "client/core/diagnosistext.h"

namespace orchard {

namespace {

/** A --since/--until value: an ISO date; the sentence for a usage error otherwise. */
std::optional<QString> readDate(const QString &option, const QString &value, std::optional<QDate> &date)
{
    const QDate parsed = QDate::fromString(value.trimmed(), Qt::ISODate);
    if (!parsed.isValid())
        return QStringLiteral("--%1 wants a date as YYYY-MM-DD, not \"%2\"").arg(option, value);
    date = parsed;
    return std::nullopt;
}

/** A cell on one table line: a tag or file name with a line break or tab would split the row. */
QString oneLine(QString text)
{
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    return text;
}

QString countLine(int count)
{
    if (count == 0)
        return QStringLiteral("No diagnoses match.");
    return count == 1 ? QStringLiteral("1 diagnosis") : QStringLiteral("%1 diagnoses").arg(count);
}

} // namespace

HistoryCommand::HistoryCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString HistoryCommand::summary()
{
    return QStringLiteral("list or export the diagnosis history (desktop client and predict)");
}

ParsedArguments<HistoryCommand::Options> HistoryCommand::parseArguments(const QStringList &arguments)
{
    using Parsed = ParsedArguments<Options>;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the diagnoses kept in the history, newest first: those the desktop client made\n"
        "and those 'orchard-cli predict' recorded (--tag). The conditions given must all hold;\n"
        "dates are local days, --until included. Without --json a table and a count; with\n"
        "--json one object per line (file, label, confidence, top_k, quality_warnings,\n"
        "uncertain, model, tag, note, plant_group…). --export writes the rows as CSV instead,\n"
        "cells a spreadsheet would run as formulas (= + - @) defused with an apostrophe.\n"
        "A history not made yet (nothing diagnosed so far) lists as empty and is not created.\n"
        "Exit status: 0 done (also when nothing matches), 1 the CSV file cannot be written,\n"
        "2 the history cannot be opened (damaged, written by a newer Orchard, Qt's SQLite\n"
        "driver missing), 64 bad options or values.\n"));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("One JSON object per line."));
    const QCommandLineOption tagOption(QStringLiteral("tag"), QStringLiteral("Only this field or plot."),
                                       QStringLiteral("TAG"));
    const QCommandLineOption labelOption(QStringLiteral("label"), QStringLiteral("Only this diagnosis (exactly)."),
                                         QStringLiteral("LABEL"));
    const QCommandLineOption sinceOption(QStringLiteral("since"), QStringLiteral("Only from this day on."),
                                         QStringLiteral("YYYY-MM-DD"));
    const QCommandLineOption untilOption(QStringLiteral("until"), QStringLiteral("Only up to this day, included."),
                                         QStringLiteral("YYYY-MM-DD"));
    const QCommandLineOption uncertainOption(QStringLiteral("uncertain"),
                                             QStringLiteral("Only answers the model was not sure of."));
    const QCommandLineOption searchOption(QStringLiteral("search"),
                                          QStringLiteral("Only entries whose note or file path holds TEXT."),
                                          QStringLiteral("TEXT"));
    const QCommandLineOption limitOption(QStringLiteral("limit"), QStringLiteral("At most N, the newest."),
                                         QStringLiteral("N"));
    const QCommandLineOption exportOption(QStringLiteral("export"),
                                          QStringLiteral("Write the matching entries to FILE as CSV."),
                                          QStringLiteral("FILE.csv"));
    const QCommandLineOption historyFileOption(QStringLiteral("history-file"),
        QStringLiteral("The history file to read (default %1: ORCHARD_HISTORY when set, else the "
                       "desktop client's).")
                .arg(HistoryStore::defaultPath()),
        QStringLiteral("FILE"));
    parser.addOptions({ jsonOption, tagOption, labelOption, sinceOption, untilOption, uncertainOption, searchOption,
                        limitOption, exportOption, historyFileOption });
    parser.addPositionalArgument(name(), summary(), name());

    if (auto stop = Parsed::parseOrStop(parser, arguments))
        return *stop;
    if (parser.positionalArguments().size() > 1)
        return Parsed::usageError(QStringLiteral("takes no files (\"%1\"); see --help")
                                          .arg(parser.positionalArguments().at(1)));
    Options options;
    options.json = parser.isSet(jsonOption);
    // An empty value would quietly match everything, the opposite of what was meant.
    for (const auto &[option, value] : { std::pair { &tagOption, &options.filter.tag },
                                         std::pair { &labelOption, &options.filter.label },
                                         std::pair { &searchOption, &options.filter.text } }) {
        if (!parser.isSet(*option))
            continue;
        *value = parser.value(*option).trimmed();
        if (value->isEmpty())
            return Parsed::usageError(QStringLiteral("--%1 needs a value; leave it out to match any")
                                              .arg(option->names().constFirst()));
    }
    options.filter.uncertainOnly = parser.isSet(uncertainOption);
    if (parser.isSet(sinceOption)) {
        if (const auto wrong = readDate(QStringLiteral("since"), parser.value(sinceOption), options.filter.since))
            return Parsed::usageError(*wrong);
    }
    if (parser.isSet(untilOption)) {
        if (const auto wrong = readDate(QStringLiteral("until"), parser.value(untilOption), options.filter.until))
            return Parsed::usageError(*wrong);
    }
    if (options.filter.since && options.filter.until && *options.filter.since > *options.filter.until)
        return Parsed::usageError(QStringLiteral("--since %1 is after --until %2: nothing could match")
                                          .arg(options.filter.since->toString(Qt::ISODate),
                                               options.filter.until->toString(Qt::ISODate)));
    if (parser.isSet(limitOption)) {
        bool ok = false;
        const int limit = parser.value(limitOption).toInt(&ok);
        if (!ok || limit < 1)
            return Parsed::usageError(QStringLiteral("--limit wants a whole number of 1 or more, not \"%1\"")
                                              .arg(parser.value(limitOption)));
        options.filter.limit = limit;
    }
    if (parser.isSet(exportOption)) {
        options.exportPath = parser.value(exportOption);
        if (options.exportPath.trimmed().isEmpty())
            return Parsed::usageError(QStringLiteral("--export needs a file's path"));
        if (options.json)
            return Parsed::usageError(QStringLiteral("--export writes CSV: leave out --json"));
    }
    options.historyFile = parser.isSet(historyFileOption) ? parser.value(historyFileOption)
                                                          : HistoryStore::defaultPath();
    if (options.historyFile.trimmed().isEmpty())
        return Parsed::usageError(QStringLiteral("--history-file needs a file's path"));
    return Parsed::run(options);
}

QString HistoryCommand::table(const QVector<HistoryRecord> &records)
{
    const QStringList header { QStringLiteral("TIME"), QStringLiteral("FILE"), QStringLiteral("DIAGNOSIS"),
                               QStringLiteral("CONFIDENCE"), QStringLiteral("WARNINGS"), QStringLiteral("TAG") };
    QList<QStringList> rows { header };
    for (const HistoryRecord &record : records) {
        rows.append({ record.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                      oneLine(QFileInfo(record.filePath).fileName()),
                      oneLine(DiagnosisText::label(record.label, record.uncertain))
                              + (record.plantGroup.isEmpty() ? QString() : QStringLiteral(" (plant)")),
                      DiagnosisText::percent(record.confidence), record.qualityWarnings.join(QLatin1Char(',')),
                      oneLine(record.tag) });
    }
    QList<int> widths(header.size(), 0);
    for (const QStringList &row : rows) {
        for (int column = 0; column < row.size(); ++column)
            widths[column] = std::max(widths[column], int(row.at(column).size()));
    }
    QString text;
    if (!records.isEmpty()) {
        for (const QStringList &row : rows) {
            QStringList cells;
            for (int column = 0; column < row.size(); ++column) {
                // Confidence right-aligned, as numbers are read; the last column not padded.
                const QString &cell = row.at(column);
                if (column == 3)
                    cells.append(cell.rightJustified(widths[column]));
                else
                    cells.append(column + 1 == row.size() ? cell : cell.leftJustified(widths[column]));
            }
            // An empty last cell (no tag) leaves the padding of the one before: not kept.
            QString line = cells.join(QStringLiteral("  "));
            while (line.endsWith(QLatin1Char(' ')))
                line.chop(1);
            text += line + QLatin1Char('\n');
        }
        text += QLatin1Char('\n');
    }
    return text + countLine(int(records.size())) + QLatin1Char('\n');
}

int HistoryCommand::run(const QStringList &arguments)
{
    const ParsedArguments<Options> parsed = parseArguments(arguments);
    if (!parsed.shouldRun())
        return parsed.report(name(), m_out, m_err);
    const Options &options = parsed.options;
    QVector<HistoryRecord> records;
    // No file yet is a history with nothing in it (nothing diagnosed on this computer so
    // far): listing it creates neither the file nor its folder. open() would.
    if (QFileInfo::exists(options.historyFile)) {
        HistoryStore store(options.historyFile);
        if (!store.open()) {
            m_err << "orchard-cli history: " << store.errorString() << "\n";
            m_err.flush();
            return ExitUnavailable;
        }
        records = store.find(options.filter);
        if (!store.errorString().isEmpty()) {
            m_err << "orchard-cli history: " << store.errorString() << "\n";
            m_err.flush();
            return ExitUnavailable;
        }
    }
    if (!options.exportPath.isEmpty()) {
        QString error;
        if (!HistoryStore::exportCsv(records, options.exportPath, &error)) {
            m_err << "orchard-cli history: " << error << "\n";
            m_err.flush();
            return ExitSomeFailed;
        }
        const QString where = QDir::toNativeSeparators(options.exportPath);
        m_out << (records.size() == 1 ? QStringLiteral("Exported 1 diagnosis to %1\n").arg(where)
                                      : QStringLiteral("Exported %1 diagnoses to %2\n").arg(records.size()).arg(where));
        m_out.flush();
        return ExitSuccess;
    }
    if (options.json) {
        for (const HistoryRecord &record : records)
            m_out << QString::fromUtf8(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact)) << "\n";
    } else {
        m_out << table(records);
    }
    m_out.flush();
    return ExitSuccess;
}

} // namespace orchard
