// TLS end to end: a real server with a certificate made for this test run, and the client
// library trusting it by CA, by pinned fingerprint, or not at all.
#include <catch2/catch.hpp>

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "common/protocol/imagerequest.h"
#include "server/core/tlsidentity.h"
#include "tests/support/serverfixture.h"
#include "tests/support/testclient.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 15000;

/** A self-signed certificate for localhost, made with openssl in a temporary folder. */
struct TestCertificate
{
    TestCertificate()
    {
        REQUIRE(directory.isValid());
        certificate = directory.filePath("cert.pem");
        key = directory.filePath("key.pem");
        QProcess openssl;
        openssl.start("openssl", { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                                   "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                                   "-keyout", key, "-out", certificate });
        REQUIRE(openssl.waitForFinished(60000));
        INFO(openssl.readAllStandardError().toStdString());
        REQUIRE(openssl.exitCode() == 0);
        auto loaded = TlsIdentity::load(certificate, key);
        REQUIRE(loaded.ok());
        identity = std::make_shared<const TlsIdentity>(std::move(loaded).value());
    }

    ServerConfig config(int workers = 5) const
    {
        ServerConfig config = withWorkers(workers);
        config.tls = identity;
        return config;
    }

    QTemporaryDir directory;
    QString certificate;
    QString key;
    std::shared_ptr<const TlsIdentity> identity;
};

TestCertificate &testCertificate()
{
    static TestCertificate made; // one openssl run per test executable
    return made;
}

ServerConnection::TlsOptions trustedByCa()
{
    ServerConnection::TlsOptions options;
    options.enabled = true;
    options.caCertificates = QSslCertificate::fromPath(testCertificate().certificate);
    return options;
}

} // namespace

TEST_CASE("A TLS server serves a client that verifies it by CA")
{
    ServerFixture fixture(testCertificate().config());
    ServerConnection connection;
    connection.setTls(trustedByCa());
    RequestQueue queue(&connection);
    QSignalSpy finished(&queue, &RequestQueue::jobFinished);
    connection.connectToServer(QStringLiteral("localhost"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return connection.isConnected(); }, kWaitMs));
    CHECK(connection.statusText().contains("(TLS)"));
    CHECK(connection.peerFingerprint() == testCertificate().identity->fingerprint);
    for (const SampleImage &sample : sampleImages())
        queue.enqueue(sample.fileName, sample.bytes);
    REQUIRE(QTest::qWaitFor([&] { return finished.count() == 20; }, kWaitMs));
}

TEST_CASE("A pinned fingerprint is trusted, a different one is refused with a warning")
{
    ServerFixture fixture(testCertificate().config());
    ServerConnection pinned;
    ServerConnection::TlsOptions options;
    options.enabled = true;
    options.pinnedFingerprint = testCertificate().identity->fingerprint.toUpper();
    pinned.setTls(options);
    pinned.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return pinned.isConnected(); }, kWaitMs));

    ServerConnection changed;
    options.pinnedFingerprint = QString(testCertificate().identity->fingerprint).replace(0, 2, "00");
    changed.setTls(options);
    QSignalSpy lost(&changed, &ServerConnection::connectionLost);
    QSignalSpy warned(&changed, &ServerConnection::certificateChanged);
    changed.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(lost.wait(kWaitMs));
    CHECK(lost.at(0).at(0).toString().contains("certificate has changed"));
    CHECK(lost.at(0).at(0).toString().contains(testCertificate().identity->fingerprint));
    CHECK_FALSE(changed.isConnected());
    REQUIRE(warned.count() == 1);
    CHECK(warned.at(0).at(0).toString() == testCertificate().identity->fingerprint);
}

TEST_CASE("With neither CA nor pin the first connection stops and offers the fingerprint")
{
    ServerFixture fixture(testCertificate().config());
    ServerConnection connection;
    ServerConnection::TlsOptions options;
    options.enabled = true;
    connection.setTls(options);
    QSignalSpy untrusted(&connection, &ServerConnection::certificateNotTrusted);
    QSignalSpy lost(&connection, &ServerConnection::connectionLost);
    connection.connectToServer(QStringLiteral("127.0.0.1"), fixture.port());
    REQUIRE(untrusted.wait(kWaitMs));
    CHECK(untrusted.at(0).at(0).toString() == testCertificate().identity->fingerprint);
    CHECK(untrusted.at(0).at(1).toString() == "localhost");
    CHECK(lost.count() == 1);
    CHECK(connection.state() == ServerConnection::State::Disconnected);
}

TEST_CASE("Over TLS a waiting client hears queued, then is served when a worker frees")
{
    ServerFixture fixture(testCertificate().config(1));
    ServerConnection first;
    first.setTls(trustedByCa());
    first.connectToServer(QStringLiteral("localhost"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return first.isConnected(); }, kWaitMs));

    ServerConnection second;
    second.setTls(trustedByCa());
    RequestQueue queue(&second);
    QSignalSpy finished(&queue, &RequestQueue::jobFinished);
    second.connectToServer(QStringLiteral("localhost"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return second.state() == ServerConnection::State::Waiting; }, kWaitMs));
    CHECK(second.statusText() == "Waiting for a free server worker (position 1 of 1)");
    queue.enqueue(QStringLiteral("bag_0.png"), sampleImages().at(2).bytes);

    first.disconnectFromServer();
    REQUIRE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    CHECK(second.isConnected());
}

TEST_CASE("A plain client on a TLS port is turned away and the server keeps serving")
{
    ServerFixture fixture(testCertificate().config());
    QSignalSpy rejected(fixture.server->events(), &ServerEvents::connectionRejected);
    TestClient plain(fixture.port());
    REQUIRE(plain.waitConnected());
    plain.sendFrame(MessageType::ClientMessage, "hello?");
    REQUIRE(plain.waitDisconnected());
    CHECK(plain.frames().isEmpty());
    REQUIRE(QTest::qWaitFor([&] { return rejected.count() == 1; }, kWaitMs));
    CHECK(rejected.at(0).at(1).toString().startsWith("TLS handshake failed"));

    ServerConnection secure;
    secure.setTls(trustedByCa());
    secure.connectToServer(QStringLiteral("localhost"), fixture.port());
    REQUIRE(QTest::qWaitFor([&] { return secure.isConnected(); }, kWaitMs));
}

TEST_CASE("Missing or mismatched TLS files are refused in words")
{
    CHECK(TlsIdentity::load("/nonexistent/cert.pem", testCertificate().key).error().contains("Cannot read"));
    CHECK(TlsIdentity::load(testCertificate().key, testCertificate().key).error().contains("no PEM certificate"));
    CHECK(TlsIdentity::load(testCertificate().certificate, testCertificate().certificate)
                  .error()
                  .contains("no unencrypted PEM private key"));
}
