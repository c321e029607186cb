#pragma once

#include <optional>

#include <QAbstractListModel>
#include <QList>
#include <QString>

#include "common/protocol/servermessage.h"

namespace orchard {

/**
 * Which served model diagnoses the farmer's photos: the models a server's welcome offers,
 * one row each for the window's picker (the model's card as its tooltip), and the one
 * chosen among them with its version, the latest or a fixed one.
 *
 * A server that lists no models (the original, older Orchard servers) offers one row, the
 * welcome's model, that cannot be changed: isSelectable() is false. Each new offer starts
 * at the server's default; restore() then takes back a remembered choice when the offer
 * has it. Requests name a model only when the choice is not the default model's latest
 * version (requestModel()), so a server that knows nothing of models gets the frames it
 * always got.
 */
class ModelChoice : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { NameRole = Qt::UserRole + 1, IsDefaultRole };

    /** What restore() could take back of a remembered choice. */
    enum class Restored {
        Exactly,       ///< the model, and its version if one was remembered
        LatestInstead, ///< the model, but not the remembered version: its latest one
        NotOffered,    ///< not this server's (or not selectable here): the default stays
    };

    explicit ModelChoice(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /** Every row's tooltip again, in the language now installed (the picker's retranslateUi() calls it). */
    void retranslate();

    /**
     * A welcome's offer: models as its "models" list, welcomeModel its "model" (the only
     * one when the list is empty). Resets the choice to the default model's latest version.
     */
    void setOffer(const QList<ServedModelInfo> &models, const QString &welcomeModel);
    bool hasOffer() const { return !m_models.isEmpty(); }
    /** False before any welcome and for a server that lists no models. */
    bool isSelectable() const { return m_selectable && !m_models.isEmpty(); }

    int defaultRow() const;
    QString defaultModel() const;
    int rowOf(const QString &name) const;
    /** A row's versions, newest first (empty for a server that lists none). */
    QList<qint64> versionsNewestFirst(int row) const;
    /** A tooltip shows at most about this much of a model's card (whole paragraphs). */
    static constexpr int kMaxCardTooltipLength = 800;

    /**
     * The row's tooltip, as rich text: its name, versions and model card (its first
     * paragraphs); says so when the model has none.
     */
    QString toolTip(int row) const;

    int chosenRow() const { return m_chosenRow; }
    QString chosenModel() const;
    /** nullopt: the latest version, whichever that is when the photo is answered. */
    std::optional<qint64> chosenVersion() const { return m_chosenVersion; }
    /** "apple-leaf, latest version" or "apple-leaf, version 2", for sentences. */
    QString chosenText() const;

    /** False (and nothing changes) for a row or version not offered, or when not selectable. */
    bool choose(int row, std::optional<qint64> version = std::nullopt);
    Restored restore(const QString &name, std::optional<qint64> version);
    /**
     * Takes out what the server said it does not serve (UNKNOWN_MODEL): the version, or
     * the whole model when no version was asked or it was its last; a choice of it goes
     * back to the default. The server's default model stays. False when nothing was taken.
     */
    bool withdraw(const QString &name, std::optional<qint64> version);

    /** The request's "model": empty for the default model's latest version. */
    QString requestModel() const;
    /** The request's "model_version": nullopt for the latest. */
    std::optional<qint64> requestVersion() const;

signals:
    /** The chosen model or version changed (by choose(), restore(), setOffer(), withdraw()). */
    void choiceChanged();

private:
    static QString cardHtml(const QString &card);
    void setChoice(int row, std::optional<qint64> version);

    QList<ServedModelInfo> m_models;
    QString m_defaultName;
    bool m_selectable = false;
    int m_chosenRow = -1;
    std::optional<qint64> m_chosenVersion;
};

} // namespace orchard
