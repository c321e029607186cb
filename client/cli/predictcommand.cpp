#include "predictcommand.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSslCertificate>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include "clientsettings.h"
#include "framereader.h"
#include "imageloader.h"
#include "requestqueue.h"
#include "serveraddressoptions.h"
#include "serverconnection.h"
#include "servermessage.h"

namespace orchard {

namespace {

// Files are read only this many ahead of what is on the wire: enough to refill the
// pipeline at once, little enough that a folder of 12 MB photos stays out of memory.
constexpr int kReadAhead = RequestQueue::kDefaultMaxInFlight;

QString mebibytes(qint64 bytes) { return QString::number(bytes / 1048576.0, 'f', 1); }

/** "Cannot reach …" → "cannot reach …": the sentence follows "orchard-cli: ". */
QString lowerFirst(QString sentence)
{
    if (!sentence.isEmpty())
        sentence[0] = sentence.at(0).toLower();
    return sentence;
}

} // namespace

PredictCommand::PredictCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

PredictCommand::~PredictCommand() = default;

QString PredictCommand::summary()
{
    return QStringLiteral("send image files or folders to an Orchard server for diagnosis");
}

bool PredictCommand::parseArguments(const QStringList &arguments, int &exitCode)
{
    const ClientSettings defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sends leaf photos to an Orchard server and prints its diagnoses in the order given,\n"
        "one table row or JSON line per file as the answers arrive. Folders are expanded to\n"
        "the image files directly in them, in natural order.\n"
        "A server started with --token-file needs the access token in ORCHARD_TOKEN.\n"
        "JSON error lines carry the server's code (BAD_IMAGE…) or UNREADABLE, TOO_LARGE,\n"
        "NO_IMAGES for files that never left this computer.\n"
        "Exit status: 0 all diagnosed, 1 some files failed, 2 bad options or no server\n"
        "(unreachable, busy, connection lost)."));
    parser.addHelpOption();
    const ServerAddressOptions address;
    parser.addOptions(address.options());
    const QCommandLineOption topKOption(QStringLiteral("top-k"),
        QStringLiteral("How many labels to list per image (default %1).").arg(defaults.topK),
        QStringLiteral("K"), QString::number(defaults.topK));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        QStringLiteral("One JSON object per line instead of a table."));
    const QCommandLineOption binaryOption(QStringLiteral("binary"),
        QStringLiteral("Send raw image bytes; fail if the server does not offer it."));
    const QCommandLineOption base64Option(QStringLiteral("base64"),
        QStringLiteral("Send base64 JSON bodies even if the server offers binary."));
    const QCommandLineOption tlsOption(QStringLiteral("tls"), QStringLiteral("Connect with TLS."));
    const QCommandLineOption caOption(QStringLiteral("ca"),
        QStringLiteral("With --tls: the CA certificate (PEM) that signed the server's."), QStringLiteral("FILE"));
    const QCommandLineOption pinOption(QStringLiteral("pin"),
        QStringLiteral("With --tls: trust the server certificate with this SHA-256 fingerprint (ab:cd:…)."),
        QStringLiteral("SHA256"));
    parser.addOptions({ topKOption, jsonOption, binaryOption, base64Option, tlsOption,
                        caOption, pinOption });
    parser.addPositionalArgument(name(), summary(), name());
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Image files or folders."),
        QStringLiteral("FILE|DIR..."));

    exitCode = Failed;
    if (!parser.parse(arguments)) {
        m_err << "orchard-cli predict: " << parser.errorText() << "\n";
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_out << parser.helpText();
        exitCode = Success;
        return false;
    }
    QStringList paths = parser.positionalArguments();
    paths.removeFirst(); // "predict" itself
    if (paths.isEmpty()) {
        m_err << "orchard-cli predict: no files or folders given (see --help)\n";
        return false;
    }
    QString addressError;
    if (!address.read(parser, m_host, m_port, addressError)) {
        m_err << "orchard-cli predict: " << addressError << "\n";
        return false;
    }
    bool ok = false;
    m_topK = parser.value(topKOption).toInt(&ok);
    if (!ok || m_topK < 1) {
        m_err << "orchard-cli predict: --top-k needs a whole number of at least 1\n";
        return false;
    }
    m_json = parser.isSet(jsonOption);
    m_forceBinary = parser.isSet(binaryOption);
    m_forceBase64 = parser.isSet(base64Option);
    m_tls.enabled = parser.isSet(tlsOption) || parser.isSet(caOption) || parser.isSet(pinOption);
    m_tls.pinnedFingerprint = parser.value(pinOption);
    if (parser.isSet(caOption)) {
        m_tls.caCertificates = QSslCertificate::fromPath(parser.value(caOption), QSsl::Pem);
        if (m_tls.caCertificates.isEmpty()) {
            m_err << "orchard-cli predict: no PEM certificate could be read from " << parser.value(caOption) << "\n";
            return false;
        }
    }
    if (m_forceBinary && m_forceBase64) {
        m_err << "orchard-cli predict: --binary and --base64 exclude each other\n";
        return false;
    }

    // Each path on its own, so that an empty folder gets its own error line.
    for (const QString &path : std::as_const(paths)) {
        const QStringList files = ImageLoader::expand({ path });
        if (files.isEmpty()) {
            Entry entry;
            entry.file = path;
            entry.resolved = true;
            entry.line = errorLine(path, QStringLiteral("no image files in this folder"),
                                   QStringLiteral("NO_IMAGES"));
            m_entries.append(entry);
            continue;
        }
        for (const QString &file : files) {
            m_toSend.append(static_cast<int>(m_entries.size()));
            m_entries.append(Entry { file, false, false, {} });
        }
    }
    exitCode = Success;
    return true;
}

