#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

namespace orchard {
class InferenceEngine;
}

namespace orchard::test {

/** A sample image from resources/samples and the label its file name says it shows. */
struct SampleImage
{
    QString path;
    QString fileName;
    QByteArray bytes;
    QString expectedLabel;
};

/** resources/samples/<label slug>_<n>.png, with labels from the default model's manifest. */
QList<SampleImage> sampleImages();

/** "T-shirt/top" → "t_shirt_top": how sample files are named after labels. */
QString labelSlug(const QString &label);

/** The default model, loaded once per test executable and shared (it is thread-safe). */
std::shared_ptr<const InferenceEngine> defaultEngine();

} // namespace orchard::test
