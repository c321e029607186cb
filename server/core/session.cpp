#include "server/core/session.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>

#include "common/inference/pipelineengine.h"
#include "common/inference/inferenceengine.h"
#include "server/core/modelstore.h"
#include "common/inference/protocolmapping.h"
#include "common/protocol/blockingframestream.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/clienttext.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"
#include "server/core/accesstokens.h"
#include "server/core/inferencebatcher.h"
#include "server/core/servedmodel.h"
#include "server/core/serverevents.h"

namespace orchard {

namespace {

constexpr qint64 kSocketReadBuffer = 1024 * 1024;

// QThreadPool::start() hands a Session to its worker through the pool's queue, guarded by a
// QMutex, which in Qt 6 on Linux is a bare futex that ThreadSanitizer cannot see: without
// help it takes the constructor's writes (server thread) and run()'s reads (worker) for a
// race. These two calls tell it about the hand-off the mutex really orders; elsewhere
// they compile to nothing.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
void handOffBegins(void *session) { __tsan_release(session); }
void handOffEnds(void *session) { __tsan_acquire(session); }
#else
void handOffBegins(void *) { }
void handOffEnds(void *) { }
#endif

double millisecondsSince(const QElapsedTimer &timer)
{
    return timer.nsecsElapsed() / 1e6;
}

/** How a session ended that sent an error which closes the connection. */
ConnectionOutcome outcomeOfClosingError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Timeout:
        return ConnectionOutcome::Timeout;
    case ErrorCode::Unauthorized:
        return ConnectionOutcome::Unauthorized;
    case ErrorCode::BadHeader:
        return ConnectionOutcome::BadHeader;
    case ErrorCode::TooLarge:
        return ConnectionOutcome::TooLarge;
    case ErrorCode::Busy:
        return ConnectionOutcome::Busy;
    case ErrorCode::BadImage:
    case ErrorCode::UnknownType:
    case ErrorCode::Internal:
    case ErrorCode::UnknownModel:
        break;
    }
    return ConnectionOutcome::Error;
}

/** A client that keeps sending after the session ended is read (and ignored) this long at most… */
constexpr int kLingerLimitMs = 1000;
/** …and the session closes once nothing more has come for this long. */
constexpr int kLingerQuietMs = 100;

/**
 * Ends the connection so that the replies already sent arrive. Closing a socket whose
 * input is not all read makes the kernel reset the connection instead of ending it
 * (RFC 2525, 2.17), throwing away what it had not yet delivered: a client that had
 * pipelined more requests than a shutdown let the session read lost its last answers and
 * the goodbye (tests/server/batchingtests.cpp, "Shutdown with images in the batcher").
 * So a plain connection says it is done sending (FIN after the replies), and what the
 * client still sends is read and dropped until it closes or falls quiet, as web servers'
 * "lingering close" does. Nothing to linger for when the replies could not be sent.
 */
void lingerBeforeClose(QTcpSocket &socket)
{
    socket.flush();
    if (socket.state() != QAbstractSocket::ConnectedState || socket.bytesToWrite() > 0)
        return;
    // TLS ends with its close_notify, written by disconnectFromHost(): not half-closed here.
    if (!qobject_cast<QSslSocket *>(&socket))
        ::shutdown(static_cast<int>(socket.socketDescriptor()), SHUT_WR);
    const QDeadlineTimer limit(kLingerLimitMs);
    for (;;) {
        socket.readAll();
        if (socket.state() != QAbstractSocket::ConnectedState || limit.hasExpired())
            return;
        if (!socket.waitForReadyRead(static_cast<int>(std::min<qint64>(kLingerQuietMs, limit.remainingTime()))))
            return;
    }
}

/** The process's soft RLIMIT_NOFILE (raised to the hard limit at start, see raiseOpenFileLimit). */
qint64 openFileLimit()
{
    rlimit limit {};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<qint64>(limit.rlim_cur) : -1;
}

} // namespace

Session::Session(quint64 sessionId, qintptr descriptor, QSslSocket *tlsSocket, QString peer, double waitedMs,
                 Context context)
    : m_id(sessionId)
    , m_descriptor(descriptor)
    , m_tlsSocket(tlsSocket)
    , m_peer(std::move(peer))
    , m_waitedMs(waitedMs)
    , m_context(std::move(context))
{
    handOffBegins(this); // the last write before the pool's worker takes this over
}

Session::~Session()
{
    // Only when the pool never ran us (it was destroyed first): the socket is still ours.
    delete m_tlsSocket;
}

