#include "client/cli/predictcommand.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTimer>
#include <QUuid>

#include "client/cli/securityoptions.h"
#include "client/cli/serveraddressoptions.h"
#include "client/core/clientsettings.h"
#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "client/core/imagebatch.h"
#include "client/core/imageloader.h"
#include "client/core/plantdiagnosis.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "common/protocol/servermessage.h"

namespace orchard {

namespace {

// Files are read only this many ahead of what is on the wire: enough to refill the
// pipeline at once, little enough that a folder of 12 MB photos stays out of memory.
constexpr int kReadAhead = RequestQueue::kDefaultMaxInFlight;

/** "Cannot reach …" → "cannot reach …": the sentence follows "orchard-cli: ". */
QString lowerFirst(QString sentence)
{
    if (!sentence.isEmpty())
        sentence[0] = sentence.at(0).toLower();
    return sentence;
}

/** "The server closed the connection." → "the server closed the connection", for inside parentheses. */
QString asClause(const QString &sentence)
{
    QString clause = lowerFirst(sentence.trimmed());
    if (clause.endsWith(QLatin1Char('.')))
        clause.chop(1);
    return clause;
}

/** 250 → "0.2 s", 4000 → "4.0 s": as the status bar says it. */
QString secondsText(int milliseconds)
{
    return QStringLiteral("%1 s").arg(milliseconds / 1000.0, 0, 'f', 1);
}

} // namespace

PredictCommand::PredictCommand()
    : m_out(stdout)
    , m_err(stderr)
    , m_lines(ResultFormatter::Style::Table, ResultFormatter::Origin::Server)
{ }

PredictCommand::~PredictCommand() = default;

QString PredictCommand::summary()
{
    return QStringLiteral("send image files or folders to an Orchard server for diagnosis");
}

ParsedArguments<PredictCommand::Options> PredictCommand::parseArguments(const QStringList &arguments)
{
    using Parsed = ParsedArguments<Options>;
    const ClientSettings defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sends leaf photos to an Orchard server and prints its diagnoses in the order given,\n"
        "one table row or JSON line per file as the answers arrive. Folders are expanded to\n"
        "the image files directly in them, in natural order.\n"
        "A server started with --token-file needs the access token in ORCHARD_TOKEN.\n"
        "JSON error lines carry the server's code (BAD_IMAGE…) or UNREADABLE, TOO_LARGE,\n"
        "NO_IMAGES for files that never left this computer; UNKNOWN_MODEL when the server\n"
        "does not serve the model --model-name asks for.\n"
        "A connection lost mid-batch (a server restarted or killed, a backend behind HAProxy\n"
        "gone) is reconnected by itself, waiting 0.25 s, 0.5 s, 1 s, 2 s, then 4 s (each\n"
        "+/-20 %) before the tries, which stderr announces; every image not yet answered is\n"
        "sent again, none is answered twice. A refused token, a TLS failure or a server of\n"
        "another protocol is not tried again. Exit 0 once every image is answered, 2 when\n"
        "the tries run out.\n"
        "With --as-plant the files are photos of one plant: after their lines comes one\n"
        "more, the answers combined (mean of the log-probabilities over every label; see\n"
        "docs/cli.md), how many photos agree, and which disagree or were skipped.\n"
        "Every answered photo is recorded, with a thumbnail and the --tag given, in the\n"
        "diagnosis history that 'orchard-cli history' lists: the desktop client's file, or the\n"
        "one --history-file or ORCHARD_HISTORY names; --as-plant gives the photos it combined\n"
        "one plant group and its verdict. --no-history records nothing. A history that cannot\n"
        "be written is said once on stderr (\"history not saved: ...\"); the lines and the exit\n"
        "status stay as they are.\n") + QLatin1String(exitCodeHelp()));
    parser.addHelpOption();
    const ServerAddressOptions address;
    const SecurityOptions security;
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
    const QCommandLineOption originalsOption(QStringLiteral("send-originals"),
        QStringLiteral("Send the files themselves, not copies at twice the size the server's model looks at."));
    const QCommandLineOption modelOption(QStringLiteral("model-name"),
        QStringLiteral("The served model to ask, and optionally its version (default: the server's "
                       "default model, its latest version)."),
        QStringLiteral("NAME[:VERSION]"));
    const QCommandLineOption reconnectOption(QStringLiteral("reconnect-attempts"),
        QStringLiteral("How often to try to reconnect after the connection is lost, before giving "
                       "up (default %1; 0: never, fail at once as before).")
                .arg(ReconnectPolicy::kDefaultMaxAttempts),
        QStringLiteral("N"), QString::number(ReconnectPolicy::kDefaultMaxAttempts));
    const QCommandLineOption plantOption(QStringLiteral("as-plant"),
        QStringLiteral("The files are photos of one plant: end with one line that combines their answers."));
    const QCommandLineOption tagOption(QStringLiteral("tag"),
        QStringLiteral("The field or plot the photos come from, stored with their history records "
                       "(at most %1 characters).").arg(kMaxTagLength),
        QStringLiteral("TAG"));
    const QCommandLineOption noHistoryOption(QStringLiteral("no-history"),
        QStringLiteral("Record nothing in the diagnosis history (benchmarks, tests)."));
    const QCommandLineOption historyFileOption(QStringLiteral("history-file"),
        QStringLiteral("The history file to record to (default %1: ORCHARD_HISTORY when set, else the "
                       "desktop client's).")
                .arg(HistoryStore::defaultPath()),
        QStringLiteral("FILE"));
    parser.addOptions({ topKOption, jsonOption, binaryOption, base64Option, originalsOption, modelOption,
                        reconnectOption, plantOption, tagOption, noHistoryOption, historyFileOption });
    parser.addOptions(security.options());
    addPathArguments(parser, name(), summary());

    if (const auto stop = Parsed::parseOrStop(parser, arguments))
        return *stop;
    Options options;
    if (const auto noPaths = readPathArguments(parser, options.paths))
        return Parsed::usageError(*noPaths);
    QString error;
    if (!address.read(parser, options.host, options.port, error) || !security.read(parser, options.tls, error))
        return Parsed::usageError(error);
    bool ok = false;
    options.topK = parser.value(topKOption).toInt(&ok);
    if (!ok || options.topK < 1)
        return Parsed::usageError(QStringLiteral("--top-k needs a whole number of at least 1"));
    options.json = parser.isSet(jsonOption);
    options.forceBinary = parser.isSet(binaryOption);
    options.forceBase64 = parser.isSet(base64Option);
    options.sendOriginals = parser.isSet(originalsOption);
    options.asPlant = parser.isSet(plantOption);
    if (options.forceBinary && options.forceBase64)
        return Parsed::usageError(QStringLiteral("--binary and --base64 exclude each other"));
    options.reconnectAttempts = parser.value(reconnectOption).toInt(&ok);
    if (!ok || options.reconnectAttempts < 0 || options.reconnectAttempts > kMaxReconnectAttempts)
        return Parsed::usageError(QStringLiteral("--reconnect-attempts needs a whole number from 0 to %1; got \"%2\"")
                                          .arg(kMaxReconnectAttempts)
                                          .arg(parser.value(reconnectOption)));
    if (parser.isSet(modelOption)) {
        if (const auto wrong = readModelName(parser.value(modelOption), options.modelName, options.modelVersion))
            return Parsed::usageError(*wrong);
    }
    options.recordsHistory = !parser.isSet(noHistoryOption);
    // Asking for no history and saying where or under which tag to keep it is a mistake
    // in the script, better said than half obeyed.
    if (!options.recordsHistory && (parser.isSet(tagOption) || parser.isSet(historyFileOption)))
        return Parsed::usageError(QStringLiteral("--no-history records nothing: leave out %1")
                                          .arg(parser.isSet(tagOption) ? QStringLiteral("--tag")
                                                                       : QStringLiteral("--history-file")));
    if (parser.isSet(tagOption)) {
        options.tag = parser.value(tagOption).trimmed();
        if (options.tag.isEmpty())
            return Parsed::usageError(QStringLiteral("--tag needs the name of a field or plot"));
        if (options.tag.size() > kMaxTagLength)
            return Parsed::usageError(QStringLiteral("--tag: a tag has at most %1 characters; \"%2\" has %3")
                                              .arg(kMaxTagLength)
                                              .arg(options.tag)
                                              .arg(options.tag.size()));
        for (const QChar c : std::as_const(options.tag)) {
            if (c.category() == QChar::Other_Control)
                return Parsed::usageError(QStringLiteral("--tag cannot contain control characters"));
        }
    }
    options.historyFile = parser.isSet(historyFileOption) ? parser.value(historyFileOption) : HistoryStore::defaultPath();
    if (options.recordsHistory && options.historyFile.trimmed().isEmpty())
        return Parsed::usageError(QStringLiteral("--history-file needs a file's path"));
    return Parsed::run(options);
}

