#include <catch2/catch.hpp>

#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include <QByteArray>
#include <QFileInfo>
#include <QtEndian>

#include <opencv2/core.hpp>
#include <zlib.h>

#include "common/inference/inferenceengine.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

const QString kDataset = QStringLiteral("/usr/share/datasets/fashion-mnist");

/** A whole gzip'd IDX file (Debian's dataset-fashion-mnist ships them this way). */
QByteArray readGzip(const QString &path)
{
    QByteArray data;
    gzFile file = gzopen(QFileInfo(path).absoluteFilePath().toLocal8Bit().constData(), "rb");
    if (!file)
        return data;
    char buffer[1 << 16];
    int read = 0;
    while ((read = gzread(file, buffer, sizeof buffer)) > 0)
        data.append(buffer, read);
    gzclose(file);
    return data;
}

} // namespace

TEST_CASE(
    "The default model scores at least 90 percent top-1 on Fashion-MNIST through the server path")
{
    const QByteArray images = readGzip(kDataset + "/t10k-images-idx3-ubyte.gz");
    const QByteArray labels = readGzip(kDataset + "/t10k-labels-idx1-ubyte.gz");
    REQUIRE(images.size() == 16 + 10000 * 28 * 28);
    REQUIRE(labels.size() == 8 + 10000);
    REQUIRE(qFromBigEndian<quint32>(images.constData()) == 0x803); // unsigned bytes, 3 dims
    REQUIRE(qFromBigEndian<quint32>(labels.constData()) == 0x801);
    const int count = int(qFromBigEndian<quint32>(images.constData() + 4));
    REQUIRE(count == 10000);

    const auto loaded = InferenceEngine::load(testimages::defaultModelDirectory());
    INFO((loaded.ok() ? QString() : loaded.error().message).toStdString());
    REQUIRE(loaded.ok());
    const std::shared_ptr<const InferenceEngine> engine = *loaded;

    // Each image takes the exact server path: PNG bytes → decode → preprocess → forward.
    std::atomic<int> correct { 0 };
    std::atomic<int> failed { 0 };
    const unsigned workers = std::max(2u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            for (int i = int(w); i < count; i += int(workers)) {
                const cv::Mat image(
                    28, 28, CV_8UC1, const_cast<char *>(images.constData() + 16 + i * 28 * 28));
                const auto prediction = engine->predict(testimages::encode(image, "png"), 1);
                if (!prediction.ok())
                    ++failed;
                else if (prediction->index == int(quint8(labels.at(8 + i))))
                    ++correct;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();

    const double accuracy = double(correct) / count;
    std::cout << "Fashion-MNIST test set through the engine: top-1 " << accuracy << " (" << correct
              << " of " << count << ")" << std::endl;
    WARN("measured top-1 accuracy: " << accuracy);
    CHECK(failed == 0);
    CHECK(accuracy >= 0.90);
    // train.py measured the same file on the same images with the same preprocessing;
    // a gap would mean the two sides of the contract have drifted apart.
    const auto &metrics = engine->manifest().metrics;
    REQUIRE(metrics.has_value());
    REQUIRE(metrics->top1.has_value());
    CHECK(accuracy == Approx(*metrics->top1).margin(0.002));
}
