// What a desktop program is expected to do, offscreen, against a real in-process server:
// the menu bar, recent photos and folders, the window's layout as the farmer left it,
// removing photos, the language switched at run time, a name for every control, and the
// whole way from loading a photo to exporting its result by keyboard alone.
#include <catch2/catch.hpp>

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "client/core/imagelistmodel.h"
#include "client/core/imageloader.h"
#include "client/core/recentpaths.h"
#include "client/core/resultstablemodel.h"
#include "client/ui/mainwindow.h"
#include "client/ui/resultpanel.h"
#include "common/i18n/uilanguage.h"
#include "tests/clientgui/windowfixture.h"
#include "tests/support/accessiblenames.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

constexpr int kWaitMs = 30000;
const QString kSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

QString sample(const char *name)
{
    return kSamples + QLatin1Char('/') + QLatin1String(name);
}

QString translated(const char *source)
{
    return QCoreApplication::translate("orchard::MainWindow", source);
}

bool hasChinese(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
}

QMenu *menuNamed(MainWindow *window, const char *name)
{
    auto *menu = window->menuBar()->findChild<QMenu *>(QString::fromLatin1(name));
    REQUIRE(menu);
    return menu;
}

QAction *actionNamed(MainWindow *window, const char *name)
{
    auto *action = window->findChild<QAction *>(QString::fromLatin1(name));
    REQUIRE(action);
    return action;
}

/** The paths File > Open Recent offers, top first. */
QStringList recentOffered(MainWindow *window)
{
    QMenu *recent = window->recentMenu();
    emit recent->aboutToShow(); // what opening the menu does
    QStringList paths;
    for (QAction *action : recent->actions()) {
        if (!action->data().toString().isEmpty())
            paths.append(action->data().toString());
    }
    return paths;
}

/**
 * Answers the next file dialog from the keyboard as a person would: the file name field
 * has the focus when it opens; select what it holds, type text, press Enter. Runs inside
 * the dialog's own event loop (it is modal), so it is scheduled before the key that opens it.
 */
void answerNextFileDialog(const QString &text, bool *answered)
{
    QTimer::singleShot(0, [text, answered] {
        QFileDialog *dialog = nullptr;
        (void)QTest::qWaitFor([&dialog] {
            dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            return dialog && dialog->isVisible() && dialog->isAncestorOf(QApplication::focusWidget());
        }, kWaitMs);
        if (!dialog || !dialog->isAncestorOf(QApplication::focusWidget()))
            return;
        QWidget *field = QApplication::focusWidget();
        QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(field, text);
        QTest::keyClick(field, Qt::Key_Return);
        *answered = !dialog->isVisible();
        if (dialog->isVisible())
            dialog->reject(); // never leave the test hanging in a dialog
    });
}

void activate(QWidget *window)
{
    window->activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(window));
}

} // namespace

TEST_CASE("The menu bar offers every command, in menus a desktop user expects")
{
    WindowFixture fixture;
    MainWindow *window = fixture.window.get();
    QStringList titles;
    for (QAction *menu : window->menuBar()->actions())
        titles.append(menu->text());
    CHECK(titles.join(QLatin1Char('|')).toStdString() == "&File|&Edit|&View|&Diagnose|&Help");
    const auto contains = [window](const char *menu, const char *action) {
        return menuNamed(window, menu)->actions().contains(actionNamed(window, action));
    };
    CHECK(contains("fileMenu", "openAction"));
    CHECK(contains("fileMenu", "openFolderAction"));
    CHECK(contains("fileMenu", "exportAction"));
    CHECK(contains("fileMenu", "quitAction"));
    CHECK(menuNamed(window, "fileMenu")->actions().contains(window->recentMenu()->menuAction()));
    CHECK(contains("editMenu", "removeAction"));
    CHECK(contains("editMenu", "clearAction"));
    CHECK(contains("editMenu", "settingsAction"));
    CHECK(contains("viewMenu", "toolbarShownAction"));
    CHECK(contains("viewMenu", "showTab3Action"));
    CHECK(contains("diagnoseMenu", "predictAction"));
    CHECK(contains("diagnoseMenu", "plantAction"));
    CHECK(contains("helpMenu", "modelCardAction"));
    CHECK(contains("helpMenu", "aboutAction"));
    CHECK(actionNamed(window, "removeAction")->shortcut() == QKeySequence(QKeySequence::Delete));
    CHECK(window->windowTitle() == "Leaf diagnosis");
    CHECK_FALSE(window->windowIcon().pixmap(256).isNull());
}

