#pragma once

#include <QByteArray>
#include <QCommandLineOption>
#include <QList>
#include <QString>

#include "client/core/serverconnection.h"

class QCommandLineParser;

namespace orchard {

/**
 * --tls, --ca and --pin, and the access token from ORCHARD_TOKEN, as the orchard-cli
 * commands that drive many connections (bench, qa) take them; the same words as
 * `orchard-cli predict`, so a hardened server is measured and demonstrated as it runs.
 */
class SecurityOptions
{
public:
    SecurityOptions();

    QList<QCommandLineOption> options() const { return { m_tls, m_ca, m_pin }; }
    /** The TLS settings the command line asks for; false (and why) when --ca holds no certificate. */
    bool read(const QCommandLineParser &parser, ServerConnection::TlsOptions &tls, QString &error) const;
    /** From the environment, not the command line, where other users could read it (ps). */
    static QByteArray accessToken();

private:
    QCommandLineOption m_tls;
    QCommandLineOption m_ca;
    QCommandLineOption m_pin;
};

} // namespace orchard