void Session::run()
{
    handOffEnds(this);
    serve();
    m_context.metrics->countConnections(m_outcome);
    m_context.events->reportSessionEnded(m_id, m_endReason);
    if (m_context.finished)
        m_context.finished(m_id);
}

void Session::serve()
{
    const std::unique_ptr<QTcpSocket> ownedSocket = takeSocket();
    if (!ownedSocket)
        return;
    QTcpSocket &socket = *ownedSocket;
    BlockingFrameStream stream(&socket, m_context.config.maxMessageLength);
    stream.setMaxTextLength(m_context.config.maxClientMessageLength);
    m_context.events->reportSessionStarted(m_id, m_peer, m_waitedMs);
    if (!greet(stream))
        return;
    serveFrames(stream);
    lingerBeforeClose(socket);
    socket.disconnectFromHost();
    if (socket.state() != QAbstractSocket::UnconnectedState)
        socket.waitForDisconnected(1000);
}

std::unique_ptr<QTcpSocket> Session::takeSocket()
{
    std::unique_ptr<QTcpSocket> socket;
    if (m_tlsSocket) {
        m_tlsSocket->moveToThread(QThread::currentThread());
        socket.reset(std::exchange(m_tlsSocket, nullptr));
    } else {
        socket = std::make_unique<QTcpSocket>();
        if (!socket->setSocketDescriptor(m_descriptor)) {
            m_endReason = QStringLiteral("socket error: %1").arg(socket->errorString());
            m_outcome = ConnectionOutcome::Error;
            ::close(static_cast<int>(m_descriptor)); // Qt does not take a descriptor it refused
            return nullptr;
        }
    }
    // Replies are small and a client waits for each one: don't let Nagle hold them back.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // waitForBytesWritten() and waitForDisconnected() read as well: without a cap, a peer
    // that streams requests while never reading our replies would grow this buffer until
    // the write timeout, by gigabytes. Reads continue as frames are taken from it.
    socket->setReadBufferSize(kSocketReadBuffer);
    return socket;
}

WelcomeInfo Session::describeServer() const
{
    const std::shared_ptr<const ModelCatalog> catalog = m_context.models->catalog();
    WelcomeInfo info;
    info.version = m_context.serverVersion;
    info.maxMessageLength = m_context.config.maxMessageLength;
    info.workers = m_context.config.workers;
    info.authRequired = m_context.config.accessTokens != nullptr;
    // The original's keys describe the default model: an original client knows no other.
    if (const std::shared_ptr<const ServedModel> model = catalog->defaultModel()) {
        const ModelManifest &manifest = model->engine().manifest();
        info.model = model->name();
        info.labels = manifest.labels;
        // A pipeline is sent photos for its detector, as ModelCatalog::describe() says too:
        // a client that downscaled to its classifier's 28 x 28 would leave nothing to find.
        const ModelManifest::Input &input = model->pipeline() ? model->pipeline()->detector().manifest().input
                                                              : manifest.input;
        info.input = ModelInputInfo { input.width, input.height, input.channels, ModelManifest::colorName(input.color),
                                      ModelManifest::resizeName(input.resize) };
    }
    info.models = catalog->describe();
    return info;
}

bool Session::greet(BlockingFrameStream &stream)
{
    const WelcomeInfo welcome = describeServer();
    m_authenticated = !welcome.authRequired;
    if (!send(stream, MessageType::ServerMessage, ServerMessage::welcome(welcome).toBody())) {
        m_endReason = QStringLiteral("client unreachable");
        return false;
    }
    return true;
}