TEST_CASE("The window title names the connected server once")
{
    ServerFixture server;
    WindowFixture fixture;
    fixture.connectTo(server.port());
    REQUIRE(fixture.waitConnected());
    const QString address = QStringLiteral("127.0.0.1:%1").arg(server.port());
    CHECK(fixture.window->windowTitle() == "Leaf diagnosis — " + address);
    CHECK(fixture.window->windowTitle().count(address) == 1);
    fixture.window->disconnectFromServer();
    REQUIRE(QTest::qWaitFor([&] { return !fixture.window->connection()->isConnected(); }, kWaitMs));
    CHECK(fixture.window->windowTitle() == "Leaf diagnosis");
}

TEST_CASE("Recent photos and folders are offered newest first, across a restart, and can be cleared")
{
    WindowFixture fixture;
    QTemporaryDir folder;
    REQUIRE(QFile::copy(sample("coat_0.png"), folder.filePath("coat_0.png")));
    fixture.load({ sample("trouser_0.png") });
    fixture.load({ folder.path() });
    fixture.load({ sample("bag_0.png") });
    const QStringList expected { sample("bag_0.png"), QFileInfo(folder.path()).absoluteFilePath(), sample("trouser_0.png") };
    CHECK(recentOffered(fixture.window.get()).join(QLatin1Char('|')).toStdString() == expected.join(QLatin1Char('|')).toStdString());

    fixture.load({ sample("trouser_0.png") }); // opened again: back to the top, once
    CHECK(recentOffered(fixture.window.get()).first() == sample("trouser_0.png"));
    CHECK(recentOffered(fixture.window.get()).count(sample("trouser_0.png")) == 1);

    fixture.window->close();
    fixture.open();
    MainWindow *window = fixture.window.get();
    REQUIRE(recentOffered(window).size() == 3);
    CHECK(window->images()->count() == 0);
    // Choosing the folder from the menu loads what is in it.
    QAction *folderEntry = nullptr;
    for (QAction *action : window->recentMenu()->actions()) {
        if (action->data().toString() == QFileInfo(folder.path()).absoluteFilePath())
            folderEntry = action;
    }
    REQUIRE(folderEntry);
    CHECK(folderEntry->text().contains("(folder)"));
    QSignalSpy loaded(window, &MainWindow::imagesLoaded);
    folderEntry->trigger();
    REQUIRE((loaded.count() > 0 || loaded.wait(kWaitMs)));
    CHECK(window->images()->count() == 1);

    // A folder that has gone is not offered.
    REQUIRE(QDir(folder.path()).removeRecursively());
    CHECK_FALSE(recentOffered(window).contains(QFileInfo(folder.path()).absoluteFilePath()));
    actionNamed(window, "clearRecentAction")->trigger();
    CHECK(recentOffered(window).isEmpty());
    CHECK(RecentPaths::load().isEmpty());
}

TEST_CASE("The window's size, splitters and column widths come back as the farmer left them")
{
    WindowFixture fixture;
    MainWindow *window = fixture.window.get();
    window->resize(1000, 700);
    REQUIRE(QTest::qWaitFor([window] { return window->size() == QSize(1000, 700); }, kWaitMs));
    auto *photos = window->findChild<QSplitter *>("photoSplitter");
    auto *panes = window->findChild<QSplitter *>("paneSplitter");
    REQUIRE(photos);
    REQUIRE(panes);
    photos->setSizes({ 300, 400, 280 });
    panes->setSizes({ 400, 250 });
    const QList<int> photoSizes = photos->sizes();
    const QList<int> paneSizes = panes->sizes();
    window->resultsView()->horizontalHeader()->resizeSection(ResultsTableModel::Label, 333);
    window->close();

    fixture.open();
    window = fixture.window.get();
    CHECK(window->size() == QSize(1000, 700));
    // Within a pixel: the splitters share out the window's height again once it is laid out.
    const auto near = [](const QList<int> &restored, const QList<int> &left) {
        if (restored.size() != left.size())
            return false;
        for (int i = 0; i < left.size(); ++i) {
            if (std::abs(restored.at(i) - left.at(i)) > 1)
                return false;
        }
        return true;
    };
    CHECK(near(window->findChild<QSplitter *>("photoSplitter")->sizes(), photoSizes));
    CHECK(near(window->findChild<QSplitter *>("paneSplitter")->sizes(), paneSizes));
    CHECK(window->resultsView()->horizontalHeader()->sectionSize(ResultsTableModel::Label) == 333);
}

