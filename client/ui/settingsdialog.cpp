#include "client/ui/settingsdialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

#include "common/i18n/uilanguage.h"

namespace orchard {

SettingsDialog::SettingsDialog(const ClientSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    if (m_settings.tokenPlace == ClientSettings::TokenPlace::NotLookedFor)
        m_settings.loadAccessToken();
    // Known from the window's start (loadAccessToken()) unless the token is in the file by
    // choice; then this asks the keychain once.
    m_keychain = TokenStore().availability();

    // Created in the order they are laid out, so that Tab follows the form top to bottom.
    auto *form = new QFormLayout(this);
    m_host = new QLineEdit(m_settings.host, this);
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_hostLabel = new QLabel(this);
    m_hostLabel->setBuddy(m_host);
    form->addRow(m_hostLabel, m_host);

    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(m_settings.port);
    m_portLabel = new QLabel(this);
    m_portLabel->setBuddy(m_port);
    form->addRow(m_portLabel, m_port);

    m_token = new QLineEdit(QString::fromUtf8(m_settings.accessToken), this);
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setEchoMode(QLineEdit::Password);
    m_tokenLabel = new QLabel(this);
    m_tokenLabel->setBuddy(m_token);
    form->addRow(m_tokenLabel, m_token);
    m_tokenPlace = new QLabel(this);
    m_tokenPlace->setObjectName(QStringLiteral("tokenPlaceLabel"));
    m_tokenPlace->setWordWrap(true);
    form->addRow(QString(), m_tokenPlace);
    m_tokenInFile = new QCheckBox(this);
    m_tokenInFile->setObjectName(QStringLiteral("tokenInSettingsFileCheck"));
    m_tokenInFile->setChecked(m_settings.tokenInSettingsFile);
    form->addRow(QString(), m_tokenInFile);

    m_tls = new QCheckBox(this);
    m_tls->setObjectName(QStringLiteral("tlsCheck"));
    m_tls->setChecked(m_settings.useTls);
    form->addRow(m_tls);

    m_caFile = new QLineEdit(m_settings.caFile, this);
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_caBrowse = new QPushButton(this);
    m_caBrowse->setObjectName(QStringLiteral("caFileBrowseButton"));
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_caBrowse);
    m_caFileLabel = new QLabel(this);
    m_caFileLabel->setBuddy(m_caFile);
    form->addRow(m_caFileLabel, caRow);

