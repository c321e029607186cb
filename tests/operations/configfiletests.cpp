// `orchard-server --config FILE`: every option from a file, the command line over it, and
// each mistake refused with the file, the line and what is allowed; the shipped
// server/dist/server.conf kept to the option table; `--check-config` as a real process.
#include <catch2/catch.hpp>

#include <csignal>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "server/core/servercommandline.h"
#include "server/core/serverconfigfile.h"
#include "tests/operations/serverprocess.h"

using namespace orchard;
using namespace orchard::test;

namespace {

ServerCommandLine parse(const QStringList &arguments)
{
    return ServerCommandLine::parse(QStringList { QStringLiteral("orchard-server") } + arguments,
                                    QStringLiteral("1.2.3"));
}

QString trustedProxies(const ServerConfig &config)
{
    QStringList subnets;
    for (const auto &subnet : config.trustedProxies)
        subnets << QStringLiteral("%1/%2").arg(subnet.first.toString()).arg(subnet.second);
    return subnets.join(u',');
}

/** Everything a parse decided, as one line: two parses are the same when their lines are. */
std::string summary(const ServerCommandLine &line)
{
    const ServerConfig &c = line.config;
    const QStringList parts {
        QStringLiteral("outcome=%1").arg(static_cast<int>(line.outcome)),
        QStringLiteral("headless=%1").arg(line.headless),
        QStringLiteral("host=%1").arg(c.host.toString()),
        QStringLiteral("port=%1").arg(c.port),
        QStringLiteral("http-port=%1").arg(c.httpPort ? QString::number(*c.httpPort) : QStringLiteral("off")),
        QStringLiteral("http-host=%1").arg(c.httpHost.toString()),
        QStringLiteral("threads=%1").arg(c.workers),
        QStringLiteral("model=%1").arg(c.modelDirectory),
        QStringLiteral("model-repository=%1").arg(c.modelRepository),
        QStringLiteral("model-control=%1").arg(modelControlName(c.modelControl)),
        QStringLiteral("repository-poll-secs=%1").arg(c.repositoryPollInterval.count()),
        QStringLiteral("admin-labels=%1").arg(c.adminLabels.join(u',')),
        QStringLiteral("max-queued=%1").arg(c.maxQueued),
        QStringLiteral("read-timeout=%1").arg(c.readTimeout.count()),
        QStringLiteral("idle-timeout=%1").arg(c.idleTimeout.count()),
        QStringLiteral("write-timeout=%1").arg(c.writeTimeout.count()),
        QStringLiteral("max-client-message=%1").arg(c.maxClientMessageLength),
        QStringLiteral("max-msg-len=%1").arg(c.maxMessageLength),
        QStringLiteral("max-pixels=%1").arg(c.maxPixels),
        QStringLiteral("image-formats=%1").arg(c.imageFormats.toOptionValue()),
        QStringLiteral("decode-memory=%1").arg(c.decodeBudget ? c.decodeBudget->capacity() : -1),
        QStringLiteral("intra-op-threads=%1").arg(c.intraOpThreads),
        QStringLiteral("inference-threads=%1").arg(c.inferenceThreads),
        QStringLiteral("max-batch=%1").arg(c.maxBatch),
        QStringLiteral("batch-delay-us=%1").arg(c.batchDelay.count()),
        QStringLiteral("log-file=%1").arg(line.logFile),
        QStringLiteral("log-format=%1").arg(static_cast<int>(line.logFormat)),
        QStringLiteral("tls-cert=%1").arg(line.tlsCertificate),
        QStringLiteral("tls-key=%1").arg(line.tlsKey),
        QStringLiteral("token-file=%1").arg(line.tokenFile),
        QStringLiteral("agent-port=%1").arg(c.agentPort ? QString::number(*c.agentPort) : QStringLiteral("off")),
        QStringLiteral("proxy-protocol=%1").arg(c.proxyProtocol),
        QStringLiteral("trusted-proxies=%1").arg(trustedProxies(c)),
        QStringLiteral("drain-seconds=%1").arg(c.drainTime.count()),
    };
    return parts.join(QLatin1Char(' ')).toStdString();
}

/** A value for every setting, none of them its default; paths absolute so both forms mean the same. */
const QMap<QString, QString> &valueForEverySetting()
{
    static const QMap<QString, QString> values {
        { "headless", "true" },
        { "host", "127.0.0.2" },
        { "port", "6060" },
        { "http-port", "9464" },
        { "http-host", "127.0.0.3" },
        { "threads", "3" },
        { "model", "/srv/orchard/models/leaf" },
        { "model-repository", "/srv/orchard/models" },
        { "model-control", "poll" },
        { "repository-poll-secs", "42" },
        { "admin-labels", "lab,ops" },
        { "max-queued", "7" },
        { "read-timeout", "11" },
        { "idle-timeout", "13" },
        { "write-timeout", "17" },
        { "max-client-message", "4096" },
        { "max-msg-len", "1000000" },
        { "max-pixels", "123456" },
        { "image-formats", "jpeg,tiff" },
        { "decode-memory-mb", "512" },
        { "intra-op-threads", "2" },
        { "inference-threads", "3" },
        { "max-batch", "4" },
        { "batch-delay-us", "250" },
        { "log-file", "/var/log/orchard/test.log" },
        { "log-format", "json" },
        { "tls-cert", "/etc/orchard/server.crt" },
        { "tls-key", "/etc/orchard/server.key" },
        { "token-file", "/etc/orchard/tokens" },
        { "agent-port", "9465" },
        { "proxy-protocol", "true" },
        { "trusted-proxies", "10.0.0.5,10.1.0.0/16" },
        { "drain-seconds", "9" },
    };
    return values;
}

/** The same settings as command-line arguments. */
QStringList asArguments(const QMap<QString, QString> &settings)
{
    QStringList arguments;
    for (auto setting = settings.begin(); setting != settings.end(); ++setting) {
        if (setting.value() == QLatin1String("true")) // a switch
            arguments << QStringLiteral("--%1").arg(setting.key());
        else
            arguments << QStringLiteral("--%1").arg(setting.key()) << setting.value();
    }
    return arguments;
}

QByteArray asFile(const QMap<QString, QString> &settings)
{
    QByteArray text = "# every setting\n\n";
    for (auto setting = settings.begin(); setting != settings.end(); ++setting)
        text += setting.key().toUtf8() + " = " + setting.value().toUtf8() + "\n";
    return text;
}

/** A config file in a temporary folder, for one test. */
class ConfigFile
{
public:
    explicit ConfigFile(const QByteArray &text, const QString &name = QStringLiteral("server.conf"))
    {
        REQUIRE(m_dir.isValid());
        m_path = m_dir.filePath(name);
        QFile file(m_path);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(text);
    }
    const QString &path() const { return m_path; }
    QString folder() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

ServerCommandLine parseFile(const QByteArray &text, const QStringList &more = {})
{
    const ConfigFile file(text);
    return parse(QStringList { QStringLiteral("--config"), file.path() } + more);
}

QString refusal(const QByteArray &text)
{
    const ConfigFile file(text);
    const ServerCommandLine line = parse({ QStringLiteral("--config"), file.path() });
    REQUIRE(line.outcome == ServerCommandLine::Outcome::ExitError);
    // Every refusal names the file it is about.
    CHECK(line.message.startsWith(file.path()));
    return line.message.mid(file.path().size());
}

} // namespace

TEST_CASE("Every option can be set from a config file, and means there what it means on the command line")
{
    const QMap<QString, QString> &values = valueForEverySetting();
    for (const QString &name : ServerCommandLine::settingNames()) {
        INFO("a setting the test gives no value: " << name.toStdString());
        CHECK(values.contains(name));
    }
    REQUIRE(values.size() == ServerCommandLine::settingNames().size());

    const ServerCommandLine fromArguments = parse(asArguments(values));
    REQUIRE(fromArguments.outcome == ServerCommandLine::Outcome::Run);
    const ServerCommandLine fromFile = parseFile(asFile(values));
    INFO(fromFile.message.toStdString());
    REQUIRE(fromFile.outcome == ServerCommandLine::Outcome::Run);
    CHECK(summary(fromFile) == summary(fromArguments));
    CHECK(fromFile.configSettings == values.size());

    // Each setting on its own changes something: else the comparison above could miss it.
    for (const QString &name : values.keys()) {
        INFO("setting " << name.toStdString());
        QMap<QString, QString> without = values;
        without.remove(name);
        if (name.startsWith(QLatin1String("tls-"))) { // a pair: both or neither
            without.remove(QStringLiteral("tls-cert"));
            without.remove(QStringLiteral("tls-key"));
        }
        if (name == QLatin1String("proxy-protocol") || name == QLatin1String("trusted-proxies")) { // likewise
            without.remove(QStringLiteral("proxy-protocol"));
            without.remove(QStringLiteral("trusted-proxies"));
        }
        const ServerCommandLine lacking = parseFile(asFile(without));
        REQUIRE(lacking.outcome == ServerCommandLine::Outcome::Run);
        CHECK(summary(lacking) != summary(fromFile));
    }
}

TEST_CASE("The command line overrides the config file, switches and turned-off ports included")
{
    const QByteArray text = "port = 1234\n"
                            "threads = 3\n"
                            "headless = false\n"
                            "log-format = json\n"
                            "http-port = 9464\n";
    const ServerCommandLine line =
            parseFile(text, { "--port", "4321", "--headless", "--log-format", "text", "--http-port", "0" });
    INFO(line.message.toStdString());
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.config.port == 4321);
    CHECK(line.config.workers == 3); // not on the command line: the file's
    CHECK(line.headless);
    CHECK(line.logFormat == LogFormat::Text);
    CHECK_FALSE(line.config.httpPort);

