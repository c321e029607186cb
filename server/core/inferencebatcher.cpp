#include "server/core/inferencebatcher.h"

#include <algorithm>

#include <pthread.h>

#include "common/inference/inferenceengine.h"
#include "server/core/servedmodel.h"
#include "server/core/servermetrics.h"

namespace orchard {

namespace {

double millisecondsBetween(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

} // namespace

InferenceBatcher::InferenceBatcher(Options options, ServerMetrics *metrics)
    : m_options(options)
    , m_metrics(metrics)
{
    m_options.threads = std::max(1, m_options.threads);
    m_options.maxBatch = std::max(1, m_options.maxBatch);
    m_threads.reserve(std::size_t(m_options.threads));
    for (int i = 0; i < m_options.threads; ++i) {
        m_threads.emplace_back([this] { runThread(); });
        // Named for top -H, perf and gdb: "orchard-infer" next to the pool's "Thread (pooled)".
        pthread_setname_np(m_threads.back().native_handle(), "orchard-infer");
    }
}

InferenceBatcher::~InferenceBatcher()
{
    stop();
}

std::future<BatchOutcome> InferenceBatcher::submit(std::shared_ptr<const ServedModel> model, PreparedImage image)
{
    Job job { std::move(model), std::move(image), Clock::now(), {} };
    std::future<BatchOutcome> answer = job.promise.get_future();
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(std::move(job));
            m_changed.notify_one();
            return answer;
        }
    }
    BatchOutcome outcome;
    outcome.probabilities = InferenceError::internal(QStringLiteral("the server is stopping"));
    job.promise.set_value(std::move(outcome));
    return answer;
}

void InferenceBatcher::stop()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    for (std::thread &thread : m_threads) {
        if (thread.joinable())
            thread.join();
    }
}

int InferenceBatcher::maxBatchFor(const ServedModel &model) const
{
    // A pipeline's image is its own batch: its crops are the classifier's batch.
    if (model.pipeline())
        return 1;
    return model.maxBatchSize() > 0 ? model.maxBatchSize() : m_options.maxBatch;
}

int InferenceBatcher::queued() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_queue.size());
}

void InferenceBatcher::runThread()
{
    for (;;) {
        std::vector<Job> batch = takeBatch();
        if (batch.empty())
            return;
        runBatch(batch);
    }
}

std::vector<InferenceBatcher::Job> InferenceBatcher::takeBatch()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        if (m_queue.empty()) {
            if (m_stopping)
                return {};
            m_changed.wait(lock);
            continue;
        }
        const ServedModel *model = m_queue.front().model.get();
        const int limit = maxBatchFor(*model);
        const auto sameModel = [model](const Job &job) { return job.model.get() == model; };
        const auto waiting = std::count_if(m_queue.begin(), m_queue.end(), sameModel);
        // Wait for more only when asked to, never past the oldest image's deadline, and not
        // while stopping: a drain answers what is there.
        const Clock::time_point deadline = m_queue.front().queued + m_options.maxDelay;
        if (waiting < limit && m_options.maxDelay.count() > 0 && !m_stopping && Clock::now() < deadline) {
            m_changed.wait_until(lock, deadline);
            continue; // another thread may have taken them meanwhile: look again
        }
        std::vector<Job> batch;
        batch.reserve(std::size_t(std::min<std::ptrdiff_t>(waiting, limit)));
        for (auto job = m_queue.begin(); job != m_queue.end() && int(batch.size()) < limit;) {
            if (sameModel(*job)) {
                batch.push_back(std::move(*job));
                job = m_queue.erase(job);
            } else {
                ++job;
            }
        }
        // Another thread may take what is left for another model at once.
        if (!m_queue.empty())
            m_changed.notify_one();
        return batch;
    }
}

void InferenceBatcher::runBatch(std::vector<Job> &batch)
{
    const Clock::time_point started = Clock::now();
    const int running = m_running.fetch_add(1, std::memory_order_relaxed) + 1;
    int peak = m_peakRunning.load(std::memory_order_relaxed);
    while (running > peak && !m_peakRunning.compare_exchange_weak(peak, running, std::memory_order_relaxed)) { }

    const ServedModel &model = *batch.front().model;
    if (model.pipeline()) {
        runPipeline(batch.front(), started);
        m_running.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    std::vector<const PreparedImage *> inputs;
    inputs.reserve(batch.size());
    for (const Job &job : batch)
        inputs.push_back(&job.image);
    InferenceResult<std::vector<std::vector<float>>> rows = model.engine().classify(inputs);
    const Clock::time_point finished = Clock::now();
    m_running.fetch_sub(1, std::memory_order_relaxed);

    const int size = int(batch.size());
    m_passes.fetch_add(1, std::memory_order_relaxed);
    m_images.fetch_add(std::uint64_t(size), std::memory_order_relaxed);
    if (m_metrics)
        m_metrics->countForwardPass(model.name(), size);
    const double inferMs = millisecondsBetween(started, finished);
    for (int i = 0; i < size; ++i) {
        Job &job = batch[std::size_t(i)];
        BatchOutcome outcome;
        outcome.queueMs = millisecondsBetween(job.queued, started);
        m_queueMicroseconds.fetch_add(std::uint64_t(std::max(0.0, outcome.queueMs) * 1000.0),
                                      std::memory_order_relaxed);
        outcome.inferMs = inferMs;
        outcome.batchSize = size;
        if (rows) {
            outcome.probabilities = std::move((*rows)[std::size_t(i)]);
        } else if (size > 1) {
            // The engine's failure is about the pass, not an image (bad images never get
            // here: they fail to decode). Alone, each image learns whether it was the cause.
            const Clock::time_point alone = Clock::now();
            InferenceResult<std::vector<std::vector<float>>> single = model.engine().classify({ &job.image });
            outcome.inferMs = millisecondsBetween(alone, Clock::now());
            outcome.batchSize = 1;
            if (single)
                outcome.probabilities = std::move(single->front());
            else
                outcome.probabilities = single.error();
        } else {
            outcome.probabilities = rows.error();
        }
        job.promise.set_value(std::move(outcome));
    }
}

void InferenceBatcher::runPipeline(Job &job, Clock::time_point started)
{
    const ServedModel &model = *job.model;
    BatchOutcome outcome;
    outcome.pipelineRun = model.pipeline()->run(job.image);
    outcome.queueMs = millisecondsBetween(job.queued, started);
    outcome.inferMs = millisecondsBetween(started, Clock::now());
    outcome.batchSize = 1;
    m_passes.fetch_add(1, std::memory_order_relaxed);
    m_images.fetch_add(1, std::memory_order_relaxed);
    m_queueMicroseconds.fetch_add(std::uint64_t(std::max(0.0, outcome.queueMs) * 1000.0), std::memory_order_relaxed);
    if (m_metrics)
        m_metrics->countForwardPass(model.name(), 1);
    job.promise.set_value(std::move(outcome));
}

} // namespace orchard
