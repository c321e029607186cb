#pragma once

#include <QDialog>

#include "client/core/clientsettings.h"
#include "client/core/tokenstore.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace orchard {

/**
 * Where the server is, how to reach it safely, how many labels to show and the windows'
 * language; saved with QSettings on OK. The access token goes where the farmer chose
 * (ClientSettings::storeAccessToken()): the keychain, or the settings file when the box
 * is ticked; the dialog says where it is kept and, when there is no keychain, why.
 */
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    /**
     * settings: the window's, the token loaded (ClientSettings::loadAccessToken()); if it
     * was not, the dialog loads it, so that OK never replaces a token it did not show.
     */
    explicit SettingsDialog(const ClientSettings &settings, QWidget *parent = nullptr);
    /** What the farmer chose; after OK, the token fields say where the token went. */
    ClientSettings settings() const;

    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /** The sentence saying where the token is kept, for the box and the keychain as they are. */
    void showTokenPlace();
    void browseCaFile();

    ClientSettings m_settings;
    TokenStore::Availability m_keychain;
    QLabel *m_hostLabel = nullptr;
    QLineEdit *m_host = nullptr;
    QLabel *m_portLabel = nullptr;
    QSpinBox *m_port = nullptr;
    QLabel *m_tokenLabel = nullptr;
    QLineEdit *m_token = nullptr;
    QLabel *m_tokenPlace = nullptr;
    QCheckBox *m_tokenInFile = nullptr;
    QCheckBox *m_tls = nullptr;
    QLabel *m_caFileLabel = nullptr;
    QLineEdit *m_caFile = nullptr;
    QPushButton *m_caBrowse = nullptr;
    QLabel *m_fingerprintLabel = nullptr;
    QLineEdit *m_fingerprint = nullptr;
    QLabel *m_topKLabel = nullptr;
    QSpinBox *m_topK = nullptr;
    QLabel *m_languageLabel = nullptr;
    QComboBox *m_language = nullptr;
    QCheckBox *m_connectOnStart = nullptr;
    QCheckBox *m_sendOriginals = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace orchard
