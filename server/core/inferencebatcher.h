#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/inference/preparedimage.h"
#include "server/core/batchoutcome.h"

namespace orchard {

class ServedModel;
class ServerMetrics;

/**
 * The inference threads and, between them and the sessions, the queue of preprocessed
 * images waiting for a forward pass (docs/architecture.md, "Two pools").
 *
 * Sessions decode and preprocess on their own workers and submit(); each of `threads`
 * inference threads takes the oldest waiting image and, with it, up to maxBatch − 1 more
 * waiting for the same model version, runs one forward pass over them all and fulfils
 * each image's future with its row. Like Triton's dynamic batcher with
 * max_queue_delay_microseconds 0, by default it takes what is waiting and never waits when
 * nothing else is, so a lone client pays nothing; with a delay it waits at most that long
 * after the oldest image for a batch to fill.
 *
 * Only these threads run forward passes, so however many sessions are served at once the
 * cores see at most `threads` passes (with --threads 16 on 2 cores as with 2). Batches
 * group by ServedModel, one version of one model, so a reload never mixes versions in a
 * pass and each pass has one input shape. A version's per-model max_batch_size
 * (config.json) overrides maxBatch.
 *
 * The queue is bounded by its users: a session has at most Session::kReadAhead images in
 * flight, so it never holds more than workers × kReadAhead. stop() drains it: every
 * submitted image gets its answer, then the threads end.
 */
class InferenceBatcher
{
public:
    struct Options
    {
        int threads = 1;
        int maxBatch = 8;
        std::chrono::microseconds maxDelay { 0 };
    };

    /** metrics: where forward passes and batch sizes are counted (may be null). */
    InferenceBatcher(Options options, ServerMetrics *metrics);
    ~InferenceBatcher();
    InferenceBatcher(const InferenceBatcher &) = delete;
    InferenceBatcher &operator=(const InferenceBatcher &) = delete;

    /** Any thread. After stop() the future is answered at once with an Internal error. */
    std::future<BatchOutcome> submit(std::shared_ptr<const ServedModel> model, PreparedImage image);

    /** Answers every image already submitted, then ends the threads. Idempotent. */
    void stop();

    const Options &options() const { return m_options; }
    /** The batch size used for model: its config.json's max_batch_size or maxBatch. */
    int maxBatchFor(const ServedModel &model) const;

    /** Images waiting now, for the monitor. */
    int queued() const;
    /** The most forward passes that ever ran at the same time (at most threads). */
    int peakConcurrentPasses() const { return m_peakRunning.load(std::memory_order_relaxed); }
    std::uint64_t passes() const { return m_passes.load(std::memory_order_relaxed); }
    std::uint64_t images() const { return m_images.load(std::memory_order_relaxed); }
    /** Total milliseconds images spent in the queue (÷ images(): the mean). */
    double queueMilliseconds() const { return m_queueMicroseconds.load(std::memory_order_relaxed) / 1000.0; }

private:
    using Clock = std::chrono::steady_clock;

    struct Job
    {
        std::shared_ptr<const ServedModel> model;
        PreparedImage image;
        Clock::time_point queued;
        std::promise<BatchOutcome> promise;
    };

    void runThread();
    /** Takes the next batch off the queue, waiting as the options say; empty at the end. */
    std::vector<Job> takeBatch();
    void runBatch(std::vector<Job> &batch);
    /** A pipeline's image: its detector, crops and classifier pass, on this thread. */
    void runPipeline(Job &job, Clock::time_point started);

    Options m_options;
    ServerMetrics *m_metrics;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Job> m_queue; ///< guarded by m_mutex, oldest first
    bool m_stopping = false; ///< guarded by m_mutex
    std::vector<std::thread> m_threads;
    std::atomic<int> m_running { 0 };
    std::atomic<int> m_peakRunning { 0 };
    std::atomic<std::uint64_t> m_passes { 0 };
    std::atomic<std::uint64_t> m_images { 0 };
    std::atomic<std::uint64_t> m_queueMicroseconds { 0 };
};

} // namespace orchard
