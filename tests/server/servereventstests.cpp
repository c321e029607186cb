#include <catch2/catch.hpp>

#include <thread>

#include <QTest>

#include "common/protocol/errorcode.h"
#include "server/core/serverevents.h"

using namespace orchard;

TEST_CASE("Predictions reported from a worker arrive batched, in order, before the session's end")
{
    ServerEvents events;
    QStringList heard;
    QObject::connect(&events, &ServerEvents::predictionServed, &events,
                     [&heard](quint64 id, const QString &label, double, double latencyMs) {
                         heard << QStringLiteral("%1:%2:%3").arg(id).arg(label).arg(latencyMs);
                     });
    QObject::connect(&events, &ServerEvents::requestFailed, &events,
                     [&heard](quint64 id, ErrorCode code, const QString &) {
                         heard << QStringLiteral("%1:%2").arg(id).arg(errorCodeName(code));
                     });
    QObject::connect(&events, &ServerEvents::sessionEnded, &events,
                     [&heard](quint64 id, const QString &reason) { heard << QStringLiteral("%1:%2").arg(id).arg(reason); });

    // A session's thread, as in the server: many predictions, an error, more, then the end.
    std::thread worker([&events] {
        for (int i = 0; i < 300; ++i)
            events.reportPrediction(1, QStringLiteral("scab"), 0.5, i);
        events.reportRequestFailed(1, ErrorCode::BadImage, QStringLiteral("not an image"));
        events.reportPrediction(1, QStringLiteral("rust"), 0.5, 1000);
        events.reportSessionEnded(1, QStringLiteral("offline"));
    });
    worker.join();
    CHECK(heard.isEmpty()); // nothing is emitted from the worker: all of it is queued here

    REQUIRE(QTest::qWaitFor([&] { return heard.size() >= 303; }, 5000));
    REQUIRE(heard.size() == 303);
    for (int i = 0; i < 300; ++i)
        REQUIRE(heard.at(i) == QStringLiteral("1:scab:%1").arg(i));
    INFO(heard.mid(298).join(" ").toStdString());
    CHECK(heard.at(300) == "1:BAD_IMAGE");
    CHECK(heard.at(301) == "1:rust:1000");
    CHECK(heard.at(302) == "1:offline");
}

TEST_CASE("A lone prediction is delivered without anything else reported after it")
{
    ServerEvents events;
    QList<double> latencies;
    QObject::connect(&events, &ServerEvents::predictionServed, &events,
                     [&latencies](quint64 id, const QString &label, double confidence, double latencyMs) {
                         CHECK(id == 4);
                         CHECK(label == "healthy");
                         CHECK(confidence == 0.97);
                         latencies << latencyMs;
                     });
    // Delivered by the batch timer alone, within kPredictionBatchDelay of being reported.
    std::thread([&events] { events.reportPrediction(4, QStringLiteral("healthy"), 0.97, 12.5); }).join();
    REQUIRE(QTest::qWaitFor([&] { return !latencies.isEmpty(); }, 5000));
    // A second batch brings only the second prediction: the first is not delivered again.
    std::thread([&events] { events.reportPrediction(4, QStringLiteral("healthy"), 0.97, 30.0); }).join();
    REQUIRE(QTest::qWaitFor([&] { return latencies.size() >= 2; }, 5000));
    CHECK(latencies == QList<double> { 12.5, 30.0 });
}

TEST_CASE("The server's own reports are heard at once, after what sessions reported before")
{
    ServerEvents events;
    QStringList heard;
    QObject::connect(&events, &ServerEvents::predictionServed, &events,
                     [&heard](quint64 id, const QString &, double, double) { heard << QStringLiteral("%1:prediction").arg(id); });
    QObject::connect(&events, &ServerEvents::sessionEnded, &events,
                     [&heard](quint64 id, const QString &reason) { heard << QStringLiteral("%1:%2").arg(id).arg(reason); });
    QObject::connect(&events, &ServerEvents::waitingLineChanged, &events,
                     [&heard](const QList<quint64> &ids) { heard << QStringLiteral("line:%1").arg(ids.size()); });
    QObject::connect(&events, &ServerEvents::stopped, &events, [&heard] { heard << QStringLiteral("stopped"); });

    std::thread([&events] {
        events.reportPrediction(1, QStringLiteral("scab"), 0.5, 1.0);
        events.reportSessionEnded(1, QStringLiteral("server shutdown"));
    }).join();
    CHECK(heard.isEmpty());
    // This thread is the server's: no event loop has run, yet everything is heard, in order.
    events.reportWaitingLineChanged({ 2, 3 });
    events.reportStopped();
    CHECK(heard == QStringList { "1:prediction", "1:server shutdown", "line:2", "stopped" });
}

TEST_CASE("A report made while a signal is being delivered comes after the rest of that batch")
{
    ServerEvents events;
    QStringList heard;
    QObject::connect(&events, &ServerEvents::sessionEnded, &events,
                     [&](quint64 id, const QString &) {
                         heard << QStringLiteral("%1:ended").arg(id);
                         if (id == 1)
                             events.reportWaitingLineChanged({}); // as a receiver reacting in kind
                     });
    QObject::connect(&events, &ServerEvents::waitingLineChanged, &events,
                     [&heard](const QList<quint64> &) { heard << QStringLiteral("line"); });

    std::thread([&events] {
        events.reportSessionEnded(1, QString());
        events.reportSessionEnded(2, QString());
    }).join();
    events.reportStopped();
    CHECK(heard == QStringList { "1:ended", "2:ended", "line" });
}
