#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include "client/core/serverconnection.h"
#include "common/protocol/errorcode.h"
#include "common/protocol/predictionreply.h"

class QTcpSocket;

namespace orchard {

class FrameChannel;
struct Frame;

/**
 * One client connection as the load generator and the QA scenario drive it.
 *
 * Against an Orchard server it is the client library's ServerConnection, so the numbers
 * are what the desktop client sees. The original Python server (legacy mode) never sends
 * `queued` or `welcome` and reads only base64 text bodies: there, a connection counts as
 * ready as soon as TCP is up and images go as base64 text, exactly as the original clients
 * sent them, through the same FrameChannel ServerConnection uses underneath.
 */
class BenchConnection : public QObject
{
    Q_OBJECT

public:
    enum class BodyForm {
        Auto,   ///< binary when the server's welcome offers it (what the desktop client does)
        Base64, ///< base64 even when binary is offered
    };

    BenchConnection(bool legacyServer, BodyForm form, QObject *parent = nullptr);
    ~BenchConnection() override;

    /** TLS and an access token (as `orchard-cli predict` takes them); Orchard servers only. */
    void setSecurity(const ServerConnection::TlsOptions &tls, const QByteArray &accessToken);
    void connectToServer(const QString &host, quint16 port);
    /** Sends one image with the next msg_id; false when not ready or it cannot be framed. */
    bool sendImage(const QString &name, const QByteArray &bytes, int topK);
    /** Says goodbye (the offline message) when served, else just leaves; closed() follows. */
    void disconnectFromServer(const QString &text);
    void abort();

    bool isLegacy() const { return m_legacy; }
    bool isReady() const { return m_ready; }
    bool usesBinary() const;
    /** Bytes of the image requests sent so far, headers included (not the goodbye). */
    qint64 bytesSent() const { return m_imageBytesSent; }
    /** The pool size the server announced (welcome or queued); 0 when it never said. */
    int serverWorkers() const;
    /** "Orchard 0.1.0, model fashion-mnist" or "original server (no welcome)". */
    QString serverDescription() const;

signals:
    /** All workers are busy: the server put this connection in line (Orchard servers only). */
    void queued(int position, int waiting, int workers);
    /** A worker took the connection (welcome), or TCP is up (legacy): images may go. */
    void ready();
    void replied(const orchard::PredictionReply &reply);
    /** A SERVER_ERROR for a request or the connection (BAD_IMAGE, BUSY…), or an answer that cannot be read. */
    void failed(orchard::ErrorCode code, const QString &message);
    void offlineAcknowledged(const QString &text);
    /** The connection is over; expected when we asked for it (goodbye or leaving the line). */
    void closed(const QString &reason, bool expected);

private:
    void onLegacyFrame(const Frame &frame);
    void closeLegacy(const QString &reason, bool expected);
    qint64 channelBytesSent() const;

    const bool m_legacy;
    const BodyForm m_form;
    bool m_ready = false;
    bool m_leaving = false;
    bool m_closed = false;
    qint64 m_nextMessageId = 1;
    qint64 m_imageBytesSent = 0;
    // Orchard servers: the client library's connection.
    QPointer<ServerConnection> m_connection;
    // Original servers: a bare socket and frame channel.
    QPointer<QTcpSocket> m_socket;
    QPointer<FrameChannel> m_channel;
};

} // namespace orchard
