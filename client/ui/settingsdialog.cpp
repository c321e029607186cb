#include "client/ui/settingsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QSpinBox>

namespace orchard {

SettingsDialog::SettingsDialog(const ClientSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(tr("Orchard settings"));
    auto *form = new QFormLayout(this);
    m_host = new QLineEdit(settings.host, this);
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_host->setToolTip(tr("The Orchard server's name or address, e.g. 192.168.1.20 or orchard.farm.local"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(settings.port);
    m_port->setToolTip(tr("The server's TCP port (Orchard's default is 5050)"));
    m_token = new QLineEdit(QString::fromUtf8(settings.accessToken), this);
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("only if the server asks for one"));
    m_token->setToolTip(tr("The access token the server's administrator gave you"));
    m_tls = new QCheckBox(tr("Secure connection (TLS)"), this);
    m_tls->setObjectName(QStringLiteral("tlsCheck"));
    m_tls->setChecked(settings.useTls);
    m_tls->setToolTip(tr("Encrypt everything sent to the server; the server must be started with --tls-cert"));
    m_caFile = new QLineEdit(settings.caFile, this);
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_caFile->setPlaceholderText(tr("optional: the CA certificate (PEM) that signed the server's"));
    m_fingerprint = new QLineEdit(settings.pinnedFingerprint, this);
    m_fingerprint->setObjectName(QStringLiteral("fingerprintEdit"));
    m_fingerprint->setPlaceholderText(tr("set when you first trust the server"));
    m_fingerprint->setToolTip(tr("The server certificate's SHA-256 fingerprint. Clear it only if the "
                                 "administrator says the certificate was replaced."));
    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("topKSpin"));
    m_topK->setRange(1, 20);
    m_topK->setValue(settings.topK);
    m_topK->setToolTip(tr("How many likely diagnoses to show for each image"));
    m_connectOnStart = new QCheckBox(tr("Connect when Orchard starts"), this);
    m_connectOnStart->setChecked(settings.connectOnStart);
    m_sendOriginals = new QCheckBox(tr("Send original photos, not smaller copies"), this);
    m_sendOriginals->setObjectName(QStringLiteral("sendOriginalsCheck"));
    m_sendOriginals->setChecked(settings.sendOriginals);
    m_sendOriginals->setToolTip(tr("Orchard normally sends each photo at twice the size the model looks at, "
                                   "which uploads much faster. Tick this if the lab wants the full photos."));
    form->addRow(tr("Server &address:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("Access &token:"), m_token);
    form->addRow(m_tls);
    form->addRow(tr("&CA certificate:"), m_caFile);
    form->addRow(tr("Trusted &fingerprint:"), m_fingerprint);
    form->addRow(tr("&Labels to show:"), m_topK);
    form->addRow(m_connectOnStart);
    form->addRow(m_sendOriginals);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    form->addRow(buttons);
}

ClientSettings SettingsDialog::settings() const
{
    ClientSettings result = m_settings;
    result.host = m_host->text().trimmed();
    result.port = static_cast<quint16>(m_port->value());
    result.accessToken = m_token->text().trimmed().toUtf8();
    result.useTls = m_tls->isChecked();
    result.caFile = m_caFile->text().trimmed();
    result.pinnedFingerprint = m_fingerprint->text().trimmed();
    result.topK = m_topK->value();
    result.connectOnStart = m_connectOnStart->isChecked();
    result.sendOriginals = m_sendOriginals->isChecked();
    return result;
}

void SettingsDialog::accept()
{
    if (m_host->text().trimmed().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Please enter the server's address."));
        m_host->setFocus();
        return;
    }
    settings().save();
    QDialog::accept();
}

} // namespace orchard
