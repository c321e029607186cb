#include "client/core/serverconnection.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include "common/protocol/clientmessage.h"
#include "common/protocol/frameheader.h"
#include "common/protocol/servererror.h"

namespace orchard {

ServerConnection::ServerConnection(QObject *parent) : QObject(parent)
{
    m_offlineTimer.setSingleShot(true);
    m_offlineTimer.setInterval(kOfflineReplyTimeoutMs);
    connect(&m_offlineTimer, &QTimer::timeout, this, [this] {
        // The server did not answer the goodbye in time; close anyway.
        resetSocket();
        setState(State::Disconnected);
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ServerConnection::open);
}

ServerConnection::~ServerConnection()
{
    resetSocket();
}

void ServerConnection::connectToServer(const QString &host, quint16 port)
{
    stopReconnecting();
    m_sessionEstablished = false;
    m_host = host;
    m_port = port;
    open();
}

void ServerConnection::open()
{
    resetSocket();
    m_queuePosition = m_queueLength = m_workers = 0;
    m_binary = false;
    m_pendingLoss.clear();
    m_pendingLossKind = ReconnectPolicy::Loss::Dropped;
    m_authenticatedAs.clear();
    m_peerFingerprint.clear();

    QSslSocket *tlsSocket = m_tls.enabled ? new QSslSocket(this) : nullptr;
    m_socket = tlsSocket ? tlsSocket : new QTcpSocket(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_channel = new FrameChannel(m_socket, FrameReader::kDefaultMaxBodyLength, m_socket);
    connect(m_channel, &FrameChannel::frameReceived, this, &ServerConnection::onFrame);
    connect(m_channel, &FrameChannel::protocolError, this, [this](const ProtocolError &error) {
        lose(tr("The server sent data Orchard cannot read (%1). Is this an Orchard server?").arg(error.message),
             ReconnectPolicy::Loss::ProtocolMismatch);
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ServerConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &ServerConnection::onSocketDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ServerConnection::bytesWritten);
    setState(State::Connecting);
    if (!tlsSocket) {
        m_socket->connectToHost(m_host, m_port);
        return;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    if (!m_tls.caCertificates.isEmpty()) {
        configuration.setCaCertificates(m_tls.caCertificates);
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        // Trust comes from the pinned fingerprint, checked in onEncrypted(), not from a CA.
        configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
    }
    tlsSocket->setSslConfiguration(configuration);
    connect(tlsSocket, &QSslSocket::encrypted, this, &ServerConnection::onEncrypted);
    tlsSocket->connectToHostEncrypted(m_host, m_port);
}

QString ServerConnection::fingerprintOf(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'));
}

void ServerConnection::onEncrypted()
{
    auto *socket = qobject_cast<QSslSocket *>(m_socket.data());
    if (!socket)
        return;
    const QSslCertificate certificate = socket->peerCertificate();
    m_peerFingerprint = fingerprintOf(certificate);
    if (!m_tls.caCertificates.isEmpty())
        return; // verified against the CA during the handshake
    if (m_tls.pinnedFingerprint.isEmpty()) {
        const QString subject = certificate.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
        const QString fingerprint = m_peerFingerprint;
        lose(tr("The server's certificate is not trusted yet (SHA-256 %1). Check the fingerprint with "
                "the server's administrator before trusting it.").arg(fingerprint),
             ReconnectPolicy::Loss::TlsFailure);
        emit certificateNotTrusted(fingerprint, subject);
        return;
    }
    if (m_peerFingerprint.compare(m_tls.pinnedFingerprint.trimmed(), Qt::CaseInsensitive) != 0) {
        const QString presented = m_peerFingerprint;
        lose(tr("WARNING: the server's certificate has changed (SHA-256 %1, expected %2). Someone may be "
                "impersonating the server. If its administrator replaced the certificate, forget the old "
                "fingerprint in Settings and connect again.").arg(presented, m_tls.pinnedFingerprint),
             ReconnectPolicy::Loss::TlsFailure);
        emit certificateChanged(presented, m_tls.pinnedFingerprint);
    }
}

void ServerConnection::disconnectFromServer(const QString &offlineText)
{
    stopReconnecting();
    m_sessionEstablished = false;
    if (m_state == State::Connected && m_channel) {
        setState(State::Closing);
        m_channel->send(*encodeFrame(MessageType::ClientMessage, ClientMessage::offlineBody(offlineText)));
        m_offlineTimer.start();
        return;
    }
    // Not served yet: nobody would read a goodbye. Leaving the line is enough.
    resetSocket();
    setState(State::Disconnected);
}

void ServerConnection::abort()
{
    stopReconnecting();
    m_sessionEstablished = false;
    resetSocket();
    setState(State::Disconnected);
}

bool ServerConnection::sendImage(const ImageRequest &request, QString *framingError)
{
    if (m_state != State::Connected || !m_channel)
        return false;
    const Result<QByteArray> frame = request.toFrame(formFor(request, request.imageData.size()));
    if (!frame) {
        if (framingError)
            *framingError = frame.error().message;
        return false;
    }
    if (!m_channel->send(*frame))
        return false;
    if (request.messageId)
        m_unanswered.insert(*request.messageId);
    return true;
}

qint64 ServerConnection::bodyLengthFor(const ImageRequest &request, std::optional<qint64> imageSize) const
{
    return request.bodyLength(formFor(request, imageSize.value_or(request.imageData.size())), imageSize);
}

ImageBodyForm ServerConnection::formFor(const ImageRequest &request, qint64 imageSize) const
{
    if (!usesBinary())
        return ImageBodyForm::Base64Json;
    if (request.model.isEmpty())
        return ImageBodyForm::Binary;
    // A binary body leaves the model's name to the 128-byte header, beside encoding, msg_len,
    // msg_id and top_k: there is room for some 28 characters, 11 with a model_version. A
    // longer name goes in the JSON form's body instead: a third more bytes, rather than a
    // request that cannot be sent.
    FrameHeader header = FrameHeader::make(MessageType::ClientImage, imageSize, request.messageId, BodyEncoding::Binary);
    header.topK = request.topK;
    header.model = request.model;
    header.modelVersion = request.modelVersion;
    return header.encode() ? ImageBodyForm::Binary : ImageBodyForm::Base64Json;
}

std::optional<ServedModelInfo> ServerConnection::servedModel(const QString &name) const
{
    for (const ServedModelInfo &model : m_models) {
        if (model.name == name)
            return model;
    }
    return std::nullopt;
}

qint64 ServerConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

QString ServerConnection::statusText() const
{
    switch (m_state) {
    case State::Disconnected:
        return tr("Disconnected");
    case State::Connecting:
        if (m_reconnecting)
            return tr("Reconnecting to %1:%2 (attempt %3 of %4)…")
                    .arg(m_host)
                    .arg(m_port)
                    .arg(m_reconnectPolicy.attemptsMade())
                    .arg(m_reconnectPolicy.maxAttempts());
        return tr("Connecting to %1:%2…").arg(m_host).arg(m_port);
    case State::Waiting:
        return tr("Waiting for a free server worker (position %1 of %2)").arg(m_queuePosition).arg(m_queueLength);
    case State::Connected: {
        // Whole clauses, each a translator can reorder: where, as whom, which model.
        QString text = m_tls.enabled ? tr("Connected to %1 at %2:%3 (TLS)").arg(m_serverName, m_host).arg(m_port)
                                     : tr("Connected to %1 at %2:%3").arg(m_serverName, m_host).arg(m_port);
        if (!m_authenticatedAs.isEmpty())
            text = tr("%1 as %2", "connected to a server as the label its token names").arg(text, m_authenticatedAs);
        // With several models the picker says which one answers; here only how many there are.
        if (m_models.size() > 1)
            return tr("%1, %n models (default %2)", nullptr, int(m_models.size())).arg(text, m_modelName);
        return tr("%1, model %2").arg(text, m_modelName);
    }
    case State::Closing:
        return tr("Disconnecting…");
    case State::Reconnecting:
        return tr("Connection lost — reconnecting (attempt %1 of %2) in %3 s…")
                .arg(m_reconnectPolicy.attemptsMade())
                .arg(m_reconnectPolicy.maxAttempts())
                .arg(QLocale().toString(m_reconnectDelayMs / 1000.0, 'f', 1));
    }
    return {};
}

void ServerConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ServerConnection::onFrame(const Frame &frame)
{
    switch (frame.type()) {
    case MessageType::ServerPrediction: {
        if (frame.messageId())
            m_unanswered.remove(*frame.messageId());
        m_reconnectPolicy.reset(); // the backend answers: a later loss starts again at attempt 1
        const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
        if (reply)
            emit predictionReceived(reply.value());
        else
            emit requestFailed({ reply.error().code, reply.error().message, frame.messageId() });
        return;
    }
    case MessageType::ServerError: {
        ProtocolError error = parseServerErrorBody(frame.body).value_or(
                ProtocolError { ErrorCode::Internal, tr("The server reported an error it did not explain."), {} });
        if (!error.messageId)
            error.messageId = frame.messageId();
        if (errorClosesConnection(error.code)) {
            // Read before the request's id leaves the list: TIMEOUT with requests on the
            // wire is a stalled link, without any the server ending an idle session.
            m_pendingLossKind = ReconnectPolicy::lossFor(error.code, !m_unanswered.isEmpty());
            m_pendingLoss = error.code == ErrorCode::Unauthorized
                    ? tr("The server refused the access token: %1 Check it in Settings.").arg(error.message)
                    : error.message;
        } else {
            m_reconnectPolicy.reset(); // an answer, if not the one hoped for
        }
        if (error.messageId)
            m_unanswered.remove(*error.messageId);
        emit requestFailed(error);
        return;
    }
    case MessageType::ServerMessage:
        break;
    default:
        return; // a client ignores what it does not know
    }

    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    if (!message)
        return;
    const QString kind = message->kind();
    if (kind == QLatin1String("queued")) {
        m_queuePosition = message->position();
        m_queueLength = std::max(message->waiting(), m_queuePosition);
        m_workers = message->workers();
        setState(State::Waiting);
        emit queued(m_queuePosition, m_queueLength, m_workers);
    } else if (kind == QLatin1String("welcome")) {
        const WelcomeInfo welcome = *message->welcomeInfo();
        m_queuePosition = m_queueLength = 0;
        m_workers = welcome.workers;
        m_binary = welcome.acceptsBinary();
        m_maxMessageLength = welcome.maxMessageLength > 0 ? welcome.maxMessageLength
                                                          : FrameReader::kDefaultMaxBodyLength;
        m_modelName = welcome.model;
        m_serverName = QStringLiteral("%1 %2").arg(welcome.server, welcome.version).trimmed();
        m_labels = welcome.labels;
        m_modelInput = welcome.input;
        m_models = welcome.models;
        emit modelsListed();
        if (!m_channel)
            return; // a slot dropped the connection
        if (welcome.authRequired) {
            // Connected only once the token is accepted: nothing else may go first.
            if (m_accessToken.isEmpty()) {
                lose(tr("The server at %1:%2 needs an access token; ask its administrator for one "
                        "and enter it in Settings.").arg(m_host).arg(m_port),
                     ReconnectPolicy::Loss::AccessRefused);
                return;
            }
            m_channel->send(*encodeFrame(MessageType::ClientMessage, ClientMessage::authBody(m_accessToken)));
        } else {
            becomeConnected();
        }
    } else if (kind == QLatin1String("authenticated")) {
        m_authenticatedAs = message->fields().value(QStringLiteral("label")).toString();
        if (m_state != State::Connected)
            becomeConnected();
    } else if (kind == QLatin1String("offline")) {
        m_offlineTimer.stop();
        emit offlineAcknowledged(message->text());
        resetSocket();
        setState(State::Disconnected);
    } else if (kind == QLatin1String("shutdown")) {
        m_pendingLoss = message->text().isEmpty() ? tr("The server is shutting down.") : message->text();
        m_pendingLossKind = ReconnectPolicy::Loss::ServerShutdown;
    }
    emit serverMessage(message.value());
}

void ServerConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError)
        return; // disconnected() follows and says why
    using Loss = ReconnectPolicy::Loss;
    if (error == QAbstractSocket::SslHandshakeFailedError) {
        lose(tr("The secure connection to %1:%2 failed: %3.").arg(m_host).arg(m_port).arg(m_socket->errorString()),
             Loss::TlsFailure);
    } else if (m_state == State::Connecting) {
        lose(tr("Cannot reach the server at %1:%2: %3.").arg(m_host).arg(m_port).arg(m_socket->errorString()),
             Loss::Unreachable);
    } else {
        lose(tr("The connection to the server was lost: %1.").arg(m_socket->errorString()), Loss::Dropped);
    }
}

void ServerConnection::onSocketDisconnected()
{
    if (m_state == State::Closing || m_state == State::Disconnected) {
        m_offlineTimer.stop();
        setState(State::Disconnected);
        return;
    }
    lose(m_pendingLoss.isEmpty() ? tr("The server closed the connection.") : m_pendingLoss, m_pendingLossKind);
}

void ServerConnection::becomeConnected()
{
    const bool cameBack = m_reconnecting;
    m_sessionEstablished = true;
    m_reconnecting = false;
    if (cameBack && m_resetPolicyOnWelcome)
        m_reconnectPolicy.reset();
    setState(State::Connected);
    if (cameBack)
        emit reconnected();
    emit welcomed();
}

void ServerConnection::lose(const QString &reason, ReconnectPolicy::Loss loss)
{
    if (m_state == State::Disconnected || m_state == State::Reconnecting)
        return;
    const bool requestsOnWire = !m_unanswered.isEmpty();
    resetSocket();
    const bool retry = m_sessionEstablished && m_reconnectPolicy.isEnabled() && ReconnectPolicy::isRetryable(loss);
    if (retry && !m_reconnecting) {
        m_reconnecting = true;
        m_resetPolicyOnWelcome = !requestsOnWire;
    }
    if (retry && !m_reconnectPolicy.exhausted()) {
        m_reconnectDelayMs = m_reconnectPolicy.nextDelay();
        m_reconnectTimer.start(m_reconnectDelayMs);
        setState(State::Reconnecting);
        emit reconnecting(m_reconnectPolicy.attemptsMade(), m_reconnectPolicy.maxAttempts(), m_reconnectDelayMs,
                          reason);
        return;
    }
    const bool wasReconnecting = m_reconnecting;
    const int attempts = m_reconnectPolicy.attemptsMade();
    const QString finalReason = retry
            ? tr("Gave up reconnecting to %1:%2 after %n attempt(s). %3", nullptr, attempts)
                      .arg(m_host)
                      .arg(m_port)
                      .arg(reason)
            : reason;
    stopReconnecting();
    m_sessionEstablished = false;
    setState(State::Disconnected);
    if (wasReconnecting)
        emit reconnectFailed(reason);
    emit connectionLost(finalReason);
}

void ServerConnection::stopReconnecting()
{
    m_reconnectTimer.stop();
    m_reconnecting = false;
    m_reconnectPolicy.reset();
}

void ServerConnection::resetSocket()
{
    m_offlineTimer.stop();
    m_unanswered.clear(); // a new socket answers nothing asked on this one
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    if (m_channel)
        m_channel->disconnect(this); // frames still being delivered are no longer ours
    m_socket = nullptr;
    m_channel = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

} // namespace orchard
