// The metric types behind /metrics, without a server: histogram buckets under concurrent
// workers, the text format's escaping, /proc/self, and the --http-* options.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include <unistd.h>

#include <QDateTime>

#include "server/core/histogram.h"
#include "server/core/processmetrics.h"
#include "server/core/prometheustext.h"
#include "server/core/servercommandline.h"
#include "server/core/servermetrics.h"

using namespace orchard;

TEST_CASE("A histogram puts each duration in the first bucket at or above it")
{
    Histogram histogram({ 0.001, 0.01, 0.1 });
    histogram.observe(0.0005);
    histogram.observe(0.001); // on the bound: in it (le is "less or equal")
    histogram.observe(0.05);
    histogram.observe(3.0);   // past every bound: +Inf only
    histogram.observe(-1.0);  // a clock that went back counts as 0
    const Histogram::Snapshot snapshot = histogram.snapshot();
    REQUIRE(snapshot.cumulativeCounts.size() == 4);
    CHECK(snapshot.cumulativeCounts[0] == 3);
    CHECK(snapshot.cumulativeCounts[1] == 3);
    CHECK(snapshot.cumulativeCounts[2] == 4);
    CHECK(snapshot.cumulativeCounts[3] == 5);
    CHECK(snapshot.count() == 5);
    CHECK(snapshot.sumSeconds == Approx(3.0515));
}

TEST_CASE("A histogram loses no observation from four threads at once")
{
    Histogram histogram(Histogram::latencyBuckets());
    constexpr int kPerThread = 100000;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&histogram, t] {
            for (int i = 0; i < kPerThread; ++i)
                histogram.observe(0.0001 * (t + 1)); // 0.1 to 0.4 ms
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    const Histogram::Snapshot snapshot = histogram.snapshot();
    CHECK(snapshot.count() == 4 * kPerThread);
    CHECK(snapshot.cumulativeCounts[0] == 2 * kPerThread); // 0.1 and 0.2 ms are <= 0.2 ms
    CHECK(snapshot.cumulativeCounts[1] == 4 * kPerThread);
    CHECK(snapshot.sumSeconds == Approx(kPerThread * (0.0001 + 0.0002 + 0.0003 + 0.0004)));
}

TEST_CASE("The latency buckets run from 0.2 ms to 10 s, the wait buckets on to 10 minutes")
{
    const std::vector<double> latency = Histogram::latencyBuckets();
    CHECK(latency.front() == 0.0002);
    CHECK(latency.back() == 10);
    CHECK(std::is_sorted(latency.begin(), latency.end()));
    const std::vector<double> wait = Histogram::waitBuckets();
    CHECK(wait.back() == 600);
    CHECK(std::is_sorted(wait.begin(), wait.end()));
}

TEST_CASE("The text format writes HELP, TYPE, escaped labels and whole histograms")
{
    PrometheusText page;
    page.family("orchard_model_info", "gauge", QStringLiteral("The model.\nSecond line \\ here."));
    page.sample("orchard_model_info", 1, { { "name", QStringLiteral("a \"quoted\"\\name\nwith a newline") } });
    Histogram histogram({ 0.0002, 1 });
    histogram.observe(0.5);
    page.histogram("orchard_x_seconds", QStringLiteral("X."), histogram.snapshot());
    CHECK(page.text()
          == "# HELP orchard_model_info The model.\\nSecond line \\\\ here.\n"
             "# TYPE orchard_model_info gauge\n"
             "orchard_model_info{name=\"a \\\"quoted\\\"\\\\name\\nwith a newline\"} 1\n"
             "# HELP orchard_x_seconds X.\n"
             "# TYPE orchard_x_seconds histogram\n"
             "orchard_x_seconds_bucket{le=\"0.0002\"} 0\n"
             "orchard_x_seconds_bucket{le=\"1\"} 1\n"
             "orchard_x_seconds_bucket{le=\"+Inf\"} 1\n"
             "orchard_x_seconds_sum 0.5\n"
             "orchard_x_seconds_count 1\n");
}

