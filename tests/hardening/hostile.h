#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "common/protocol/frame.h"
#include "common/protocol/predictionreply.h"
#include "common/protocol/protocolerror.h"
#include "common/protocol/servermessage.h"
#include "tests/support/testclient.h"

// What the hostile-client tests share: reading replies, building raw headers, and a
// well-behaved bystander whose service must not suffer from whatever its neighbours do.
namespace orchard::hardening {

/** The SERVER_ERROR in frame (the test fails if it is something else). */
ProtocolError errorOf(const Frame &frame);
/** The SERVER_MESSAGE in frame. */
ServerMessage messageOf(const Frame &frame);
/** The SERVER_PREDICTION in frame. */
PredictionReply predictionOf(const Frame &frame);

/** A header from raw JSON text, padded on the left to 128 bytes as senders do. */
QByteArray rawHeader(const QByteArray &json);

/** The first committed sample image (a 28 x 28 PNG) and the label it shows. */
QByteArray sampleImage();
QString sampleLabel();

/** A binary CLIENT_IMAGE frame. */
QByteArray imageFrame(const QByteArray &image, qint64 messageId);

/** Connects and waits for `welcome`, skipping any `queued` before it. */
std::unique_ptr<test::TestClient> welcomedClient(quint16 port);

/**
 * Sends the sample image and requires a right diagnosis: proof that this connection is
 * still served normally, whatever happened on the others.
 */
void requireServed(test::TestClient &client, qint64 messageId);

/**
 * orchard-server --headless on a free loopback port, for what only a process shows: its
 * peak memory (VmHWM) and how long a SIGTERM takes to end it. (serverprocesstests.cpp has
 * its own, with the log checks of its crowd tests.)
 */
class HeadlessServerProcess
{
public:
    explicit HeadlessServerProcess(const QStringList &arguments);
    ~HeadlessServerProcess();

    quint16 port() const { return m_port; }
    /** The process's peak resident memory so far, in KiB (VmHWM in /proc/PID/status). */
    qint64 peakRssKb() const;
    /** Sends SIGTERM; the milliseconds until the process exited, or -1 after timeoutMs. */
    qint64 terminateMs(int timeoutMs);
    QString standardError() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace orchard::hardening
