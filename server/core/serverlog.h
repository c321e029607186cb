#pragma once

#include <memory>

#include <QFile>
#include <QObject>
#include <QString>
#include <QTextStream>

#include "server/core/eventlogmodel.h"

namespace orchard {

/** How the server writes its lines (--log-format). */
enum class LogFormat { Text, Json };

/**
 * Where the server's lines go, in one format: the event log's entries to the console
 * (headless) and to the log file, and the few lines that are not events (the banner, a
 * warning at start) to stdout or stderr.
 *
 * Text is what a person reads (EventLogModel::Entry::line(), the banner as it always was);
 * JSON is one object per line (Entry::toJson()) for journald or Loki, the banner included,
 * so a machine never meets a line it cannot parse.
 *
 * Lines are flushed once per pass of the event loop, not one by one: predictions arrive in
 * batches of up to a few hundred (ServerEvents), and a write per line cost the GUI thread a
 * system call per prediction.
 *
 * reopenFile() is SIGHUP's: after logrotate renamed the file, the next line goes to a new
 * one at the same path.
 */
class ServerLog : public QObject
{
    Q_OBJECT

public:
    /** out, err: stdout and stderr; they must outlive this. */
    ServerLog(LogFormat format, QTextStream *out, QTextStream *err, QObject *parent = nullptr);
    ~ServerLog() override;

    LogFormat format() const { return m_format; }
    /** Whether event lines go to out as well as the file (headless: yes; the monitor shows them itself). */
    void setEventsToConsole(bool toConsole) { m_eventsToConsole = toConsole; }
    /** The model named in every JSON line. */
    void setModelName(const QString &model) { m_model = model; }

    /** Appends to path from now on; false (error says why, naming the file) if it cannot be opened. */
    bool openFile(const QString &path, QString *error);
    /**
     * Opens the log file's path again and writes there from now on: a new file when the old
     * one was renamed. If it cannot be opened, the old file stays in use (false; error says why).
     */
    bool reopenFile(QString *error);
    bool hasFile() const { return m_file != nullptr; }
    QString filePath() const { return m_file ? m_file->fileName() : QString(); }

    /** Writes every entry log adds, from now on. */
    void follow(const EventLogModel &log);
    void write(const EventLogModel::Entry &entry);
    /**
     * A line that is no event of the log (the banner, a warning): in text exactly as given
     * (Info to out, anything worse to err), in JSON an object with this event name.
     */
    void notice(EventLogModel::Level level, const QString &event, const QString &text);

private:
    void scheduleFlush();
    void flush();

    LogFormat m_format;
    QTextStream *m_out;
    QTextStream *m_err;
    bool m_eventsToConsole = false;
    QString m_model;
    std::unique_ptr<QFile> m_file;
    QTextStream m_fileStream;
    bool m_flushScheduled = false;
};

} // namespace orchard
