#include "client/ui/resultpanel.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QVBoxLayout>

#include "client/core/diagnosistext.h"

namespace orchard {

namespace {

// How many of the top-k an uncertain answer names: two or three is a choice a farmer can
// check on the plant, more is a list.
constexpr int kCandidates = 3;
// Candidates under this share are not worth naming beside the first two.
constexpr double kCandidateFloor = 0.05;

QString percent(double score)
{
    return DiagnosisText::percent(score);
}

QString milliseconds(double value, int decimals = 1)
{
    return QLocale().toString(value, 'f', decimals);
}

} // namespace

QString ResultPanel::qualityWarningSentence(const QString &warning)
{
    if (warning == QLatin1String("blurry"))
        return tr("The photo looks blurry.");
    if (warning == QLatin1String("dark"))
        return tr("The photo is too dark.");
    if (warning == QLatin1String("overexposed"))
        return tr("The photo is overexposed: parts of it are pure white.");
    if (warning == QLatin1String("small"))
        return tr("The photo is smaller than the model's input.");
    return tr("Photo quality: %1.").arg(warning);
}

QString ResultPanel::candidatesSentence(const QVector<LabelScore> &topK, const QString &label, double confidence)
{
    QStringList candidates;
    for (int i = 0; i < topK.size() && candidates.size() < kCandidates; ++i) {
        const LabelScore &entry = topK.at(i);
        if (i >= 2 && entry.score < kCandidateFloor)
            break;
        candidates.append(tr("%1 (%2)").arg(entry.label, percent(entry.score)));
    }
    if (candidates.isEmpty())
        candidates.append(tr("%1 (%2)").arg(label, percent(confidence)));
    return candidates.size() == 1
            ? tr("It could be %1.").arg(candidates.first())
            : tr("It could be %1 or %2.")
                      .arg(candidates.mid(0, candidates.size() - 1).join(tr(", ", "between candidates")),
                           candidates.last());
}

ResultPanel::ResultPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_heading = new QLabel(this);
    m_heading->setWordWrap(true);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("resultLabel"));
    QFont big = m_label->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    m_label->setFont(big);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_confidence = new QLabel(this);
    QFont medium = m_confidence->font();
    medium.setPointSizeF(medium.pointSizeF() * 1.3);
    m_confidence->setFont(medium);
    m_confidence->setWordWrap(true);
    m_barsLayout = new QVBoxLayout;
    m_barsLayout->setSpacing(2);
    m_advice = new QLabel(this);
    m_advice->setObjectName(QStringLiteral("adviceLabel"));
    m_advice->setWordWrap(true);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_advice->setFrameShape(QFrame::StyledPanel);
    m_advice->setMargin(6);
    m_quality = new QLabel(this);
    m_quality->setObjectName(QStringLiteral("qualityLabel"));
    m_quality->setTextFormat(Qt::PlainText);
    m_quality->setWordWrap(true);
    m_quality->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }")); // a warning, not an error
    m_model = new QLabel(this);
    m_model->setObjectName(QStringLiteral("modelLabel"));
    m_model->setTextFormat(Qt::PlainText); // a model's name comes from the server: shown as it is
    m_model->setWordWrap(true);
    m_model->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timing = new QLabel(this);
    m_timing->setWordWrap(true);
    m_timing->setForegroundRole(QPalette::PlaceholderText);

    layout->addWidget(m_heading);
    layout->addWidget(m_label);
    layout->addWidget(m_confidence);
    layout->addSpacing(8);
    layout->addLayout(m_barsLayout);
    layout->addSpacing(8);
    layout->addWidget(m_quality);
    layout->addWidget(m_advice);
    layout->addWidget(m_model);
    layout->addWidget(m_timing);
    layout->addStretch(1);
    setMinimumWidth(260);
    retranslateUi(); // shows nothing yet, in the language installed
}

void ResultPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ResultPanel::retranslateUi()
{
    setAccessibleName(tr("Diagnosis"));
    setAccessibleDescription(tr("The diagnosis of the selected image, its top answers and what to do"));
    render();
}

void ResultPanel::render()
{
    switch (m_shown) {
    case Shown::Nothing:
        clearBars();
        m_heading->setText(tr("Diagnosis"));
        m_label->setText(QStringLiteral("—"));
        m_confidence->setText(tr("Select an image and click Predict (Ctrl+P)."));
        break;
    case Shown::Pending:
        clearBars();
        m_heading->setText(tr("Diagnosis for %1").arg(m_fileName));
        m_label->setText(tr("Waiting…"));
        m_confidence->setText(tr("The image is with the server."));
        break;
    case Shown::Error:
        clearBars();
        m_heading->setText(tr("Diagnosis for %1").arg(m_fileName));
        m_label->setText(tr("No diagnosis"));
        m_confidence->setText(m_error);
        break;
    case Shown::Reply:
        renderReply();
        return;
    }
    m_advice->hide();
    m_quality->hide();
    m_model->clear();
    m_timing->clear();
}

void ResultPanel::showReply(const PredictionReply &reply, double roundTripMs)
{
    m_shown = Shown::Reply;
    m_reply = reply;
    m_roundTripMs = roundTripMs;
    render();
}

