#include "client/ui/imagepreview.h"

#include <QEvent>
#include <QLocale>
#include <QMouseEvent>
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

void ImagePreview::setDetections(const QVector<DetectionReport> &detections, const QSize &photoPixels)
{
    m_detections = detections;
    m_photoPixels = photoPixels;
    m_selected = -1;
    describe();
    update();
}

void ImagePreview::selectDetection(int index)
{
    m_selected = (index >= 0 && index < m_detections.size()) ? index : -1;
    update();
}

QColor ImagePreview::colorFor(int labelIndex)
{
    // Hues 3/10 of the circle apart: neighbouring labels never look alike.
    return QColor::fromHsv((std::max(labelIndex, 0) * 108) % 360, 230, 255);
}

QRect ImagePreview::detectionRect(int index) const
{
    const QRect target = imageRect();
    if (target.isEmpty() || index < 0 || index >= m_detections.size())
        return {};
    const QSize photo = m_photoPixels.isValid() && !m_photoPixels.isEmpty() ? m_photoPixels : m_image.size();
    const double sx = double(target.width()) / photo.width();
    const double sy = double(target.height()) / photo.height();
    const PixelBox &box = m_detections.at(index).box;
    return QRectF(target.x() + box.x * sx, target.y() + box.y * sy, box.width * sx, box.height * sy).toAlignedRect();
}

void ImagePreview::mousePressEvent(QMouseEvent *event)
{
    // The smallest box under the pointer: a small item inside a larger one stays reachable.
    int chosen = -1;
    for (int i = 0; i < m_detections.size(); ++i) {
        const QRect box = detectionRect(i);
        if (box.contains(event->position().toPoint())
            && (chosen < 0 || box.width() * box.height() < detectionRect(chosen).width() * detectionRect(chosen).height()))
            chosen = i;
    }
    if (chosen < 0)
        return QWidget::mousePressEvent(event);
    selectDetection(chosen);
    emit detectionClicked(chosen);
}

void ImagePreview::clear(const QString &message)
{
    m_detections.clear();
    m_selected = -1;
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
    if (!m_image.isNull() && !m_detections.isEmpty()) {
        QStringList found;
        for (const DetectionReport &detection : std::as_const(m_detections))
            found.append(tr("%1 (%2)").arg(detection.label, QLocale().toString(detection.confidence * 100, 'f', 0) + u'%'));
        text += QLatin1Char(' ') + tr("%n found: %1.", nullptr, int(m_detections.size())).arg(found.join(QStringLiteral(", ")));
    }
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

void ImagePreview::paintDetections(QPainter &painter) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics metrics = fontMetrics();
    for (int i = 0; i < m_detections.size(); ++i) {
        const DetectionReport &detection = m_detections.at(i);
        const QRect box = detectionRect(i);
        const QColor color = colorFor(detection.index);
        const int width = i == m_selected ? 4 : 2;
        // A dark outline under the coloured line: visible on light and dark photos alike.
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 200), width + 2));
        painter.drawRect(box);
        painter.setPen(QPen(color, width));
        painter.drawRect(box);
        const QString tag = tr("%1 %2").arg(detection.label, QLocale().toString(detection.confidence * 100, 'f', 0) + u'%');
        QRect tagRect(box.left(), box.top() - metrics.height() - 2, metrics.horizontalAdvance(tag) + 8, metrics.height() + 2);
        if (tagRect.top() < 0)
            tagRect.moveTop(box.top()); // inside the box at the photo's top edge
        painter.fillRect(tagRect, color);
        painter.setPen(color.lightnessF() > 0.55 ? Qt::black : Qt::white);
        painter.drawText(tagRect.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, tag);
    }
    painter.restore();
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
    paintDetections(painter);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(0, height() - captionHeight(), width(), captionHeight()), Qt::AlignCenter,
                     m_caption);
}

} // namespace orchard
