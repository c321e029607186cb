#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include <QByteArray>

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

} // namespace orchard::hardening