int PredictCommand::run(const QStringList &arguments)
{
    int exitCode = Success;
    if (!parseArguments(arguments, exitCode)) {
        m_out.flush();
        m_err.flush();
        return exitCode;
    }
    m_fileWidth = QStringLiteral("FILE").size();
    for (const Entry &entry : std::as_const(m_entries))
        m_fileWidth = std::max<int>(m_fileWidth, entry.file.size());

    m_connection = new ServerConnection(this);
    m_connection->setForceBase64(m_forceBase64);
    m_connection->setTls(m_tls);
    // From the environment, not the command line, where other users could read it (ps).
    m_connection->setAccessToken(qgetenv("ORCHARD_TOKEN"));
    m_queue = new RequestQueue(m_connection, this);
    connect(m_connection, &ServerConnection::queued, this, [this](int position) { onQueued(position); });
    connect(m_connection, &ServerConnection::serverMessage, this, &PredictCommand::onServerMessage);
    connect(m_connection, &ServerConnection::connectionLost, this, &PredictCommand::onConnectionLost);
    connect(m_connection, &ServerConnection::certificateNotTrusted, this, [this](const QString &fingerprint) {
        m_err << "orchard-cli: if the server's administrator confirms that fingerprint, run again with\n"
              << "  --pin " << fingerprint << "\n";
        m_err.flush();
    });
    connect(m_connection, &ServerConnection::requestFailed, this, [this](const ProtocolError &error) {
        if (error.code == ErrorCode::Busy)
            m_refused = true; // the connection loss that follows says only the server's words
    });
    connect(m_connection, &ServerConnection::offlineAcknowledged, this, [this](const QString &text) {
        m_err << "orchard-cli: server says: " << text << "\n";
        m_err.flush();
    });
    connect(m_connection, &ServerConnection::stateChanged, this, [this](ServerConnection::State state) {
        if (state == ServerConnection::State::Disconnected)
            onDisconnected();
    });
    connect(m_queue, &RequestQueue::jobSent, this, &PredictCommand::feed);
    connect(m_queue, &RequestQueue::jobFinished, this, &PredictCommand::onJobFinished);
    connect(m_queue, &RequestQueue::jobFailed, this, &PredictCommand::onJobFailed);

    // Connect from inside the loop, so that even an at-once failure finds it running to end.
    QTimer::singleShot(0, this, [this] {
        m_waitClock.start();
        m_connection->connectToServer(m_host, m_port);
    });
    // Everything from here on happens in slots; the loop ends once the connection is closed.
    const int code = m_loop.exec();
    m_out.flush();
    m_err.flush();
    return code;
}

void PredictCommand::onQueued(int position)
{
    // The line length comes from the connection, which squares the server's count with it.
    if (position == m_lastPosition)
        return;
    m_lastPosition = position;
    m_err << "orchard-cli: all server workers are busy; waiting in line (position " << position
          << " of " << m_connection->queueLength() << ")\n";
    m_err.flush();
}

