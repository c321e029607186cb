// The Settings dialog, offscreen, over a real settings file (QSettings in test mode, under
// ~/.qttest) and the machine's real keychain through QtKeychain: on the build machine there
// is no keychain service, so the dialog must say so and keep the token out of the file
// unless the box is ticked, which the file's own bytes show. Also the CA file's Browse…,
// the language chooser, accessible names and the order Tab follows.
#include <catch2/catch.hpp>

#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "client/core/clientsettings.h"
#include "client/core/tokenstore.h"
#include "client/ui/settingsdialog.h"
#include "common/i18n/uilanguage.h"
#include "tests/clientgui/windowfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

const QString kApplication = QStringLiteral("orchard-settings-dialog-tests");
const QByteArray kToken = "field-team-7f3a9c2e51d4b8a0";
const QByteArray kOldToken = "older-orchard-3b91d07e";
using TokenPlace = ClientSettings::TokenPlace;

/** The settings file as it is on disk, after everything written so far reached it. */
QByteArray settingsFileBytes()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

/** Nothing of the token, in any form QSettings could write it in. */
void checkNoTokenIn(const QByteArray &bytes, const QByteArray &token)
{
    CHECK(bytes.contains("host=")); // the real file, not an empty one
    CHECK_FALSE(bytes.contains(token));
    CHECK_FALSE(bytes.contains(token.toBase64()));
    CHECK_FALSE(bytes.contains(token.toHex()));
    CHECK_FALSE(bytes.contains("accessToken"));
}

bool keychainAvailable()
{
    return TokenStore().availability().available;
}

/** A token the tests put in the keychain (where there is one) is taken out again. */
void forgetToken()
{
    ClientSettings settings = ClientSettings::load();
    settings.storeAccessToken({}, false);
}

template<typename T>
T *child(const QWidget &parent, const char *name)
{
    T *found = parent.findChild<T *>(QString::fromLatin1(name));
    REQUIRE(found != nullptr);
    return found;
}

bool isInteractive(const QWidget *widget)
{
    return qobject_cast<const QAbstractButton *>(widget) || qobject_cast<const QLineEdit *>(widget)
            || qobject_cast<const QComboBox *>(widget) || qobject_cast<const QAbstractSpinBox *>(widget)
            || qobject_cast<const QAbstractItemView *>(widget) || qobject_cast<const QTabWidget *>(widget)
            || qobject_cast<const QAbstractSlider *>(widget);
}

/** A spin box's line edit, a combo's popup list: parts of a control, named through it. */
bool isPartOfAControl(const QWidget *widget, const QWidget *top)
{
    for (const QWidget *above = widget->parentWidget(); above && above != top; above = above->parentWidget()) {
        if (qobject_cast<const QAbstractSpinBox *>(above) || qobject_cast<const QComboBox *>(above))
            return true;
    }
    return false;
}

/** What a new dialog with no token says of where one goes, in the language now spoken. */
QString expectedTokenPlace()
{
    const TokenStore::Availability keychain = TokenStore().availability();
    if (keychain.available)
        return QCoreApplication::translate("orchard::SettingsDialog", "A token you enter is stored in the system keychain.");
    return QCoreApplication::translate("orchard::SettingsDialog",
                                       "No keychain service is available on this computer (%1): the token is kept "
                                       "for this session only.")
            .arg(keychain.problem.text());
}

