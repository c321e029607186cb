#include "server/core/serverlog.h"

#include <QTimer>

namespace orchard {

ServerLog::ServerLog(LogFormat format, QTextStream *out, QTextStream *err, QObject *parent)
    : QObject(parent)
    , m_format(format)
    , m_out(out)
    , m_err(err)
{
}

ServerLog::~ServerLog()
{
    flush();
}

bool ServerLog::openFile(const QString &path, QString *error)
{
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::Append | QIODevice::Text)) {
        *error = QStringLiteral("cannot open the log file %1: %2").arg(path, file->errorString());
        return false;
    }
    m_fileStream.setDevice(file.get()); // flushes what the old file still had buffered
    m_file = std::move(file);
    return true;
}

bool ServerLog::reopenFile(QString *error)
{
    if (!m_file) {
        *error = QStringLiteral("there is no log file to reopen");
        return false;
    }
    return openFile(m_file->fileName(), error);
}

void ServerLog::follow(const EventLogModel &log)
{
    connect(&log, &EventLogModel::entryAdded, this, &ServerLog::write);
}

void ServerLog::write(const EventLogModel::Entry &entry)
{
    if (!m_file && !m_eventsToConsole)
        return;
    const QString line = m_format == LogFormat::Json ? QString::fromUtf8(entry.toJson(m_model)) : entry.line();
    if (m_eventsToConsole)
        *m_out << line << '\n';
    if (m_file)
        m_fileStream << line << '\n';
    scheduleFlush();
}

void ServerLog::notice(EventLogModel::Level level, const QString &event, const QString &text)
{
    QTextStream &stream = level == EventLogModel::Level::Info ? *m_out : *m_err;
    if (m_format == LogFormat::Text) {
        stream << text << Qt::endl;
        return;
    }
    EventLogModel::Entry entry;
    entry.time = QDateTime::currentDateTime();
    entry.event = event;
    entry.details = text;
    entry.level = level;
    stream << QString::fromUtf8(entry.toJson(m_model)) << Qt::endl;
}

void ServerLog::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, &ServerLog::flush);
}

void ServerLog::flush()
{
    m_flushScheduled = false;
    if (m_eventsToConsole)
        m_out->flush();
    if (m_file)
        m_fileStream.flush();
}

} // namespace orchard
