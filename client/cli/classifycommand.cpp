#include "classifycommand.h"

#include <algorithm>
#include <cstdio>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "inferenceengine.h"

namespace orchard {

namespace {

// The extensions a folder is searched for; a file named on the command line is tried
// whatever its name, so the decoder, not the extension, has the last word.
const QSet<QString> &imageExtensions()
{
    static const QSet<QString> extensions {
        QStringLiteral("png"),
        QStringLiteral("jpg"),
        QStringLiteral("jpeg"),
        QStringLiteral("bmp"),
        QStringLiteral("webp"),
        QStringLiteral("tif"),
        QStringLiteral("tiff"),
        QStringLiteral("pgm"),
        QStringLiteral("ppm"),
        QStringLiteral("pbm"),
        QStringLiteral("pnm"),
        QStringLiteral("pam"),
        QStringLiteral("ras"),
    };
    return extensions;
}

// Reading a file is the CLI's job, not the engine's; a limit keeps a stray disk image
// from being read into memory only to be refused by the decoder.
constexpr qint64 kMaxFileBytes = qint64(1) << 30;

QString milliseconds(double value) { return QString::number(value, 'f', 1); }

} // namespace

ClassifyCommand::ClassifyCommand()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString ClassifyCommand::summary()
{
    return QStringLiteral("classify image files or folders locally with a model (no server)");
}

int ClassifyCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Classifies leaf photos on this machine with a model folder, without "
                       "a server.\nFolders are expanded to the image files directly in them.\n"
                       "Exit status: 0 all classified, 1 some files failed, 2 the model "
                       "could not be loaded, 64 bad options."));
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
    parser.addPositionalArgument(name(), summary(), name());
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Image files or folders."),
        QStringLiteral("FILE|DIR..."));

    if (!parser.parse(arguments)) {
        m_err << "orchard-cli classify: " << parser.errorText() << "\n";
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_out << parser.helpText();
        return Success;
    }
    QStringList paths = parser.positionalArguments();
    paths.removeFirst(); // "classify" itself
    if (paths.isEmpty()) {
        m_err << "orchard-cli classify: no files or folders given (see --help)\n";
        return UsageError;
    }
    bool ok = false;
    const int topK = parser.value(topKOption).toInt(&ok);
    if (!ok || topK < 1) {
        m_err << "orchard-cli classify: --top-k needs a whole number of at least 1\n";
        return UsageError;
    }
    InferenceEngine::Options options;
    if (parser.isSet(maxPixelsOption)) {
        options.maxPixels = parser.value(maxPixelsOption).toLongLong(&ok);
        if (!ok || options.maxPixels < 1) {
            m_err << "orchard-cli classify: --max-pixels needs a whole number of at least 1\n";
            return UsageError;
        }
    }
    m_json = parser.isSet(jsonOption);

    const QString modelDirectory = parser.isSet(modelOption)
        ? parser.value(modelOption)
        : InferenceEngine::defaultModelDirectory();
    const auto engine = InferenceEngine::load(modelDirectory, options);
    if (!engine) {
        m_err << "orchard-cli classify: cannot load the model: " << engine.error().message << "\n";
        return ModelFailed;
    }
    const ModelManifest &manifest = (*engine)->manifest();

    QStringList emptyFolders;
    const QStringList files = expandPaths(paths, emptyFolders);
    m_fileWidth = QStringLiteral("FILE").size();
    for (const QString &file : files + emptyFolders)
        m_fileWidth = std::max<int>(m_fileWidth, file.size());
    m_labelWidth = QStringLiteral("LABEL").size();
    for (const QString &label : manifest.labels)
        m_labelWidth = std::max<int>(m_labelWidth, label.size());

    if (!m_json) {
        m_out << "model " << manifest.name << " " << manifest.version << " (" << manifest.directory
              << ")\n";
        m_out << QStringLiteral("FILE").leftJustified(m_fileWidth) << "  "
              << QStringLiteral("LABEL").leftJustified(m_labelWidth) << "  "
              << QStringLiteral("CONFIDENCE").rightJustified(10) << "  "
              << QStringLiteral("MS").rightJustified(8) << "\n";
    }

    int failures = 0;
    for (const QString &folder : std::as_const(emptyFolders)) {
        printError(folder, QStringLiteral("no image files in this folder"));
        ++failures;
    }
    for (const QString &file : files) {
        QFile input(file);
        if (QFileInfo(file).size() > kMaxFileBytes) {
            printError(file, QStringLiteral("the file is larger than 1 GiB"));
            ++failures;
            continue;
        }
        if (!input.open(QIODevice::ReadOnly)) {
            printError(file, QStringLiteral("cannot open the file: %1").arg(input.errorString()));
            ++failures;
            continue;
        }
        const auto prediction = (*engine)->predict(input.readAll(), topK);
        if (prediction)
            printResult(file, *prediction);
        else {
            printError(file, prediction.error().message);
            ++failures;
        }
    }
    if (!m_json) {
        m_out << "\n"
              << files.size() + emptyFolders.size() - failures << " of "
              << files.size() + emptyFolders.size() << " classified";
        if (failures > 0)
            m_out << ", " << failures << " failed";
        m_out << "\n";
    }
    m_out.flush();
    return failures > 0 ? SomeFilesFailed : Success;
}

