#include "client/core/modelchoice.h"

#include <algorithm>
#include <functional>

#include <QRegularExpression>

namespace orchard {

ModelChoice::ModelChoice(QObject *parent) : QAbstractListModel(parent) { }

int ModelChoice::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_models.size());
}

QVariant ModelChoice::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_models.size())
        return {};
    const ServedModelInfo &model = m_models.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return model.name;
    case Qt::ToolTipRole:
        return toolTip(index.row());
    case IsDefaultRole:
        return index.row() == defaultRow();
    default:
        return {};
    }
}

void ModelChoice::retranslate()
{
    // The names are the server's; only the tooltips' words are ours.
    emit headerDataChanged(Qt::Horizontal, 0, 0);
    if (!m_models.isEmpty())
        emit dataChanged(index(0), index(rowCount() - 1), { Qt::ToolTipRole });
}

void ModelChoice::setOffer(const QList<ServedModelInfo> &models, const QString &welcomeModel)
{
    beginResetModel();
    m_selectable = !models.isEmpty();
    m_models = models;
    if (m_models.isEmpty() && !welcomeModel.isEmpty()) {
        // An older server: its one model, of no version anyone can ask for.
        ServedModelInfo only;
        only.name = welcomeModel;
        only.isDefault = true;
        m_models.append(only);
    }
    const auto marked = std::find_if(m_models.cbegin(), m_models.cend(),
                                     [](const ServedModelInfo &model) { return model.isDefault; });
    // The welcome's "model" is the default's by definition; the mark is the list's own word.
    m_defaultName = marked != m_models.cend() ? marked->name : welcomeModel;
    m_chosenRow = defaultRow();
    m_chosenVersion.reset();
    endResetModel();
    emit choiceChanged();
}

int ModelChoice::defaultRow() const
{
    const int row = rowOf(m_defaultName);
    return row >= 0 || m_models.isEmpty() ? row : 0;
}

QString ModelChoice::defaultModel() const
{
    const int row = defaultRow();
    return row >= 0 ? m_models.at(row).name : QString();
}

int ModelChoice::rowOf(const QString &name) const
{
    for (int row = 0; row < m_models.size(); ++row) {
        if (m_models.at(row).name == name)
            return row;
    }
    return -1;
}

QList<qint64> ModelChoice::versionsNewestFirst(int row) const
{
    if (row < 0 || row >= m_models.size())
        return {};
    QList<qint64> versions = m_models.at(row).versions;
    std::sort(versions.begin(), versions.end(), std::greater<>());
    return versions;
}

QString ModelChoice::toolTip(int row) const
{
    if (row < 0 || row >= m_models.size())
        return {};
    const ServedModelInfo &model = m_models.at(row);
    QString heading = QStringLiteral("<b>%1</b>").arg(model.name.toHtmlEscaped());
    if (row == defaultRow())
        heading += tr(", the server's default model");
    if (!m_selectable)
        return tr("%1<br>This server offers no other model.").arg(heading);
    QStringList versions;
    for (qint64 version : versionsNewestFirst(row))
        versions.append(QString::number(version));
    heading += tr("<br>Versions: %1 (latest first)").arg(versions.join(QStringLiteral(", ")));
    if (model.card.trimmed().isEmpty())
        return tr("%1<br>The server sent no description of this model.").arg(heading);
    return heading + cardHtml(model.card);
}

