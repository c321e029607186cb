// Catch2's entry point inside a real Qt application object, so tests can use sockets,
// signals, QSignalSpy::wait and (in the GUI variant) widgets with a live event loop.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#ifdef ORCHARD_TEST_GUI
#include <QApplication>
using TestApplication = QApplication;
#else
#include <QCoreApplication>
using TestApplication = QCoreApplication;
#endif

int main(int argc, char *argv[])
{
#ifdef ORCHARD_TEST_GUI
    // Widget tests run offscreen unless a platform is asked for (QT_QPA_PLATFORM=xcb to
    // watch them); ctest's test discovery runs them with no display at all.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
#endif
    TestApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
