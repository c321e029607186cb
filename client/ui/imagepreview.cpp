#include "client/ui/imagepreview.h"

#include <QEvent>
#include <QPainter>

namespace orchard {

ImagePreview::ImagePreview(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    retranslateUi(); // shows the hint
}

void ImagePreview::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ImagePreview::retranslateUi()
{
    setAccessibleName(tr("Photo preview"));
    if (m_showsHint)
        clear();
}

void ImagePreview::setImage(const QImage &image, const QString &caption)
{
    m_image = image;
    m_caption = caption;
    m_message.clear();
    m_showsHint = false;
    describe();
    update();
}

void ImagePreview::clear(const QString &message)
{
    m_image = QImage();
    m_caption.clear();
    m_showsHint = message.isEmpty();
    m_message = m_showsHint ? tr("Open leaf photos (Ctrl+O), a folder (Ctrl+Shift+O),\nor drop them here.") : message;
    describe();
    update();
}

void ImagePreview::describe()
{
    // One line for a screen reader: the painted text breaks lines to fit the widget.
    QString text = m_image.isNull() ? m_message : m_caption;
    setAccessibleDescription(text.replace(QLatin1Char('\n'), QLatin1Char(' ')));
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
    // Enlarging a tiny image smoothly would blur it into mush; show its pixels instead. On a
    // high-density screen the target has devicePixelRatio real pixels to each of its own.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, target.width() * devicePixelRatioF() < m_image.width());
    painter.drawImage(target, m_image);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(0, height() - captionHeight(), width(), captionHeight()), Qt::AlignCenter,
                     m_caption);
}

} // namespace orchard
