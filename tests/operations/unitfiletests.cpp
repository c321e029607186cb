// server/dist/orchard-server.service as systemd reads it, offline (systemd is not PID 1 on
// our test machines): `systemd-analyze verify` finds nothing wrong, and `systemd-analyze
// security --offline=yes` keeps its exposure as low as docs/operations.md says.
#include <catch2/catch.hpp>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "tests/operations/serverprocess.h"

using namespace orchard::test;

namespace {

/** The shipped unit, with ExecStart= naming the build tree's server (not installed here). */
QString unitForThisTree(const QTemporaryDir &dir)
{
    QFile shipped(QStringLiteral(ORCHARD_SOURCE_DIR "/server/dist/orchard-server.service"));
    REQUIRE(shipped.open(QIODevice::ReadOnly));
    QByteArray text = shipped.readAll();
    REQUIRE(text.contains("ExecStart=/usr/bin/orchard-server "));
    text.replace("ExecStart=/usr/bin/orchard-server ", "ExecStart=" + ServerProcess::serverPath().toUtf8() + ' ');
    const QString path = dir.filePath(QStringLiteral("orchard-server.service"));
    QFile unit(path);
    REQUIRE(unit.open(QIODevice::WriteOnly));
    unit.write(text);
    return path;
}

/** systemd-analyze with these arguments: its exit code and everything it said. */
std::pair<int, QString> analyze(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("systemd-analyze"), arguments);
    REQUIRE(process.waitForFinished(30000));
    return { process.exitCode(), QString::fromUtf8(process.readAll()) };
}

} // namespace

TEST_CASE("The unit passes systemd-analyze verify and its security exposure stays at most 2.0")
{
    if (QStandardPaths::findExecutable(QStringLiteral("systemd-analyze")).isEmpty()) {
        WARN("systemd-analyze is not installed (Debian package systemd): the unit is not checked");
        return;
    }
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString unit = unitForThisTree(dir);

    const auto [verified, verifyOutput] = analyze({ "verify", "--man=no", unit });
    INFO(verifyOutput.toStdString());
    CHECK(verified == 0);
    CHECK(verifyOutput.trimmed().isEmpty());

    const auto [rated, securityOutput] = analyze({ "security", "--offline=yes", "--man=no", unit });
    INFO(securityOutput.toStdString());
    const QRegularExpressionMatch exposure =
            QRegularExpression(QStringLiteral("Overall exposure level for \\S+: (\\d+\\.\\d)")).match(securityOutput);
    REQUIRE(exposure.hasMatch());
    CHECK(exposure.captured(1).toDouble() <= 2.0);
    // The lines docs/operations.md explains are all there.
    for (const char *setting : { "Type=notify", "ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
                                 "DynamicUser=yes", "WatchdogSec=30s", "PrivateTmp=yes" }) {
        QFile file(unit);
        REQUIRE(file.open(QIODevice::ReadOnly));
        CHECK(file.readAll().contains(QByteArray("\n") + setting + "\n"));
    }
}
