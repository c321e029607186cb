#include "client/bench/benchconnection.h"

#include <QTcpSocket>

#include "client/core/serverconnection.h"
#include "common/protocol/clientmessage.h"
#include "common/protocol/framechannel.h"
#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "common/protocol/servermessage.h"

namespace orchard {

BenchConnection::BenchConnection(bool legacyServer, BodyForm form, QObject *parent)
    : QObject(parent)
    , m_legacy(legacyServer)
    , m_form(form)
{
    if (m_legacy)
        return;
    m_connection = new ServerConnection(this);
    m_connection->setForceBase64(m_form == BodyForm::Base64);
    connect(m_connection, &ServerConnection::queued, this, &BenchConnection::queued);
    connect(m_connection, &ServerConnection::welcomed, this, [this] {
        m_ready = true;
        emit ready();
    });
    connect(m_connection, &ServerConnection::predictionReceived, this, &BenchConnection::replied);
    connect(m_connection, &ServerConnection::requestFailed, this, [this](const ProtocolError &error) {
        emit failed(error.code, error.message);
    });
    connect(m_connection, &ServerConnection::offlineAcknowledged, this, &BenchConnection::offlineAcknowledged);
    connect(m_connection, &ServerConnection::connectionLost, this, [this](const QString &reason) {
        if (m_closed)
            return;
        m_closed = true;
        m_ready = false;
        emit closed(reason, m_leaving);
    });
    connect(m_connection, &ServerConnection::stateChanged, this, [this](ServerConnection::State state) {
        // connectionLost() covers the endings nobody asked for; this is the asked-for one.
        if (state != ServerConnection::State::Disconnected || !m_leaving || m_closed)
            return;
        m_closed = true;
        m_ready = false;
        emit closed(QString(), true);
    });
}

BenchConnection::~BenchConnection()
{
    if (m_connection)
        m_connection->disconnect(this); // nothing is reported from a destructor
    abort();
}

void BenchConnection::setSecurity(const ServerConnection::TlsOptions &tls, const QByteArray &accessToken)
{
    if (!m_connection)
        return; // the original server has neither
    m_connection->setTls(tls);
    m_connection->setAccessToken(accessToken);
}

void BenchConnection::connectToServer(const QString &host, quint16 port)
{
    m_ready = m_leaving = m_closed = false;
    m_imageBytesSent = 0;
    if (!m_legacy) {
        m_connection->connectToServer(host, port);
        return;
    }
    m_socket = new QTcpSocket(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_channel = new FrameChannel(m_socket, FrameReader::kDefaultMaxBodyLength, m_socket);
    connect(m_channel, &FrameChannel::frameReceived, this, &BenchConnection::onLegacyFrame);
    connect(m_channel, &FrameChannel::protocolError, this, [this](const ProtocolError &error) {
        closeLegacy(QStringLiteral("the server sent data that cannot be framed (%1)").arg(error.message), false);
    });
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        // The original server says nothing until it answers a request: TCP up is ready.
        m_ready = true;
        emit ready();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        closeLegacy(QStringLiteral("the server closed the connection"), m_leaving);
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) // disconnected() says it
            closeLegacy(m_socket->errorString(), false);
    });
    m_socket->connectToHost(host, port);
}

bool BenchConnection::sendImage(const QString &name, const QByteArray &bytes, int topK)
{
    if (!m_ready || m_leaving)
        return false;
    ImageRequest request;
    request.imageData = bytes;
    request.name = name;
    request.topK = topK;
    request.messageId = m_nextMessageId++;
    const qint64 before = channelBytesSent();
    bool sent = false;
    if (!m_legacy) {
        sent = m_connection->sendImage(request);
    } else {
        const Result<QByteArray> frame = request.toFrame(ImageBodyForm::Base64Text);
        sent = frame && m_channel && m_channel->send(*frame);
    }
    // Counted here, while the channel exists: it goes away with the connection.
    m_imageBytesSent += channelBytesSent() - before;
    return sent;
}

void BenchConnection::disconnectFromServer(const QString &text)
{
    if (m_closed)
        return;
    m_leaving = true;
    if (!m_legacy) {
        m_connection->disconnectFromServer(text);
        return;
    }
    if (m_channel && m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_channel->send(*encodeFrame(MessageType::ClientMessage, ClientMessage::offlineBody(text)));
    else
        closeLegacy(QString(), true);
}

void BenchConnection::abort()
{
    if (m_connection)
        m_connection->abort();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_ready = false;
}

bool BenchConnection::usesBinary() const
{
    return !m_legacy && m_connection && m_connection->usesBinary();
}

qint64 BenchConnection::channelBytesSent() const
{
    if (m_legacy)
        return m_channel ? m_channel->bytesSent() : 0;
    return m_connection ? m_connection->bytesSent() : 0;
}

int BenchConnection::serverWorkers() const
{
    return m_connection ? m_connection->serverWorkers() : 0;
}

QString BenchConnection::serverDescription() const
{
    if (m_legacy)
        return QStringLiteral("original server (no welcome)");
    return QStringLiteral("%1, model %2").arg(m_connection->serverName(), m_connection->modelName());
}

void BenchConnection::onLegacyFrame(const Frame &frame)
{
    switch (frame.type()) {
    case MessageType::ServerPrediction: {
        const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
        if (reply)
            emit replied(reply.value());
        else
            emit failed(reply.error().code, reply.error().message);
        return;
    }
    case MessageType::ServerError: {
        const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
        emit failed(error ? error->code : ErrorCode::Internal,
                    error ? error->message : QStringLiteral("an error the server did not explain"));
        return;
    }
    case MessageType::ServerMessage: {
        const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
        if (message && message->kind() == QLatin1String("offline")) {
            emit offlineAcknowledged(message->text());
            closeLegacy(QString(), true);
        }
        return;
    }
    default:
        return;
    }
}

void BenchConnection::closeLegacy(const QString &reason, bool expected)
{
    if (m_closed)
        return;
    m_closed = true;
    m_ready = false;
    if (m_socket) {
        m_socket->disconnect(this);
        if (m_channel)
            m_channel->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    emit closed(reason, expected);
}

} // namespace orchard
