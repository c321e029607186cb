#pragma once

#include <QByteArray>
#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

#include "common/expected.h"

namespace orchard {

/**
 * `orchard-server --config FILE`: the command line's options as `key = value` lines.
 *
 * A key is an option's long name without `--`; `#` begins a comment (at the start of a line
 * or after white space); a switch (an option without a value, such as `headless`) takes
 * `true` or `false`. This class checks only the file's own shape — every line a setting, a
 * comment or blank, every key an option, no key twice — and turns each setting into the
 * command-line argument it stands for. Values are checked where the command line's are,
 * in ServerCommandLine, so both say the same thing about a bad one.
 *
 * A relative path (an option whose value is a `path` or `dir`) is taken from the file's
 * folder, not from wherever the server happens to start. When systemd handed the service a
 * credential of that name (`LoadCredential=server.key:/etc/orchard/server.key`, so
 * `$CREDENTIALS_DIRECTORY/server.key`), the credential is used instead: the same setting
 * then names the same secret both inside the service and in an operator's
 * `orchard-server --check-config` run by hand.
 */
class ServerConfigFile
{
public:
    struct Setting
    {
        QString key;
        QString value; ///< as written, a path not yet resolved
        int line = 0;
        /** What it means on the command line: "--port=5050", "--headless"; empty for a switch set to false. */
        QString argument;
    };

    /** The file's settings for these options, or a sentence naming the file, the line and what is allowed. */
    static Expected<ServerConfigFile, QString> read(const QString &path, const QList<QCommandLineOption> &options);
    /** As read(), from text already in memory; path names the file in messages and anchors relative paths. */
    static Expected<ServerConfigFile, QString> parse(const QByteArray &text, const QString &path,
                                                     const QList<QCommandLineOption> &options);

    const QString &path() const { return m_path; }
    const QList<Setting> &settings() const { return m_settings; }
    /** Every setting's argument, in the file's order. */
    QStringList arguments() const;

private:
    QString m_path;
    QList<Setting> m_settings;
};

} // namespace orchard
