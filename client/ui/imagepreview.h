#pragma once

#include <QImage>
#include <QWidget>

namespace orchard {

/**
 * The large view of the selected photo: scaled to fit with its aspect ratio kept, and a
 * caption with the file name, file size and pixel dimensions.
 *
 * Painted, so a screen reader cannot see it: its accessible description always says what
 * it shows (the caption, or the message shown instead of a photo).
 */
class ImagePreview : public QWidget
{
    Q_OBJECT

public:
    explicit ImagePreview(QWidget *parent = nullptr);

    void setImage(const QImage &image, const QString &caption);
    /** No photo: message instead, or (empty) how to open photos, in the language in use. */
    void clear(const QString &message = {});

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

private:
    void retranslateUi();
    /** The accessible description follows what is painted. */
    void describe();
    int captionHeight() const;

    QImage m_image;
    QString m_caption;
    QString m_message;
    bool m_showsHint = true; ///< m_message is our own "open photos" hint, retranslated with the UI
};

} // namespace orchard
