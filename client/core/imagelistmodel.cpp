#include "client/core/imagelistmodel.h"

#include <QDir>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include "client/core/diagnosistext.h"

namespace orchard {

namespace {

/** The badge's square in the thumbnail's corner, in device-independent pixels. */
constexpr qreal kBadgeSide = 20.0;
constexpr qreal kBadgeMargin = 4.0;

/**
 * The mark inside the badge, so that the state reads without its colour: a tick for
 * done, a cross for failed, three dots for waiting. Lines, not glyphs: no font is needed,
 * and orchard-cli's tests paint without a GUI.
 */
void paintMark(QPainter &painter, const QRectF &badge, ImageBatch::Status status)
{
    const QPointF c = badge.center();
    const qreal r = badge.width() / 2.0;
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::white, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    switch (status) {
    case ImageBatch::Status::Done: {
        QPainterPath tick;
        tick.moveTo(c + QPointF(-0.45 * r, 0.0));
        tick.lineTo(c + QPointF(-0.1 * r, 0.38 * r));
        tick.lineTo(c + QPointF(0.5 * r, -0.35 * r));
        painter.drawPath(tick);
        break;
    }
    case ImageBatch::Status::Failed:
        painter.drawLine(c + QPointF(-0.38 * r, -0.38 * r), c + QPointF(0.38 * r, 0.38 * r));
        painter.drawLine(c + QPointF(-0.38 * r, 0.38 * r), c + QPointF(0.38 * r, -0.38 * r));
        break;
    case ImageBatch::Status::Queued:
    case ImageBatch::Status::Sent:
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        for (qreal dx : { -0.45 * r, 0.0, 0.45 * r })
            painter.drawEllipse(c + QPointF(dx, 0.0), 0.13 * r, 0.13 * r);
        break;
    case ImageBatch::Status::New:
        break;
    }
}

} // namespace

ImageListModel::ImageListModel(ImageBatch *batch, QObject *parent)
    : QAbstractListModel(parent)
    , m_batch(batch)
{
    connect(batch, &ImageBatch::itemAboutToBeAdded, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(batch, &ImageBatch::itemAdded, this, [this] { endInsertRows(); });
    connect(batch, &ImageBatch::itemChanged, this, [this](int row) { emit dataChanged(index(row), index(row)); });
    connect(batch, &ImageBatch::itemsAboutToBeRemoved, this,
            [this](int first, int last) { beginRemoveRows({}, first, last); });
    connect(batch, &ImageBatch::itemsRemoved, this, [this] { endRemoveRows(); });
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_batch->count();
}

void ImageListModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, 0); // a list shows none, a view may
    if (m_batch->count() > 0)
        emit dataChanged(index(0), index(m_batch->count() - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, Qt::AccessibleDescriptionRole });
}

QString ImageListModel::statusText(const Item &item)
{
    switch (item.status) {
    case Status::New:
        return tr("Not diagnosed yet");
    case Status::Queued:
    case Status::Sent:
        return tr("Waiting");
    case Status::Done:
        return tr("Done: %1 %2").arg(DiagnosisText::label(item.reply.label, item.reply.uncertain),
                                     DiagnosisText::percent(item.reply.confidence, 0));
    case Status::Failed:
        return tr("Failed: %1").arg(item.error);
    }
    return {};
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_batch->count())
        return {};
    const Item &item = m_batch->item(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (item.status) {
        case Status::New:
            return item.image.fileName;
        case Status::Queued:
        case Status::Sent:
            return tr("%1\nwaiting for diagnosis…").arg(item.image.fileName);
        case Status::Done:
            return tr("%1\n%2 (%3)").arg(item.image.fileName,
                                          DiagnosisText::label(item.reply.label, item.reply.uncertain),
                                          DiagnosisText::percent(item.reply.confidence, 0));
        case Status::Failed:
            return tr("%1\nerror").arg(item.image.fileName);
        }
        return {};
    case Qt::DecorationRole:
        // data() runs on the GUI thread: the screens' density is safe to read here.
        return badged(item, ImageLoader::screenPixelRatio());
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
        // The file, its size, and last what the badge says, for the eye and the screen reader.
        return tr("%1\n%2 × %3 pixels, %4\n%5")
                .arg(QDir::toNativeSeparators(item.image.path), QLocale().toString(item.image.dimensions.width()),
                     QLocale().toString(item.image.dimensions.height()),
                     QLocale().formattedDataSize(item.image.bytes.size()), statusText(item));
    case Qt::AccessibleTextRole:
        // What a screen reader names the item by: the file, then its state.
        return tr("%1, %2").arg(item.image.fileName, statusText(item));
    case PathRole:
        return item.image.path;
    case StatusRole:
        return static_cast<int>(item.status);
    default:
        return {};
    }
}

QImage ImageListModel::badged(const Item &item, qreal devicePixelRatio)
{
    const int side = ImageLoader::kThumbnailSize;
    const qreal ratio = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    QImage canvas(qRound(side * ratio), qRound(side * ratio), QImage::Format_ARGB32_Premultiplied);
    canvas.setDevicePixelRatio(ratio);
    canvas.fill(Qt::transparent);
    // Painted in device-independent pixels; the painter puts ratio real pixels into each.
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    if (!item.image.thumbnail.isNull()) {
        const QImage thumb = ImageLoader::thumbnail(item.image.thumbnail, side, ratio);
        const QSizeF size = thumb.deviceIndependentSize();
        const QPointF corner((side - size.width()) / 2.0, (side - size.height()) / 2.0);
        painter.drawImage(QRectF(corner, size), thumb);
    } else {
        // No thumbnail (a format this computer cannot show): a grey square with a question mark.
        painter.fillRect(QRectF(0, 0, side, side), QColor(0xee, 0xee, 0xee));
        painter.setPen(QPen(QColor(0x75, 0x75, 0x75), 3.0, Qt::SolidLine, Qt::RoundCap));
        QPainterPath question;
        question.moveTo(side * 0.40, side * 0.38);
        question.cubicTo(side * 0.40, side * 0.24, side * 0.60, side * 0.24, side * 0.60, side * 0.38);
        question.cubicTo(side * 0.60, side * 0.48, side * 0.50, side * 0.48, side * 0.50, side * 0.58);
        painter.drawPath(question);
        painter.drawPoint(QPointF(side * 0.50, side * 0.70));
    }
    // The badge: a coloured disc in the corner with a mark of its own, where the image stands.
    QColor colour;
    switch (item.status) {
    case Status::New:
        return canvas;
    case Status::Queued:
    case Status::Sent:
        colour = QColor(0xf9, 0xa8, 0x25);
        break;
    case Status::Done:
        colour = QColor(0x2e, 0x7d, 0x32);
        break;
    case Status::Failed:
        colour = QColor(0xc6, 0x28, 0x28);
        break;
    }
    const QRectF badge(side - kBadgeSide - kBadgeMargin, side - kBadgeSide - kBadgeMargin, kBadgeSide, kBadgeSide);
    painter.setPen(QPen(Qt::white, 2));
    painter.setBrush(colour);
    painter.drawEllipse(badge);
    paintMark(painter, badge, item.status);
    return canvas;
}

} // namespace orchard