QStringList ClassifyCommand::expandPaths(const QStringList &paths, QStringList &emptyFolders) const
{
    QStringList files;
    for (const QString &path : paths) {
        if (!QFileInfo(path).isDir()) {
            files.append(path); // missing or unreadable files get their error line later
            continue;
        }
        const QDir folder(path);
        bool found = false;
        const QStringList names = folder.entryList(QDir::Files, QDir::Name);
        for (const QString &name : names) {
            if (imageExtensions().contains(QFileInfo(name).suffix().toLower())) {
                files.append(folder.filePath(name));
                found = true;
            }
        }
        if (!found)
            emptyFolders.append(path);
    }
    return files;
}

void ClassifyCommand::printResult(const QString &file, const Prediction &prediction)
{
    if (m_json) {
        QJsonArray topK;
        for (const Prediction::Score &score : prediction.topK)
            topK.append(QJsonObject { { QStringLiteral("label"), score.label },
                { QStringLiteral("index"), score.index },
                { QStringLiteral("score"), score.score } });
        const QJsonObject timing {
            { QStringLiteral("decode"), prediction.decodeMs },
            { QStringLiteral("preprocess"), prediction.preprocessMs },
            { QStringLiteral("infer"), prediction.inferMs },
            { QStringLiteral("total"), prediction.totalMs() },
        };
        const QJsonObject line {
            { QStringLiteral("file"), file },
            { QStringLiteral("label"), prediction.label },
            { QStringLiteral("index"), prediction.index },
            { QStringLiteral("confidence"), prediction.confidence },
            { QStringLiteral("top_k"), topK },
            { QStringLiteral("timing_ms"), timing },
        };
        m_out << QJsonDocument(line).toJson(QJsonDocument::Compact) << "\n";
    } else {
        m_out << file.leftJustified(m_fileWidth) << "  "
              << prediction.label.leftJustified(m_labelWidth) << "  "
              << (QString::number(prediction.confidence * 100.0, 'f', 1) + QStringLiteral(" %"))
                     .rightJustified(10)
              << "  " << milliseconds(prediction.totalMs()).rightJustified(8) << "\n";
    }
    m_out.flush(); // one line per file as it happens, even when piped
}

void ClassifyCommand::printError(const QString &file, const QString &message)
{
    if (m_json) {
        const QJsonObject line { { QStringLiteral("file"), file },
            { QStringLiteral("error"), message } };
        m_out << QJsonDocument(line).toJson(QJsonDocument::Compact) << "\n";
    } else {
        m_out << file.leftJustified(m_fileWidth) << "  error: " << message << "\n";
    }
    m_out.flush();
}

} // namespace orchard