void Session::serveFrames(BlockingFrameStream &stream)
{
    for (;;) {
        // What the batcher has answered leaves at once, in request order.
        while (!m_pending.empty()
               && m_pending.front().answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            if (answerOldest(stream) == Next::Close)
                return;
        }
        if (m_context.stopRequested->load()) {
            // The images already submitted are answered before the goodbye (the batcher
            // runs until every session has ended).
            if (answerAll(stream) == Next::Close)
                return;
            send(stream, MessageType::ServerMessage, ServerMessage::shutdown().toBody());
            m_endReason = QStringLiteral("server shutdown");
            m_outcome = ConnectionOutcome::Shutdown;
            return;
        }
        if (!m_pending.empty()) {
            // Read ahead what has fully arrived; otherwise wait for the oldest answer.
            BlockingFrameStream::ReadResult ahead;
            ahead.status = BlockingFrameStream::ReadStatus::Incomplete;
            if (int(m_pending.size()) < kReadAhead)
                ahead = stream.pollFrame();
            if (ahead.status == BlockingFrameStream::ReadStatus::FrameReady) {
                if (handleFrame(stream, ahead.frame) == Next::Close)
                    return;
                continue;
            }
            if (ahead.status == BlockingFrameStream::ReadStatus::ProtocolError) {
                if (answerAll(stream) == Next::Close)
                    return;
                sendError(stream, ahead.error);
                m_endReason = QStringLiteral("protocol error %1").arg(errorCodeName(ahead.error.code));
                return;
            }
            // Incomplete, or the client left: what it asked for is answered (or found
            // undeliverable) first; the read below then sees how things stand.
            if (answerOldest(stream) == Next::Close)
                return;
            continue;
        }
        // A client that has not shown its token gets no more than the read timeout to do
        // so: strangers must not sit on workers for the whole idle timeout.
        const auto idleTimeout = m_authenticated
                ? m_context.config.idleTimeout
                : std::min(m_context.config.idleTimeout, m_context.config.readTimeout);
        const BlockingFrameStream::ReadResult result =
                stream.readFrame(idleTimeout, m_context.config.readTimeout, m_context.stopRequested);
        if (result.status == BlockingFrameStream::ReadStatus::FrameReady) {
            if (handleFrame(stream, result.frame) == Next::Close)
                return;
            continue;
        }
        if (result.status == BlockingFrameStream::ReadStatus::Stopped)
            continue; // the top of the loop says goodbye
        if (result.status == BlockingFrameStream::ReadStatus::Disconnected) {
            m_endReason = stream.isMidFrame() ? QStringLiteral("client vanished mid-message")
                                              : QStringLiteral("client disconnected");
            if (stream.isMidFrame())
                m_outcome = ConnectionOutcome::Vanished;
            return;
        }
        // TimedOut or a framing error: say why, then close.
        sendError(stream, result.error);
        m_endReason = result.status == BlockingFrameStream::ReadStatus::TimedOut
                ? QStringLiteral("timeout")
                : QStringLiteral("protocol error %1").arg(errorCodeName(result.error.code));
        return;
    }
}

Session::Next Session::handleFrame(BlockingFrameStream &stream, const Frame &frame)
{
    // Replies leave in request order: only an image may overtake the answers still coming
    // (it joins them); anything else waits until they have all been sent.
    if ((!m_authenticated || frame.type() != MessageType::ClientImage) && answerAll(stream) == Next::Close)
        return Next::Close;
    if (!m_authenticated)
        return authenticate(stream, frame);
    switch (frame.type()) {
    case MessageType::ClientImage:
        return handleImage(stream, frame);
    case MessageType::ClientMessage:
        return handleClientMessage(stream, frame);
    case MessageType::ServerPrediction:
    case MessageType::ServerMessage:
    case MessageType::ServerError:
        return sendError(stream, { ErrorCode::UnknownType,
                                   QStringLiteral("%1 is a server's message; a client cannot send it.")
                                           .arg(quotedClientText(frame.header.typeName)),
                                   frame.messageId() });
    case MessageType::Unknown:
        break;
    }
    return sendError(stream, { ErrorCode::UnknownType,
                               QStringLiteral("Unknown message type \"%1\"; its %2-byte body was skipped.")
                                       .arg(quotedClientText(frame.header.typeName))
                                       .arg(frame.header.length),
                               frame.messageId() });
}

Session::Next Session::authenticate(BlockingFrameStream &stream, const Frame &frame)
{
    const ClientMessage message = frame.type() == MessageType::ClientMessage ? ClientMessage::parse(frame.body)
                                                                              : ClientMessage();
    if (frame.type() != MessageType::ClientMessage || message.action != ClientMessage::Action::Auth) {
        m_endReason = QStringLiteral("unauthorized: no access token");
        return sendError(stream, { ErrorCode::Unauthorized,
                                   QStringLiteral("This server needs an access token first: send "
                                                  "{\"action\":\"auth\",\"token\":…} before anything else."),
                                   frame.messageId() });
    }
    return checkToken(stream, frame, message);
}

