#include "client/ui/plantresultpanel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QStyle>
#include <QVBoxLayout>

#include "client/core/diagnosistext.h"

namespace orchard {

namespace {

// The labels after the first worth naming: a farmer checks two or three on the plant, not ten.
constexpr int kOtherLabels = 2;

QString percent(double score)
{
    return DiagnosisText::percent(score);
}

/** The server's quality words ("blurry, dark", as PlantDiagnosis lists them) in the language in use. */
QString qualityWords(const QString &warnings)
{
    QStringList words;
    for (const QString &warning : warnings.split(QStringLiteral(", "), Qt::SkipEmptyParts))
        words.append(DiagnosisText::warningWord(warning));
    return words.join(PlantResultPanel::tr(", ", "between quality warnings"));
}

} // namespace

PlantResultPanel::PlantResultPanel(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel(this);
    m_heading->setWordWrap(true);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("plantLabel"));
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    m_headline->setFont(big);
    m_headline->setTextFormat(Qt::PlainText); // labels come from the server: shown as they are
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_agreement = new QLabel(this);
    m_agreement->setObjectName(QStringLiteral("plantAgreement"));
    m_agreement->setTextFormat(Qt::PlainText);
    QFont medium = m_agreement->font();
    medium.setPointSizeF(medium.pointSizeF() * 1.2);
    m_agreement->setFont(medium);
    m_agreement->setWordWrap(true);
    m_others = new QLabel(this);
    m_others->setTextFormat(Qt::PlainText);
    m_others->setWordWrap(true);
    m_others->setForegroundRole(QPalette::PlaceholderText);

    m_flaggedTitle = new QLabel(this);
    m_flagged = new QListWidget(this);
    m_flagged->setObjectName(QStringLiteral("plantFlagged"));
    m_flagged->setSelectionMode(QAbstractItemView::SingleSelection);
    m_flaggedTitle->setBuddy(m_flagged);
    connect(m_flagged, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit photoActivated(item->data(Qt::UserRole).toInt());
    });
    connect(m_flagged, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        emit photoActivated(item->data(Qt::UserRole).toInt());
    });

    // Side by side: the panel sits in the window's bottom tabs, wide and not very tall.
    auto *summary = new QVBoxLayout;
    summary->addWidget(m_heading);
    summary->addWidget(m_headline);
    summary->addWidget(m_agreement);
    summary->addWidget(m_others);
    summary->addStretch(1);
    auto *flagged = new QVBoxLayout;
    flagged->addWidget(m_flaggedTitle);
    flagged->addWidget(m_flagged, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(summary, 1);
    layout->addLayout(flagged, 1);
    retranslateUi(); // shows nothing yet, in the language installed
}

void PlantResultPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PlantResultPanel::retranslateUi()
{
    m_flagged->setAccessibleName(tr("Photos to look at again"));
    m_flagged->setAccessibleDescription(
            tr("The photos that disagree with the plant's diagnosis or were left out, each with why; "
               "activate one to show it"));
    render();
}

void PlantResultPanel::render()
{
    switch (m_shown) {
    case Shown::Nothing:
        m_heading->setText(tr("Several photos of one plant give a surer diagnosis than one."));
        m_headline->clear();
        m_agreement->setText(tr("Select two or more photos of the same plant and click Diagnose as One Plant."));
        m_others->clear();
        hideFlagged();
        break;
    case Shown::Pending:
        m_heading->setText(tr("One plant, %n photo(s)", nullptr, m_photos));
        m_headline->clear();
        m_agreement->setText(tr("Diagnosing… %1 of %n photo(s) answered", nullptr, m_photos)
                                     .arg(QLocale().toString(m_answered)));
        m_others->clear();
        hideFlagged();
        break;
    case Shown::Abandoned:
        m_headline->clear();
        m_agreement->setText(m_sentence);
        m_others->clear();
        hideFlagged();
        break;
    case Shown::Diagnosis:
        renderDiagnosis();
        break;
    }
}

