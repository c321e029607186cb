#pragma once

#include <QImage>
#include <QWidget>

namespace orchard {

/**
 * The large view of the selected photo: scaled to fit with its aspect ratio kept, and a
 * caption with the file name, file size and pixel dimensions.
 */
class ImagePreview : public QWidget
{
    Q_OBJECT

public:
    explicit ImagePreview(QWidget *parent = nullptr);

    void setImage(const QImage &image, const QString &caption);
    void clear(const QString &message = {});

    const QImage &image() const { return m_image; }
    QString caption() const { return m_caption; }
    /** Where the image is drawn, in widget coordinates: fits, centred, aspect kept. */
    QRect imageRect() const;

    QSize sizeHint() const override { return { 480, 360 }; }
    QSize minimumSizeHint() const override { return { 160, 120 }; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int captionHeight() const;

    QImage m_image;
    QString m_caption;
    QString m_message;
};

} // namespace orchard
