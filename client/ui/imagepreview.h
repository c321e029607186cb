#pragma once

#include <QImage>
#include <QPainter>
#include <QVector>
#include <QWidget>

#include "common/protocol/detectionreport.h"

namespace orchard {

/**
 * The large view of the selected photo: scaled to fit with its aspect ratio kept, and a
 * caption with the file name, file size and pixel dimensions.
 *
 * A pipeline model's answer is drawn over the photo: a box per thing found, coloured by
 * its label (a dark outline keeps it visible on any background), with the label and
 * confidence on a filled tag. Clicking a box chooses it (detectionClicked).
 *
 * Painted, so a screen reader cannot see it: its accessible description always says what
 * it shows (the caption and what was found, or the message shown instead of a photo).
 */
class ImagePreview : public QWidget
{
    Q_OBJECT

public:
    explicit ImagePreview(QWidget *parent = nullptr);

    void setImage(const QImage &image, const QString &caption);
    /** No photo: message instead, or (empty) how to open photos, in the language in use. */
    void clear(const QString &message = {});

    /**
     * Boxes to draw, in the pixels of a photo of size photoPixels (the farmer's file; the
     * image shown may be a smaller preview of it). An empty list draws none.
     */
    void setDetections(const QVector<DetectionReport> &detections, const QSize &photoPixels);
    const QVector<DetectionReport> &detections() const { return m_detections; }
    /** The chosen detection's index, −1 for none. */
    int selectedDetection() const { return m_selected; }
    void selectDetection(int index);
    /** Where detection index is drawn, in widget coordinates; empty without an image. */
    QRect detectionRect(int index) const;
    /** A detection's colour: one per label index, the same in every photo. */
    static QColor colorFor(int labelIndex);

    const QImage &image() const { return m_image; }
    QString caption() const { return m_caption; }
    /** What is shown instead of a photo; empty while a photo is shown. */
    QString message() const { return m_message; }
    /** Where the image is drawn, in widget coordinates: fits, centred, aspect kept. */
    QRect imageRect() const;

    QSize sizeHint() const override { return { 480, 360 }; }
    QSize minimumSizeHint() const override { return { 160, 120 }; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

signals:
    void detectionClicked(int index);

private:
    void retranslateUi();
    /** The accessible description follows what is painted. */
    void describe();
    int captionHeight() const;
    void paintDetections(QPainter &painter) const;

    QImage m_image;
    QString m_caption;
    QString m_message;
    QVector<DetectionReport> m_detections;
    QSize m_photoPixels;
    int m_selected = -1;
    bool m_showsHint = true; ///< m_message is our own "open photos" hint, retranslated with the UI
};

} // namespace orchard
