#pragma once

#include <optional>

#include <QString>
#include <QStringList>

#include "common/protocol/predictionreply.h"

namespace orchard {

/**
 * How `orchard-cli classify` and `orchard-cli predict` print a diagnosis: an aligned table
 * row or one JSON object per line, and the same for a file that failed. One formatter, so
 * the two commands' lines (keys, columns, codes) cannot drift apart; only the time column
 * differs, because one measures the engine here and the other the server's total, and a
 * server's table ends with the MODEL that answered (a server may serve several; classify
 * names its one model above the table). JSON lines carry "model" and "model_version"
 * whenever the answer names them, "quality" when the server measured it, and "uncertain"
 * always; a table row ends with "(not sure)" and the photo's warnings when there are any.
 */
class ResultFormatter
{
public:
    enum class Style { Table, JsonLines };
    /** Where the answer was computed: here (classify) or by a server (predict). */
    enum class Origin { Local, Server };

    ResultFormatter(Style style, Origin origin);

    bool isJson() const { return m_style == Style::JsonLines; }
    /** Widens the FILE and LABEL columns to fit these (the table aligns on the longest). */
    void fitFiles(const QStringList &files);
    void fitLabels(const QStringList &labels);

    /** "apple-leaf:3", as `--model-name` spells it; the name alone when no version was given. */
    static QString modelText(const QString &model, std::optional<qint64> version);

    /** The table's column titles; empty for JSON lines, which need none. */
    QString headerLine() const;
    /** At most topK labels are listed in JSON (an older server may send more). */
    QString resultLine(const QString &file, const PredictionReply &reply, int topK) const;
    /**
     * code: the server's or engine's code (BAD_IMAGE…) or UNREADABLE, TOO_LARGE, NO_IMAGES
     * for files that never reached a model.
     */
    QString errorLine(const QString &file, const QString &message, const QString &code) const;

private:
    /** "  (not sure)  (photo: blurry, dark)", or empty: what follows a table row's columns. */
    static QString notes(const PredictionReply &reply);
    QString timeTitle() const;
    int timeWidth() const;

    Style m_style;
    Origin m_origin;
    int m_fileWidth;
    int m_labelWidth;
};

} // namespace orchard