void PredictCommand::onServerMessage(const ServerMessage &message)
{
    // The welcome, not welcomed(): only the message itself carries max_msg_len.
    if (message.kind() != QLatin1String("welcome") || m_welcomed)
        return;
    m_welcomed = true;
    if (m_lastPosition > 0) {
        m_waitedSeconds = m_waitClock.nsecsElapsed() / 1e9;
        m_err << "orchard-cli: a server worker is ready\n";
        m_err.flush();
    }
    if (m_forceBinary && !m_connection->usesBinary()) {
        fail(QStringLiteral("the server at %1:%2 does not accept binary image bodies (it offers "
                            "only base64); leave out --binary")
                     .arg(m_host)
                     .arg(m_port));
        return;
    }
    m_labelWidth = QStringLiteral("LABEL").size();
    for (const QString &label : m_connection->labels())
        m_labelWidth = std::max<int>(m_labelWidth, label.size());

    printHeader();
    m_batchClock.start();
    printResolvedLines(); // empty folders named before the first file
    feed();
}

void PredictCommand::printHeader()
{
    if (m_json)
        return;
    m_out << "server " << m_connection->serverName() << " at " << m_host << ":" << m_port
          << ", model " << m_connection->modelName() << ", "
          << (m_connection->usesBinary() ? "binary" : "base64") << " bodies\n";
    if (m_waitedSeconds > 0)
        m_out << "waited " << QString::number(m_waitedSeconds, 'f', 1)
              << " s for a free server worker\n";
    m_out << QStringLiteral("FILE").leftJustified(m_fileWidth) << "  "
          << QStringLiteral("LABEL").leftJustified(m_labelWidth) << "  "
          << QStringLiteral("CONFIDENCE").rightJustified(10) << "  "
          << QStringLiteral("SERVER MS").rightJustified(9) << "\n";
    m_out.flush();
}

void PredictCommand::feed()
{
    // enqueue() sends at once and jobSent calls back here; the outer loop carries on.
    if (m_feeding || !m_welcomed || m_finishing)
        return;
    m_feeding = true;
    while (m_nextToSend < m_toSend.size() && m_queue->pendingCount() < kReadAhead) {
        const int index = m_toSend.at(m_nextToSend++);
        const QString path = m_entries.at(index).file;
        const QString fileName = QFileInfo(path).fileName();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            resolve(index, false, errorLine(path, QStringLiteral("cannot open the file: %1").arg(file.errorString()),
                                            QStringLiteral("UNREADABLE")));
            continue;
        }
        // Checked before reading: a file the server would refuse (and close the connection
        // for) gets its own error line, and is never loaded into memory.
        ImageRequest planned;
        planned.name = fileName;
        planned.topK = m_topK;
        const qint64 length = m_connection->bodyLengthFor(planned, file.size());
        if (length > m_connection->maxMessageLength()) {
            resolve(index, false,
                    errorLine(path,
                              QStringLiteral("the file is too large for the server (%1 MiB to send, "
                                             "it accepts %2 MiB)")
                                      .arg(mebibytes(length), mebibytes(m_connection->maxMessageLength())),
                              QStringLiteral("TOO_LARGE")));
            continue;
        }
        const QByteArray bytes = file.readAll();
        if (bytes.size() != file.size()) {
            resolve(index, false, errorLine(path, QStringLiteral("cannot read the file: %1").arg(file.errorString()),
                                            QStringLiteral("UNREADABLE")));
            continue;
        }
        m_entryOfJob.insert(m_queue->enqueue(fileName, bytes, m_topK), index);
    }
    m_feeding = false;
    printResolvedLines();
    finishIfDone();
}

void PredictCommand::onJobFinished(int jobId, const PredictionReply &reply)
{
    const int index = m_entryOfJob.take(jobId);
    ++m_answered;
    resolve(index, true, resultLine(m_entries.at(index).file, reply));
    printResolvedLines();
    feed();
}

void PredictCommand::onJobFailed(int jobId, const ProtocolError &error)
{
    const int index = m_entryOfJob.take(jobId);
    ++m_answered;
    resolve(index, false, errorLine(m_entries.at(index).file, error.message, errorCodeName(error.code)));
    printResolvedLines();
    feed();
}

void PredictCommand::resolve(int entry, bool diagnosed, const QString &line)
{
    Entry &target = m_entries[entry];
    target.resolved = true;
    target.diagnosed = diagnosed;
    target.line = line;
}