bool hasCjk(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x4E00)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("Settings without a keychain service: the dialog says why and keeps the token for this session only")
{
    IsolatedSettings isolated(kApplication);
    if (keychainAvailable()) {
        WARN("This machine has a keychain service: the no-keychain words are not checked here.");
        return;
    }
    const TokenStore::Answer asked = TokenStore().read();
    REQUIRE(asked.outcome == TokenStore::Answer::Outcome::Unavailable);
    REQUIRE_FALSE(asked.problem.keychainError.isEmpty());

    // As the window starts: the settings, then the token once.
    ClientSettings start = ClientSettings::load();
    start.loadAccessToken();
    CHECK(start.tokenPlace == TokenPlace::Nowhere);
    CHECK(start.keychainProblem == asked.problem);

    SettingsDialog dialog(start);
    const QLabel *place = child<QLabel>(dialog, "tokenPlaceLabel");
    CHECK(place->text()
          == QStringLiteral("No keychain service is available on this computer (%1): the token is kept for this "
                            "session only.").arg(asked.problem.text()));
    CHECK(place->text().contains(asked.problem.keychainError)); // QtKeychain's own words, inside ours
    QCheckBox *inFile = child<QCheckBox>(dialog, "tokenInSettingsFileCheck");
    CHECK_FALSE(inFile->isChecked());
    CHECK(inFile->text().contains("readable by anyone with access to this account"));
    QLineEdit *token = child<QLineEdit>(dialog, "tokenEdit");
    CHECK(token->accessibleDescription() == place->text());

    token->setText(QString::fromLatin1(kToken));
    dialog.accept();
    REQUIRE(dialog.result() == QDialog::Accepted);

    const ClientSettings chosen = dialog.settings();
    CHECK(chosen.accessToken == kToken); // what the window keeps using for this session
    CHECK(chosen.tokenPlace == TokenPlace::ThisSession);
    CHECK(chosen.keychainProblem == asked.problem);
    checkNoTokenIn(settingsFileBytes(), kToken);
    CHECK(ClientSettings::load().accessToken.isEmpty());

    // The window's `saved = load(); saved.x = …; saved.save()` writes no token either.
    ClientSettings saved = ClientSettings::load();
    saved.historyTag = QStringLiteral("north block");
    saved.save();
    checkNoTokenIn(settingsFileBytes(), kToken);

    // Opened again in the same session, the dialog still has it.
    SettingsDialog again(chosen);
    CHECK(child<QLineEdit>(again, "tokenEdit")->text() == QString::fromLatin1(kToken));
}

TEST_CASE("Settings: the box keeps the token in the settings file, read back at the next start")
{
    IsolatedSettings isolated(kApplication);
    {
        SettingsDialog dialog(ClientSettings::load());
        child<QLineEdit>(dialog, "tokenEdit")->setText(QString::fromLatin1(kToken));
        child<QCheckBox>(dialog, "tokenInSettingsFileCheck")->setChecked(true);
        CHECK(child<QLabel>(dialog, "tokenPlaceLabel")->text().contains("the token is stored in the settings file",
                                                                         Qt::CaseInsensitive));
        dialog.accept();
        REQUIRE(dialog.result() == QDialog::Accepted);
        CHECK(dialog.settings().tokenPlace == TokenPlace::SettingsFile);
        CHECK(dialog.settings().accessToken == kToken);
    }
    CHECK(settingsFileBytes().contains(kToken));

    ClientSettings loaded = ClientSettings::load();
    CHECK(loaded.accessToken == kToken);
    CHECK(loaded.tokenInSettingsFile);
    CHECK(loaded.tokenPlace == TokenPlace::SettingsFile);
    loaded.loadAccessToken(); // the start's call: the file, as chosen
    CHECK(loaded.accessToken == kToken);
    CHECK(loaded.tokenPlace == TokenPlace::SettingsFile);

    // Neither the window's small saves nor settings saved from scratch (as test fixtures
    // do) rewrite or wipe it.
    loaded.historyTag = QStringLiteral("north block");
    loaded.save();
    ClientSettings{}.save();
    CHECK(ClientSettings::load().accessToken == kToken);
    CHECK(ClientSettings::load().tokenInSettingsFile);

    // Unticked: out of the file, into the keychain or, without one, this session.
    {
        SettingsDialog dialog(loaded);
        QCheckBox *inFile = child<QCheckBox>(dialog, "tokenInSettingsFileCheck");
        CHECK(inFile->isChecked());
        CHECK(child<QLineEdit>(dialog, "tokenEdit")->text() == QString::fromLatin1(kToken));
        inFile->setChecked(false);
        dialog.accept();
        const ClientSettings chosen = dialog.settings();
        CHECK(chosen.accessToken == kToken);
        CHECK(chosen.tokenPlace == (keychainAvailable() ? TokenPlace::Keychain : TokenPlace::ThisSession));
    }
    checkNoTokenIn(settingsFileBytes(), kToken);
    CHECK_FALSE(ClientSettings::load().tokenInSettingsFile);
    forgetToken();
}

