#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include <QDir>
#include <QFileInfo>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "common/inference/inferenceengine.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

std::shared_ptr<const InferenceEngine> defaultEngine(const InferenceEngine::Options &options = {})
{
    const auto engine = InferenceEngine::load(testimages::defaultModelDirectory(), options);
    INFO((engine.ok() ? QString() : engine.error().message).toStdString());
    REQUIRE(engine.ok());
    return *engine;
}

struct Answer
{
    int index = -1;
    double confidence = 0.0;

    bool operator==(const Answer &other) const
    {
        return index == other.index && confidence == other.confidence;
    }
};

} // namespace

TEST_CASE("The default model is found without arguments and loads")
{
    const QString directory = InferenceEngine::defaultModelDirectory();
    // The test binary is not installed, so the source tree's copy is the one found.
    CHECK(QFileInfo(directory).canonicalFilePath()
        == QFileInfo(testimages::defaultModelDirectory()).canonicalFilePath());

    const auto engine = defaultEngine();
    CHECK(engine->manifest().name == "fashion-mnist");
    CHECK(engine->manifest().labels.size() == 10);
    CHECK(engine->options().maxPixels == 40'000'000);
    CHECK(InferenceEngine::intraOpThreads() == 1); // load() applies the default once
    CHECK_FALSE(InferenceEngine::configureThreads(4)); // too late: already configured
    CHECK(InferenceEngine::intraOpThreads() == 1);
}

TEST_CASE("A prediction has softmax scores and a sorted top-k and stage timings")
{
    const auto engine = defaultEngine();
    const QStringList samples = testimages::samplePaths();
    REQUIRE(samples.size() >= 10);
    const QByteArray png = testimages::readFile(samples.first());

    const auto all = engine->predict(png, 10);
    REQUIRE(all.ok());
    REQUIRE(all->topK.size() == 10);
    double sum = 0.0;
    for (int i = 0; i < all->topK.size(); ++i) {
        sum += all->topK.at(i).score;
        if (i > 0)
            CHECK(all->topK.at(i - 1).score >= all->topK.at(i).score);
        CHECK(all->topK.at(i).label == engine->manifest().labels.at(all->topK.at(i).index));
    }
    CHECK(sum == Approx(1.0).epsilon(1e-5));
    CHECK(all->label == all->topK.first().label);
    CHECK(all->index == all->topK.first().index);
    CHECK(all->confidence == all->topK.first().score);
    CHECK(all->imageWidth == 28);
    CHECK(all->imageHeight == 28);
    CHECK(all->decodeReduction == 1);
    CHECK(all->decodeMs >= 0.0);
    CHECK(all->preprocessMs >= 0.0);
    CHECK(all->inferMs > 0.0);
    CHECK(all->totalMs() == Approx(all->decodeMs + all->preprocessMs + all->inferMs));

    CHECK(engine->predict(png, 0)->topK.size() == 1); // k is clamped to 1..labels
    CHECK(engine->predict(png, 99)->topK.size() == 10);
    CHECK(engine->predict(png, 3)->topK.size() == 3);
    CHECK(engine->predict(png, 3)->index == all->index);
}

TEST_CASE("A large JPEG goes through the reduced decode and still gets an answer")
{
    const auto engine = defaultEngine();
    const QByteArray jpeg = testimages::encode(testimages::photoLike(2048, 1365), "jpg");
    const auto prediction = engine->predict(jpeg);
    REQUIRE(prediction.ok());
    CHECK(prediction->decodeReduction == 8);
    CHECK(prediction->sourceWidth == 2048);
    CHECK(prediction->sourceHeight == 1365);
    CHECK(prediction->imageWidth == 256);
    CHECK(prediction->imageHeight == 171);
}

TEST_CASE("Bad images become BadImage errors and the pixel limit is the engine's option")
{
    const auto engine = defaultEngine();
    const auto text = engine->predict("definitely not an image");
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().kind == InferenceError::Kind::BadImage);

    const QByteArray png = testimages::readFile(testimages::samplePaths().first());
    const auto cut = engine->predict(png.left(png.size() - 20));
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.error().kind == InferenceError::Kind::BadImage);

    InferenceEngine::Options options;
    options.maxPixels = 500;
    const auto strict = defaultEngine(options);
    const auto refused = strict->predict(png);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == InferenceError::Kind::BadImage);
    CHECK(refused.error().message == "the image is 28 × 28 pixels, more than the 500 pixel limit");
}

TEST_CASE("Eight threads sharing one engine give exactly the answers of one thread")
{
    const auto engine = defaultEngine();
    std::vector<QByteArray> images;
    for (const QString &path : testimages::samplePaths())
        images.push_back(testimages::readFile(path));
    // A photo and a colour JPEG too, so the threads do not all run the same small path.
    images.push_back(testimages::encode(testimages::photoLike(640, 480), "jpg"));
    images.push_back(testimages::encode(testimages::photoLike(300, 200, 9), "png"));
    REQUIRE(images.size() >= 12);

    std::vector<Answer> reference;
    for (const QByteArray &image : images) {
        const auto prediction = engine->predict(image);
        REQUIRE(prediction.ok());
        reference.push_back({ prediction->index, prediction->confidence });
    }

    constexpr int kThreads = 8;
    constexpr int kPredictionsPerThread = 200;
    std::atomic<int> mismatches { 0 };
    std::atomic<int> failures { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPredictionsPerThread; ++i) {
                const std::size_t which = std::size_t(t * 7 + i) % images.size();
                const auto prediction = engine->predict(images[which]);
                if (!prediction.ok())
                    ++failures;
                else if (!(Answer { prediction->index, prediction->confidence }
                             == reference[which]))
                    ++mismatches;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    CHECK(failures == 0);
    CHECK(mismatches == 0);
}
