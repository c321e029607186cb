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
 * and where the time went.
 */
class ResultPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ResultPanel(QWidget *parent = nullptr);

    void showReply(const PredictionReply &reply, double roundTripMs);
    void showPending(const QString &fileName);
    void showError(const QString &fileName, const QString &error);
    void showNothing();

    QString labelText() const;
    QString adviceText() const;
    /** "Answered by model apple-leaf, version 3."; empty while nothing is shown. */
    QString modelText() const;
    int barCount() const;

private:
    void clearBars();

    QLabel *m_heading = nullptr;
    QLabel *m_label = nullptr;
    QLabel *m_confidence = nullptr;
    QVBoxLayout *m_barsLayout = nullptr;
    QLabel *m_advice = nullptr;
    QLabel *m_model = nullptr;
    QLabel *m_timing = nullptr;
    QList<QWidget *> m_bars;
};

} // namespace orchard