    m_fingerprint = new QLineEdit(m_settings.pinnedFingerprint, this);
    m_fingerprint->setObjectName(QStringLiteral("fingerprintEdit"));
    m_fingerprintLabel = new QLabel(this);
    m_fingerprintLabel->setBuddy(m_fingerprint);
    form->addRow(m_fingerprintLabel, m_fingerprint);

    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("topKSpin"));
    m_topK->setRange(1, 20);
    m_topK->setValue(m_settings.topK);
    m_topKLabel = new QLabel(this);
    m_topKLabel->setBuddy(m_topK);
    form->addRow(m_topKLabel, m_topK);

    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(QString(), QString()); // "As the system": its text is set in retranslateUi()
    // Each language in its own words, as choosers list them: a farmer who cannot read the
    // current one still finds theirs.
    for (const UiLanguage::Language &language : UiLanguage::available())
        m_language->addItem(language.name, language.code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(m_settings.language)));
    m_languageLabel = new QLabel(this);
    m_languageLabel->setBuddy(m_language);
    form->addRow(m_languageLabel, m_language);

    m_connectOnStart = new QCheckBox(this);
    m_connectOnStart->setObjectName(QStringLiteral("connectOnStartCheck"));
    m_connectOnStart->setChecked(m_settings.connectOnStart);
    form->addRow(m_connectOnStart);
    m_sendOriginals = new QCheckBox(this);
    m_sendOriginals->setObjectName(QStringLiteral("sendOriginalsCheck"));
    m_sendOriginals->setChecked(m_settings.sendOriginals);
    form->addRow(m_sendOriginals);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    form->addRow(m_buttons);

    connect(m_caBrowse, &QPushButton::clicked, this, &SettingsDialog::browseCaFile);
    connect(m_tokenInFile, &QCheckBox::toggled, this, &SettingsDialog::showTokenPlace);
    connect(m_token, &QLineEdit::textChanged, this, &SettingsDialog::showTokenPlace);
    retranslateUi();
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Orchard settings"));

    m_hostLabel->setText(tr("Server &address:"));
    m_host->setToolTip(tr("The Orchard server's name or address, e.g. 192.168.1.20 or orchard.farm.local"));
    m_host->setAccessibleName(tr("Server address"));
    m_host->setAccessibleDescription(m_host->toolTip());

    m_portLabel->setText(tr("&Port:"));
    m_port->setToolTip(tr("The server's TCP port (Orchard's default is 5050)"));
    m_port->setAccessibleName(tr("Server port"));
    m_port->setAccessibleDescription(m_port->toolTip());

    m_tokenLabel->setText(tr("Access &token:"));
    m_token->setPlaceholderText(tr("only if the server asks for one"));
    m_token->setToolTip(tr("The access token the server's administrator gave you"));
    m_token->setAccessibleName(tr("Access token"));
    m_tokenInFile->setText(tr("&Store the token in the settings file (readable by anyone with access to this account)"));
    m_tokenInFile->setToolTip(tr("Only if this computer has no keychain and you do not want to enter the token "
                                 "at every start: the settings file is plain text."));
    m_tokenInFile->setAccessibleName(tr("Store the token in the settings file"));
    m_tokenInFile->setAccessibleDescription(tr("Anyone with access to this account can read the settings file."));

    m_tls->setText(tr("Secure connection (TLS)"));
    m_tls->setToolTip(tr("Encrypt everything sent to the server; the server must be started with --tls-cert"));
    m_tls->setAccessibleName(tr("Secure connection (TLS)"));
    m_tls->setAccessibleDescription(m_tls->toolTip());

    m_caFileLabel->setText(tr("&CA certificate:"));
    m_caFile->setPlaceholderText(tr("optional: the CA certificate (PEM) that signed the server's"));
    m_caFile->setToolTip(tr("The file of the certificate authority that signed the server's certificate, "
                            "if the administrator gave you one"));
    m_caFile->setAccessibleName(tr("CA certificate file"));
    m_caFile->setAccessibleDescription(m_caFile->toolTip());
    m_caBrowse->setText(tr("&Browse…"));
    m_caBrowse->setToolTip(tr("Choose the CA certificate file"));
    m_caBrowse->setAccessibleName(tr("Choose the CA certificate file"));

    m_fingerprintLabel->setText(tr("Trusted &fingerprint:"));
    m_fingerprint->setPlaceholderText(tr("set when you first trust the server"));
    m_fingerprint->setToolTip(tr("The server certificate's SHA-256 fingerprint. Clear it only if the "
                                 "administrator says the certificate was replaced."));
    m_fingerprint->setAccessibleName(tr("Trusted fingerprint"));
    m_fingerprint->setAccessibleDescription(m_fingerprint->toolTip());

    m_topKLabel->setText(tr("&Labels to show:"));
    m_topK->setToolTip(tr("How many likely diagnoses to show for each image"));
    m_topK->setAccessibleName(tr("Labels to show"));
    m_topK->setAccessibleDescription(m_topK->toolTip());

    m_languageLabel->setText(tr("La&nguage:"));
    m_language->setItemText(0, tr("As the system"));
    m_language->setToolTip(tr("The language of Orchard's windows, used as soon as you press OK"));
    m_language->setAccessibleName(tr("Language"));
    m_language->setAccessibleDescription(m_language->toolTip());

    m_connectOnStart->setText(tr("Connect when Orchard starts"));
    m_connectOnStart->setAccessibleName(tr("Connect when Orchard starts"));
    m_sendOriginals->setText(tr("Send original photos, not smaller copies"));
    m_sendOriginals->setToolTip(tr("Orchard normally sends each photo at twice the size the model looks at, "
                                   "which uploads much faster. Tick this if the lab wants the full photos."));
    m_sendOriginals->setAccessibleName(tr("Send original photos"));
    m_sendOriginals->setAccessibleDescription(m_sendOriginals->toolTip());

    // QDialogButtonBox translates its buttons' texts itself; the names are ours.
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setAccessibleName(tr("OK"));
    ok->setAccessibleDescription(tr("Save these settings and close"));
    QPushButton *cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setAccessibleDescription(tr("Close without saving"));

    showTokenPlace();
}

void SettingsDialog::showTokenPlace()
{
    QString sentence;
    if (m_tokenInFile->isChecked()) {
        sentence = m_keychain.available
                ? tr("The token is stored in the settings file, readable by anyone with access to this account.")
                : tr("No keychain service is available on this computer (%1), so the token is stored in the "
                     "settings file, readable by anyone with access to this account.").arg(m_keychain.problem.text());
    } else if (m_keychain.available) {
        sentence = m_token->text().trimmed().isEmpty() ? tr("A token you enter is stored in the system keychain.")
                                                       : tr("Stored in the system keychain.");
    } else {
        sentence = tr("No keychain service is available on this computer (%1): the token is kept for this "
                      "session only.").arg(m_keychain.problem.text());
    }
    m_tokenPlace->setText(sentence);
    // Said when the token field gets the focus, where a screen reader would not read the label.
    m_token->setAccessibleDescription(sentence);
}

void SettingsDialog::browseCaFile()
{
    const QString current = m_caFile->text().trimmed();
    const QString folder = current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath();
    const QString chosen = QFileDialog::getOpenFileName(
            this, tr("Choose the CA certificate"), folder,
            tr("Certificates (*.pem *.crt *.cer)") + QStringLiteral(";;") + tr("All files (*)"));
    if (!chosen.isEmpty())
        m_caFile->setText(QDir::toNativeSeparators(chosen));
}

ClientSettings SettingsDialog::settings() const
{
    ClientSettings result = m_settings;
    result.host = m_host->text().trimmed();
    result.port = static_cast<quint16>(m_port->value());
    result.accessToken = m_token->text().trimmed().toUtf8();
    result.tokenInSettingsFile = m_tokenInFile->isChecked();
    result.useTls = m_tls->isChecked();
    result.caFile = m_caFile->text().trimmed();
    result.pinnedFingerprint = m_fingerprint->text().trimmed();
    result.topK = m_topK->value();
    result.language = m_language->currentData().toString();
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
    // Only when the farmer changed it: OK on an unchanged token asks no keychain.
    const QByteArray token = m_token->text().trimmed().toUtf8();
    if (token != m_settings.accessToken || m_tokenInFile->isChecked() != m_settings.tokenInSettingsFile)
        m_settings.storeAccessToken(token, m_tokenInFile->isChecked());
    QDialog::accept();
}

} // namespace orchard
