#include "server/core/eventlogmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include "common/protocol/clienttext.h"
#include "common/protocol/errorcode.h"
#include "server/core/serverevents.h"

namespace orchard {

QString EventLogModel::Entry::line() const
{
    QString text = time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    text += sessionId ? QStringLiteral(" #%1 %2").arg(sessionId).arg(peer) : QStringLiteral(" server");
    text += QLatin1Char(' ') + event;
    if (!details.isEmpty())
        text += QLatin1Char(' ') + details;
    return text;
}

namespace {

/** value as JSON text: QJsonDocument writes only objects and arrays, so one in an array, unwrapped. */
QByteArray jsonText(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace

QByteArray EventLogModel::Entry::toJson(const QString &model) const
{
    // Written by hand in this order, not as one QJsonObject (which sorts its keys), so a
    // person reading journalctl sees when, how bad and what first.
    QByteArray json = "{\"time\":" + jsonText(time.toUTC().toString(Qt::ISODateWithMs));
    json += ",\"level\":" + jsonText(levelName(level));
    json += ",\"event\":" + jsonText(event);
    QStringList written { QStringLiteral("time"), QStringLiteral("level"), QStringLiteral("event"),
                          QStringLiteral("message"), QStringLiteral("model") };
    if (sessionId != 0) {
        json += ",\"session\":" + QByteArray::number(sessionId);
        json += ",\"peer\":" + jsonText(peer);
        written << QStringLiteral("session") << QStringLiteral("peer");
    }
    // A model event names its own model; every other event, the default one.
    const QString entryModel = fields.contains(QStringLiteral("model")) ? fields.value(QStringLiteral("model")).toString()
                                                                        : model;
    if (!entryModel.isEmpty())
        json += ",\"model\":" + jsonText(entryModel);
    json += ",\"message\":" + jsonText(details);
    for (auto field = fields.begin(); field != fields.end(); ++field) {
        if (!written.contains(field.key()))
            json += ',' + jsonText(field.key()) + ':' + jsonText(field.value());
    }
    return json + '}';
}

QString EventLogModel::levelName(Level level)
{
    switch (level) {
    case Level::Info:
        return QStringLiteral("info");
    case Level::Warning:
        return QStringLiteral("warning");
    case Level::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

EventLogModel::EventLogModel(ServerEvents *events, QObject *parent) : QAbstractTableModel(parent)
{
    // The details in English, not tr(): they go to the journal and the log file as they are
    // (ServerLog), and the server's own messages they quote are English too.
    connect(events, &ServerEvents::listening, this, [this](const QString &address, quint16 port) {
        add(0, QStringLiteral("listening"), QStringLiteral("on %1 port %2").arg(address).arg(port),
            { { QStringLiteral("address"), address }, { QStringLiteral("port"), port } });
    });
    connect(events, &ServerEvents::stopped, this,
            [this] { add(0, QStringLiteral("stopped"), QStringLiteral("no longer accepting connections")); });
    connect(events, &ServerEvents::connectionQueued, this,
            [this](quint64 id, const QString &peer, int position) {
                m_peers.insert(id, peer);
                add(id, QStringLiteral("queued"), QStringLiteral("all workers busy; waiting at position %1").arg(position),
                    { { QStringLiteral("position"), position } });
            });
    connect(events, &ServerEvents::connectionRejected, this,
            [this](const QString &peer, const QString &reason) {
                add(0, QStringLiteral("busy"), QStringLiteral("refused %1: %2").arg(peer, reason),
                    { { QStringLiteral("peer"), peer } }, Level::Warning);
            });
    connect(events, &ServerEvents::waitingConnectionLeft, this, [this](quint64 id) {
        add(id, QStringLiteral("left"), QStringLiteral("hung up while waiting"));
        m_peers.remove(id);
    });
    connect(events, &ServerEvents::sessionStarted, this,
            [this](quint64 id, const QString &peer, double waitedMs) {
                m_peers.insert(id, peer);
                add(id, QStringLiteral("started"),
                    waitedMs >= 100.0 ? QStringLiteral("worker assigned after waiting %1 s").arg(waitedMs / 1000.0, 0, 'f', 1)
                                    : QStringLiteral("worker assigned"),
                    { { QStringLiteral("waited_ms"), waitedMs } });
            });
    connect(events, &ServerEvents::sessionAuthenticated, this, [this](quint64 id, const QString &label) {
        add(id, QStringLiteral("auth"), QStringLiteral("authenticated as %1").arg(label), { { QStringLiteral("user"), label } });
    });
    connect(events, &ServerEvents::predictionServed, this,
            [this](quint64 id, const QString &label, double confidence, double latencyMs) {
                add(id, QStringLiteral("prediction"),
                    QStringLiteral("%1 %2% %3 ms").arg(label).arg(confidence * 100.0, 0, 'f', 1).arg(latencyMs, 0, 'f', 1),
                    { { QStringLiteral("label"), label },
                      { QStringLiteral("confidence"), confidence },
                      { QStringLiteral("latency_ms"), latencyMs } });
            });
    connect(events, &ServerEvents::requestFailed, this,
            [this](quint64 id, ErrorCode code, const QString &message) {
                // The message came (at least in part) from the client: it reaches the
                // JSON only as the bounded details, never as a field of its own.
                add(id, code == ErrorCode::Timeout ? QStringLiteral("timeout") : QStringLiteral("error"),
                    QStringLiteral("%1: %2").arg(errorCodeName(code), message),
                    { { QStringLiteral("code"), errorCodeName(code) } }, Level::Warning);
            });
    connect(events, &ServerEvents::sessionEnded, this, [this](quint64 id, const QString &reason) {
        const bool offline = reason == QLatin1String("offline");
        add(id, offline ? QStringLiteral("offline") : QStringLiteral("closed"),
            offline ? QStringLiteral("client went offline") : reason);
        m_peers.remove(id);
    });
    connect(events, &ServerEvents::workerCountChanged, this, [this](int workers) {
        add(0, QStringLiteral("workers"), QStringLiteral("worker pool resized to %1").arg(workers),
            { { QStringLiteral("workers"), workers } });
    });
    connect(events, &ServerEvents::draining, this, [this](const QString &why, qint64 seconds) {
        add(0, QStringLiteral("draining"),
            QStringLiteral("%1: not ready for new clients for %2 s while serving the ones here, then shutting down")
                    .arg(why)
                    .arg(seconds),
            { { QStringLiteral("reason"), why }, { QStringLiteral("drain_seconds"), seconds } }, Level::Warning);
    });
    connect(events, &ServerEvents::workersWarmed, this,
            [this](int threads, double wallMs, double slowestMs, const QString &error) {
                const QString timing = QStringLiteral("warmed up %1 worker thread%2 in %3 ms (slowest thread %4 ms)")
                                               .arg(threads)
                                               .arg(threads == 1 ? "" : "s")
                                               .arg(wallMs, 0, 'f', 1)
                                               .arg(slowestMs, 0, 'f', 1);
                add(0, QStringLiteral("warm-up"),
                    error.isEmpty() ? timing : QStringLiteral("%1; a warm-up prediction failed: %2").arg(timing, error));
            });
    connect(events, &ServerEvents::modelEvent, this,
            [this](const QString &model, qint64 version, const QString &text, bool problem) {
                QJsonObject fields;
                QString subject = QStringLiteral("repository");
                if (!model.isEmpty()) {
                    fields.insert(QStringLiteral("model"), model);
                    subject = model;
                }
                if (version > 0) {
                    fields.insert(QStringLiteral("model_version"), version);
                    subject = QStringLiteral("%1 version %2").arg(model).arg(version);
                }
                add(0, QStringLiteral("model"), QStringLiteral("%1 %2").arg(subject, text), fields,
                    problem ? Level::Warning : Level::Info);
            });
}

void EventLogModel::add(quint64 sessionId, const QString &event, const QString &details, const QJsonObject &fields,
                        Level level)
{
    if (m_entries.size() >= kMaxEntries) {
        beginRemoveRows({}, 0, 0);
        m_entries.pop_front();
        endRemoveRows();
    }
    const int row = static_cast<int>(m_entries.size());
    beginInsertRows({}, row, row);
    // The last line of defence: whatever a client managed to get into an error message
    // reaches the log one line long and bounded (10,000 entries of at most kMaxDetails).
    m_entries.push_back({ QDateTime::currentDateTime(), sessionId, m_peers.value(sessionId), event,
                          quotedClientText(details, kMaxDetails), level, fields });
    endInsertRows();
    emit entryAdded(m_entries.back());
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

/**
 * The events the server logs. Each is its own Event column word in English; the catalog
 * has it in the other languages (the event field of the log and the JSON stays English).
 */
const char *const kEventWords[] = {
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "listening"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "stopped"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "queued"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "busy"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "left"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "started"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "auth"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "prediction"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "timeout"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "error"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "offline"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "closed"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "workers"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "draining"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "warm-up"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "model"),
    QT_TRANSLATE_NOOP("orchard::EventLogModel", "reload"),
};

} // namespace

QString EventLogModel::eventText(const QString &event)
{
    for (const char *word : kEventWords) {
        if (event == QLatin1String(word))
            return tr(word);
    }
    return event;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Entry &e = entry(index.row());
    if (role == FilterTextRole) {
        const QString shown = data(index, Qt::DisplayRole).toString();
        return index.column() == Event && shown != e.event ? shown + QLatin1Char(' ') + e.event : shown;
    }
    if (role == Qt::ToolTipRole && index.column() == Details && !e.details.isEmpty())
        return e.details; // a long one is cut off in the column
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QLocale().toString(e.time, QStringLiteral("HH:mm:ss.zzz"));
    case Session:
        return e.sessionId ? QStringLiteral("#%1").arg(e.sessionId) : QString();
    case Peer:
        return e.peer;
    case Event:
        return eventText(e.event);
    case Details:
        return e.details;
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Session:
        return tr("Session");
    case Peer:
        return tr("Peer");
    case Event:
        return tr("Event");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

void EventLogModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         { Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, FilterTextRole });
}

} // namespace orchard
