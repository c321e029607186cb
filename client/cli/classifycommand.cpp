#include "client/cli/classifycommand.h"

#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include "client/cli/resultformatter.h"
#include "client/core/imageloader.h"
#include "common/inference/protocolmapping.h"

namespace orchard {

namespace {

// Reading a file is the CLI's job, not the engine's; a limit keeps a stray disk image
// from being read into memory only to be refused by the decoder.
constexpr qint64 kMaxFileBytes = qint64(1) << 30;

} // namespace

ClassifyCommand::ClassifyCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString ClassifyCommand::summary()
{
    return QStringLiteral("classify image files or folders locally with a model (no server)");
}

ParsedArguments<ClassifyCommand::Options> ClassifyCommand::parseArguments(const QStringList &arguments)
{
    using Parsed = ParsedArguments<Options>;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Classifies leaf photos on this machine with a model folder, without "
                       "a server.\nFolders are expanded to the image files directly in them, in "
                       "natural order.\nJSON error lines carry a code: BAD_IMAGE, INTERNAL, or "
                       "UNREADABLE, TOO_LARGE, NO_IMAGES.\n")
        + QLatin1String(exitCodeHelp()));
    parser.addHelpOption();
    const QCommandLineOption modelOption(QStringLiteral("model"),
        QStringLiteral("Model folder (model.pt, model.json, README.md). Default: %1")
            .arg(InferenceEngine::defaultModelDirectory()),
        QStringLiteral("DIR"));
    const QCommandLineOption topKOption(QStringLiteral("top-k"),
        QStringLiteral("How many labels to list per image (default 3)."), QStringLiteral("K"),
        QStringLiteral("3"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("One JSON object per line instead of a table."));
    const QCommandLineOption maxPixelsOption(QStringLiteral("max-pixels"),
        QStringLiteral("Refuse images whose header claims more pixels (default %1).")
            .arg(InferenceEngine::Options {}.maxPixels),
        QStringLiteral("N"));
    parser.addOptions({ modelOption, topKOption, jsonOption, maxPixelsOption });
    addPathArguments(parser, name(), summary());

    if (const auto stop = Parsed::parseOrStop(parser, arguments))
        return *stop;
    Options options;
    if (const auto noPaths = readPathArguments(parser, options.paths))
        return Parsed::usageError(*noPaths);
    bool ok = false;
    options.topK = parser.value(topKOption).toInt(&ok);
    if (!ok || options.topK < 1)
        return Parsed::usageError(QStringLiteral("--top-k needs a whole number of at least 1"));
    if (parser.isSet(maxPixelsOption)) {
        options.engine.maxPixels = parser.value(maxPixelsOption).toLongLong(&ok);
        if (!ok || options.engine.maxPixels < 1)
            return Parsed::usageError(QStringLiteral("--max-pixels needs a whole number of at least 1"));
    }
    options.json = parser.isSet(jsonOption);
    options.modelDirectory = parser.isSet(modelOption) ? parser.value(modelOption)
                                                       : InferenceEngine::defaultModelDirectory();
    return Parsed::run(options);
}

int ClassifyCommand::run(const QStringList &arguments)
{
    const ParsedArguments<Options> parsed = parseArguments(arguments);
    return parsed.shouldRun() ? classify(parsed.options) : parsed.report(name(), m_out, m_err);
}

int ClassifyCommand::classify(const Options &options)
{
    const auto engine = InferenceEngine::load(options.modelDirectory, options.engine);
    if (!engine) {
        m_err << "orchard-cli classify: cannot load the model: " << engine.error().message << "\n";
        return ExitUnavailable;
    }
    const ModelManifest &manifest = (*engine)->manifest();

    // Each path on its own, so that an empty folder gets its own error line in its place.
    QList<QStringList> expanded;
    QStringList everything;
    for (const QString &path : options.paths) {
        expanded.append(ImageLoader::expand({ path }));
        everything += expanded.constLast().isEmpty() ? QStringList { path } : expanded.constLast();
    }
    ResultFormatter lines(options.json ? ResultFormatter::Style::JsonLines : ResultFormatter::Style::Table,
                          ResultFormatter::Origin::Local);
    lines.fitFiles(everything);
    lines.fitLabels(manifest.labels);
    if (!lines.isJson()) {
        m_out << "model " << manifest.name << " " << manifest.version << " (" << manifest.directory << ")\n"
              << lines.headerLine() << "\n";
    }

    int failures = 0;
    for (int i = 0; i < options.paths.size(); ++i) {
        if (expanded.at(i).isEmpty()) {
            m_out << lines.errorLine(options.paths.at(i), QStringLiteral("no image files in this folder"),
                                     QStringLiteral("NO_IMAGES"))
                  << "\n";
            ++failures;
        }
        for (const QString &file : expanded.at(i))
            failures += classifyFile(**engine, file, options.topK, lines) ? 0 : 1;
        m_out.flush(); // one line per file as it happens, even when piped
    }
    if (!lines.isJson()) {
        m_out << "\n" << everything.size() - failures << " of " << everything.size() << " classified";
        if (failures > 0)
            m_out << ", " << failures << " failed";
        m_out << "\n";
    }
    m_out.flush();
    return failures > 0 ? ExitSomeFailed : ExitSuccess;
}

bool ClassifyCommand::classifyFile(const InferenceEngine &engine, const QString &file, int topK,
                                   const ResultFormatter &lines)
{
    QFile input(file);
    QString error;
    QString code = QStringLiteral("UNREADABLE");
    if (QFileInfo(file).size() > kMaxFileBytes) {
        error = QStringLiteral("the file is larger than 1 GiB");
        code = QStringLiteral("TOO_LARGE");
    } else if (!input.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot open the file: %1").arg(input.errorString());
    } else {
        const auto prediction = engine.predict(input.readAll(), topK);
        if (prediction) {
            m_out << lines.resultLine(file, toPredictionReply(*prediction, engine.manifest()), topK) << "\n";
            m_out.flush();
            return true;
        }
        error = prediction.error().message;
        code = errorCodeName(errorCodeFor(prediction.error()));
    }
    m_out << lines.errorLine(file, error, code) << "\n";
    m_out.flush();
    return false;
}

} // namespace orchard