std::optional<QString> PredictCommand::readModelName(const QString &value, QString &name,
                                                     std::optional<qint64> &version)
{
    // NAME:VERSION splits at the first colon, so a name never has one (the server's names
    // are folder names, and a colon is no part of them).
    const qsizetype colon = value.indexOf(QLatin1Char(':'));
    const QString namePart = colon < 0 ? value : value.left(colon);
    if (namePart.trimmed().isEmpty())
        return QStringLiteral("--model-name needs a model's name, as NAME or NAME:VERSION (for example "
                              "apple-leaf or apple-leaf:3); got \"%1\"")
                .arg(value);
    if (namePart.size() > kMaxModelNameLength)
        return QStringLiteral("--model-name: a model's name has at most %1 characters; \"%2\" has %3")
                .arg(kMaxModelNameLength)
                .arg(namePart)
                .arg(namePart.size());
    for (const QChar c : namePart) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("--model-name: a model's name cannot contain control characters");
    }
    std::optional<qint64> versionPart;
    if (colon >= 0) {
        const QString digits = value.mid(colon + 1);
        bool ok = !digits.isEmpty() && std::all_of(digits.cbegin(), digits.cend(), [](QChar c) {
            return c >= QLatin1Char('0') && c <= QLatin1Char('9');
        });
        const qint64 number = ok ? digits.toLongLong(&ok) : 0;
        // The wire's numbers are JSON's: past 2^53 they would not arrive as sent.
        if (!ok || number < 1 || number > kMaxModelVersion)
            return QStringLiteral("--model-name %1: the VERSION after the colon must be a whole number of at "
                                  "least 1 (leave it out for the latest version)")
                    .arg(value);
        versionPart = number;
    }
    name = namePart;
    version = versionPart;
    return std::nullopt;
}

