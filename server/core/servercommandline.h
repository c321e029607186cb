#pragma once

#include <QString>
#include <QStringList>

#include "server/core/serverconfig.h"
#include "server/core/serverlog.h"

namespace orchard {

/** What `orchard-server`'s command line asks for. */
struct ServerCommandLine
{
    ServerConfig config;
    bool headless = false;
    QString logFile;
    LogFormat logFormat = LogFormat::Text;
    QString tokenFile; ///< empty: anyone who can reach the port may use the server
    QString tlsCertificate; ///< with tlsKey: every connection is TLS
    QString tlsKey;
    /** --config: the file the settings above came from, before the command line's own; empty: none. */
    QString configFile;
    int configSettings = 0; ///< how many settings configFile gave
    /** --check-config: check the settings, the model, the token and TLS files; serve nothing. */
    bool checkConfig = false;

    enum class Outcome { Run, ExitOk, ExitError };
    Outcome outcome = Outcome::Run;
    QString message; ///< --help/--version text, or the error to print

    /**
     * Parses arguments (argv[0] first) with QCommandLineParser; every option is documented
     * in --help. Numbers are validated: a bad one is an ExitError with a sentence saying
     * which option and why. With --config FILE, the file's settings (ServerConfigFile) come
     * first and the command line overrides them; a bad one is refused with the file's name,
     * its line and the command line's own sentence.
     */
    static ServerCommandLine parse(const QStringList &arguments, const QString &version);
    /** The keys a config file may set: every option except --help, --version, --config and the two below. */
    static QStringList settingNames();
    /**
     * A config file with every setting commented out under its --help text, without
     * anything particular to this machine (--print-config-template; server/dist/server.conf).
     */
    static QString configTemplate();
};

} // namespace orchard