    const ServerCommandLine fileOnly = parseFile(text);
    REQUIRE(fileOnly.outcome == ServerCommandLine::Outcome::Run);
    CHECK(fileOnly.config.port == 1234);
    CHECK_FALSE(fileOnly.headless);
    CHECK(fileOnly.logFormat == LogFormat::Json);
    REQUIRE(fileOnly.config.httpPort);
    CHECK(*fileOnly.config.httpPort == 9464);
}

TEST_CASE("An unknown key is refused with its line, the likely meant setting and all there are")
{
    const QString message = refusal("# comment\n"
                                    "port = 5050\n"
                                    "treads = 4\n");
    CHECK(message.startsWith(" line 3: unknown setting \"treads\""));
    CHECK(message.contains("did you mean \"threads\"?"));
    for (const QString &name : ServerCommandLine::settingNames())
        CHECK(message.contains(name));
    // Not settings: what to do, not how to serve.
    CHECK(refusal("config = /etc/orchard/other.conf\n").contains("unknown setting \"config\""));
    CHECK(refusal("check-config = true\n").contains("unknown setting \"check-config\""));
    CHECK_FALSE(refusal("colour = green\n").contains("did you mean"));
}

TEST_CASE("A bad value is refused with its line and the command line's own sentence")
{
    const QList<std::pair<QByteArray, QStringList>> cases {
        { "threads = zero", { "--threads", "zero" } },
        { "port = 70000", { "--port", "70000" } },
        { "host = farm.local", { "--host", "farm.local" } },
        { "image-formats = gif", { "--image-formats", "gif" } },
        { "log-format = xml", { "--log-format", "xml" } },
        { "decode-memory-mb = 8", { "--decode-memory-mb", "8" } },
        { "max-client-message = 10", { "--max-client-message", "10" } },
    };
    for (const auto &[setting, arguments] : cases) {
        INFO(setting.toStdString());
        const ServerCommandLine onCommandLine = parse(arguments);
        REQUIRE(onCommandLine.outcome == ServerCommandLine::Outcome::ExitError);
        CHECK(refusal("# the second line is wrong\n" + setting + "\n")
              == QStringLiteral(" line 2: %1").arg(onCommandLine.message));
    }
}

