#include "server/core/serverconfigfile.h"

#include <algorithm>
#include <optional>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace orchard {

namespace {

/** Edits (insert, delete, replace a character) that turn a into b: for "did you mean …". */
int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1), current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, replace });
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<bool> parseSwitch(const QString &value)
{
    const QString word = value.toLower();
    if (word == QLatin1String("true") || word == QLatin1String("yes") || word == QLatin1String("on")
        || word == QLatin1String("1"))
        return true;
    if (word == QLatin1String("false") || word == QLatin1String("no") || word == QLatin1String("off")
        || word == QLatin1String("0"))
        return false;
    return std::nullopt;
}

/** One line split into key and value; an error sentence (without the line number) if it is not one. */
struct SplitLine
{
    bool blank = false;
    QString key;
    QString value;
    QString error;
};

SplitLine splitLine(const QString &rawLine)
{
    SplitLine result;
    const QString line = rawLine.trimmed();
    if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
        result.blank = true;
        return result;
    }
    if (line.startsWith(QLatin1Char('['))) {
        result.error = QStringLiteral("sections such as \"%1\" are not used; write \"key = value\" lines only").arg(line);
        return result;
    }
    const qsizetype equals = line.indexOf(QLatin1Char('='));
    if (equals < 0) {
        result.error = QStringLiteral("expected \"key = value\", not \"%1\"").arg(line);
        return result;
    }
    result.key = line.left(equals).trimmed();
    QString rest = line.mid(equals + 1).trimmed();
    if (rest.startsWith(QLatin1Char('"'))) {
        // Quoted: taken as written, '#' and spaces included; only a comment may follow.
        const qsizetype close = rest.indexOf(QLatin1Char('"'), 1);
        const QString after = close < 0 ? QString() : rest.mid(close + 1).trimmed();
        if (close < 0 || (!after.isEmpty() && !after.startsWith(QLatin1Char('#')))) {
            result.error = QStringLiteral("the quoted value of %1 must end with a '\"' (and only a comment may follow it)")
                                   .arg(result.key);
            return result;
        }
        result.value = rest.mid(1, close - 1);
        return result;
    }
    // A comment begins at a '#' after white space, so "threads = 4  # the cores" is 4.
    static const QRegularExpression comment(QStringLiteral("\\s#"));
    const QRegularExpressionMatch match = comment.match(rest);
    if (match.hasMatch())
        rest = rest.left(match.capturedStart());
    result.value = rest.trimmed();
    return result;
}

QString unknownKeyMessage(const QString &key, const QList<QCommandLineOption> &options)
{
    QStringList names;
    QString closest;
    int closestDistance = 3; // more edits than this is not a typing slip
    for (const QCommandLineOption &option : options) {
        const QString name = option.names().constLast();
        names << name;
        const int distance = editDistance(key.toLower(), name);
        if (distance < closestDistance) {
            closestDistance = distance;
            closest = name;
        }
    }
    QString message = QStringLiteral("unknown setting \"%1\"").arg(key);
    if (!closest.isEmpty())
        message += QStringLiteral(" (did you mean \"%1\"?)").arg(closest);
    return message + QStringLiteral("; the settings are: %1 (see orchard-server --help)").arg(names.join(QStringLiteral(", ")));
}

/** A path setting's value made absolute: a systemd credential of that name, else from the file's folder. */
QString resolvePath(const QString &value, const QString &valueName, const QDir &fileFolder)
{
    if (value.isEmpty() || QDir::isAbsolutePath(value))
        return value;
    const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    if (valueName == QLatin1String("path") && !credentials.isEmpty()) {
        const QString credential = QDir(credentials).filePath(value);
        if (QFileInfo(credential).isFile())
            return credential;
    }
    return QDir::cleanPath(fileFolder.absoluteFilePath(value));
}

} // namespace

Expected<ServerConfigFile, QString> ServerConfigFile::read(const QString &path, const QList<QCommandLineOption> &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the config file %1: %2").arg(path, file.errorString());
    return parse(file.readAll(), path, options);
}

// A little over a screen: one check per kind of mistake, each with its own sentence, in the
// order a reader meets them on the line.
Expected<ServerConfigFile, QString> ServerConfigFile::parse(const QByteArray &text, const QString &path,
                                                            const QList<QCommandLineOption> &options)
{
    QHash<QString, const QCommandLineOption *> byName;
    for (const QCommandLineOption &option : options)
        byName.insert(option.names().constLast(), &option);
    const QDir fileFolder = QFileInfo(path).absoluteDir();

    ServerConfigFile file;
    file.m_path = path;
    QHash<QString, int> lineOfKey;
    int lineNumber = 0;
    for (const QString &rawLine : QString::fromUtf8(text).split(QLatin1Char('\n'))) {
        ++lineNumber;
        const QString where = QStringLiteral("%1 line %2").arg(path).arg(lineNumber);
        const SplitLine line = splitLine(rawLine);
        if (line.blank)
            continue;
        if (!line.error.isEmpty())
            return QStringLiteral("%1: %2.").arg(where, line.error);
        const QCommandLineOption *option = byName.value(line.key);
        if (!option)
            return QStringLiteral("%1: %2.").arg(where, unknownKeyMessage(line.key, options));
        if (lineOfKey.contains(line.key)) {
            return QStringLiteral("%1: %2 is already set on line %3; say it once.")
                    .arg(where, line.key)
                    .arg(lineOfKey.value(line.key));
        }
        lineOfKey.insert(line.key, lineNumber);
        if (line.value.contains(QLatin1String("${"))) {
            return QStringLiteral("%1: variables such as ${CREDENTIALS_DIRECTORY} are not expanded; for a systemd "
                                  "credential write its name alone (%2 = server.key): the server looks for it "
                                  "there first, then beside this file.")
                    .arg(where, line.key);
        }

        Setting setting { line.key, line.value, lineNumber, QString() };
        if (option->valueName().isEmpty()) {
            const std::optional<bool> on = parseSwitch(line.value);
            if (!on) {
                return QStringLiteral("%1: %2 is a switch: it must be true or false, not \"%3\".")
                        .arg(where, line.key, line.value);
            }
            if (*on)
                setting.argument = QStringLiteral("--%1").arg(line.key);
        } else {
            const bool isPath = option->valueName() == QLatin1String("path") || option->valueName() == QLatin1String("dir");
            setting.argument = QStringLiteral("--%1=%2").arg(
                    line.key, isPath ? resolvePath(line.value, option->valueName(), fileFolder) : line.value);
        }
        file.m_settings.append(setting);
    }
    return file;
}

QStringList ServerConfigFile::arguments() const
{
    QStringList arguments;
    for (const Setting &setting : m_settings) {
        if (!setting.argument.isEmpty())
            arguments << setting.argument;
    }
    return arguments;
}

} // namespace orchard
