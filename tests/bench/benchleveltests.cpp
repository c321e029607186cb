// The load generator's arithmetic: what a level reports from the samples it recorded.
#include <catch2/catch.hpp>

#include <QJsonArray>

#include "client/bench/benchlevel.h"

using namespace orchard;

TEST_CASE("A level's throughput, percentiles and errors come from what was recorded")
{
    BenchRecorder recorder;
    for (int i = 1; i <= 100; ++i)
        recorder.recordAnswer(i); // 1..100 ms
    recorder.recordError(QStringLiteral("BAD_IMAGE"));
    recorder.recordError(QStringLiteral("BAD_IMAGE"));
    recorder.recordError(QStringLiteral("CONNECTION_LOST"));
    recorder.recordQueueWait(0.5);
    recorder.recordQueueWait(1500.0);
    recorder.addBytesSent(56100);
    recorder.addBytesSent(100);

    BenchLevelResult result;
    result.clients = 2;
    recorder.summarise(4.0, result);

    CHECK(result.completed == 100);
    CHECK(result.failed == 3);
    CHECK(result.errorsByCode.value(QStringLiteral("BAD_IMAGE")) == 2);
    CHECK(result.errorsByCode.value(QStringLiteral("CONNECTION_LOST")) == 1);
    CHECK(result.seconds == 4.0);
    CHECK(result.imagesPerSecond == Approx(25.0)); // answers only: errors are not throughput
    CHECK(result.latencyMs.p50 == 50);
    CHECK(result.latencyMs.p95 == 95);
    CHECK(result.latencyMs.p99 == 99);
    CHECK(result.latencyMs.max == 100);
    CHECK(result.queuedMs.count == 2);
    CHECK(result.queuedMs.p50 == 0.5);
    CHECK(result.queuedMs.max == 1500.0);
    CHECK(result.bytesSent == 56200);
    CHECK(result.bytesPerImage() == Approx(562.0));
}

TEST_CASE("Merging per-thread recorders gives the same summary as one recorder")
{
    BenchRecorder one, a, b;
    for (int i = 0; i < 50; ++i) {
        a.recordAnswer(2 * i + 1);
        b.recordAnswer(2 * i + 2);
        one.recordAnswer(2 * i + 1);
        one.recordAnswer(2 * i + 2);
    }
    a.recordError(QStringLiteral("INTERNAL"));
    b.recordError(QStringLiteral("INTERNAL"));
    b.recordUnserved();
    a.addBytesSent(10);
    b.addBytesSent(20);
    BenchRecorder merged;
    merged.merge(a);
    merged.merge(b);

    BenchLevelResult fromOne, fromMerged;
    one.summarise(2.0, fromOne);
    merged.summarise(2.0, fromMerged);
    CHECK(fromMerged.completed == fromOne.completed);
    CHECK(fromMerged.latencyMs.p50 == fromOne.latencyMs.p50);
    CHECK(fromMerged.latencyMs.p99 == fromOne.latencyMs.p99);
    CHECK(fromMerged.latencyMs.mean == Approx(fromOne.latencyMs.mean));
    CHECK(fromMerged.errorsByCode.value(QStringLiteral("INTERNAL")) == 2);
    CHECK(fromMerged.unserved == 1);
    CHECK(fromMerged.bytesSent == 30);
}

TEST_CASE("An empty level reports zeros, not a division by zero")
{
    BenchRecorder recorder;
    BenchLevelResult result;
    recorder.summarise(0.0, result);
    CHECK(result.completed == 0);
    CHECK(result.imagesPerSecond == 0.0);
    CHECK(result.latencyMs.count == 0);
    CHECK(result.latencyMs.p99 == 0.0);
    CHECK(result.bytesPerImage() == 0.0);
}