TEST_CASE("Settings: an older file's token moves into the keychain, or stays in the file and the dialog says so")
{
    IsolatedSettings isolated(kApplication);
    QSettings().setValue(QStringLiteral("server/accessToken"), kOldToken); // as Orchard wrote it before
    CHECK(settingsFileBytes().contains(kOldToken));

    ClientSettings settings = ClientSettings::load();
    CHECK(settings.accessToken == kOldToken);
    settings.loadAccessToken();
    CHECK(settings.accessToken == kOldToken);

    if (keychainAvailable()) {
        WARN("This machine has a keychain service: the token's move into it is checked.");
        CHECK(settings.tokenPlace == TokenPlace::Keychain);
        CHECK_FALSE(settings.tokenInSettingsFile);
        checkNoTokenIn(settingsFileBytes(), kOldToken);
        CHECK(TokenStore().read().token == kOldToken);
        forgetToken();
        return;
    }
    CHECK(settings.tokenPlace == TokenPlace::SettingsFile);
    CHECK(settings.tokenInSettingsFile);
    CHECK_FALSE(settings.keychainProblem.isNone());
    CHECK(settingsFileBytes().contains(kOldToken));

    SettingsDialog dialog(settings);
    CHECK(child<QCheckBox>(dialog, "tokenInSettingsFileCheck")->isChecked());
    CHECK(child<QLabel>(dialog, "tokenPlaceLabel")->text()
          == QStringLiteral("No keychain service is available on this computer (%1), so the token is stored in the "
                            "settings file, readable by anyone with access to this account.")
                     .arg(settings.keychainProblem.text()));
    dialog.accept(); // nothing changed: the token stays where it is
    CHECK(settingsFileBytes().contains(kOldToken));
    CHECK(ClientSettings::load().accessToken == kOldToken);
}

TEST_CASE("Settings: the Browse button next to the CA file is named and fills the field from a certificate picker")
{
    IsolatedSettings isolated(kApplication);
    QTemporaryDir folder;
    REQUIRE(folder.isValid());
    const QString certificate = folder.filePath(QStringLiteral("farm-ca.pem"));
    {
        QFile file(certificate);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    }
    ClientSettings settings = ClientSettings::load();
    settings.caFile = folder.filePath(QStringLiteral("old-ca.pem")); // the picker opens in its folder
    SettingsDialog dialog(settings);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    QPushButton *browse = child<QPushButton>(dialog, "caFileBrowseButton");
    CHECK(browse->text() == QStringLiteral("&Browse…"));
    CHECK_FALSE(browse->accessibleName().isEmpty());
    CHECK(browse->isEnabled());

    // The picker is modal: a timer answers it as soon as it is up, choosing the certificate,
    // so that click() returns.
    QString title;
    QStringList filters;
    QString openedIn;
    QTimer answer;
    answer.setInterval(10);
    QObject::connect(&answer, &QTimer::timeout, [&] {
        auto *picker = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!picker || !picker->isVisible())
            return;
        answer.stop();
        title = picker->windowTitle();
        filters = picker->nameFilters();
        openedIn = picker->directory().absolutePath();
        picker->selectFile(certificate);
        static_cast<QDialog *>(picker)->accept(); // QFileDialog::accept(), protected there
    });
    // Should the picker not take the answer, it is closed anyway: the test never hangs.
    QTimer giveUp;
    giveUp.setSingleShot(true);
    QObject::connect(&giveUp, &QTimer::timeout, [&] {
        if (auto *picker = qobject_cast<QFileDialog *>(QApplication::activeModalWidget()))
            picker->reject();
    });
    answer.start();
    giveUp.start(15000);
    browse->click();
    giveUp.stop();

    CHECK(title == "Choose the CA certificate");
    REQUIRE(filters.size() == 2);
    CHECK(filters.at(0).contains("*.pem"));
    CHECK(filters.at(0).contains("*.crt"));
    CHECK(filters.at(1).contains("(*)"));
    CHECK(QDir(openedIn) == QDir(folder.path()));
    CHECK(child<QLineEdit>(dialog, "caFileEdit")->text() == QDir::toNativeSeparators(certificate));
}