int PredictCommand::run(const QStringList &arguments)
{
    const ParsedArguments<Options> parsed = parseArguments(arguments);
    if (!parsed.shouldRun())
        return parsed.report(name(), m_out, m_err);
    m_options = parsed.options;
    return predict();
}

int PredictCommand::predict()
{
    m_lines = ResultFormatter(m_options.json ? ResultFormatter::Style::JsonLines : ResultFormatter::Style::Table,
                              ResultFormatter::Origin::Server);
    m_connection = new ServerConnection(this);
    m_connection->setForceBase64(m_options.forceBase64);
    m_connection->setTls(m_options.tls);
    m_connection->setAccessToken(SecurityOptions::accessToken());
    m_connection->setReconnectPolicy(ReconnectPolicy(m_options.reconnectAttempts));
    m_queue = new RequestQueue(m_connection, this);
    m_queue->setSendsOriginals(m_options.sendOriginals);
    m_queue->setModel(m_options.modelName, m_options.modelVersion);
    m_batch = new ImageBatch(m_queue, this);
    m_batch->setKeepsBytes(false);
    listFiles();
    connectSignals();

    // Connect from inside the loop, so that even an at-once failure finds it running to end.
    QTimer::singleShot(0, this, [this] {
        m_waitClock.start();
        m_connection->connectToServer(m_options.host, m_options.port);
    });
    // Everything from here on happens in slots; the loop ends once the connection is closed.
    const int code = m_loop.exec();
    m_out.flush();
    m_err.flush();
    return code;
}

void PredictCommand::listFiles()
{
    // Each path on its own, so that an empty folder gets its own error line in its place.
    QStringList everything;
    for (const QString &path : std::as_const(m_options.paths)) {
        const QStringList files = ImageLoader::expand({ path });
        for (const QString &file : files) {
            LoadedImage image;
            image.path = file;
            image.fileName = QFileInfo(file).fileName();
            m_batch->append(image);
        }
        if (files.isEmpty()) {
            LoadedImage folder;
            folder.path = path;
            failLocally(m_batch->append(folder), QStringLiteral("NO_IMAGES"),
                        QStringLiteral("no image files in this folder"));
        }
        everything += files.isEmpty() ? QStringList { path } : files;
    }
    m_lines.fitFiles(everything);
}