TEST_CASE("The JSON form carries every figure, and queue times only where they were measured")
{
    BenchRecorder recorder;
    recorder.recordAnswer(3.0);
    recorder.recordAnswer(5.0);
    recorder.recordQueueWait(7.0);
    recorder.recordError(QStringLiteral("BUSY"));
    recorder.addBytesSent(1000);
    BenchLevelResult result;
    result.target = QStringLiteral("orchard");
    result.clients = 4;
    result.requested = 8;
    result.bodyForm = QStringLiteral("binary");
    result.queueMeasured = true;
    recorder.summarise(0.5, result);

    const QJsonObject json = result.toJson();
    CHECK(json.value("target").toString() == "orchard");
    CHECK(json.value("clients").toInt() == 4);
    CHECK(json.value("requested").toInt() == 8);
    CHECK(json.value("completed").toInt() == 2);
    CHECK(json.value("failed").toInt() == 1);
    CHECK(json.value("errors").toObject().value("BUSY").toInt() == 1);
    CHECK(json.value("images_per_s").toDouble() == Approx(4.0));
    CHECK(json.value("latency_ms").toObject().value("p50").toDouble() == 3.0);
    CHECK(json.value("latency_ms").toObject().value("max").toDouble() == 5.0);
    CHECK(json.value("queued_ms").toObject().value("p50").toDouble() == 7.0);
    CHECK(json.value("bytes_sent").toInteger() == 1000);
    CHECK(json.value("bytes_per_image").toDouble() == Approx(500.0));
    CHECK(json.value("body").toString() == "binary");

    result.queueMeasured = false; // an original server never says welcome
    CHECK_FALSE(result.toJson().contains("queued_ms"));
}

TEST_CASE("What a batching server said about its answers becomes means and a maximum, absent otherwise")
{
    BenchRecorder recorder;
    StageTimings timing;
    timing.wait = 1.0;
    timing.queue = 0.5;
    timing.infer = 2.0;
    recorder.recordServerReport(timing, 1);
    timing.wait = 3.0;
    timing.queue = 1.5;
    timing.infer = 4.0;
    recorder.recordServerReport(timing, 4);
    recorder.recordServerReport(timing, 4);
    recorder.recordServerReport(timing, 0); // an older server: no batch size, not counted
    BenchLevelResult result;
    result.target = QStringLiteral("orchard");
    recorder.summarise(1.0, result);

    CHECK(result.serverReports == 3);
    CHECK(result.serverMeanMs.wait == Approx(7.0 / 3));
    CHECK(result.serverMeanMs.queue == Approx(3.5 / 3));
    CHECK(result.serverMeanMs.infer == Approx(10.0 / 3));
    CHECK(result.batchSizeMean == Approx(3.0));
    // One pass of 1 and one of 4 (two of its answers seen): 3 answers over 1 + 2/4 passes.
    CHECK(result.batchSizePerPass == Approx(2.0));
    CHECK(result.batchSizeMax == 4);
    const QJsonObject json = result.toJson();
    CHECK(json.value("server_ms").toObject().value("queue").toDouble() == Approx(3.5 / 3));
    CHECK(json.value("server_ms").toObject().value("infer").toDouble() == Approx(10.0 / 3));
    CHECK(json.value("batch_size").toObject().value("mean").toDouble() == Approx(3.0));
    CHECK(json.value("batch_size").toObject().value("max").toInt() == 4);

    BenchRecorder merged;
    merged.merge(recorder);
    merged.merge(recorder);
    BenchLevelResult twice;
    merged.summarise(1.0, twice);
    CHECK(twice.serverReports == 6);
    CHECK(twice.batchSizeMean == Approx(3.0));
    CHECK(twice.batchSizeMax == 4);

    BenchRecorder silent; // the seed design reports neither
    silent.recordAnswer(1.0);
    silent.recordServerReport(timing, 0);
    BenchLevelResult legacy;
    silent.summarise(1.0, legacy);
    CHECK(legacy.serverReports == 0);
    CHECK_FALSE(legacy.toJson().contains("server_ms"));
    CHECK_FALSE(legacy.toJson().contains("batch_size"));
}

TEST_CASE("Client levels parse as a sweep and refuse anything else")
{
    CHECK(parseLevels("1,2,4,8,16", 100) == QVector<int> { 1, 2, 4, 8, 16 });
    CHECK(parseLevels(" 3 ", 100) == QVector<int> { 3 });
    CHECK(parseLevels("8, 1", 100) == QVector<int> { 8, 1 });
    QString error;
    CHECK_FALSE(parseLevels("1,,2", 100, &error));
    CHECK(error.contains("not a whole number"));
    CHECK_FALSE(parseLevels("0", 100));
    CHECK_FALSE(parseLevels("-2", 100));
    CHECK_FALSE(parseLevels("2.5", 100));
    CHECK_FALSE(parseLevels("101", 100));
    CHECK_FALSE(parseLevels("", 100));
}
