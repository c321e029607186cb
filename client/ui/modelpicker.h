#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace orchard {

class ModelChoice;

/**
 * The toolbar's "Model: [name] [version]" next to Predict: two combo boxes over a
 * ModelChoice, the model's card as each entry's tooltip and the chosen one's as the box's.
 * It shows what the choice holds and hands the farmer's picks to it; everything else
 * (the default, what is remembered, what a request names) is the choice's.
 */
class ModelPicker : public QWidget
{
    Q_OBJECT

public:
    explicit ModelPicker(ModelChoice *choice, QWidget *parent = nullptr);

    QComboBox *modelBox() const { return m_models; }
    QComboBox *versionBox() const { return m_versions; }

signals:
    /** The farmer picked a model or version (not emitted when a welcome sets the choice). */
    void chosenByUser();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /** The boxes show the choice again: its row, its model's versions, the tooltips. */
    void showChoice();
    void onModelActivated(int row);
    void onVersionActivated(int index);

    ModelChoice *m_choice;
    QLabel *m_label = nullptr;
    QComboBox *m_models = nullptr;
    QComboBox *m_versions = nullptr;
};

} // namespace orchard
