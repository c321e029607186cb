#include "enginebench.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "inferenceengine.h"
#include "inferenceerror.h"
#include "processcpu.h"

namespace orchard {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWarmupPerThread = 3;

double millisecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

QString codeOf(const InferenceError &error)
{
    return error.kind == InferenceError::Kind::BadImage ? QStringLiteral("BAD_IMAGE") : QStringLiteral("INTERNAL");
}

} // namespace

BenchLevelResult runEngineLevel(const InferenceEngine &engine, const EngineLevelOptions &options)
{
    BenchLevelResult result;
    result.target = QStringLiteral("engine");
    result.clients = options.threads;
    result.requested = options.requestsPerThread > 0 ? options.threads * options.requestsPerThread : 0;
    if (options.images.isEmpty() || options.threads < 1)
        return result;

    std::vector<BenchRecorder> recorders(options.threads);
    std::vector<Clock::time_point> finishedAt(options.threads);
    // Every thread starts on the same signal, so the wall clock measures only the work.
    std::mutex mutex;
    std::condition_variable startSignal;
    std::condition_variable readySignal;
    int ready = 0;
    bool started = false;
    Clock::time_point start;
    const auto duration = std::chrono::duration<double>(options.durationSeconds);

    std::vector<std::thread> threads;
    threads.reserve(options.threads);
    for (int t = 0; t < options.threads; ++t) {
        threads.emplace_back([&, t] {
            // A thread's first predictions pay LibTorch's and oneDNN's per-thread set-up
            // (up to ~100 ms); a server's workers have long paid it when a farmer comes, so
            // the ceiling is measured warm too.
            for (int j = 0; j < kWarmupPerThread; ++j)
                engine.predict(options.images.at((t + j) % options.images.size()).bytes, options.topK);
            {
                std::unique_lock<std::mutex> lock(mutex);
                ++ready;
                readySignal.notify_one();
                startSignal.wait(lock, [&] { return started; });
            }
            BenchRecorder &recorder = recorders[t];
            for (int j = 0;; ++j) {
                if (options.requestsPerThread > 0 ? j >= options.requestsPerThread : Clock::now() - start >= duration)
                    break;
                const BenchImage &image = options.images.at((t + j) % options.images.size());
                const Clock::time_point before = Clock::now();
                const auto prediction = engine.predict(image.bytes, options.topK);
                const Clock::time_point after = Clock::now();
                if (prediction)
                    recorder.recordAnswer(millisecondsBetween(before, after));
                else
                    recorder.recordError(codeOf(prediction.error()));
            }
            finishedAt[t] = Clock::now();
        });
    }
    double cpuBefore = 0.0;
    {
        std::unique_lock<std::mutex> lock(mutex);
        readySignal.wait(lock, [&] { return ready == options.threads; });
        cpuBefore = processCpuMilliseconds();
        start = Clock::now();
        started = true;
    }
    startSignal.notify_all();
    for (std::thread &thread : threads)
        thread.join();

    BenchRecorder total;
    Clock::time_point last = start;
    for (int t = 0; t < options.threads; ++t) {
        total.merge(recorders[t]);
        last = std::max(last, finishedAt[t]);
    }
    total.summarise(millisecondsBetween(start, last) / 1000.0, result);
    result.processCpuMs = processCpuMilliseconds() - cpuBefore;
    return result;
}

} // namespace orchard
