// The saturation scenario's verdict on hand-written timelines: what a pool of W workers
// predicts, and each way a server can break it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <queue>
#include <random>
#include <vector>

#include "client/bench/saturationverdict.h"

using namespace orchard;
using Kind = SaturationEvent::Kind;

namespace {

SaturationEvent at(double seconds, int client, Kind kind, int position = 0, int waiting = 0)
{
    SaturationEvent event;
    event.seconds = seconds;
    event.client = client;
    event.kind = kind;
    event.position = position;
    event.waiting = waiting;
    return event;
}

/**
 * What a correct server with `workers` workers produces for the demo: clients 250 ms
 * apart, each asks at once, holds its worker after its answer until all have connected
 * (as `qa saturation` does), then leaves; the line moves up (queued again) whenever a
 * worker is handed over.
 */
QVector<SaturationEvent> idealTimeline(int clients, int workers, bool queuedMessages = true)
{
    const double hold = std::max(2.0, 0.25 * clients + 1.0);
    QVector<SaturationEvent> events;
    using Departure = std::pair<double, int>; // time, client
    std::priority_queue<Departure, std::vector<Departure>, std::greater<>> holding;
    std::vector<int> line;
    for (int client = 1; client <= clients; ++client) {
        const double asked = 0.25 * (client - 1);
        events << at(asked, client, Kind::Asked);
        if (client <= workers) {
            events << at(asked + 0.005, client, Kind::Served) << at(asked + 0.015, client, Kind::Diagnosed);
            holding.push({ asked + 0.015 + hold, client });
        } else {
            line.push_back(client);
            if (queuedMessages)
                events << at(asked + 0.001, client, Kind::Queued, int(line.size()), int(line.size()));
        }
    }
    while (!holding.empty()) {
        const auto [leftAt, leaver] = holding.top();
        holding.pop();
        events << at(leftAt, leaver, Kind::WentOffline) << at(leftAt + 0.001, leaver, Kind::Closed);
        if (line.empty())
            continue;
        const int next = line.front();
        line.erase(line.begin());
        events << at(leftAt + 0.002, next, Kind::Served) << at(leftAt + 0.012, next, Kind::Diagnosed);
        holding.push({ leftAt + 0.012 + hold, next });
        for (size_t i = 0; i < line.size() && queuedMessages; ++i)
            events << at(leftAt + 0.003, line[i], Kind::Queued, int(i + 1), int(line.size()));
    }
    return events;
}

SaturationExpectation expect(int clients, int workers, bool queuedMessages = true)
{
    SaturationExpectation expected;
    expected.clients = clients;
    expected.workers = workers;
    expected.queuedMessages = queuedMessages;
    return expected;
}

QString failures(const SaturationVerdict &verdict)
{
    QStringList texts;
    for (const SaturationCheck &check : verdict.checks) {
        if (!check.passed)
            texts << check.text;
    }
    return texts.join(QStringLiteral(" | "));
}

void moveServed(QVector<SaturationEvent> &events, int client, double bySeconds)
{
    for (SaturationEvent &event : events) {
        if (event.client == client && (event.kind == Kind::Served || event.kind == Kind::Diagnosed))
            event.seconds += bySeconds;
    }
}

} // namespace

TEST_CASE("The original demo on a correct 2-worker server passes every check")
{
    const SaturationVerdict verdict = judgeSaturation(idealTimeline(4, 2), expect(4, 2));
    INFO(failures(verdict).toStdString());
    CHECK(verdict.passed);
    REQUIRE(verdict.checks.size() == 7);
    CHECK(verdict.checks.at(0).text == "clients 1–2 served at once (2 workers)");
    CHECK(verdict.checks.at(1).text == "clients 3–4 told queued at positions 1, 2");
}

TEST_CASE("Larger lines and single workers pass when the server is right")
{
    for (const auto &[clients, workers] : { std::pair { 10, 3 }, std::pair { 5, 1 }, std::pair { 2, 1 } }) {
        const SaturationVerdict verdict = judgeSaturation(idealTimeline(clients, workers), expect(clients, workers));
        INFO(clients << " clients, " << workers << " workers: " << failures(verdict).toStdString());
        CHECK(verdict.passed);
    }
}

TEST_CASE("Fewer clients than workers: nobody waits, and that passes")
{
    const SaturationVerdict verdict = judgeSaturation(idealTimeline(2, 5), expect(2, 5));
    INFO(failures(verdict).toStdString());
    CHECK(verdict.passed);
    CHECK(verdict.checks.at(1).text == "no client had to wait (2 clients, 5 workers)");
}

TEST_CASE("The order of the events given does not matter")
{
    QVector<SaturationEvent> events = idealTimeline(6, 2);
    std::mt19937 random(7);
    std::shuffle(events.begin(), events.end(), random);
    CHECK(judgeSaturation(events, expect(6, 2)).passed);
}

TEST_CASE("A server with more workers than expected fails: too many served at once")
{
    const SaturationVerdict verdict = judgeSaturation(idealTimeline(4, 3), expect(4, 2));
    CHECK_FALSE(verdict.passed);
    const QString text = failures(verdict);
    CHECK(text.contains("client 3 was never told it was queued"));
    CHECK(text.contains("3 clients held a worker at once"));
}

TEST_CASE("A server with fewer workers than expected fails: a client that should be served waits")
{
    const SaturationVerdict verdict = judgeSaturation(idealTimeline(4, 1), expect(4, 2));
    CHECK_FALSE(verdict.passed);
    CHECK(failures(verdict).contains("client 2 was told to wait (position 1)"));
}