void PredictCommand::connectSignals()
{
    connect(m_connection, &ServerConnection::queued, this, [this](int position) { onQueued(position); });
    connect(m_connection, &ServerConnection::serverMessage, this, &PredictCommand::onServerMessage);
    connect(m_connection, &ServerConnection::connectionLost, this, &PredictCommand::onConnectionLost);
    connect(m_connection, &ServerConnection::reconnecting, this, &PredictCommand::onReconnecting);
    connect(m_connection, &ServerConnection::reconnected, this, &PredictCommand::onReconnected);
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
    connect(m_batch, &ImageBatch::itemFinished, this, [this](int row) {
        recordAnswer(row);
        printFinishedLines();
        feed();
    });
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
    if (m_options.forceBinary && !m_connection->usesBinary()) {
        fail(QStringLiteral("the server at %1:%2 does not accept binary image bodies (it offers "
                            "only base64); leave out --binary")
                     .arg(m_options.host)
                     .arg(m_options.port));
        return;
    }
    m_lines.fitLabels(m_connection->labels());
    warnAboutModel();
    printHeader();
    m_batchClock.start();
    printFinishedLines(); // empty folders named before the first file
    feed();
}

void PredictCommand::printHeader()
{
    if (m_lines.isJson())
        return;
    // The model asked for; each row's MODEL column says which one answered.
    m_out << "server " << m_connection->serverName() << " at " << m_options.host << ":" << m_options.port
          << ", model ";
    if (m_options.modelName.isEmpty())
        m_out << m_connection->modelName();
    else if (m_options.modelName == m_connection->modelName())
        m_out << ResultFormatter::modelText(m_options.modelName, m_options.modelVersion) << " (the default)";
    else
        m_out << ResultFormatter::modelText(m_options.modelName, m_options.modelVersion) << " (default "
              << m_connection->modelName() << ")";
    m_out << ", " << (m_connection->usesBinary() ? "binary" : "base64") << " bodies\n";
    if (m_waitedSeconds > 0)
        m_out << "waited " << QString::number(m_waitedSeconds, 'f', 1)
              << " s for a free server worker\n";
    m_out << m_lines.headerLine() << "\n";
    m_out.flush();
}

void PredictCommand::warnAboutModel()
{
    const QString asked = m_options.modelName;
    if (asked.isEmpty())
        return;
    const QList<ServedModelInfo> &served = m_connection->servedModels();
    if (served.isEmpty()) {
        // The original and older Orchard servers ignore the key: their one model answers.
        if (asked != m_connection->modelName())
            m_err << "orchard-cli: the server lists no models; its one model, " << m_connection->modelName()
                  << ", may answer instead of " << asked << " (each answer names its model)\n";
        m_err.flush();
        return;
    }
    const auto model = m_connection->servedModel(asked);
    if (model && (!m_options.modelVersion || model->versions.contains(*m_options.modelVersion)))
        return;
    QStringList offered;
    for (const ServedModelInfo &each : served) {
        QStringList versions;
        for (qint64 version : each.versions)
            versions.append(QString::number(version));
        offered.append(QStringLiteral("%1 (versions %2)").arg(each.name, versions.join(QLatin1Char(','))));
    }
    m_err << "orchard-cli: the server does not list model "
          << ResultFormatter::modelText(asked, m_options.modelVersion) << "; it serves " << offered.join(", ")
          << "\n";
    m_err.flush();
}

void PredictCommand::feed()
{
    // enqueue() sends at once and jobSent calls back here; the outer loop carries on.
    if (m_feeding || !m_welcomed || m_finishing)
        return;
    m_feeding = true;
    while (m_nextToSend < m_batch->count() && m_queue->pendingCount() < kReadAhead) {
        const int row = m_nextToSend++;
        if (m_batch->item(row).status == ImageBatch::Status::New)
            send(row);
    }
    m_feeding = false;
    printFinishedLines();
    finishIfDone();
}

void PredictCommand::send(int row)
{
    const QString path = m_batch->item(row).image.path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failLocally(row, QStringLiteral("UNREADABLE"), QStringLiteral("cannot open the file: %1").arg(file.errorString()));
        return;
    }
    // Checked before reading: a file the server would refuse (and close the connection
    // for) gets its own error line, and is never loaded into memory. A file sent as a
    // smaller copy is checked once the copy is made.
    const auto tooLarge = m_queue->sendsCopies()
            ? std::nullopt
            : m_queue->sizeError(m_batch->item(row).image.fileName, file.size(), requestedTopK());
    if (tooLarge) {
        failLocally(row, QStringLiteral("TOO_LARGE"), tooLarge->message);
        return;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size()) {
        failLocally(row, QStringLiteral("UNREADABLE"), QStringLiteral("cannot read the file: %1").arg(file.errorString()));
        return;
    }
    m_batch->setBytes(row, bytes);
    m_batch->enqueue(row, requestedTopK());
    // The batch lets the bytes go once answered, so the history's thumbnail is made now,
    // while the request is already on its way (decoded at reduced size where JPEG allows).
    // A row the queue failed at once is finished already and will never be recorded.
    if (m_options.recordsHistory && !m_historyFailed && !m_batch->item(row).hasResult)
        m_thumbnails.insert(row, ImageLoader::preview(bytes, HistoryRecord::kThumbnailSide));
}

