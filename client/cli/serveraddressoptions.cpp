#include "client/cli/serveraddressoptions.h"

#include <QCommandLineParser>

#include "client/core/clientsettings.h"

namespace orchard {

namespace {
const ClientSettings &defaults()
{
    static const ClientSettings settings;
    return settings;
}
} // namespace

ServerAddressOptions::ServerAddressOptions()
    : m_host(QStringLiteral("host"), QStringLiteral("Server host name or address (default %1).").arg(defaults().host),
             QStringLiteral("H"), defaults().host)
    , m_port(QStringLiteral("port"), QStringLiteral("Server port (default %1).").arg(defaults().port),
             QStringLiteral("P"), QString::number(defaults().port))
{ }

bool ServerAddressOptions::read(const QCommandLineParser &parser, QString &host, quint16 &port, QString &error) const
{
    host = parser.value(m_host).trimmed();
    if (host.isEmpty()) {
        error = QStringLiteral("--host needs a host name or address");
        return false;
    }
    bool ok = false;
    const uint number = parser.value(m_port).toUInt(&ok);
    if (!ok || number < 1 || number > 65535) {
        error = QStringLiteral("--port needs a number from 1 to 65535");
        return false;
    }
    port = static_cast<quint16>(number);
    return true;
}

} // namespace orchard