TEST_CASE("Serving the line last come, first served fails")
{
    QVector<SaturationEvent> events = idealTimeline(4, 2);
    // Client 4 takes the first freed worker, client 3 the second.
    double served3 = 0, served4 = 0;
    for (const SaturationEvent &event : events) {
        if (event.kind == Kind::Served && event.client == 3)
            served3 = event.seconds;
        if (event.kind == Kind::Served && event.client == 4)
            served4 = event.seconds;
    }
    moveServed(events, 3, served4 - served3);
    moveServed(events, 4, served3 - served4);
    const SaturationVerdict verdict = judgeSaturation(events, expect(4, 2));
    CHECK_FALSE(verdict.passed);
    CHECK(failures(verdict).contains("client 4 was served before client 3"));
}

TEST_CASE("Two workers freed together may welcome their two clients in either order")
{
    QVector<SaturationEvent> events = idealTimeline(4, 2);
    // Clients 1 and 2 leave 5 ms apart; client 4's welcome arrives 1 ms before client 3's.
    double left1 = 0;
    for (const SaturationEvent &event : events) {
        if (event.kind == Kind::WentOffline && event.client == 1)
            left1 = event.seconds;
    }
    for (SaturationEvent &event : events) {
        const bool ofClient2 = event.client == 2 && (event.kind == Kind::WentOffline || event.kind == Kind::Closed);
        if (ofClient2)
            event.seconds = left1 + 0.005 + (event.kind == Kind::Closed ? 0.001 : 0.0);
        if (event.client == 3 && (event.kind == Kind::Served || event.kind == Kind::Diagnosed))
            event.seconds = left1 + 0.008 + (event.kind == Kind::Diagnosed ? 0.010 : 0.0);
        if (event.client == 4 && (event.kind == Kind::Served || event.kind == Kind::Diagnosed))
            event.seconds = left1 + 0.007 + (event.kind == Kind::Diagnosed ? 0.010 : 0.0);
        if (event.client == 4 && event.kind == Kind::Queued && event.position == 1)
            event.seconds = left1 + 0.006;
    }
    const SaturationVerdict verdict = judgeSaturation(events, expect(4, 2));
    INFO(failures(verdict).toStdString());
    CHECK(verdict.passed);

    // With only one worker freed by then, the same early welcome is a jump ahead.
    for (SaturationEvent &event : events) {
        if (event.client == 2 && (event.kind == Kind::WentOffline || event.kind == Kind::Closed))
            event.seconds += 1.0;
    }
    CHECK(failures(judgeSaturation(events, expect(4, 2))).contains("client 4 was served before client 3"));
}

TEST_CASE("Wrong positions, and positions that move back, fail")
{
    QVector<SaturationEvent> events = idealTimeline(4, 2);
    for (SaturationEvent &event : events) {
        if (event.kind == Kind::Queued && event.client == 4 && event.position == 2) {
            event.position = 1;
            break;
        }
    }
    CHECK(failures(judgeSaturation(events, expect(4, 2))).contains("client 4 was told position 1, expected 2"));

    QVector<SaturationEvent> backwards = idealTimeline(4, 2);
    backwards << at(1.0, 4, Kind::Queued, 3, 3);
    CHECK(failures(judgeSaturation(backwards, expect(4, 2))).contains("client 4 moved back from position 2 to 3"));
}

TEST_CASE("A freed worker that is not handed over at once fails")
{
    QVector<SaturationEvent> events = idealTimeline(4, 2);
    moveServed(events, 3, 1.5);
    const SaturationVerdict verdict = judgeSaturation(events, expect(4, 2));
    CHECK_FALSE(verdict.passed);
    CHECK(failures(verdict).contains("after a worker was freed (allowed: 1.000 s)"));
}

TEST_CASE("Serving someone in line before anyone left fails")
{
    QVector<SaturationEvent> events = idealTimeline(3, 2);
    moveServed(events, 3, -2.0); // served while clients 1 and 2 still hold their workers
    const SaturationVerdict verdict = judgeSaturation(events, expect(3, 2));
    CHECK_FALSE(verdict.passed);
    CHECK(failures(verdict).contains("3 clients held a worker at once"));
}

TEST_CASE("Errors and clients never diagnosed fail")
{
    QVector<SaturationEvent> events = idealTimeline(4, 2);
    SaturationEvent busy = at(0.8, 4, Kind::Failed);
    busy.detail = QStringLiteral("BUSY: all workers are busy");
    events << busy;
    events.erase(std::remove_if(events.begin(), events.end(),
                                [](const SaturationEvent &event) { return event.client == 4 && event.kind == Kind::Diagnosed; }),
                 events.end());
    const QString text = failures(judgeSaturation(events, expect(4, 2)));
    CHECK(text.contains("client 4 got BUSY: all workers are busy"));
    CHECK(text.contains("client 4 was never diagnosed"));
}

TEST_CASE("An original server says nothing to waiting clients: judged without queued messages")
{
    const QVector<SaturationEvent> silent = idealTimeline(4, 2, false);
    const SaturationVerdict verdict = judgeSaturation(silent, expect(4, 2, false));
    INFO(failures(verdict).toStdString());
    CHECK(verdict.passed);
    CHECK(verdict.checks.size() == 5); // no position checks

    // Held to Orchard's promise, the same silence fails.
    CHECK(failures(judgeSaturation(silent, expect(4, 2, true))).contains("client 3 was never told it was queued"));
}