int PredictCommand::requestedTopK() const
{
    // The photo lines still list --top-k labels (the formatter cuts the list); the plant
    // line needs them all, or it would have to guess at the labels a photo left out.
    return m_options.asPlant ? std::max(m_options.topK, PlantDiagnosis::kEveryLabel) : m_options.topK;
}

void PredictCommand::failLocally(int row, const QString &code, const QString &message)
{
    ++m_localFailures;
    m_batch->fail(row, code, message);
}

void PredictCommand::printFinishedLines()
{
    // The server answers in order, so this holds a line back only behind a file that is
    // still on the wire; it keeps local errors in their place among the answers.
    if (!m_welcomed)
        return;
    for (; m_nextToPrint < m_batch->count() && m_batch->item(m_nextToPrint).hasResult; ++m_nextToPrint) {
        const ImageBatch::Item &item = m_batch->item(m_nextToPrint);
        m_out << (item.status == ImageBatch::Status::Done
                          ? m_lines.resultLine(item.image.path, item.reply, m_options.topK)
                          : m_lines.errorLine(item.image.path, item.error, item.errorCode))
              << "\n";
    }
    m_out.flush(); // one line per file as it happens, even when piped
}

void PredictCommand::finishIfDone()
{
    if (m_finishing || m_nextToSend < m_batch->count() || !m_queue->isIdle())
        return;
    const double seconds = m_batchClock.nsecsElapsed() / 1e9;
    const int total = m_batch->count();
    const int diagnosed = m_batch->countWithStatus(ImageBatch::Status::Done);
    const int answered = static_cast<int>(m_batch->rowsWithResult().size()) - m_localFailures;
    if (!m_lines.isJson()) {
        // A tenth of a second is the resolution people read; a fast local batch needs more.
        m_out << "\n" << diagnosed << " of " << total << " diagnosed in "
              << QString::number(seconds, 'f', seconds < 0.1 ? 3 : 1) << " s";
        if (answered > 0 && seconds > 0)
            m_out << " (" << QString::number(answered / seconds, 'f', 1) << " images/s)";
        if (diagnosed < total)
            m_out << ", " << total - diagnosed << " failed";
        m_out << "\n";
        m_out.flush();
    }
    if (m_options.asPlant)
        printPlantLine();
    m_exitCode = diagnosed == total ? ExitSuccess : ExitSomeFailed;
    m_finishing = true;
    // Goodbye as the original clients said it; the loop ends when the server has closed.
    m_connection->disconnectFromServer();
}

void PredictCommand::printPlantLine()
{
    QList<int> rows;
    for (int row = 0; row < m_batch->count(); ++row)
        rows.append(row);
    // Every label was asked for, so the lists are whole; the count matters only for a
    // server that sends fewer than asked.
    const PlantDiagnosis plant = PlantDiagnosis::ofRows(*m_batch, rows, *m_connection, PlantDiagnosis::PhotoNames::Paths);
    recordPlantGroup(plant);
    if (m_lines.isJson())
        m_out << QString::fromUtf8(QJsonDocument(plant.toJson(m_options.topK)).toJson(QJsonDocument::Compact)) << "\n";
    else
        m_out << plant.summaryLine() << "\n";
    m_out.flush();
}

void PredictCommand::recordAnswer(int row)
{
    const QImage thumbnail = m_thumbnails.take(row);
    const ImageBatch::Item &item = m_batch->item(row);
    if (!m_options.recordsHistory || item.status != ImageBatch::Status::Done || m_recordIds.contains(row)
        || !historyReady())
        return;
    // What the line printed: --as-plant asks for every label, but the record keeps --top-k,
    // as the desktop client's records keep its own top-k.
    PredictionReply printed = item.reply;
    if (printed.topK.size() > m_options.topK)
        printed.topK.resize(m_options.topK);
    const HistoryRecord record = HistoryRecord::ofReply(QFileInfo(item.image.path).absoluteFilePath(), printed,
                                                        thumbnail, m_options.tag, HistoryRecord::Source::Cli);
    if (const auto id = m_history->add(record))
        m_recordIds.insert(row, *id);
    else
        giveUpHistory();
}