void PlantResultPanel::hideFlagged()
{
    m_flagged->clear();
    m_flaggedTitle->hide();
    m_flagged->hide();
}

void PlantResultPanel::showNothing()
{
    m_shown = Shown::Nothing;
    render();
}

void PlantResultPanel::showPending(int answered, int photos)
{
    m_shown = Shown::Pending;
    m_answered = answered;
    m_photos = photos;
    render();
}

void PlantResultPanel::showAbandoned(const QString &sentence)
{
    // The heading stays: it still says which plant this was.
    m_shown = Shown::Abandoned;
    m_sentence = sentence;
    render();
}

void PlantResultPanel::showDiagnosis(const PlantDiagnosis &diagnosis)
{
    m_shown = Shown::Diagnosis;
    m_diagnosis = diagnosis;
    render();
}

void PlantResultPanel::renderDiagnosis()
{
    const PlantDiagnosis &diagnosis = m_diagnosis;
    m_heading->setText(diagnosis.photos == diagnosis.given
                               ? tr("One plant, %n photo(s)", nullptr, diagnosis.given)
                               : tr("One plant, %1 of %n photo(s) combined", nullptr, diagnosis.given)
                                         .arg(QLocale().toString(diagnosis.photos)));
    m_flagged->clear();
    if (diagnosis.isValid()) {
        m_headline->setText(tr("%1 %2").arg(diagnosis.label, percent(diagnosis.confidence)));
        m_agreement->setText(diagnosis.agreementText());
        QStringList others;
        for (int i = 1; i <= kOtherLabels && i < diagnosis.topK.size(); ++i)
            others.append(tr("%1 %2").arg(diagnosis.topK.at(i).label, percent(diagnosis.topK.at(i).score)));
        QString note = others.isEmpty() ? QString()
                                        : tr("Next: %1").arg(others.join(tr(", ", "between the next labels")));
        if (diagnosis.poorPhotosOnly)
            note += (note.isEmpty() ? QString() : QStringLiteral("\n"))
                    + tr("Every photo has quality warnings: take better ones if you can.");
        m_others->setText(note);
    } else {
        m_headline->setText(tr("No diagnosis"));
        m_agreement->setText(tr("None of the %n photo(s) could be diagnosed.", nullptr, diagnosis.given));
        m_others->clear();
    }
    // Each line says in words why it is listed; the icon only repeats it.
    const QIcon dissent = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon skipped = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    for (const PlantDiagnosis::DissentingPhoto &photo : diagnosis.disagree) {
        auto *item = new QListWidgetItem(dissent, tr("%1 — says %2 (%3)").arg(photo.name, photo.label, percent(photo.confidence)),
                                         m_flagged);
        item->setData(Qt::UserRole, photo.photo);
    }
    for (const PlantDiagnosis::SkippedPhoto &photo : diagnosis.skipped) {
        const QString why = photo.code == QLatin1String("QUALITY")
                ? tr("left out, photo: %1").arg(qualityWords(photo.reason))
                : photo.code == QLatin1String("OTHER_MODEL") ? tr("left out, %1").arg(photo.reason)
                                                             : tr("failed: %1").arg(photo.reason);
        auto *item = new QListWidgetItem(skipped, tr("%1 — %2").arg(photo.name, why), m_flagged);
        item->setData(Qt::UserRole, photo.photo);
    }
    const bool anyFlagged = m_flagged->count() > 0;
    m_flaggedTitle->setText(anyFlagged ? tr("Photos to look at again:") : tr("Every photo agrees."));
    m_flaggedTitle->show();
    m_flagged->setVisible(anyFlagged);
}

QString PlantResultPanel::headlineText() const
{
    return m_headline->text();
}

QString PlantResultPanel::agreementText() const
{
    return m_agreement->text();
}

QStringList PlantResultPanel::flaggedText() const
{
    QStringList lines;
    for (int i = 0; i < m_flagged->count(); ++i)
        lines.append(m_flagged->item(i)->text());
    return lines;
}

} // namespace orchard
