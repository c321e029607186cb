#include "client/core/imagelistmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QPainter>

#include "client/core/diagnosistext.h"

namespace orchard {

ImageListModel::ImageListModel(ImageBatch *batch, QObject *parent)
    : QAbstractListModel(parent)
    , m_batch(batch)
{
    connect(batch, &ImageBatch::itemAboutToBeAdded, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(batch, &ImageBatch::itemAdded, this, [this] { endInsertRows(); });
    connect(batch, &ImageBatch::itemChanged, this, [this](int row) { emit dataChanged(index(row), index(row)); });
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_batch->count();
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
        return badged(item);
    case Qt::ToolTipRole:
        return tr("%1\n%2 × %3 pixels, %4%5")
                .arg(QDir::toNativeSeparators(item.image.path))
                .arg(item.image.dimensions.width())
                .arg(item.image.dimensions.height())
                .arg(QLocale().formattedDataSize(item.image.bytes.size()))
                .arg(item.status == Status::Failed ? QStringLiteral("\n") + item.error : QString());
    case PathRole:
        return item.image.path;
    case StatusRole:
        return static_cast<int>(item.status);
    default:
        return {};
    }
}

QImage ImageListModel::badged(const Item &item) const
{
    const int side = ImageLoader::kThumbnailSize;
    QImage canvas(side, side, QImage::Format_ARGB32_Premultiplied);
    canvas.fill(Qt::transparent);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!item.image.thumbnail.isNull()) {
        const QImage thumb = item.image.thumbnail.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        painter.drawImage((side - thumb.width()) / 2, (side - thumb.height()) / 2, thumb);
    } else {
        painter.fillRect(canvas.rect(), QColor(0xee, 0xee, 0xee));
        painter.drawText(canvas.rect(), Qt::AlignCenter, QStringLiteral("?"));
    }
    // The badge: a coloured dot in the corner says where this image stands at a glance.
    QColor badge;
    switch (item.status) {
    case Status::New:
        return canvas;
    case Status::Queued:
    case Status::Sent:
        badge = QColor(0xf9, 0xa8, 0x25);
        break;
    case Status::Done:
        badge = QColor(0x2e, 0x7d, 0x32);
        break;
    case Status::Failed:
        badge = QColor(0xc6, 0x28, 0x28);
        break;
    }
    painter.setPen(QPen(Qt::white, 2));
    painter.setBrush(badge);
    painter.drawEllipse(QRectF(side - 24, side - 24, 20, 20));
    return canvas;
}

} // namespace orchard