TEST_CASE("A line that is no setting, a switch that is not true or false, and a key said twice are refused")
{
    CHECK(refusal("headless = maybe\n") == " line 1: headless is a switch: it must be true or false, not \"maybe\".");
    for (const char *on : { "true", "yes", "on", "1", "TRUE" })
        CHECK(parseFile(QByteArray("headless = ") + on + "\n").headless);
    for (const char *off : { "false", "no", "off", "0" }) {
        const ServerCommandLine line = parseFile(QByteArray("headless = ") + off + "\n");
        REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
        CHECK_FALSE(line.headless);
    }
    CHECK(refusal("port = 1\nthreads = 2\nport = 3\n") == " line 3: port is already set on line 1; say it once.");
    CHECK(refusal("\n\nthreads 4\n").startsWith(" line 3: expected \"key = value\", not \"threads 4\""));
    CHECK(refusal("[server]\nport = 1\n").startsWith(" line 1: sections such as \"[server]\" are not used"));
    CHECK(refusal("token-file = ${CREDENTIALS_DIRECTORY}/tokens\n")
                  .startsWith(" line 1: variables such as ${CREDENTIALS_DIRECTORY} are not expanded"));
    CHECK(refusal("log-file = \"/var/log/unterminated\n").startsWith(" line 1: the quoted value of log-file"));

    const ServerCommandLine missing = parse({ "--config", "/nonexistent/orchard/server.conf" });
    CHECK(missing.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(missing.message.startsWith("Cannot read the config file /nonexistent/orchard/server.conf"));
}

TEST_CASE("Comments follow white space, quotes keep a value as written, and Windows line ends are read")
{
    const ServerCommandLine line = parseFile("threads = 4   # one per core\r\n"
                                             "  # indented comment\r\n"
                                             "model = /srv/models/leaf#2\r\n"
                                             "log-file = \"/var/log/orchard/a #1.log\"   # quoted\r\n");
    INFO(line.message.toStdString());
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.config.workers == 4);
    CHECK(line.config.modelDirectory == "/srv/models/leaf#2");
    CHECK(line.logFile == "/var/log/orchard/a #1.log");
    CHECK(line.configSettings == 3);
}

