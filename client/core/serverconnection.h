#pragma once

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>

#include "client/core/reconnectpolicy.h"
#include "common/protocol/framechannel.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/servermessage.h"

class QTcpSocket;

namespace orchard {

/**
 * The client's connection to an Orchard server, event-driven end to end.
 *
 * It never waits: connecting, uploading a 12 MB photo and waiting for a free worker all
 * happen through QTcpSocket's signals and FrameChannel, so a GUI thread that owns it
 * stays responsive. It turns frames into typed signals and keeps the state a status bar
 * shows: disconnected, connecting, waiting (position N of M), connected, closing,
 * reconnecting.
 *
 * A session that was up (welcomed) and ends without the user asking reconnects by itself
 * to the same host and port, which behind HAProxy is another backend: after each loss the
 * ReconnectPolicy says how long to wait (Reconnecting), then a new attempt starts
 * (Connecting again). This holds whether or not requests are outstanding, because the
 * user still wants to be connected; RequestQueue then sends again what was not answered.
 * It does not reconnect when the very first connect fails (the address may simply be
 * wrong: the user hears so at once), when the user disconnected, nor for what a new
 * attempt cannot fix (ReconnectPolicy::isRetryable(): a refused token, TLS, another
 * protocol, or an idle connection the server closed on purpose). Only when it gives up does
 * connectionLost() say so; until then reconnecting() tells each attempt.
 */
class ServerConnection : public QObject
{
    Q_OBJECT

public:
    /** Reconnecting: a session was lost and the next attempt waits for its delay. */
    enum class State { Disconnected, Connecting, Waiting, Connected, Closing, Reconnecting };
    Q_ENUM(State)

    /**
     * How to trust a TLS server: its certificate verified against caCertificates, or pinned
     * by its SHA-256 fingerprint ("ab:cd:…"). With neither, the first connection stops and
     * certificateNotTrusted() offers the fingerprint to the user.
     */
    struct TlsOptions
    {
        bool enabled = false;
        QList<QSslCertificate> caCertificates;
        QString pinnedFingerprint;
    };

    /** How long a clean disconnect waits for the server's offline reply before closing. */
    static constexpr int kOfflineReplyTimeoutMs = 3000;

    explicit ServerConnection(QObject *parent = nullptr);
    ~ServerConnection() override;

    /** Connects as the user asks: any reconnection under way stops, the policy starts over. */
    void connectToServer(const QString &host, quint16 port);
    /** Says goodbye with the offline message, waits for the reply, then closes (no reconnect). */
    void disconnectFromServer(const QString &offlineText = QStringLiteral("Orchard client signing off"));
    /** Drops the connection at once, without the offline message; stops any reconnection. */
    void abort();

    /** How a lost session reconnects (default: ReconnectPolicy's 5 attempts); 0 attempts: never. */
    void setReconnectPolicy(const ReconnectPolicy &policy) { m_reconnectPolicy = policy; }
    const ReconnectPolicy &reconnectPolicy() const { return m_reconnectPolicy; }
    /** Between the loss of a session and its return: Reconnecting, or an attempt under way. */
    bool isReconnecting() const { return m_reconnecting; }

    /**
     * Sends one image. Binary when the server's welcome lists it (a third fewer bytes) and
     * the header has room for the model's name, else the base64 JSON form that also carries
     * the file name. False when not connected
     * or the request cannot be framed; then framingError, if given, says why it cannot
     * (sending it again would not help), and stays empty when only the connection is missing.
     */
    bool sendImage(const ImageRequest &request, QString *framingError = nullptr);
    /** The body sendImage() would send for this request (imageSize: before reading the file). */
    qint64 bodyLengthFor(const ImageRequest &request, std::optional<qint64> imageSize = std::nullopt) const;
    /** The largest body the server accepts (its welcome's max_msg_len). */
    qint64 maxMessageLength() const { return m_maxMessageLength; }

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    int queuePosition() const { return m_queuePosition; }
    int queueLength() const { return m_queueLength; }
    int serverWorkers() const { return m_workers; }
    bool usesBinary() const { return m_binary && !m_forceBase64; }
    void setTls(const TlsOptions &options) { m_tls = options; }
    const TlsOptions &tls() const { return m_tls; }
    /** The server certificate's SHA-256 fingerprint, once a TLS handshake got that far. */
    QString peerFingerprint() const { return m_peerFingerprint; }
    static QString fingerprintOf(const QSslCertificate &certificate);

    /** Sent first when the server's welcome asks for a token; never logged or shown. */
    void setAccessToken(const QByteArray &token) { m_accessToken = token; }
    /** The label the server knows us by after a token was accepted; empty otherwise. */
    QString authenticatedAs() const { return m_authenticatedAs; }
    /** Tests and old-server checks: never send binary even if offered. */
    void setForceBase64(bool force) { m_forceBase64 = force; }
    QString modelName() const { return m_modelName; }
    QStringList labels() const { return m_labels; }
    /** What the model looks at, when the server's welcome said (the original's does not). */
    const std::optional<ModelInputInfo> &modelInput() const { return m_modelInput; }
    /**
     * Every model the server serves, as its welcome listed them (the default among them);
     * empty for a server of one model that lists none (the original, older Orchard servers).
     */
    const QList<ServedModelInfo> &servedModels() const { return m_models; }
    /** The served model of that name; nullopt when the welcome did not list it. */
    std::optional<ServedModelInfo> servedModel(const QString &name) const;
    QString serverName() const { return m_serverName; }
    qint64 bytesSent() const { return m_channel ? m_channel->bytesSent() : 0; }
    qint64 bytesToWrite() const;

