#include "client/ui/imagepreview.h"

#include <QPainter>

namespace orchard {

ImagePreview::ImagePreview(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    clear();
}

void ImagePreview::setImage(const QImage &image, const QString &caption)
{
    m_image = image;
    m_caption = caption;
    m_message.clear();
    update();
}

void ImagePreview::clear(const QString &message)
{
    m_image = QImage();
    m_caption.clear();
    m_message = message.isEmpty() ? tr("Open leaf photos (Ctrl+O), a folder (Ctrl+Shift+O),\nor drop them here.")
                                  : message;
    update();
}

int ImagePreview::captionHeight() const
{
    return fontMetrics().height() + 8;
}

QRect ImagePreview::imageRect() const
{
    if (m_image.isNull())
        return {};
    const QRect area = rect().adjusted(4, 4, -4, -4 - captionHeight());
    if (area.width() <= 0 || area.height() <= 0)
        return {};
    QSize size = m_image.size();
    // Small images (a 28×28 sample) are enlarged too, so a person can see them.
    size.scale(area.size(), Qt::KeepAspectRatio);
    return QRect(area.x() + (area.width() - size.width()) / 2, area.y() + (area.height() - size.height()) / 2,
                 size.width(), size.height());
}

void ImagePreview::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Dark).lighter(160));
    if (m_image.isNull()) {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(rect(), Qt::AlignCenter, m_message);
        return;
    }
    const QRect target = imageRect();
    // Enlarging a tiny image smoothly would blur it into mush; show its pixels instead.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, target.width() < m_image.width());
    painter.drawImage(target, m_image);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(0, height() - captionHeight(), width(), captionHeight()), Qt::AlignCenter,
                     m_caption);
}

} // namespace orchard
