#include "tests/hardening/hostile.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QRegularExpression>
#include <QTest>

#include "common/protocol/imagerequest.h"
#include "common/protocol/servererror.h"
#include "tests/support/testdata.h"

namespace orchard::hardening {

ProtocolError errorOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerError);
    const std::optional<ProtocolError> error = parseServerErrorBody(frame.body);
    REQUIRE(error);
    return *error;
}

ServerMessage messageOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerMessage);
    const Result<ServerMessage> message = ServerMessage::fromBody(frame.body);
    REQUIRE(message.ok());
    return message.value();
}

PredictionReply predictionOf(const Frame &frame)
{
    INFO("frame body: " << frame.body.left(300).toStdString());
    REQUIRE(frame.type() == MessageType::ServerPrediction);
    const Result<PredictionReply> reply = PredictionReply::fromBody(frame.body);
    REQUIRE(reply.ok());
    return reply.value();
}

QByteArray rawHeader(const QByteArray &json)
{
    REQUIRE(json.size() <= FrameHeader::kSize);
    return QByteArray(FrameHeader::kSize - json.size(), ' ') + json;
}

QByteArray sampleImage()
{
    const QList<test::SampleImage> samples = test::sampleImages();
    REQUIRE_FALSE(samples.isEmpty());
    return samples.first().bytes;
}

QString sampleLabel()
{
    return test::sampleImages().first().expectedLabel;
}

QByteArray imageFrame(const QByteArray &image, qint64 messageId)
{
    ImageRequest request;
    request.imageData = image;
    request.messageId = messageId;
    const Result<QByteArray> frame = request.toFrame(ImageBodyForm::Binary);
    REQUIRE(frame.ok());
    return frame.value();
}

std::unique_ptr<test::TestClient> welcomedClient(quint16 port)
{
    auto client = std::make_unique<test::TestClient>(port);
    for (;;) {
        REQUIRE(client->waitForNext());
        const QString kind = client->nextKind();
        if (kind == QLatin1String("welcome"))
            return client;
        REQUIRE(kind == QLatin1String("queued"));
    }
}

void requireServed(test::TestClient &client, qint64 messageId)
{
    client.sendRaw(imageFrame(sampleImage(), messageId));
    REQUIRE(client.waitForNext());
    const PredictionReply reply = predictionOf(client.next());
    CHECK(reply.messageId == messageId);
    CHECK(reply.label == sampleLabel());
}

HeadlessServerProcess::HeadlessServerProcess(const QStringList &arguments)
{
    REQUIRE(m_dir.isValid());
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("stdout.log")));
    m_process.setStandardErrorFile(m_dir.filePath(QStringLiteral("stderr.log")));
    m_process.start(QStringLiteral(ORCHARD_SERVER_PATH),
                    QStringList { "--headless", "--host", "127.0.0.1", "--port", "0" } + arguments);
    REQUIRE(m_process.waitForStarted(10000));
    const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
    QDeadlineTimer deadline(120000); // loading the model takes a while under sanitizers
    while (m_port == 0 && !deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QFile out(m_dir.filePath(QStringLiteral("stdout.log")));
        if (out.open(QIODevice::ReadOnly)) {
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(out.readAll()));
            if (match.hasMatch())
                m_port = static_cast<quint16>(match.captured(1).toUInt());
        }
        QTest::qWait(50);
    }
    INFO("stderr: " << standardError().toStdString());
    REQUIRE(m_port != 0);
}

HeadlessServerProcess::~HeadlessServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

qint64 HeadlessServerProcess::peakRssKb() const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    REQUIRE(status.open(QIODevice::ReadOnly));
    const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("VmHWM:\\s+(\\d+) kB")).match(QString::fromLatin1(status.readAll()));
    REQUIRE(match.hasMatch());
    return match.captured(1).toLongLong();
}

qint64 HeadlessServerProcess::terminateMs(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    m_process.terminate();
    return m_process.waitForFinished(timeoutMs) ? timer.elapsed() : -1;
}

QString HeadlessServerProcess::standardError() const
{
    QFile file(m_dir.filePath(QStringLiteral("stderr.log")));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().right(20000)) : QString();
}

} // namespace orchard::hardening
