#pragma once

#include <QList>
#include <QWidget>

#include "client/core/plantdiagnosis.h"

class QLabel;
class QListWidget;

namespace orchard {

/**
 * Several photos of one plant diagnosed as one: the combined label large with its
 * confidence, "4 of 5 photos: Scab", the next labels, and a list of the photos that
 * disagree or were skipped (failed, or poor by the server's quality check), each saying
 * why. Clicking a listed photo asks for it to be shown (photoActivated). A view only: the
 * combining is PlantDiagnosis's. It keeps what it shows and shows it again when the
 * language changes.
 */
class PlantResultPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PlantResultPanel(QWidget *parent = nullptr);

    void showNothing();
    /** answered of photos have their answer; the rest are on their way. */
    void showPending(int answered, int photos);
    /** The photos were not all diagnosed (the batch was cancelled): nothing to combine. */
    void showAbandoned(const QString &sentence);
    void showDiagnosis(const PlantDiagnosis &diagnosis);

    /** "Scab 91.2 %"; empty while no diagnosis is shown. */
    QString headlineText() const;
    /** "4 of 5 photos: Scab", or what the panel is waiting for. */
    QString agreementText() const;
    /** One line per photo that disagrees or was skipped: "leaf_2.jpg — says Healthy (80.1 %)". */
    QStringList flaggedText() const;

signals:
    /** photo: its place among the photos of the diagnosis shown. */
    void photoActivated(int photo);

protected:
    void changeEvent(QEvent *event) override;

private:
    /** What the panel shows, kept to be shown again in another language. */
    enum class Shown { Nothing, Pending, Abandoned, Diagnosis };

    void retranslateUi();
    /** Shows m_shown with its texts in the language now installed. */
    void render();
    void renderDiagnosis();
    void hideFlagged();

    QLabel *m_heading = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_agreement = nullptr;
    QLabel *m_others = nullptr;
    QLabel *m_flaggedTitle = nullptr;
    QListWidget *m_flagged = nullptr;

    Shown m_shown = Shown::Nothing;
    int m_answered = 0;
    int m_photos = 0;
    QString m_sentence; ///< showAbandoned()'s, as the window gave it
    PlantDiagnosis m_diagnosis;
};

} // namespace orchard