    /** "Disconnected", "Waiting for a free server worker (position 2 of 3)", … */
    QString statusText() const;

signals:
    void stateChanged(orchard::ServerConnection::State state);
    void queued(int position, int waiting, int workers);
    void welcomed();
    /**
     * The welcome arrived and servedModels() holds its list: emitted before the session is
     * Connected and welcomed(), so that a model chosen here reaches the very first request.
     */
    void modelsListed();
    void predictionReceived(const orchard::PredictionReply &reply);
    /** A SERVER_ERROR; error.messageId says which request when the server knew. */
    void requestFailed(const orchard::ProtocolError &error);
    void offlineAcknowledged(const QString &text);
    void serverMessage(const orchard::ServerMessage &message);
    /**
     * The connection ended without our asking and no reconnection follows: unreachable,
     * refused, not retryable, or every reconnect attempt failed (the reason then says so).
     */
    void connectionLost(const QString &reason);
    /**
     * A session was lost (reason: why, or why the last attempt failed): attempt (from 1) of
     * maxAttempts starts in delayMs. The state is Reconnecting meanwhile.
     */
    void reconnecting(int attempt, int maxAttempts, int delayMs, const QString &reason);
    /**
     * A reconnect attempt was welcomed (and its token accepted): emitted as the state turns
     * Connected, just before welcomed(), which lets RequestQueue send what waits again.
     */
    void reconnected();
    /** Reconnecting ended without a session: attempts exhausted or not retryable; connectionLost() follows. */
    void reconnectFailed(const QString &reason);
    /**
     * A TLS server presented a certificate we have no reason to trust yet (no CA, no pin):
     * the connection is closed; pin the fingerprint (after checking it) and connect again.
     */
    void certificateNotTrusted(const QString &fingerprint, const QString &subject);
    /** The pinned certificate was not the one presented: refused (connectionLost says so too). */
    void certificateChanged(const QString &presented, const QString &pinned);
    /** Bytes the socket wrote, for upload progress. */
    void bytesWritten(qint64 bytes);

private:
    /** Binary when offered and the header can carry the request's model, else base64 JSON. */
    ImageBodyForm formFor(const ImageRequest &request, qint64 imageSize) const;
    void setState(State state);
    void onFrame(const Frame &frame);
    void onSocketError(QAbstractSocket::SocketError error);
    void onSocketDisconnected();
    void onEncrypted();
    /** Opens a socket to m_host:m_port: the user's connect and every reconnect attempt. */
    void open();
    /** The session is ready for requests: Connected, and reconnected() when it came back. */
    void becomeConnected();
    /** The connection ended without our asking: reconnects when loss allows, else says so. */
    void lose(const QString &reason, ReconnectPolicy::Loss loss);
    /** No reconnection (any more): the user acted, or it gave up. */
    void stopReconnecting();
    void resetSocket();

    QPointer<QTcpSocket> m_socket;
    QPointer<FrameChannel> m_channel;
    QTimer m_offlineTimer;
    State m_state = State::Disconnected;
    QString m_host;
    quint16 m_port = 0;
    int m_queuePosition = 0;
    int m_queueLength = 0;
    int m_workers = 0;
    qint64 m_maxMessageLength = FrameReader::kDefaultMaxBodyLength;
    bool m_binary = false;
    bool m_forceBase64 = false;
    QString m_modelName;
    QString m_serverName;
    QStringList m_labels;
    std::optional<ModelInputInfo> m_modelInput;
    QList<ServedModelInfo> m_models;
    QString m_pendingLoss; ///< why the server is about to close (BUSY, shutdown, TIMEOUT)
    ReconnectPolicy::Loss m_pendingLossKind = ReconnectPolicy::Loss::Dropped;
    QSet<qint64> m_unanswered; ///< msg_ids sent on this socket, not answered yet
    ReconnectPolicy m_reconnectPolicy;
    QTimer m_reconnectTimer;
    int m_reconnectDelayMs = 0;
    /** A session was welcomed since the user's connectToServer(): only such a one reconnects. */
    bool m_sessionEstablished = false;
    bool m_reconnecting = false;
    /**
     * Whether the session came back to nothing it must send again (nothing was on the wire
     * when it was lost): then its welcome resets the policy. Otherwise only an answer does,
     * so that a backend that welcomes and then dies on the images sent again (one image
     * that kills it) is not tried forever.
     */
    bool m_resetPolicyOnWelcome = false;
    QByteArray m_accessToken;
    TlsOptions m_tls;
    QString m_peerFingerprint;
    QString m_authenticatedAs;
};

} // namespace orchard