TEST_CASE("Delete in the list removes the selected photos, Clear List all of them, Delete elsewhere does not")
{
    WindowFixture fixture;
    fixture.load({ sample("trouser_0.png"), sample("bag_0.png"), sample("coat_0.png") });
    MainWindow *window = fixture.window.get();
    REQUIRE(window->images()->count() == 3);
    activate(window);

    // In the tag's text field Delete deletes a character, not photos.
    window->tagChooser()->setFocus();
    window->tagChooser()->setEditText("north");
    window->tagChooser()->lineEdit()->setCursorPosition(0);
    QTest::keyClick(window->tagChooser()->lineEdit(), Qt::Key_Delete);
    CHECK(window->tagChooser()->currentText() == "orth");
    CHECK(window->images()->count() == 3);

    fixture.select({ fixture.rowOf(sample("trouser_0.png")), fixture.rowOf(sample("coat_0.png")) });
    window->imageList()->setFocus();
    QTest::keyClick(window->imageList(), Qt::Key_Delete);
    REQUIRE(window->images()->count() == 1);
    CHECK(fixture.rowOf(sample("bag_0.png")) == 0);
    CHECK(fixture.rowOf(sample("trouser_0.png")) < 0);
    CHECK(window->imageList()->currentIndex().row() == 0);

    fixture.load({ sample("dress_0.png") });
    REQUIRE(window->images()->count() == 2);
    actionNamed(window, "clearAction")->trigger();
    CHECK(window->images()->count() == 0);
    CHECK_FALSE(actionNamed(window, "clearAction")->isEnabled());
    CHECK_FALSE(actionNamed(window, "predictAction")->isEnabled());
}

TEST_CASE("Switching to Chinese at run time retranslates the window, and back to English")
{
    WindowFixture fixture;
    MainWindow *window = fixture.window.get();
    auto *tabs = window->tabs();
    QMenu *file = menuNamed(window, "fileMenu");
    QAction *predict = actionNamed(window, "predictAction");
    REQUIRE(file->title() == "&File");

    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("zh_CN"));
    CHECK(UiLanguage::current() == "zh_CN");
    CHECK(file->title().toStdString() == translated("&File").toStdString());
    CHECK(hasChinese(file->title()));
    CHECK(predict->text().toStdString() == translated("&Predict").toStdString());
    CHECK(hasChinese(predict->text()));
    CHECK(tabs->tabText(2).toStdString() == translated("History").toStdString());
    CHECK(hasChinese(tabs->tabText(2)));
    CHECK(window->windowTitle().toStdString() == translated("Leaf diagnosis").toStdString());
    CHECK(hasChinese(window->statusText()));
    CHECK(hasChinese(window->imageList()->accessibleName()));

    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
    CHECK(file->title() == "&File");
    CHECK(predict->text() == "&Predict");
    CHECK(tabs->tabText(2) == "History");
    CHECK(window->windowTitle() == "Leaf diagnosis");
    CHECK_FALSE(hasChinese(window->statusText()));
}

TEST_CASE("Every control of the window has an accessible name, in both languages")
{
    ServerFixture server;
    WindowFixture fixture;
    fixture.load({ sample("trouser_0.png"), sample("bag_0.png") });
    fixture.connectTo(server.port());
    REQUIRE(fixture.waitConnected());
    fixture.window->predictAll();
    REQUIRE(fixture.waitAllDone());
    for (int tab = 0; tab < fixture.window->tabs()->count(); ++tab)
        fixture.window->tabs()->setCurrentIndex(tab);
    CHECK(unnamedControls(fixture.window.get()).join(QLatin1Char('\n')).toStdString() == "");

    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("zh_CN"));
    CHECK(unnamedControls(fixture.window.get()).join(QLatin1Char('\n')).toStdString() == "");
    UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
}

