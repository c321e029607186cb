#include "tests/support/testdata.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include "common/inference/inferenceengine.h"

namespace orchard::test {

QString labelSlug(const QString &label)
{
    static const QRegularExpression notAlphanumeric(QStringLiteral("[^a-z0-9]+"));
    QString slug = label.toLower().replace(notAlphanumeric, QStringLiteral("_"));
    while (slug.endsWith(QLatin1Char('_')))
        slug.chop(1);
    return slug;
}

std::shared_ptr<const InferenceEngine> defaultEngine()
{
    static const std::shared_ptr<const InferenceEngine> engine = [] {
        auto loaded = InferenceEngine::load(InferenceEngine::defaultModelDirectory());
        return loaded ? loaded.value() : nullptr;
    }();
    return engine;
}

QList<SampleImage> sampleImages()
{
    const auto engine = defaultEngine();
    QList<SampleImage> samples;
    if (!engine)
        return samples;
    const QDir directory(QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples"));
    for (const QString &name : directory.entryList({ QStringLiteral("*.png") }, QDir::Files, QDir::Name)) {
        SampleImage sample;
        sample.path = directory.filePath(name);
        sample.fileName = name;
        QFile file(sample.path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        sample.bytes = file.readAll();
        static const QRegularExpression numbered(QStringLiteral("^(.+)_[0-9]+\\.png$"));
        const QString slug = numbered.match(name).captured(1);
        for (const QString &label : engine->manifest().labels) {
            if (labelSlug(label) == slug)
                sample.expectedLabel = label;
        }
        samples.append(sample);
    }
    return samples;
}

} // namespace orchard::test
