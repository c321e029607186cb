#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

#include "common/expected.h"

namespace orchard {

/**
 * The server's TLS certificate and key, ready for QSslSocket: TLS 1.2 or later only.
 *
 * Loaded from PEM files (`--tls-cert`, `--tls-key`); an RSA or EC key of the certificate's
 * kind. (Qt cannot tell whether a key is *the* certificate's; a wrong one makes every
 * handshake fail, which the event log reports per connection.)
 */
struct TlsIdentity
{
    QSslConfiguration configuration;
    QString fingerprint; ///< SHA-256 of the certificate, as clients pin it ("ab:cd:…")

    static Expected<TlsIdentity, QString> load(const QString &certificatePath, const QString &keyPath);
    /** "ab:cd:…": how Orchard shows a certificate's SHA-256 fingerprint everywhere. */
    static QString fingerprintOf(const QSslCertificate &certificate);
};

} // namespace orchard