TEST_CASE("A photo can be loaded, diagnosed, read and exported with the keyboard alone")
{
    ServerFixture server;
    WindowFixture fixture;
    MainWindow *window = fixture.window.get();
    window->setServer(QStringLiteral("127.0.0.1"), server.port());
    activate(window);

    bool opened = false;
    answerNextFileDialog(sample("trouser_0.png"), &opened);
    QSignalSpy loaded(window, &MainWindow::imagesLoaded);
    QSignalSpy openTriggered(actionNamed(window, "openAction"), &QAction::triggered);
    QTest::keyClick(window, Qt::Key_O, Qt::ControlModifier);
    CHECK(openTriggered.count() == 1);
    REQUIRE(opened);
    REQUIRE((loaded.count() > 0 || loaded.wait(kWaitMs)));
    REQUIRE(window->images()->count() == 1);
    // A desktop's window manager gives the focus back to the window a dialog closed over;
    // offscreen has none, so the test does what it would.
    activate(window);

    QSignalSpy predictTriggered(actionNamed(window, "predictAction"), &QAction::triggered);
    QTest::keyClick(window, Qt::Key_P, Qt::ControlModifier);
    REQUIRE(predictTriggered.count() == 1);
    REQUIRE(fixture.waitAllDone());
    CHECK(window->resultPanel()->labelText() == "Trouser");

    // Alt+1: the results table has the focus, and reads out the row.
    QTest::keyClick(window, Qt::Key_1, Qt::AltModifier);
    CHECK(QApplication::focusWidget() == window->resultsView());
    QTest::keyClick(window->resultsView(), Qt::Key_Home, Qt::ControlModifier);
    const QModelIndex current = window->resultsView()->currentIndex();
    REQUIRE(current.isValid());
    CHECK(window->results()->index(current.row(), ResultsTableModel::Label).data().toString() == "Trouser");

    QTemporaryDir folder;
    const QString csv = folder.filePath("keyboard.csv");
    bool saved = false;
    answerNextFileDialog(csv, &saved);
    QTest::keyClick(window->resultsView(), Qt::Key_E, Qt::ControlModifier);
    REQUIRE(saved);
    QFile file(csv);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    CHECK(text.startsWith("file,label,confidence"));
    CHECK(text.contains("trouser_0.png,Trouser,"));
}

// Run twice by ctest: at the screen's scale, and with QT_SCALE_FACTOR=2 as on a high-DPI
// screen (tests/clientgui/CMakeLists.txt), where a 96-point thumbnail needs 192 pixels.
TEST_CASE("Thumbnails in the list have as many pixels as the screen shows")
{
    WindowFixture fixture;
    const qreal ratio = qApp->devicePixelRatio();
    if (qEnvironmentVariable("QT_SCALE_FACTOR") == QLatin1String("2"))
        REQUIRE(ratio == 2.0);
    fixture.load({ ORCHARD_SOURCE_DIR "/resources/samples/trouser_0.png" });
    const QVariant decoration = fixture.window->images()->index(0).data(Qt::DecorationRole);
    const QImage image = decoration.canConvert<QImage>() ? decoration.value<QImage>()
                                                         : decoration.value<QPixmap>().toImage();
    REQUIRE_FALSE(image.isNull());
    CHECK(image.devicePixelRatio() == ratio);
    CHECK(image.width() == qRound(ImageLoader::kThumbnailSize * ratio));
}

TEST_CASE("Tab moves through the window in the order it is laid out")
{
    WindowFixture fixture;
    fixture.load({ ORCHARD_SOURCE_DIR "/resources/samples/trouser_0.png" });
    MainWindow *window = fixture.window.get();
    activate(window);
    window->tagChooser()->setFocus();
    REQUIRE(QTest::qWaitFor([window] { return QApplication::focusWidget() == window->tagChooser(); }, kWaitMs));
    QStringList visited;
    for (int step = 0; step < 10; ++step) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *focused = QApplication::focusWidget();
        if (focused == window->tagChooser())
            break;
        visited.append(accessibleNameOf(focused));
    }
    // The field, the photos, the bottom pane's tabs, the page shown; then round again.
    CHECK(visited.join(QLatin1Char('|')).toStdString() == "Photos|Results|Results table");
}