void ResultPanel::renderReply()
{
    const PredictionReply &reply = m_reply;
    clearBars();
    m_heading->setText(tr("Diagnosis for %1").arg(reply.name.isEmpty() ? tr("this image") : reply.name));
    showAnswer(reply);
    showQuality(reply);
    for (const LabelScore &entry : reply.topK) {
        auto *row = new QWidget(this);
        auto *grid = new QGridLayout(row);
        grid->setContentsMargins(0, 0, 0, 0);
        auto *name = new QLabel(entry.label, row);
        name->setTextFormat(Qt::PlainText); // a label comes from the server: shown as it is
        auto *bar = new QProgressBar(row);
        bar->setRange(0, 1000);
        bar->setValue(static_cast<int>(entry.score * 1000.0));
        bar->setFormat(percent(entry.score));
        // A bar's length says nothing to a screen reader: its name says label and value.
        bar->setAccessibleName(tr("%1: %2").arg(entry.label, percent(entry.score)));
        const QString probability = tr("%1: softmax probability %2")
                                            .arg(entry.label, QLocale().toString(entry.score, 'f', 4));
        bar->setToolTip(probability);
        bar->setAccessibleDescription(probability);
        name->setBuddy(bar);
        grid->addWidget(name, 0, 0);
        grid->addWidget(bar, 0, 1);
        grid->setColumnStretch(1, 1);
        grid->setColumnMinimumWidth(0, 110);
        m_barsLayout->addWidget(row);
        m_bars.append(row);
    }
    if (reply.model.isEmpty())
        m_model->clear();
    else if (reply.modelVersion)
        m_model->setText(tr("Answered by model %1, version %2.").arg(reply.model).arg(*reply.modelVersion));
    else
        m_model->setText(tr("Answered by model %1.").arg(reply.model));
    m_timing->setText(tr("Server: waited %1 ms, decode %2 ms, infer %3 ms, total %4 ms. Round trip %5 ms.")
                              .arg(milliseconds(reply.timing.wait),
                                   milliseconds(reply.timing.decode + reply.timing.preprocess),
                                   milliseconds(reply.timing.infer), milliseconds(reply.timing.total),
                                   milliseconds(m_roundTripMs, 0)));
}

void ResultPanel::showAnswer(const PredictionReply &reply)
{
    if (!reply.uncertain) {
        m_label->setText(reply.label);
        m_confidence->setText(tr("%1 confident").arg(percent(reply.confidence)));
        m_advice->setVisible(!reply.advice.isEmpty());
        m_advice->setText(tr("<b>What to do</b><br>%1").arg(reply.advice.toHtmlEscaped()));
        return;
    }
    // The label's own advice would be advice for a diagnosis the model does not stand by.
    QFont plain = m_label->font();
    plain.setBold(false); // a hesitation, not a diagnosis; clearBars() makes it bold again
    m_label->setFont(plain);
    m_label->setText(tr("Not sure"));
    m_confidence->setText(candidatesSentence(reply.topK, reply.label, reply.confidence));
    m_advice->setText(tr("<b>What to do</b><br>%1")
                              .arg(tr("Take the photo closer, in daylight, or add more leaves of the plant.")));
    m_advice->show();
}

void ResultPanel::showQuality(const PredictionReply &reply)
{
    QStringList sentences;
    if (reply.quality) {
        for (const QString &warning : reply.quality->warnings)
            sentences.append(qualityWarningSentence(warning));
    }
    m_quality->setText(sentences.join(u' '));
    m_quality->setVisible(!sentences.isEmpty());
}

void ResultPanel::showPending(const QString &fileName)
{
    m_shown = Shown::Pending;
    m_fileName = fileName;
    render();
}

void ResultPanel::showError(const QString &fileName, const QString &error)
{
    m_shown = Shown::Error;
    m_fileName = fileName;
    m_error = error;
    render();
}

void ResultPanel::showNothing()
{
    m_shown = Shown::Nothing;
    render();
}

QString ResultPanel::labelText() const
{
    return m_label->text();
}

QString ResultPanel::confidenceText() const
{
    return m_confidence->text();
}

QString ResultPanel::adviceText() const
{
    return m_advice->isHidden() ? QString() : m_advice->text();
}

QString ResultPanel::qualityText() const
{
    return m_quality->isHidden() ? QString() : m_quality->text();
}

QString ResultPanel::modelText() const
{
    return m_model->text();
}

int ResultPanel::barCount() const
{
    return static_cast<int>(m_bars.size());
}

QStringList ResultPanel::barTexts() const
{
    QStringList texts;
    for (const QWidget *row : m_bars) {
        if (const auto *bar = row->findChild<QProgressBar *>())
            texts.append(bar->accessibleName());
    }
    return texts;
}

void ResultPanel::clearBars()
{
    qDeleteAll(m_bars);
    m_bars.clear();
    // Every state starts here, so the label's weight is reset here too.
    QFont bold = m_label->font();
    bold.setBold(true);
    m_label->setFont(bold);
}

} // namespace orchard