TEST_CASE("Settings: the language chooser lists the system's, English and Simplified Chinese, and saves the code")
{
    IsolatedSettings isolated(kApplication);
    {
        SettingsDialog dialog(ClientSettings::load());
        QComboBox *language = child<QComboBox>(dialog, "languageCombo");
        REQUIRE(language->count() == 3);
        CHECK(language->itemText(0) == "As the system");
        CHECK(language->itemData(0).toString().isEmpty());
        CHECK(language->itemText(1) == "English");
        CHECK(language->itemData(1).toString() == "en");
        CHECK(language->itemText(2) == QString::fromUtf8("简体中文"));
        CHECK(language->itemData(2).toString() == "zh_CN");
        CHECK(language->currentIndex() == 0); // nothing chosen yet: as the system
        language->setCurrentIndex(2);
        dialog.accept();
        CHECK(dialog.settings().language == "zh_CN");
    }
    CHECK(ClientSettings::load().language == "zh_CN");
    SettingsDialog again(ClientSettings::load());
    CHECK(child<QComboBox>(again, "languageCombo")->currentData().toString() == "zh_CN");
}

TEST_CASE("Settings: every control has an accessible name, and Tab goes down the form")
{
    IsolatedSettings isolated(kApplication);
    SettingsDialog dialog(ClientSettings::load());
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    int controls = 0;
    for (QWidget *widget : dialog.findChildren<QWidget *>()) {
        if (!isInteractive(widget) || isPartOfAControl(widget, &dialog))
            continue;
        ++controls;
        INFO(widget->metaObject()->className() << " " << widget->objectName().toStdString());
        CHECK_FALSE(widget->accessibleName().trimmed().isEmpty());
    }
    CHECK(controls >= 14); // the form's 12 controls and OK and Cancel

    // The focus chain, controls only (a spin box's line edit is its own), from the top.
    const QStringList expected = { "hostEdit", "portSpin", "tokenEdit", "tokenInSettingsFileCheck", "tlsCheck",
                                   "caFileEdit", "caFileBrowseButton", "fingerprintEdit", "topKSpin",
                                   "languageCombo", "connectOnStartCheck", "sendOriginalsCheck" };
    QStringList order;
    QWidget *first = child<QLineEdit>(dialog, "hostEdit");
    QWidget *widget = first;
    for (int step = 0; step < 200; ++step) {
        if (expected.contains(widget->objectName()) && !order.contains(widget->objectName()))
            order << widget->objectName();
        widget = widget->nextInFocusChain();
        if (widget == first)
            break;
    }
    CHECK(order == expected);
}

TEST_CASE("Settings: the dialog speaks the language chosen at run time")
{
    IsolatedSettings isolated(kApplication);
    SettingsDialog dialog(ClientSettings::load());
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    QComboBox *language = child<QComboBox>(dialog, "languageCombo");
    REQUIRE(dialog.windowTitle() == "Orchard settings");

    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("zh_CN"));
    const QString title = QCoreApplication::translate("orchard::SettingsDialog", "Orchard settings");
    if (title == "Orchard settings") {
        WARN("orchard-client_zh_CN.ts has no translation of the Settings dialog yet: the switch is not checked.");
    } else {
        CHECK(hasCjk(title));
        // Qt posts LanguageChange to the windows: it arrives from the event loop.
        CHECK(QTest::qWaitFor([&] { return dialog.windowTitle() == title; }, 5000));
        CHECK(language->itemText(0) == QCoreApplication::translate("orchard::SettingsDialog", "As the system"));
        CHECK(language->itemData(2).toString() == "zh_CN"); // the codes stay
        CHECK(child<QPushButton>(dialog, "caFileBrowseButton")->accessibleName()
              == QCoreApplication::translate("orchard::SettingsDialog", "Choose the CA certificate file"));
        CHECK(child<QLabel>(dialog, "tokenPlaceLabel")->text() == expectedTokenPlace()); // shown again
    }
    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
    CHECK(QTest::qWaitFor([&] { return dialog.windowTitle() == "Orchard settings"; }, 5000));
    CHECK(language->itemText(0) == "As the system");
    CHECK(child<QLabel>(dialog, "tokenPlaceLabel")->text() == expectedTokenPlace());
}