Session::Next Session::checkToken(BlockingFrameStream &stream, const Frame &frame, const ClientMessage &message)
{
    if (!m_context.config.accessTokens) // an open server: there is nothing to check
        return reply(stream, ServerMessage::authenticated(QString()), frame.messageId());
    const QString label = m_context.config.accessTokens->labelFor(message.token);
    if (label.isEmpty()) {
        // A second auth is checked as the first: a session must not keep its rights
        // while telling the server a token that is not valid.
        m_endReason = m_authenticated ? QStringLiteral("unauthorized: wrong access token on a second auth")
                                      : QStringLiteral("unauthorized: wrong access token");
        return sendError(stream, { ErrorCode::Unauthorized,
                                   QStringLiteral("The access token is not valid for this server."),
                                   frame.messageId() });
    }
    if (!m_authenticated || label != m_label) {
        m_authenticated = true;
        m_label = label;
        m_context.events->reportSessionAuthenticated(m_id, label);
    }
    return reply(stream, ServerMessage::authenticated(label), frame.messageId());
}

Session::Next Session::handleImage(BlockingFrameStream &stream, const Frame &frame)
{
    // Timed from the frame's last byte, so a request that waited behind earlier pipelined
    // ones shows that wait (docs/protocol.md: timing_ms.wait).
    const QElapsedTimer &sinceReceived = frame.received;
    // An error reply overtakes nothing: the answers before it leave first.
    const auto fail = [&](const ProtocolError &error) {
        m_context.metrics->observeFailedRequest(millisecondsSince(sinceReceived) / 1000);
        return answerAll(stream) == Next::Close ? Next::Close : sendError(stream, error);
    };
    const Result<ImageRequest> request = ImageRequest::fromFrame(frame);
    if (!request)
        return fail(request.error());
    // Taken for this one request: a reload meanwhile swaps the catalog, not this version.
    ModelCatalog::Resolution chosen = m_context.models->catalog()->resolve(request->model, request->modelVersion);
    if (!chosen.model)
        return fail({ ErrorCode::UnknownModel, chosen.error, request->messageId });
    const PipelineEngine *pipeline = chosen.model->pipeline();
    if (!pipeline && chosen.model->engine().manifest().kind != ModelManifest::Kind::Classifier)
        return fail({ ErrorCode::UnknownModel,
                      QStringLiteral("%1 is a detector, part of a pipeline: ask for the pipeline that uses it")
                              .arg(chosen.model->name()),
                      request->messageId });
    const double waitMs = millisecondsSince(sinceReceived);
    DecodePolicy policy;
    policy.formats = m_context.config.imageFormats;
    policy.budget = m_context.config.decodeBudget.get();
    policy.stopRequested = m_context.stopRequested; // a wait for decode memory ends at shutdown
    InferenceResult<PreparedImage> prepared = pipeline ? pipeline->prepare(request->imageData, policy)
                                                       : chosen.model->engine().prepare(request->imageData, policy);
    if (!prepared)
        return fail({ errorCodeFor(prepared.error()), prepared.error().message, request->messageId });

    PendingImage pending;
    pending.messageId = request->messageId;
    pending.name = request->name;
    pending.topK = request->topK.value_or(m_context.config.defaultTopK);
    pending.waitMs = waitMs;
    pending.received = sinceReceived;
    // The input goes to the batcher; the sizes and timings stay for the reply.
    PreparedImage input;
    input.input = std::move(prepared->input);
    input.pixels = std::move(prepared->pixels); // a pipeline's, for its crops
    pending.image = std::move(*prepared);
    pending.model = chosen.model;
    pending.answer = m_context.batcher->submit(std::move(chosen.model), std::move(input));
    m_pending.push_back(std::move(pending));
    return Next::Continue;
}

Session::Next Session::answerAll(BlockingFrameStream &stream)
{
    while (!m_pending.empty()) {
        if (answerOldest(stream) == Next::Close)
            return Next::Close;
    }
    return Next::Continue;
}

