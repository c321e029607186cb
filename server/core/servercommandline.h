#pragma once

#include <QString>
#include <QStringList>

#include "server/core/serverconfig.h"

namespace orchard {

/** What `orchard-server`'s command line asks for. */
struct ServerCommandLine
{
    ServerConfig config;
    bool headless = false;
    QString logFile;
    QString tokenFile; ///< empty: anyone who can reach the port may use the server
    QString tlsCertificate; ///< with tlsKey: every connection is TLS
    QString tlsKey;

    enum class Outcome { Run, ExitOk, ExitError };
    Outcome outcome = Outcome::Run;
    QString message; ///< --help/--version text, or the error to print

    /**
     * Parses arguments (argv[0] first) with QCommandLineParser; every option is documented
     * in --help. Numbers are validated: a bad one is an ExitError with a sentence saying
     * which option and why.
     */
    static ServerCommandLine parse(const QStringList &arguments, const QString &version);
};

} // namespace orchard
