#include "server/core/metricspage.h"

#include <algorithm>

#include "common/imaging/modelmanifest.h"
#include "common/inference/inferenceengine.h"
#include "server/core/inferencebatcher.h"
#include "server/core/modelstore.h"
#include "server/core/orchardserver.h"
#include "server/core/processmetrics.h"
#include "server/core/prometheustext.h"
#include "server/core/servermetrics.h"

namespace orchard {

namespace {

void writeServerGauges(PrometheusText &page, const OrchardServer &server)
{
    page.family("orchard_workers", "gauge", QStringLiteral("Workers: sessions served at once (--threads)."));
    page.sample("orchard_workers", server.workerCount());
    page.family("orchard_sessions_active", "gauge", QStringLiteral("Sessions holding a worker now."));
    page.sample("orchard_sessions_active", server.activeSessionCount());
    page.family("orchard_sessions_waiting", "gauge",
                QStringLiteral("Connections waiting in line for a worker now."));
    page.sample("orchard_sessions_waiting", server.waitingCount());
    page.family("orchard_max_queued", "gauge",
                QStringLiteral("Connections that may wait (--max-queued); past it a new one gets BUSY."));
    page.sample("orchard_max_queued", server.config().maxQueued);
}

void writeCounters(PrometheusText &page, const OrchardServer &server)
{
    const ServerMetrics &metrics = server.metrics();
    page.family("orchard_requests_total", "counter",
                QStringLiteral("Requests a session answered: code OK for a prediction, else the code of the "
                               "SERVER_ERROR sent (orchard_model_requests_total: by model)."));
    page.sample("orchard_requests_total", static_cast<double>(metrics.predictions()),
                { { "code", QStringLiteral("OK") } });
    for (int index = 0; index < ServerMetrics::kErrorCodeCount; ++index) {
        const auto code = static_cast<ErrorCode>(index);
        // BUSY is the server's answer to a connection, never a session's to a request:
        // it is orchard_connections_total{outcome="busy"}.
        if (code == ErrorCode::Busy)
            continue;
        page.sample("orchard_requests_total", static_cast<double>(metrics.errors(code)),
                    { { "code", errorCodeName(code) } });
    }
    page.family("orchard_connections_total", "counter", QStringLiteral("Connections that ended, by how they ended."));
    for (int index = 0; index < ServerMetrics::kOutcomeCount; ++index) {
        const auto outcome = static_cast<ConnectionOutcome>(index);
        page.sample("orchard_connections_total", static_cast<double>(metrics.connections(outcome)),
                    { { "outcome", ServerMetrics::outcomeName(outcome) } });
    }
}

void writeHistograms(PrometheusText &page, const ServerMetrics &metrics)
{
    page.histogram("orchard_request_duration_seconds",
                   QStringLiteral("Image requests, from their last byte to their reply (prediction or error): "
                                  "the reply's timing_ms.total."),
                   metrics.requestDuration().snapshot());
    page.histogram("orchard_inference_duration_seconds",
                   QStringLiteral("The model's forward pass of each prediction answered: the reply's timing_ms.infer."),
                   metrics.inferenceDuration().snapshot());
    page.histogram("orchard_queue_wait_seconds",
                   QStringLiteral("Connections a worker took: time from being accepted to the worker."),
                   metrics.queueWait().snapshot());
    page.histogram("orchard_inference_batch_size",
                   QStringLiteral("Images per forward pass (the batcher's batches; le and sum are in images)."),
                   metrics.batchSize().snapshot());
    page.histogram("orchard_inference_queue_seconds",
                   QStringLiteral("Images preprocessed and waiting for their forward pass: the reply's timing_ms.queue."),
                   metrics.batchQueue().snapshot());
}

void writeForwardPasses(PrometheusText &page, const OrchardServer &server)
{
    page.family("orchard_inference_threads", "gauge",
                QStringLiteral("Threads that run forward passes (--inference-threads)."));
    page.sample("orchard_inference_threads", server.batcher().options().threads);
    page.family("orchard_inference_queued", "gauge",
                QStringLiteral("Images preprocessed and waiting for a forward pass now."));
    page.sample("orchard_inference_queued", server.batcher().queued());
    page.family("orchard_inference_exec_total", "counter",
                QStringLiteral("Forward passes by model; orchard_model_requests_total over this is the mean batch."));
    const QMap<QString, std::uint64_t> passes = server.metrics().forwardPasses();
    for (auto pass = passes.cbegin(); pass != passes.cend(); ++pass)
        page.sample("orchard_inference_exec_total", static_cast<double>(pass.value()), { { "model", pass.key() } });
}

void writeInfo(PrometheusText &page, const OrchardServer &server)
{
    page.family("orchard_build_info", "gauge", QStringLiteral("Always 1: the orchard-server version."));
    page.sample("orchard_build_info", 1, { { "version", server.version() } });
}

void writeModels(PrometheusText &page, const ModelStore &store)
{
    const std::shared_ptr<const ModelCatalog> catalog = store.catalog();
    const QList<std::shared_ptr<const ServedModel>> served = catalog->all();
    page.family("orchard_model_info", "gauge",
                QStringLiteral("Always 1: a model version served now; manifest_version is its model.json's."));
    for (const auto &model : served) {
        page.sample("orchard_model_info", 1,
                    { { "name", model->name() },
                      { "version", QString::number(model->version()) },
                      { "manifest_version", model->engine().manifest().version },
                      { "default", model->name() == catalog->defaultName() ? QStringLiteral("true")
                                                                           : QStringLiteral("false") } });
    }
    page.family("orchard_model_requests_total", "counter",
                QStringLiteral("Predictions a model version answered since it was loaded."));
    for (const auto &model : served) {
        page.sample("orchard_model_requests_total", static_cast<double>(model->requests()),
                    { { "model", model->name() }, { "version", QString::number(model->version()) } });
    }
    page.family("orchard_model_loads_total", "counter",
                QStringLiteral("Model version loads (start-up and reloads), by result: success or failure."));
    const auto loads = store.loadCounts();
    QList<QPair<QString, QString>> keys = loads.keys();
    std::sort(keys.begin(), keys.end());
    for (const auto &key : std::as_const(keys))
        page.sample("orchard_model_loads_total", static_cast<double>(loads.value(key)),
                    { { "model", key.first }, { "result", key.second } });
}

void writeProcess(PrometheusText &page)
{
    const ProcessMetrics process = ProcessMetrics::readSelf();
    const auto gauge = [&page](const char *name, const char *type, const char *help, double value) {
        if (value < 0)
            return; // not readable here
        page.family(name, type, QString::fromLatin1(help));
        page.sample(name, value);
    };
    gauge("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
          process.cpuSeconds);
    gauge("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
          static_cast<double>(process.residentBytes));
    gauge("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
          static_cast<double>(process.virtualBytes));
    gauge("process_open_fds", "gauge", "Number of open file descriptors.", static_cast<double>(process.openDescriptors));
    gauge("process_max_fds", "gauge", "Maximum number of open file descriptors.",
          static_cast<double>(process.maxDescriptors));
    gauge("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
          process.startTimeSeconds);
}

} // namespace

QByteArray metricsPage(const OrchardServer &server)
{
    PrometheusText page;
    writeInfo(page, server);
    writeModels(page, server.models());
    writeServerGauges(page, server);
    writeCounters(page, server);
    writeHistograms(page, server.metrics());
    writeForwardPasses(page, server);
    writeProcess(page);
    return page.text();
}

} // namespace orchard
