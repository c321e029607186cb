#include "client/cli/securityoptions.h"

#include <QCommandLineParser>
#include <QSslCertificate>

namespace orchard {

SecurityOptions::SecurityOptions()
    : m_tls(QStringLiteral("tls"), QStringLiteral("Connect with TLS. (A server started with --token-file takes "
                                                  "the access token from ORCHARD_TOKEN.)"))
    , m_ca(QStringLiteral("ca"), QStringLiteral("With --tls: the CA certificate (PEM) that signed the server's."),
           QStringLiteral("FILE"))
    , m_pin(QStringLiteral("pin"),
            QStringLiteral("With --tls: trust the server certificate with this SHA-256 fingerprint (ab:cd:…)."),
            QStringLiteral("SHA256"))
{ }

bool SecurityOptions::read(const QCommandLineParser &parser, ServerConnection::TlsOptions &tls, QString &error) const
{
    tls.enabled = parser.isSet(m_tls) || parser.isSet(m_ca) || parser.isSet(m_pin);
    tls.pinnedFingerprint = parser.value(m_pin);
    if (parser.isSet(m_ca)) {
        tls.caCertificates = QSslCertificate::fromPath(parser.value(m_ca), QSsl::Pem);
        if (tls.caCertificates.isEmpty()) {
            error = QStringLiteral("no PEM certificate could be read from %1").arg(parser.value(m_ca));
            return false;
        }
    }
    return true;
}

QByteArray SecurityOptions::accessToken()
{
    return qgetenv("ORCHARD_TOKEN");
}

} // namespace orchard
