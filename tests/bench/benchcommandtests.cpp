// `orchard-cli bench` and `orchard-cli qa saturation` as QA runs them: the real executable
// in a QProcess against a real in-process server. These tests assert counts and ordering,
// never speed: the numbers come from scripts/bench.sh.
#include <catch2/catch.hpp>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 90000;
const QString kSamplesDir = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

/** orchard-cli running beside this thread's event loop (which serves the fixture). */
class Cli
{
public:
    explicit Cli(const QStringList &arguments) : m_arguments(arguments)
    {
        QObject::connect(&m_process, &QProcess::finished, &m_process, [this] { m_finished = true; });
        QObject::connect(&m_process, &QProcess::errorOccurred, &m_process, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart)
                m_finished = true;
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(ORCHARD_CLI_PATH), arguments);
    }

    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            (void)QTest::qWaitFor([this] { return m_finished; }, kWaitMs);
        }
    }

    int waitForExit()
    {
        const bool finished = QTest::qWaitFor([this] { return m_finished; }, kWaitMs);
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        INFO(description());
        REQUIRE(finished);
        REQUIRE(m_process.exitStatus() == QProcess::NormalExit);
        return m_process.exitCode();
    }

    QStringList lines() const { return QString::fromUtf8(m_out).split('\n', Qt::SkipEmptyParts); }
    QString output() const { return QString::fromUtf8(m_out); }

    std::string description() const
    {
        return ("orchard-cli " + m_arguments.join(' ') + "\nstdout:\n" + QString::fromUtf8(m_out) + "\nstderr:\n"
                + QString::fromUtf8(m_err))
                .toStdString();
    }

private:
    QProcess m_process;
    QStringList m_arguments;
    QByteArray m_out;
    QByteArray m_err;
    bool m_finished = false;
};

QJsonObject parse(const QString &line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8());
    INFO(line.toStdString());
    REQUIRE(document.isObject());
    return document.object();
}

QString portOf(const ServerFixture &fixture) { return QString::number(fixture.port()); }

/** The line index of the first timeline line for `client` that contains `text`; -1 if none. */
int lineOf(const QStringList &lines, int client, const QString &text)
{
    const QRegularExpression pattern(QStringLiteral("s  client %1 +.*%2").arg(client).arg(QRegularExpression::escape(text)));
    for (int i = 0; i < lines.size(); ++i) {
        if (pattern.match(lines.at(i)).hasMatch())
            return i;
    }
    return -1;
}

} // namespace

TEST_CASE("bench --json: one object per level, every request answered, waiting clients queued")
{
    ServerFixture fixture(withWorkers(2));
    Cli cli({ "bench", "--port", portOf(fixture), "--clients", "1,3", "--requests", "4", "--warmup", "2", "--json",
              "--label", "small", "--images", kSamplesDir });
    CHECK(cli.waitForExit() == 0);
    INFO(cli.description());
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 2);

    const QJsonObject one = parse(lines.at(0));
    CHECK(one.value("target").toString() == "orchard");
    CHECK(one.value("label").toString() == "small");
    CHECK(one.value("clients").toInt() == 1);
    CHECK(one.value("completed").toInt() == 4);
    CHECK(one.value("failed").toInt() == 0);
    CHECK(one.value("workers").toInt() == 2);
    CHECK(one.value("images").toInt() == 20);
    CHECK(one.value("body").toString() == "binary");
    CHECK(one.value("latency_ms").toObject().value("count").toInt() == 4);
    CHECK(one.value("queued_ms").toObject().value("count").toInt() == 1);

    const QJsonObject three = parse(lines.at(1));
    CHECK(three.value("clients").toInt() == 3);
    CHECK(three.value("requested").toInt() == 12);
    CHECK(three.value("completed").toInt() == 12);
    CHECK(three.value("failed").toInt() == 0);
    CHECK(three.value("unserved").toInt() == 0);
    CHECK(three.value("queued_ms").toObject().value("count").toInt() == 3);
    // Three clients, two workers: one of them waited for another to finish its 4 requests,
    // so its time in line is longer than the server took to answer one request.
    CHECK(three.value("queued_ms").toObject().value("max").toDouble()
          > three.value("latency_ms").toObject().value("p50").toDouble());
    CHECK(three.value("bytes_per_image").toDouble() > 0);

    // The server said which forward pass each answer came from: counts, never speed.
    for (const QJsonObject &level : { one, three }) {
        const QJsonObject serverMs = level.value("server_ms").toObject();
        CHECK(serverMs.contains("wait"));
        CHECK(serverMs.contains("queue"));
        CHECK(serverMs.contains("infer"));
        CHECK(serverMs.value("queue").toDouble() >= 0);
        const QJsonObject batchSize = level.value("batch_size").toObject();
        CHECK(batchSize.value("mean").toDouble() >= 1);
        CHECK(batchSize.value("per_pass").toDouble() >= 1);
        CHECK(batchSize.value("max").toInt() >= 1);
        CHECK(batchSize.value("max").toInt() <= 8); // the default --max-batch
        CHECK(batchSize.value("mean").toDouble() <= batchSize.value("max").toInt());
    }
    // One client, one request in flight: every forward pass held its image alone.
    CHECK(one.value("batch_size").toObject().value("max").toInt() == 1);
}

