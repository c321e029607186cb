#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QRunnable>
#include <QString>

#include "common/inference/preparedimage.h"
#include "common/protocol/frame.h"
#include "common/protocol/protocolerror.h"
#include "common/protocol/servermessage.h"
#include "server/core/batchoutcome.h"
#include "server/core/serverconfig.h"
#include "server/core/servermetrics.h"

class QSslSocket;
class QTcpSocket;

namespace orchard {

class BlockingFrameStream;
struct ClientMessage;
class InferenceBatcher;
class ModelStore;
class ServedModel;
class ServerEvents;

/**
 * One client connection, served from start to end on one pool worker.
 *
 * Like the original's session thread it loops: read a frame, dispatch by type, reply,
 * until the client goes offline, hangs up, times out, or the server shuts down. It holds
 * its worker for its whole life, so with N workers the N+1st client waits: that is the
 * behaviour QA demonstrates. The socket is created here, in run(), from the descriptor,
 * because a socket belongs to the thread that creates it. Every wait is bounded
 * (BlockingFrameStream), so the worker always comes back.
 *
 * Images are decoded and preprocessed here and classified by the InferenceBatcher's
 * threads. A client that pipelines requests has up to kReadAhead of them read, decoded and
 * submitted before the session waits for the first answer, so they can share forward
 * passes; replies still leave in request order, and any other message waits until every
 * image before it is answered.
 */
class Session : public QRunnable
{
public:
    struct Context
    {
        ServerConfig config;
        /** The models; each request takes the catalog in force when it arrives. */
        std::shared_ptr<const ModelStore> models;
        ServerEvents *events = nullptr;
        /** Counted on this worker, before each reply leaves (a scrape after it sees it). */
        ServerMetrics *metrics = nullptr;
        /** Runs the forward passes; outlives every session (OrchardServer stops it last). */
        InferenceBatcher *batcher = nullptr;
        const std::atomic_bool *stopRequested = nullptr;
        QString serverVersion;
        /** Called on the worker thread when run() is about to return. */
        std::function<void(quint64 sessionId)> finished;
    };

    /** tlsSocket: for TLS, the socket that did the handshake, detached from any thread;
     *  the session takes it over. Otherwise the session makes a socket from descriptor. */
    Session(quint64 sessionId, qintptr descriptor, QSslSocket *tlsSocket, QString peer, double waitedMs,
            Context context);
    ~Session() override;
    void run() override;

    /** Images one session may have submitted and not yet answered. */
    static constexpr int kReadAhead = 16;

private:
    enum class Next { Continue, Close };

    /** An image request submitted to the batcher, waiting to be answered in order. */
    struct PendingImage
    {
        std::shared_ptr<const ServedModel> model;
        std::optional<qint64> messageId;
        QString name;
        int topK = 3;
        double waitMs = 0.0;
        QElapsedTimer received; ///< started at the frame's last byte (Frame::received)
        PreparedImage image; ///< the sizes and timings; its input went to the batcher
        std::future<BatchOutcome> answer;
    };

    Next handleFrame(BlockingFrameStream &stream, const Frame &frame);
    Next handleImage(BlockingFrameStream &stream, const Frame &frame);
    /** Waits for the oldest submitted image's answer and sends it. */
    Next answerOldest(BlockingFrameStream &stream);
    /** Answers every submitted image, oldest first: before any other reply may leave. */
    Next answerAll(BlockingFrameStream &stream);
    Next handleClientMessage(BlockingFrameStream &stream, const Frame &frame);
    /** Until the client has sent a valid token, nothing but the token is accepted. */
    Next authenticate(BlockingFrameStream &stream, const Frame &frame);
    /** An auth message, first or again: the token is checked every time. */
    Next checkToken(BlockingFrameStream &stream, const Frame &frame, const ClientMessage &message);
    /** Sends a SERVER_ERROR; Close when the code ends the session or the send failed. */
    Next sendError(BlockingFrameStream &stream, const ProtocolError &error);
    /** Sends a SERVER_MESSAGE; Close when it could not be delivered. */
    Next reply(BlockingFrameStream &stream, const ServerMessage &message, std::optional<qint64> messageId);
    /** False when the reply could not be delivered within the write timeout. */
    bool send(BlockingFrameStream &stream, MessageType type, const QByteArray &body,
              std::optional<qint64> messageId = std::nullopt);
    void serve();
    /** The connection's socket, made here or taken over from the handshake; null on failure. */
    std::unique_ptr<QTcpSocket> takeSocket();
    /** What the welcome (and the info reply) say about this server. */
    WelcomeInfo describeServer() const;
    /** Sends the welcome; false when the client cannot be reached. */
    bool greet(BlockingFrameStream &stream);
    /** Reads and answers frames until the session ends, leaving m_endReason set. */
    void serveFrames(BlockingFrameStream &stream);

    quint64 m_id;
    qintptr m_descriptor;
    QSslSocket *m_tlsSocket;
    QString m_peer;
    double m_waitedMs;
    Context m_context;
    QString m_endReason;
    ConnectionOutcome m_outcome = ConnectionOutcome::Served; ///< how it ended, for the metrics
    bool m_authenticated = false;
    QString m_label; ///< whose token this session showed (empty on an open server)
    std::deque<PendingImage> m_pending; ///< submitted images, oldest first
};

} // namespace orchard
