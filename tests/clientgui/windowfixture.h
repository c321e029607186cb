#pragma once
// The farmer's window for a test, offscreen: settings under ~/.qttest (never the user's),
// a diagnosis history in a temporary file of its own, helpers to load photos, connect and
// wait for answers. Shared by every test that opens MainWindow.

#include <catch2/catch.hpp>

#include <memory>

#include <QCoreApplication>
#include <QItemSelectionModel>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "client/core/clientsettings.h"
#include "client/core/imagelistmodel.h"
#include "client/core/serverconnection.h"
#include "client/ui/mainwindow.h"
#include "common/i18n/uilanguage.h"

namespace orchard::test {

inline constexpr int kWindowWaitMs = 20000;

/**
 * Keeps a test's settings and history away from the user's: QSettings writes under
 * ~/.qttest, and ORCHARD_HISTORY names a file in a folder removed afterwards (or the one
 * the test gives, to open a history it prepared).
 */
struct IsolatedSettings
{
    explicit IsolatedSettings(const QString &applicationName = QStringLiteral("orchard-client-tests"),
                              const QString &historyPath = {})
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("OrchardTests"));
        QCoreApplication::setApplicationName(applicationName);
        QSettings().clear();
        // As orchard-client's main() does first: the English catalog's plural forms.
        UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
        ClientSettings settings;
        settings.connectOnStart = false;
        settings.save();
        REQUIRE(historyFolder.isValid());
        historyPath_ = historyPath.isEmpty() ? historyFolder.filePath(QStringLiteral("history.sqlite")) : historyPath;
        qputenv("ORCHARD_HISTORY", historyPath_.toLocal8Bit());
    }
    ~IsolatedSettings() { qunsetenv("ORCHARD_HISTORY"); }

    QString historyPath() const { return historyPath_; }

    QTemporaryDir historyFolder;
    QString historyPath_;
};

struct WindowFixture : IsolatedSettings
{
    explicit WindowFixture(const QString &applicationName = QStringLiteral("orchard-client-tests"),
                           const QString &historyPath = {})
        : IsolatedSettings(applicationName, historyPath)
    {
        open();
    }

    /** A new window (as at the next start), over the same settings and history. */
    void open()
    {
        window = std::make_unique<MainWindow>();
        window->show();
        REQUIRE(QTest::qWaitForWindowExposed(window.get()));
    }

    void load(const QStringList &paths)
    {
        QSignalSpy loaded(window.get(), &MainWindow::imagesLoaded);
        window->addPaths(paths);
        REQUIRE((loaded.count() > 0 || loaded.wait(kWindowWaitMs)));
    }

    void connectTo(quint16 port)
    {
        window->setServer(QStringLiteral("127.0.0.1"), port);
        window->connectToServer();
    }

    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return window->connection()->isConnected(); }, kWindowWaitMs);
    }

    int rowOf(const QString &path) const { return window->images()->rowOf(path); }

    /** Selects these rows of the image list, and only these, as a Ctrl+click would. */
    void select(const QList<int> &rows)
    {
        QItemSelectionModel *selection = window->imageList()->selectionModel();
        selection->clearSelection();
        for (int row : rows)
            selection->select(window->images()->index(row), QItemSelectionModel::Select);
    }

    bool waitAllDone()
    {
        return QTest::qWaitFor([this] {
            return window->images()->count() > 0
                    && window->images()->countWithStatus(ImageListModel::Status::Done)
                    + window->images()->countWithStatus(ImageListModel::Status::Failed)
                    == window->images()->count();
        }, 60000);
    }

    std::unique_ptr<MainWindow> window;
};

} // namespace orchard::test