QString ModelChoice::cardHtml(const QString &card)
{
    // The card is the model's README as the lab wrote it, Markdown wrapped at some 80
    // columns: its paragraphs are read as Markdown reads them (a line break inside one is a
    // space) so that the tooltip wraps them to its own width, and only the first
    // kMaxCardTooltipLength characters are shown, up to a paragraph's end: a 2000-character
    // card in full would cover the window it is meant to help with.
    static const QRegularExpression blankLines(QStringLiteral("\\n[ \\t]*\\n"));
    QString html;
    int shown = 0;
    const QStringList paragraphs = card.trimmed().split(blankLines, Qt::SkipEmptyParts);
    for (const QString &paragraph : paragraphs) {
        if (shown > 0 && shown + paragraph.size() > kMaxCardTooltipLength) {
            html += QStringLiteral("<p>…</p>");
            break;
        }
        QString text;
        bool afterHeading = false;
        for (const QString &line : paragraph.split(QLatin1Char('\n'))) {
            // Headings, list items and indented (code) lines keep a line of their own.
            const bool heading = line.startsWith(QLatin1Char('#'));
            const bool ownLine = heading || afterHeading || line.startsWith(QLatin1Char(' '))
                    || line.startsWith(QLatin1String("- ")) || line.startsWith(QLatin1String("* "));
            if (!text.isEmpty())
                text += ownLine ? QStringLiteral("<br>") : QStringLiteral(" ");
            text += line.trimmed().toHtmlEscaped();
            afterHeading = heading;
        }
        html += QStringLiteral("<p>%1</p>").arg(text);
        shown += static_cast<int>(paragraph.size());
    }
    return html;
}

QString ModelChoice::chosenModel() const
{
    return m_chosenRow >= 0 ? m_models.at(m_chosenRow).name : QString();
}

QString ModelChoice::chosenText() const
{
    if (m_chosenRow < 0)
        return {};
    if (m_chosenVersion)
        return tr("%1, version %2").arg(chosenModel()).arg(*m_chosenVersion);
    return m_selectable ? tr("%1, latest version").arg(chosenModel()) : chosenModel();
}

bool ModelChoice::choose(int row, std::optional<qint64> version)
{
    if (!isSelectable() || row < 0 || row >= m_models.size())
        return false;
    if (version && !m_models.at(row).versions.contains(*version))
        return false;
    setChoice(row, version);
    return true;
}

ModelChoice::Restored ModelChoice::restore(const QString &name, std::optional<qint64> version)
{
    const int row = rowOf(name);
    if (!isSelectable() || row < 0)
        return Restored::NotOffered;
    if (choose(row, version))
        return Restored::Exactly;
    setChoice(row, std::nullopt);
    return Restored::LatestInstead;
}

bool ModelChoice::withdraw(const QString &name, std::optional<qint64> version)
{
    const int row = rowOf(name);
    if (!isSelectable() || row < 0)
        return false;
    ServedModelInfo &model = m_models[row];
    const bool wholeModel = !version || (model.versions.size() == 1 && model.versions.contains(*version));
    if (!wholeModel) {
        if (!model.versions.removeAll(*version))
            return false;
        emit dataChanged(index(row), index(row)); // its tooltip lists the versions
        if (m_chosenRow == row && m_chosenVersion == version)
            setChoice(row, std::nullopt);
        return true;
    }
    if (row == defaultRow())
        return false; // what a request naming no model gets: the server serves it by definition
    const bool wasChosen = m_chosenRow == row;
    const QString chosen = chosenModel();
    beginRemoveRows({}, row, row);
    m_models.removeAt(row);
    endRemoveRows();
    // Rows behind it moved up: the choice is found again by its name.
    if (wasChosen)
        setChoice(defaultRow(), std::nullopt);
    else
        m_chosenRow = rowOf(chosen);
    return true;
}

QString ModelChoice::requestModel() const
{
    if (!isSelectable() || m_chosenRow < 0 || (m_chosenRow == defaultRow() && !m_chosenVersion))
        return {};
    return chosenModel();
}

std::optional<qint64> ModelChoice::requestVersion() const
{
    return requestModel().isEmpty() ? std::nullopt : m_chosenVersion;
}

void ModelChoice::setChoice(int row, std::optional<qint64> version)
{
    if (row == m_chosenRow && version == m_chosenVersion)
        return;
    m_chosenRow = row;
    m_chosenVersion = version;
    emit choiceChanged();
}

} // namespace orchard