void PredictCommand::recordPlantGroup(const PlantDiagnosis &plant)
{
    if (!plant.isValid() || m_recordIds.isEmpty() || !historyReady())
        return;
    // The photos combined, not those skipped (failed, another model, poor quality): the
    // group's verdict ("3 of 3 photos: Trouser") speaks for the photos it counted.
    // printPlantLine() gives every row in order, so a photo's place is its row.
    QList<qint64> ids;
    for (int row = 0; row < m_batch->count(); ++row) {
        if (plant.isCombined(row) && m_recordIds.contains(row))
            ids.append(m_recordIds.value(row));
    }
    if (ids.isEmpty())
        return;
    if (!m_history->setPlantGroup(ids, QUuid::createUuid().toString(QUuid::WithoutBraces), plant.agreementText()))
        giveUpHistory();
}

bool PredictCommand::historyReady()
{
    if (m_historyFailed)
        return false;
    if (m_history)
        return true;
    // Opened at the first answer, so that a server that cannot be reached leaves no file.
    m_history = std::make_unique<HistoryStore>(m_options.historyFile);
    if (m_history->open())
        return true;
    giveUpHistory();
    return false;
}

void PredictCommand::giveUpHistory()
{
    // Once, and no more tries: a locked file would make each later write wait out the
    // busy timeout (HistoryStore::kBusyTimeoutMs) and a 40-photo batch take minutes. The
    // records already made stay; the predictions go on as if --no-history had been given.
    m_historyFailed = true;
    m_thumbnails.clear();
    m_err << "orchard-cli: history not saved: " << (m_history ? m_history->errorString() : QString()) << "\n";
    m_err.flush();
    m_history.reset();
}

void PredictCommand::fail(const QString &sentence)
{
    m_err << "orchard-cli: " << sentence << "\n";
    m_err.flush();
    m_exitCode = ExitUnavailable;
    m_finishing = true;
    m_connection->disconnectFromServer();
}

void PredictCommand::onConnectionLost(const QString &reason)
{
    if (m_finishing)
        return; // only the goodbye was lost; every answer is in
    if (m_refused)
        m_err << "orchard-cli: the server at " << m_options.host << ":" << m_options.port << " refused the connection: ";
    else
        m_err << "orchard-cli: ";
    m_err << lowerFirst(reason) << "\n";
    // After answers came, say what is missing: the lines printed are not the whole batch.
    const int unanswered = unansweredCount();
    if (m_welcomed && unanswered > 0)
        m_err << "orchard-cli: " << unanswered << " of " << m_batch->count() << " files got no answer\n";
    m_err.flush();
    m_exitCode = ExitUnavailable;
    m_loop.exit(m_exitCode);
}

void PredictCommand::onReconnecting(int attempt, int maxAttempts, int delayMs, const QString &reason)
{
    if (m_finishing)
        return;
    m_refused = false; // a BUSY that ended the last attempt is not why a later one ends
    // The first says what happened to the session, the later ones why the last attempt failed.
    if (attempt <= 1)
        m_err << "orchard-cli: connection lost (" << asClause(reason) << ")";
    else
        m_err << "orchard-cli: attempt " << attempt - 1 << " failed (" << asClause(reason) << ")";
    m_err << "; reconnecting in " << secondsText(delayMs) << " (attempt " << attempt << " of " << maxAttempts
          << ")\n";
    m_err.flush();
}

void PredictCommand::onReconnected()
{
    // Emitted before the queue sends again: the files still marked Sent were on the lost
    // connection without an answer, and are the ones that go out once more.
    m_err << "orchard-cli: reconnected to " << m_connection->serverName() << " at " << m_options.host << ":"
          << m_options.port << "; re-sending " << m_batch->countWithStatus(ImageBatch::Status::Sent)
          << " unanswered images\n";
    m_err.flush();
}

int PredictCommand::unansweredCount() const
{
    return m_batch->count() - static_cast<int>(m_batch->rowsWithResult().size());
}

void PredictCommand::onDisconnected()
{
    // A connection lost without our asking is reported by onConnectionLost, which follows.
    if (m_finishing)
        m_loop.exit(m_exitCode);
}

} // namespace orchard
