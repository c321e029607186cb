#include "client/ui/modelpicker.h"

#include <algorithm>
#include <optional>

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include "client/core/modelchoice.h"

namespace orchard {

ModelPicker::ModelPicker(ModelChoice *choice, QWidget *parent)
    : QWidget(parent)
    , m_choice(choice)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    m_label = new QLabel(this);
    m_models = new QComboBox(this);
    m_models->setObjectName(QStringLiteral("modelBox"));
    m_models->setModel(choice);
    // As wide as the longest name offered, but never narrower than a short one, so that the
    // toolbar does not jump much from one server to the next.
    m_models->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_models->setMinimumContentsLength(10);
    m_label->setBuddy(m_models);
    m_versions = new QComboBox(this);
    m_versions->setObjectName(QStringLiteral("versionBox"));
    m_versions->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    layout->addWidget(m_label);
    layout->addWidget(m_models);
    layout->addWidget(m_versions);

    // activated, not currentIndexChanged: only the farmer's own picks are choices to remember.
    connect(m_models, &QComboBox::activated, this, &ModelPicker::onModelActivated);
    connect(m_versions, &QComboBox::activated, this, &ModelPicker::onVersionActivated);
    connect(choice, &ModelChoice::choiceChanged, this, &ModelPicker::showChoice);
    connect(choice, &QAbstractItemModel::modelReset, this, &ModelPicker::showChoice);
    connect(choice, &QAbstractItemModel::rowsRemoved, this, &ModelPicker::showChoice);
    connect(choice, &QAbstractItemModel::dataChanged, this, &ModelPicker::showChoice);
    retranslateUi(); // and shows the choice
}

void ModelPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ModelPicker::retranslateUi()
{
    m_label->setText(tr("&Model:"));
    m_models->setPlaceholderText(tr("not connected"));
    m_models->setAccessibleName(tr("Model"));
    m_models->setAccessibleDescription(tr("The model that diagnoses the photos you send"));
    m_versions->setToolTip(tr("Which version of the model answers: the latest, or one kept for comparison"));
    m_versions->setAccessibleName(tr("Model version"));
    m_versions->setAccessibleDescription(m_versions->toolTip());
    m_choice->retranslate(); // the cards' tooltips
    showChoice(); // the tooltips and the versions' words
}

void ModelPicker::showChoice()
{
    const QSignalBlocker blockModels(m_models);
    const QSignalBlocker blockVersions(m_versions);
    const int row = m_choice->chosenRow();
    m_models->setCurrentIndex(row);
    m_models->setEnabled(m_choice->isSelectable());
    if (!m_choice->hasOffer())
        m_models->setToolTip(tr("The models the server offers are listed once it is connected"));
    else if (!m_choice->isSelectable())
        m_models->setToolTip(m_choice->toolTip(row));
    else
        m_models->setToolTip(tr("%1<hr>Choose the model that diagnoses the photos you send from now on.")
                                     .arg(m_choice->toolTip(row)));

    m_versions->clear();
    const QList<qint64> versions = m_choice->versionsNewestFirst(row);
    // Index 0 is always "latest"; then each version, newest first, as versionsNewestFirst() lists them.
    m_versions->addItem(versions.isEmpty() ? tr("latest") : tr("latest (v%1)").arg(versions.first()));
    for (qint64 version : versions)
        m_versions->addItem(tr("v%1").arg(version), version);
    const std::optional<qint64> chosen = m_choice->chosenVersion();
    m_versions->setCurrentIndex(chosen ? std::max(0, m_versions->findData(*chosen)) : 0);
    m_versions->setEnabled(m_choice->isSelectable() && !versions.isEmpty());
}

void ModelPicker::onModelActivated(int row)
{
    // A model picked anew starts at its latest version: a fixed one is a second, deliberate pick.
    if (row != m_choice->chosenRow() && m_choice->choose(row))
        emit chosenByUser();
    showChoice();
}

void ModelPicker::onVersionActivated(int index)
{
    const QVariant version = m_versions->itemData(index);
    const std::optional<qint64> picked = version.isValid() ? std::optional<qint64>(version.toLongLong()) : std::nullopt;
    if (picked != m_choice->chosenVersion() && m_choice->choose(m_choice->chosenRow(), picked))
        emit chosenByUser();
    showChoice();
}

} // namespace orchard