TEST_CASE("bench: base64 bodies send more bytes per image than binary ones, for the same answers")
{
    ServerFixture fixture(withWorkers(2));
    const QString image = kSamplesDir + QStringLiteral("/ankle_boot_0.png");
    Cli binary({ "bench", "--port", portOf(fixture), "--requests", "3", "--warmup", "0", "--json", "--binary", image });
    REQUIRE(binary.waitForExit() == 0);
    Cli base64({ "bench", "--port", portOf(fixture), "--requests", "3", "--warmup", "0", "--json", "--base64", image });
    REQUIRE(base64.waitForExit() == 0);

    const QJsonObject b = parse(binary.lines().value(0));
    const QJsonObject t = parse(base64.lines().value(0));
    CHECK(b.value("body").toString() == "binary");
    CHECK(t.value("body").toString() == "base64");
    CHECK(b.value("completed").toInt() == 3);
    CHECK(t.value("completed").toInt() == 3);
    // A 433-byte PNG: 128 + 433 bytes binary; base64 is 580 characters plus its JSON wrapper.
    CHECK(b.value("bytes_per_image").toDouble() == 128 + 433);
    CHECK(t.value("bytes_per_image").toDouble() > 128 + 580);
}

TEST_CASE("bench --engine: the same images in-process, one level per thread count")
{
    Cli cli({ "bench", "--engine", "--clients", "1,2", "--requests", "5", "--warmup", "1", "--json", kSamplesDir });
    CHECK(cli.waitForExit() == 0);
    INFO(cli.description());
    const QStringList lines = cli.lines();
    REQUIRE(lines.size() == 2);
    CHECK(parse(lines.at(0)).value("target").toString() == "engine");
    CHECK(parse(lines.at(0)).value("completed").toInt() == 5);
    CHECK(parse(lines.at(1)).value("clients").toInt() == 2);
    CHECK(parse(lines.at(1)).value("completed").toInt() == 10);
    CHECK_FALSE(parse(lines.at(1)).contains("queued_ms"));
    CHECK_FALSE(parse(lines.at(1)).contains("batch_size")); // no server, no batcher
}

TEST_CASE("bench: an unreachable server is exit status 2, with a reason")
{
    quint16 closedPort = 0;
    {
        ServerFixture fixture; // a port that was free a moment ago and is closed now
        closedPort = fixture.port();
    }
    Cli cli({ "bench", "--port", QString::number(closedPort), "--requests", "1" });
    CHECK(cli.waitForExit() == 2);
}

TEST_CASE("qa saturation: the original demo on 2 workers and 4 clients passes, in the right order")
{
    ServerFixture fixture(withWorkers(2));
    Cli cli({ "qa", "saturation", "--port", portOf(fixture), "--clients", "4", "--stagger", "100", "--hold", "0.6",
              "--images", kSamplesDir });
    const int exitCode = cli.waitForExit();
    INFO(cli.description());
    CHECK(exitCode == 0);
    const QStringList lines = cli.lines();

    // Clients 1 and 2 are served at once; 3 and 4 are told where they stand.
    CHECK(lineOf(lines, 1, "served at once") >= 0);
    CHECK(lineOf(lines, 2, "served at once") >= 0);
    CHECK(lineOf(lines, 3, "told queued: position 1 of 1") >= 0);
    CHECK(lineOf(lines, 4, "told queued: position 2 of 2") >= 0);
    // Client 3 is served only after client 1 went offline, client 4 only after client 2.
    const int offline1 = lineOf(lines, 1, "goes offline");
    const int offline2 = lineOf(lines, 2, "goes offline");
    const int served3 = lineOf(lines, 3, "served after waiting");
    const int served4 = lineOf(lines, 4, "served after waiting");
    REQUIRE(offline1 >= 0);
    REQUIRE(served3 >= 0);
    REQUIRE(served4 >= 0);
    CHECK(offline1 < served3);
    CHECK(offline2 < served4);
    // Client 4 hears `welcome` before client 3 only if both workers were already free
    // (then which of the two workers speaks first is a race, not the server's choice).
    CHECK((served3 < served4 || std::max(offline1, offline2) < served4));
    for (int client = 1; client <= 4; ++client)
        CHECK(lineOf(lines, client, "diagnosis:") >= 0);
    CHECK(cli.output().contains("verdict: PASS"));
}

TEST_CASE("qa saturation: a server whose pool is not the expected size fails the verdict")
{
    ServerFixture fixture(withWorkers(1));
    Cli cli({ "qa", "saturation", "--port", portOf(fixture), "--clients", "3", "--stagger", "100", "--hold", "0.4",
              "--workers", "2" });
    CHECK(cli.waitForExit() == 1);
    INFO(cli.description());
    CHECK(cli.output().contains("FAIL  client 2 was told to wait"));
    CHECK(cli.output().contains("verdict: FAIL"));
}

TEST_CASE("qa saturation: no server at the address is exit status 2, not a verdict")
{
    quint16 closedPort = 0;
    {
        ServerFixture fixture;
        closedPort = fixture.port();
    }
    Cli cli({ "qa", "saturation", "--port", QString::number(closedPort), "--clients", "2", "--stagger", "50",
              "--hold", "0.2" });
    CHECK(cli.waitForExit() == 2);
    CHECK_FALSE(cli.output().contains("verdict:"));
}