TEST_CASE("Relative paths are the config file's neighbours, or the systemd credential of that name")
{
    const ConfigFile file("token-file = tokens\n"
                          "tls-cert = tls/server.crt\n"
                          "tls-key = server.key\n"
                          "model = models/leaf\n"
                          "log-file = server.log\n");
    const QDir folder(file.folder());
    {
        const ServerCommandLine line = parse({ "--config", file.path() });
        REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
        CHECK(line.tokenFile == folder.filePath("tokens"));
        CHECK(line.tlsCertificate == folder.filePath("tls/server.crt"));
        CHECK(line.tlsKey == folder.filePath("server.key"));
        CHECK(line.config.modelDirectory == folder.filePath("models/leaf"));
        CHECK(line.logFile == folder.filePath("server.log"));
    }
    // The command line's relative paths stay the command line's: from where it runs.
    CHECK(parse({ "--config", file.path(), "--token-file", "here.txt" }).tokenFile == "here.txt");

    // Under systemd, LoadCredential=server.key:… puts the key in $CREDENTIALS_DIRECTORY;
    // a name not there (tokens) is still the file beside the config.
    QTemporaryDir credentials;
    REQUIRE(credentials.isValid());
    QFile key(credentials.filePath("server.key"));
    REQUIRE(key.open(QIODevice::WriteOnly));
    key.close();
    QFile modelsNamedLikeACredential(credentials.filePath("models"));
    REQUIRE(modelsNamedLikeACredential.open(QIODevice::WriteOnly));
    modelsNamedLikeACredential.close();
    qputenv("CREDENTIALS_DIRECTORY", credentials.path().toUtf8());
    const ServerCommandLine underSystemd = parse({ "--config", file.path() });
    qunsetenv("CREDENTIALS_DIRECTORY");
    REQUIRE(underSystemd.outcome == ServerCommandLine::Outcome::Run);
    CHECK(underSystemd.tlsKey == QDir(credentials.path()).filePath("server.key"));
    CHECK(underSystemd.tokenFile == folder.filePath("tokens"));
    CHECK(underSystemd.config.modelDirectory == folder.filePath("models/leaf")); // a folder is never a credential
}

