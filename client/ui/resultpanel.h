#pragma once

#include <QWidget>

#include "common/protocol/predictionreply.h"

class QLabel;
class QProgressBar;
class QVBoxLayout;

namespace orchard {

/**
 * The diagnosis for the selected image: the top label large with its confidence, a bar
 * per top-k label, the model's advice for that label, which model (and version) answered,
 * and where the time went. An answer the model is unsure of (the reply's "uncertain")
 * shows "Not sure", its best two or three candidates and how to take a better photo
 * instead; what the server found wrong with the photo is said in words for any answer.
 *
 * It keeps what it shows (the reply, the error, the wait) and shows it again when the
 * language changes. Each top-k bar says its value to a screen reader too: its accessible
 * name is "T-shirt/top: 92.0 %".
 */
class ResultPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ResultPanel(QWidget *parent = nullptr);

    /**
     * A quality warning of the wire in words ("The photo looks blurry."), as every panel
     * that shows a diagnosis says it; one a newer server sends is shown as it is.
     */
    static QString qualityWarningSentence(const QString &warning);
    /**
     * What an uncertain answer says instead of a label: "It could be Scab (41.0 %), Rust
     * (33.2 %) or Healthy (12.5 %)." — the two or three candidates worth checking on the
     * plant (the label alone when there is no top-k).
     */
    static QString candidatesSentence(const QVector<LabelScore> &topK, const QString &label, double confidence);

    void showReply(const PredictionReply &reply, double roundTripMs);
    void showPending(const QString &fileName);
    void showError(const QString &fileName, const QString &error);
    void showNothing();

    QString labelText() const;
    /** "87.5 % confident", or for an uncertain answer the candidates: "It could be …". */
    QString confidenceText() const;
    QString adviceText() const;
    /** "The photo looks blurry. …"; empty when the server found nothing wrong or did not say. */
    QString qualityText() const;
    /** "Answered by model apple-leaf, version 3."; empty while nothing is shown. */
    QString modelText() const;
    int barCount() const;
    /** The bars' accessible names, best first: "Scab: 41.0 %". */
    QStringList barTexts() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    /** What the panel shows, kept to be shown again in another language. */
    enum class Shown { Nothing, Pending, Reply, Error };

    void retranslateUi();
    /** Shows m_shown with its texts in the language now installed. */
    void render();
    void renderReply();
    void clearBars();
    /** The label, or "Not sure" and the candidates; the advice to match. */
    void showAnswer(const PredictionReply &reply);
    void showQuality(const PredictionReply &reply);

    QLabel *m_heading = nullptr;
    QLabel *m_label = nullptr;
    QLabel *m_confidence = nullptr;
    QVBoxLayout *m_barsLayout = nullptr;
    QLabel *m_advice = nullptr;
    QLabel *m_quality = nullptr;
    QLabel *m_model = nullptr;
    QLabel *m_timing = nullptr;
    QList<QWidget *> m_bars;

    Shown m_shown = Shown::Nothing;
    PredictionReply m_reply;
    double m_roundTripMs = 0.0;
    QString m_fileName;
    QString m_error; ///< as the window gave it, in the language it was given in
};

} // namespace orchard
