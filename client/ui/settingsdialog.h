#pragma once

#include <QDialog>

#include "client/core/clientsettings.h"

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace orchard {

/** Where the server is and how many labels to show; saved with QSettings on OK. */
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const ClientSettings &settings, QWidget *parent = nullptr);
    ClientSettings settings() const;

    void accept() override;

private:
    ClientSettings m_settings;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_token = nullptr;
    QCheckBox *m_tls = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_fingerprint = nullptr;
    QSpinBox *m_topK = nullptr;
    QCheckBox *m_connectOnStart = nullptr;
    QCheckBox *m_sendOriginals = nullptr;
};

} // namespace orchard
