#include "client/bench/enginebench.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "client/bench/processcpu.h"
#include "common/inference/inferenceengine.h"
#include "common/inference/protocolmapping.h"

namespace orchard {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWarmupPerThread = 3;

double millisecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

/** Holds every thread until all are warm, then lets them go at once, so the wall clock measures only the work. */
class StartingGate
{
public:
    explicit StartingGate(int threads) : m_threads(threads) { }

    /** A thread is warm: waits here until the gate opens. */
    void arriveAndWait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        ++m_arrived;
        m_allArrived.notify_one();
        m_opened.wait(lock, [this] { return m_open; });
    }

    void waitForAll()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_allArrived.wait(lock, [this] { return m_arrived == m_threads; });
    }

    /** What was written before this is seen by every thread once it passes the gate. */
    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_open = true;
        }
        m_opened.notify_all();
    }

private:
    const int m_threads;
    std::mutex m_mutex;
    std::condition_variable m_allArrived;
    std::condition_variable m_opened;
    int m_arrived = 0;
    bool m_open = false;
};

/** What the threads of one engine level share. */
struct EngineLevel
{
    const InferenceEngine &engine;
    const EngineLevelOptions &options;
    StartingGate gate;
    Clock::time_point start; ///< written before the gate opens
};

/** Thread t of a level: warms up, waits at the gate, then predicts back to back until its share is done. */
void runEngineThread(EngineLevel &level, int t, BenchRecorder &recorder, Clock::time_point &finishedAt)
{
    const EngineLevelOptions &options = level.options;
    // A thread's first predictions pay LibTorch's and oneDNN's per-thread set-up (up to
    // ~100 ms); a server's workers have long paid it when a farmer comes, so the ceiling
    // is measured warm too.
    for (int j = 0; j < kWarmupPerThread; ++j)
        level.engine.predict(options.images.at((t + j) % options.images.size()).bytes, options.topK);
    level.gate.arriveAndWait();
    const auto duration = std::chrono::duration<double>(options.durationSeconds);
    for (int j = 0;; ++j) {
        if (options.requestsPerThread > 0 ? j >= options.requestsPerThread : Clock::now() - level.start >= duration)
            break;
        const BenchImage &image = options.images.at((t + j) % options.images.size());
        const Clock::time_point before = Clock::now();
        const auto prediction = level.engine.predict(image.bytes, options.topK);
        const Clock::time_point after = Clock::now();
        if (prediction)
            recorder.recordAnswer(millisecondsBetween(before, after));
        else
            recorder.recordError(errorCodeName(errorCodeFor(prediction.error())));
    }
    finishedAt = Clock::now();
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

    EngineLevel level { engine, options, StartingGate(options.threads), {} };
    std::vector<BenchRecorder> recorders(options.threads);
    std::vector<Clock::time_point> finishedAt(options.threads);
    std::vector<std::thread> threads;
    threads.reserve(options.threads);
    for (int t = 0; t < options.threads; ++t)
        threads.emplace_back([&, t] { runEngineThread(level, t, recorders[t], finishedAt[t]); });
    level.gate.waitForAll();
    const double cpuBefore = processCpuMilliseconds();
    level.start = Clock::now();
    level.gate.open();
    for (std::thread &thread : threads)
        thread.join();

    BenchRecorder total;
    Clock::time_point last = level.start;
    for (int t = 0; t < options.threads; ++t) {
        total.merge(recorders[t]);
        last = std::max(last, finishedAt[t]);
    }
    total.summarise(millisecondsBetween(level.start, last) / 1000.0, result);
    result.processCpuMs = processCpuMilliseconds() - cpuBefore;
    return result;
}

} // namespace orchard
