#include "server/core/tlsidentity.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace orchard {

namespace {

Expected<QByteArray, QString> readFile(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the TLS %1 %2: %3").arg(what, path, file.errorString());
    return file.readAll();
}

} // namespace

QString TlsIdentity::fingerprintOf(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'));
}

Expected<TlsIdentity, QString> TlsIdentity::load(const QString &certificatePath, const QString &keyPath)
{
    const auto certificateBytes = readFile(certificatePath, QStringLiteral("certificate"));
    if (!certificateBytes)
        return certificateBytes.error();
    const auto keyBytes = readFile(keyPath, QStringLiteral("key"));
    if (!keyBytes)
        return keyBytes.error();

    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateBytes.value(), QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return QStringLiteral("%1 holds no PEM certificate.").arg(certificatePath);
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec }) {
        key = QSslKey(keyBytes.value(), algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return QStringLiteral("%1 holds no unencrypted PEM private key (RSA or EC).").arg(keyPath);
    if (chain.first().publicKey().algorithm() != key.algorithm())
        return QStringLiteral("The key in %1 does not belong to the certificate in %2.").arg(keyPath, certificatePath);

    TlsIdentity identity;
    identity.configuration = QSslConfiguration::defaultConfiguration();
    identity.configuration.setLocalCertificateChain(chain);
    identity.configuration.setPrivateKey(key);
    identity.configuration.setProtocol(QSsl::TlsV1_2OrLater);
    identity.configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients use tokens, not certificates
    identity.fingerprint = fingerprintOf(chain.first());
    return identity;
}

} // namespace orchard