TEST_CASE("Values are written as Prometheus reads them")
{
    CHECK(PrometheusText::formatValue(0) == "0");
    CHECK(PrometheusText::formatValue(123456789012) == "123456789012");
    CHECK(PrometheusText::formatValue(0.1) == "0.1");
    CHECK(PrometheusText::formatValue(1e-9) == "1e-09");
    CHECK(PrometheusText::formatValue(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(PrometheusText::formatValue(std::nan("")) == "NaN");
}

TEST_CASE("Server metrics count each code and outcome apart")
{
    ServerMetrics metrics;
    metrics.countPrediction(0.002, 0.0005);
    metrics.countError(ErrorCode::BadImage);
    metrics.countError(ErrorCode::BadImage);
    metrics.countConnections(ConnectionOutcome::Busy, 3);
    metrics.countConnections(ConnectionOutcome::Served);
    metrics.countConnections(ConnectionOutcome::Timeout, 0);
    CHECK(metrics.predictions() == 1);
    CHECK(metrics.errors(ErrorCode::BadImage) == 2);
    CHECK(metrics.errors(ErrorCode::Unauthorized) == 0);
    CHECK(metrics.connections(ConnectionOutcome::Busy) == 3);
    CHECK(metrics.connections(ConnectionOutcome::Served) == 1);
    CHECK(metrics.connections(ConnectionOutcome::Timeout) == 0);
    CHECK(metrics.requestDuration().snapshot().count() == 1);
    CHECK(metrics.inferenceDuration().snapshot().count() == 1);
    CHECK(ServerMetrics::outcomeName(ConnectionOutcome::LeftWaiting) == "left_waiting");
    CHECK(ServerMetrics::outcomeName(ConnectionOutcome::BadHeader) == "bad_header");
}

TEST_CASE("Process metrics read this process from /proc/self")
{
    const ProcessMetrics process = ProcessMetrics::readSelf();
    CHECK(process.residentBytes > 1024 * 1024);
    CHECK(process.virtualBytes >= process.residentBytes);
    CHECK(process.cpuSeconds >= 0);
    CHECK(process.openDescriptors >= 3); // stdin, stdout, stderr at least
    const int extra = ::dup(0);
    REQUIRE(extra >= 0);
    CHECK(ProcessMetrics::readSelf().openDescriptors == process.openDescriptors + 1);
    ::close(extra);
    CHECK(process.maxDescriptors >= process.openDescriptors);
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    CHECK(process.startTimeSeconds <= now + 1);
    CHECK(process.startTimeSeconds > now - 3600);
}

TEST_CASE("The HTTP options: off by default, 0 is off, loopback unless told")
{
    const auto parse = [](QStringList arguments) {
        arguments.prepend(QStringLiteral("orchard-server"));
        return ServerCommandLine::parse(arguments, QStringLiteral("test"));
    };
    const ServerCommandLine defaults = parse({});
    REQUIRE(defaults.outcome == ServerCommandLine::Outcome::Run);
    CHECK_FALSE(defaults.config.httpPort);
    CHECK(defaults.config.httpHost == QHostAddress(QHostAddress::LocalHost));

    const ServerCommandLine on = parse({ "--http-port", "5051", "--http-host", "0.0.0.0" });
    REQUIRE(on.outcome == ServerCommandLine::Outcome::Run);
    CHECK(on.config.httpPort == quint16(5051));
    CHECK(on.config.httpHost == QHostAddress(QStringLiteral("0.0.0.0")));

    const ServerCommandLine off = parse({ "--http-port", "0" });
    REQUIRE(off.outcome == ServerCommandLine::Outcome::Run);
    CHECK_FALSE(off.config.httpPort);

    const ServerCommandLine badPort = parse({ "--http-port", "65536" });
    CHECK(badPort.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(badPort.message.contains("--http-port must be a whole number from 0 to 65535"));
    const ServerCommandLine badHost = parse({ "--http-host", "metrics.example" });
    CHECK(badHost.outcome == ServerCommandLine::Outcome::ExitError);
    CHECK(badHost.message.contains("--http-host must be an IP address"));

    const ServerCommandLine help = parse({ "--help" });
    CHECK(help.message.contains("--http-port <n>"));
    CHECK(help.message.contains("--http-host <addr>"));
}