TEST_CASE("The TLS pair may come half from the file and half from the command line, but not half alone")
{
    const ServerCommandLine both = parseFile("tls-cert = /etc/orchard/server.crt\n", { "--tls-key", "/k.pem" });
    REQUIRE(both.outcome == ServerCommandLine::Outcome::Run);
    CHECK(both.tlsCertificate == "/etc/orchard/server.crt");
    CHECK(both.tlsKey == "/k.pem");

    const ConfigFile half("tls-cert = /etc/orchard/server.crt\n");
    const ServerCommandLine alone = parse({ "--config", half.path() });
    CHECK(alone.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(alone.message.contains("--tls-cert and --tls-key go together"));
    CHECK(alone.message.contains(half.path()));
}

TEST_CASE("The shipped server.conf is the template: every option, commented, under its help text")
{
    QFile shipped(QStringLiteral(ORCHARD_SOURCE_DIR "/server/dist/server.conf"));
    REQUIRE(shipped.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(shipped.readAll());

    // A package may turn a setting on (the line without its '#'); all else is the template,
    // so a new option or a changed help text fails here until the file is made again with
    // orchard-server --print-config-template > server/dist/server.conf.
    const QString templateText = ServerCommandLine::configTemplate();
    QStringList normalized;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        static const QRegularExpression setting(QStringLiteral("^([a-z][a-z0-9-]*)\\s*="));
        const QRegularExpressionMatch match = setting.match(line);
        if (!match.hasMatch()) {
            normalized << line;
            continue;
        }
        static const QRegularExpression templateLine(QStringLiteral("^#(\\S+) = .*$"),
                                                     QRegularExpression::MultilineOption);
        QString commented;
        for (auto it = templateLine.globalMatch(templateText); it.hasNext();) {
            const QRegularExpressionMatch candidate = it.next();
            if (candidate.captured(1) == match.captured(1))
                commented = candidate.captured(0);
        }
        INFO("turned on in server.conf: " << line.toStdString());
        CHECK_FALSE(commented.isEmpty());
        normalized << commented;
    }
    CHECK(normalized.join(QLatin1Char('\n')).toStdString() == templateText.toStdString());

    for (const QString &option : parse({ "--help" }).message.split(QLatin1Char('\n'))) {
        static const QRegularExpression name(QStringLiteral("^\\s+--([a-z][a-z0-9-]*)"));
        const QRegularExpressionMatch match = name.match(option);
        if (!match.hasMatch() || !ServerCommandLine::settingNames().contains(match.captured(1)))
            continue;
        INFO("--" << match.captured(1).toStdString() << " is missing from server.conf");
        CHECK(text.contains(QRegularExpression(QStringLiteral("^#?%1 = ").arg(match.captured(1)),
                                               QRegularExpression::MultilineOption)));
    }

    // What it turns on must be valid.
    const ServerCommandLine packaged = parse({ "--config", shipped.fileName() });
    INFO(packaged.message.toStdString());
    CHECK(packaged.outcome == ServerCommandLine::Outcome::Run);
}

TEST_CASE("The template leaves out what is particular to this machine")
{
    const QString templateText = ServerCommandLine::configTemplate();
    CHECK(templateText.contains("a quarter of this machine's memory)"));
    CHECK_FALSE(templateText.contains(QString::number(DecodeBudget::defaultCapacity() / (1024 * 1024))));
    for (const QString &name : ServerCommandLine::settingNames())
        CHECK(templateText.contains(QStringLiteral("\n#%1 = ").arg(name)));
    // Commented out entirely, it reads as no settings at all.
    const ServerCommandLine line = parseFile(templateText.toUtf8());
    REQUIRE(line.outcome == ServerCommandLine::Outcome::Run);
    CHECK(line.configSettings == 0);
    CHECK(summary(line) == summary(parse({})));
}

TEST_CASE("orchard-server --print-config-template prints the template")
{
    ServerProcess server;
    REQUIRE(server.runToExit({ "--print-config-template" }) == 0);
    CHECK(server.out().trimmed().toStdString() == ServerCommandLine::configTemplate().trimmed().toStdString());
}

TEST_CASE("A server started with --config serves with the file's settings")
{
    ServerProcess server;
    server.writeFile("server.conf", "host = 127.0.0.1\n"
                                    "port = 0\n"
                                    "threads = 2\n"
                                    "headless = true\n"
                                    "log-file = events.log   # beside this file\n");
    server.start({ "--config", server.path("server.conf") });
    INFO(server.err().toStdString());
    REQUIRE(server.waitListening());
    CHECK(server.out().contains("2 workers"));
    CHECK(server.waitForText("events.log", "listening on 127.0.0.1 port"));
    server.signal(SIGTERM);
    CHECK(server.waitExit() == 0);
}

TEST_CASE("A config check (--check-config) of good settings, tokens, TLS files and model exits 0")
{
    ServerProcess check;
    QProcess openssl;
    openssl.start("openssl", { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                               "-keyout", check.path("server.key"), "-out", check.path("server.crt") });
    REQUIRE(openssl.waitForFinished(60000));
    REQUIRE(openssl.exitCode() == 0);
    check.writeFile("tokens", "lab 0123456789abcdef0123\nfield fedcba9876543210fedc\n");
    const QString port = QString::number(freeLoopbackPort());
    check.writeFile("server.conf", "host = 127.0.0.1\nport = " + port.toUtf8()
                                           + "\nthreads = 2\ntoken-file = tokens\n"
                                             "tls-cert = server.crt\ntls-key = server.key\n");

    REQUIRE(check.runToExit({ "--config", check.path("server.conf"), "--check-config" }) == 0);
    const QString out = check.out();
    INFO(out.toStdString() << check.err().toStdString());
    CHECK(out.contains("6 settings from " + check.path("server.conf")));
    CHECK(out.contains("token file " + check.path("tokens") + ": 2 tokens"));
    CHECK(out.contains("TLS certificate " + check.path("server.crt")));
    CHECK(out.contains("SHA-256 fingerprint"));
    CHECK(out.contains(QRegularExpression("models from \\S+: fashion-crops 1, fashion-detect 1, fashion-detector 1, fashion-mnist 1 "
                                          "\\(default fashion-mnist\\), load")));
    CHECK(out.contains("configuration good: would listen on 127.0.0.1 port " + port + " with 2 workers"));
    CHECK(check.err().isEmpty());
}

TEST_CASE("A config check (--check-config) exits 1 and says why for a bad setting, token file, TLS file or model")
{
    const auto failure = [](const QByteArray &config, const QStringList &more = {}) {
        ServerProcess check;
        check.writeFile("server.conf", config);
        check.writeFile("short-tokens", "lab short\n");
        const int code = check.runToExit(QStringList { "--config", check.path("server.conf"), "--check-config" } + more);
        CHECK(code == 1);
        return check.err().replace(QFileInfo(check.path("server.conf")).absolutePath() + '/', QStringLiteral("DIR/"));
    };
    CHECK(failure("threads = 2\nport = zero\n").contains("DIR/server.conf line 2: --port must be a whole number"));
    CHECK(failure("treads = 2\n").contains("DIR/server.conf line 1: unknown setting \"treads\""));
    CHECK(failure("token-file = short-tokens\n").contains("DIR/short-tokens line 1: the token for \"lab\" is shorter"));
    CHECK(failure("tls-cert = none.crt\ntls-key = none.key\n").contains("none.crt"));
    CHECK(failure("model = no-such-model\n").contains("cannot load the model"));
    // Every check runs, and each failure is said: here the tokens and the model both.
    const QString both = failure("token-file = short-tokens\nmodel = no-such-model\n");
    CHECK(both.contains("short-tokens line 1"));
    CHECK(both.contains("cannot load the model"));
    CHECK(both.contains("the configuration has errors"));
    // A bad command line under --check-config is a failed check too: 1, not the usage error's 2.
    CHECK(failure("", { "--threads", "0" }).contains("--threads must be a whole number"));
}