Session::Next Session::answerOldest(BlockingFrameStream &stream)
{
    PendingImage pending = std::move(m_pending.front());
    m_pending.pop_front();
    // The batcher answers every image it took, errors included, and runs until the
    // sessions have ended: this wait is one forward pass and the queue before it.
    const BatchOutcome outcome = pending.answer.get();
    const ServedModel &model = *pending.model;
    if (outcome.pipelineRun && !*outcome.pipelineRun) {
        m_context.metrics->observeFailedRequest(millisecondsSince(pending.received) / 1000);
        return sendError(stream, { errorCodeFor(outcome.pipelineRun->error()), outcome.pipelineRun->error().message,
                                   pending.messageId });
    }
    if (!outcome.probabilities) {
        m_context.metrics->observeFailedRequest(millisecondsSince(pending.received) / 1000);
        return sendError(stream, { errorCodeFor(outcome.probabilities.error()), outcome.probabilities.error().message,
                                   pending.messageId });
    }
    const Prediction prediction = outcome.pipelineRun
            ? model.pipeline()->finish(pending.image, **outcome.pipelineRun, pending.topK)
            : model.engine().finish(pending.image, *outcome.probabilities, pending.topK, outcome.inferMs);
    PredictionReply reply = toPredictionReply(prediction, model.engine().manifest());
    reply.model = model.name(); // a repository's folder name, which requests use
    reply.modelVersion = model.version();
    reply.messageId = pending.messageId;
    reply.name = pending.name;
    reply.timing.wait = pending.waitMs;
    reply.timing.queue = outcome.queueMs;
    reply.batchSize = outcome.batchSize;
    reply.timing.total = millisecondsSince(pending.received);
    m_context.metrics->countPrediction(reply.timing.total / 1000, reply.timing.infer / 1000);
    m_context.metrics->observeBatchQueue(outcome.queueMs / 1000);
    model.countRequest(reply.timing.total);
    const bool sent = send(stream, MessageType::ServerPrediction, reply.toBody(), reply.messageId);
    m_context.events->reportPrediction(m_id, reply.label, reply.confidence, reply.timing.total);
    if (!sent) {
        m_endReason = QStringLiteral("reply not delivered (client stopped reading)");
        return Next::Close;
    }
    return Next::Continue;
}

Session::Next Session::handleClientMessage(BlockingFrameStream &stream, const Frame &frame)
{
    const ClientMessage message = ClientMessage::parse(frame.body);
    switch (message.action) {
    case ClientMessage::Action::Offline: {
        // As the original: the client's text with a timestamp, then the session ends.
        const QString timestamp =
                QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        send(stream, MessageType::ServerMessage,
             ServerMessage::offline(message.text, timestamp).toBody(), frame.messageId());
        m_endReason = QStringLiteral("offline");
        return Next::Close;
    }
    case ClientMessage::Action::Ping:
        return reply(stream, ServerMessage::pong(), frame.messageId());
    case ClientMessage::Action::Info: {
        const WelcomeInfo about = describeServer();
        QJsonArray models;
        for (const ServedModelInfo &model : about.models)
            models.append(model.toJson());
        const QJsonObject details {
            { QStringLiteral("server"), about.server },
            { QStringLiteral("version"), about.version },
            { QStringLiteral("model"), about.model },
            { QStringLiteral("labels"), QJsonArray::fromStringList(about.labels) },
            { QStringLiteral("workers"), about.workers },
            { QStringLiteral("max_msg_len"), about.maxMessageLength },
            { QStringLiteral("input"), about.input ? about.input->toJson() : QJsonObject() },
            { QStringLiteral("models"), models },
            { QStringLiteral("session"), static_cast<qint64>(m_id) },
            { QStringLiteral("max_open_files"), openFileLimit() },
        };
        return reply(stream, ServerMessage::info(details), frame.messageId());
    }
    case ClientMessage::Action::Auth:
        return checkToken(stream, frame, message);
    case ClientMessage::Action::Other:
        break;
    }
    return sendError(stream, { ErrorCode::UnknownType,
                               QStringLiteral("Unknown action \"%1\"; known actions are offline, ping, "
                                              "info and auth.")
                                       .arg(quotedClientText(message.actionName)),
                               frame.messageId() });
}

Session::Next Session::sendError(BlockingFrameStream &stream, const ProtocolError &error)
{
    m_context.events->reportRequestFailed(m_id, error.code, error.message);
    m_context.metrics->countError(error.code);
    if (errorClosesConnection(error.code))
        m_outcome = outcomeOfClosingError(error.code);
    const bool sent = send(stream, MessageType::ServerError, serverErrorBody(error), error.messageId);
    return sent && !errorClosesConnection(error.code) ? Next::Continue : Next::Close;
}

Session::Next Session::reply(BlockingFrameStream &stream, const ServerMessage &message,
                             std::optional<qint64> messageId)
{
    return send(stream, MessageType::ServerMessage, message.toBody(), messageId) ? Next::Continue : Next::Close;
}

bool Session::send(BlockingFrameStream &stream, MessageType type, const QByteArray &body,
                   std::optional<qint64> messageId)
{
    const Result<QByteArray> frame = encodeFrame(type, body, messageId);
    const bool sent = frame && stream.writeFrame(*frame, m_context.config.writeTimeout, m_context.stopRequested);
    if (!sent && m_endReason.isEmpty()) {
        m_endReason = QStringLiteral("reply not delivered (client stopped reading or left)");
        if (m_outcome == ConnectionOutcome::Served)
            m_outcome = ConnectionOutcome::Vanished;
    }
    return sent;
}

} // namespace orchard
