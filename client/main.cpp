// orchard-client: the farmer's desktop client. Parses the command line and opens the
// window; everything else lives in orchard_client and orchard_client_ui.
#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

#include "client/ui/mainwindow.h"
#include "common/i18n/uilanguage.h"

using namespace orchard;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Orchard"));
    QApplication::setApplicationName(QStringLiteral("orchard-client"));
    QApplication::setApplicationDisplayName(QStringLiteral("Orchard"));
    QApplication::setApplicationVersion(QStringLiteral(ORCHARD_VERSION));
    // The window sets the SVG icon (MainWindow), with the PNG for a Qt without its SVG plugin.
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/orchard.png")));

    // Before any window exists, so the first texts are already in the farmer's language.
    UiLanguage::apply(QStringLiteral("orchard-client"), ClientSettings::load().language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Orchard: diagnose leaf photos with an Orchard server."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Server address (default: from settings)."),
                                  QStringLiteral("addr"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Server port (default: from settings, 5050)."),
                                  QStringLiteral("n"));
    const QCommandLineOption noConnect(QStringLiteral("no-connect"), QStringLiteral("Do not connect at start."));
    const QCommandLineOption tls(QStringLiteral("tls"), QStringLiteral("Connect with TLS (default: from settings)."));
    const QCommandLineOption ca(QStringLiteral("ca"),
                                QStringLiteral("CA certificate (PEM) that signed the server's; without it the "
                                               "server's fingerprint is shown once and then pinned."),
                                QStringLiteral("file"));
    parser.addOptions({ host, port, noConnect, tls, ca });
    parser.addPositionalArgument(QStringLiteral("images"), QStringLiteral("Image files or folders to open."),
                                 QStringLiteral("[FILE|DIR...]"));
    parser.process(app);

    MainWindow window;
    QString serverHost = window.settings().host;
    quint16 serverPort = window.settings().port;
    if (parser.isSet(host))
        serverHost = parser.value(host);
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value == 0 || value > 65535) {
            QTextStream(stderr) << "orchard-client: --port must be a number from 1 to 65535\n";
            return 2;
        }
        serverPort = static_cast<quint16>(value);
    }
    window.setServer(serverHost, serverPort);
    if (parser.isSet(tls) || parser.isSet(ca))
        window.setTls(true, parser.value(ca));
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.addPaths(parser.positionalArguments());
    const bool connectNow = !parser.isSet(noConnect) && (window.settings().connectOnStart || parser.isSet(host));
    if (connectNow)
        window.connectToServer();
    return app.exec();
}
