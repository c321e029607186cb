#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>

class QCommandLineParser;

namespace orchard {

/**
 * --host and --port, as every orchard-cli command that talks to a server takes them, with
 * the client settings' defaults and the same checks and words everywhere.
 */
class ServerAddressOptions
{
public:
    ServerAddressOptions();

    QList<QCommandLineOption> options() const { return { m_host, m_port }; }
    /** The address the command line asks for; false (and a sentence saying why) when it is not one. */
    bool read(const QCommandLineParser &parser, QString &host, quint16 &port, QString &error) const;

private:
    QCommandLineOption m_host;
    QCommandLineOption m_port;
};

} // namespace orchard