void PredictCommand::printResolvedLines()
{
    // The server answers in order, so this holds a line back only behind a file that is
    // still on the wire; it keeps local errors in their place among the answers.
    if (!m_welcomed)
        return;
    while (m_nextToPrint < m_entries.size() && m_entries.at(m_nextToPrint).resolved)
        m_out << m_entries.at(m_nextToPrint++).line << "\n";
    m_out.flush(); // one line per file as it happens, even when piped
}

QString PredictCommand::resultLine(const QString &file, const PredictionReply &reply) const
{
    if (!m_json) {
        return file.leftJustified(m_fileWidth) + QStringLiteral("  ") + reply.label.leftJustified(m_labelWidth)
                + QStringLiteral("  ")
                + (QString::number(reply.confidence * 100.0, 'f', 1) + QStringLiteral(" %")).rightJustified(10)
                + QStringLiteral("  ") + QString::number(reply.timing.total, 'f', 1).rightJustified(9);
    }
    QJsonArray topK;
    // An older server may list its default number of labels; show what was asked for.
    for (int i = 0; i < std::min<int>(m_topK, reply.topK.size()); ++i) {
        const LabelScore &score = reply.topK.at(i);
        topK.append(QJsonObject { { QStringLiteral("label"), score.label },
                                  { QStringLiteral("index"), score.index },
                                  { QStringLiteral("score"), score.score } });
    }
    const QJsonObject timing {
        { QStringLiteral("wait"), reply.timing.wait },
        { QStringLiteral("decode"), reply.timing.decode },
        { QStringLiteral("preprocess"), reply.timing.preprocess },
        { QStringLiteral("infer"), reply.timing.infer },
        { QStringLiteral("total"), reply.timing.total },
    };
    const QJsonObject line {
        { QStringLiteral("file"), file },
        { QStringLiteral("label"), reply.label },
        { QStringLiteral("index"), reply.index },
        { QStringLiteral("confidence"), reply.confidence },
        { QStringLiteral("top_k"), topK },
        { QStringLiteral("timing_ms"), timing },
    };
    return QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

QString PredictCommand::errorLine(const QString &file, const QString &message, const QString &code) const
{
    if (!m_json)
        return file.leftJustified(m_fileWidth) + QStringLiteral("  error: ") + message;
    const QJsonObject line { { QStringLiteral("file"), file },
                             { QStringLiteral("error"), message },
                             { QStringLiteral("code"), code } };
    return QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

void PredictCommand::finishIfDone()
{
    if (m_finishing || m_nextToSend < m_toSend.size() || !m_queue->isIdle())
        return;
    m_batchSeconds = m_batchClock.nsecsElapsed() / 1e9;
    const int total = static_cast<int>(m_entries.size());
    const int diagnosed = static_cast<int>(
            std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &entry) { return entry.diagnosed; }));
    if (!m_json) {
        // A tenth of a second is the resolution people read; a fast local batch needs more.
        m_out << "\n" << diagnosed << " of " << total << " diagnosed in "
              << QString::number(m_batchSeconds, 'f', m_batchSeconds < 0.1 ? 3 : 1) << " s";
        if (m_answered > 0 && m_batchSeconds > 0)
            m_out << " (" << QString::number(m_answered / m_batchSeconds, 'f', 1) << " images/s)";
        if (diagnosed < total)
            m_out << ", " << total - diagnosed << " failed";
        m_out << "\n";
        m_out.flush();
    }
    m_exitCode = diagnosed == total ? Success : SomeImagesFailed;
    m_finishing = true;
    // Goodbye as the original clients said it; the loop ends when the server has closed.
    m_connection->disconnectFromServer();
}

void PredictCommand::fail(const QString &sentence)
{
    m_err << "orchard-cli: " << sentence << "\n";
    m_err.flush();
    m_exitCode = Failed;
    m_finishing = true;
    m_connection->disconnectFromServer();
}

void PredictCommand::onConnectionLost(const QString &reason)
{
    if (m_finishing)
        return; // only the goodbye was lost; every answer is in
    if (m_refused)
        m_err << "orchard-cli: the server at " << m_host << ":" << m_port << " refused the connection: ";
    else
        m_err << "orchard-cli: ";
    m_err << lowerFirst(reason) << "\n";
    m_err.flush();
    m_exitCode = Failed;
    m_loop.exit(m_exitCode);
}

void PredictCommand::onDisconnected()
{
    // A connection lost without our asking is reported by onConnectionLost, which follows.
    if (m_finishing)
        m_loop.exit(m_exitCode);
}

} // namespace orchard
