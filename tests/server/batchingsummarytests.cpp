// The monitor's recent batching figures, from samples of the batcher's totals.
#include <catch2/catch.hpp>

#include "server/core/batchingsummary.h"

using namespace orchard;
using namespace std::chrono_literals;

namespace {

BatchingSummary::Counters totals(std::uint64_t passes, std::uint64_t images, double queueMs)
{
    return { passes, images, queueMs };
}

} // namespace

TEST_CASE("Before any forward pass the summary says nothing happened yet")
{
    BatchingSummary summary;
    CHECK(summary.recent().activity == BatchingSummary::Activity::NothingYet);
    summary.addSample(0ms, totals(0, 0, 0));
    summary.addSample(250ms, totals(0, 0, 0));
    const BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::NothingYet);
    CHECK(recent.passes == 0);
    CHECK(recent.averageBatch == 0.0);
}

TEST_CASE("The averages are the differences between the newest sample and the window's start")
{
    BatchingSummary summary(5000ms);
    // Ten passes before the window opened must not count.
    summary.addSample(0ms, totals(10, 10, 5.0));
    summary.addSample(1000ms, totals(12, 18, 6.0)); // 2 passes, 8 images, 1 ms
    summary.addSample(2000ms, totals(15, 30, 9.0)); // 3 passes, 12 images, 3 ms
    const BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::Busy);
    CHECK(recent.passes == 5);
    CHECK(recent.images == 20);
    CHECK(recent.queueMilliseconds == 4.0);
    CHECK(recent.span == 2000ms);
    CHECK(recent.averageBatch == 4.0); // 20 images ÷ 5 passes
    CHECK(recent.averageQueueMs == 0.2); // 4 ms ÷ 20 images
}

TEST_CASE("Samples older than the window drop out of the averages")
{
    BatchingSummary summary(5000ms);
    summary.addSample(0ms, totals(0, 0, 0.0));
    summary.addSample(1000ms, totals(1, 8, 80.0)); // a burst: 1 pass of 8, 10 ms each
    summary.addSample(2000ms, totals(1, 8, 80.0));
    summary.addSample(6000ms, totals(3, 10, 81.0)); // later: 2 passes of 1, 0.5 ms each

    // The window's start is 1000 ms: the burst ended exactly there, so only the later passes count.
    BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::Busy);
    CHECK(recent.passes == 2);
    CHECK(recent.images == 2);
    CHECK(recent.span == 5000ms);
    CHECK(recent.averageBatch == 1.0);
    CHECK(recent.averageQueueMs == 0.5);

    // One millisecond earlier the burst was still inside the window.
    BatchingSummary earlier(5000ms);
    earlier.addSample(0ms, totals(0, 0, 0.0));
    earlier.addSample(1000ms, totals(1, 8, 80.0));
    earlier.addSample(5999ms, totals(3, 10, 81.0));
    recent = earlier.recent();
    CHECK(recent.passes == 3);
    CHECK(recent.images == 10);
    CHECK(recent.span == 5999ms);
    CHECK(recent.averageQueueMs == 8.1); // 81 ms ÷ 10 images
}

TEST_CASE("With no pass in the window the summary is idle, and busy again with the next")
{
    BatchingSummary summary(5000ms);
    summary.addSample(0ms, totals(0, 0, 0.0));
    summary.addSample(250ms, totals(4, 12, 3.0));
    CHECK(summary.recent().activity == BatchingSummary::Activity::Busy);
    // The monitor samples every 250 ms; once the window has passed the last pass, idle.
    for (int ms = 500; ms <= 5250; ms += 250)
        summary.addSample(std::chrono::milliseconds(ms), totals(4, 12, 3.0));
    BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::Idle);
    CHECK(recent.passes == 0);
    CHECK(recent.span == 5000ms);
    CHECK(recent.averageBatch == 0.0);
    CHECK(recent.averageQueueMs == 0.0);

    summary.addSample(5500ms, totals(5, 14, 4.0));
    recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::Busy);
    CHECK(recent.passes == 1);
    CHECK(recent.averageBatch == 2.0);
    CHECK(recent.averageQueueMs == 0.5);
}

TEST_CASE("A single sample after passes ran is idle: there is no difference to take yet")
{
    BatchingSummary summary;
    summary.addSample(100ms, totals(7, 21, 2.0));
    const BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.activity == BatchingSummary::Activity::Idle);
    CHECK(recent.span == 0ms);
}

TEST_CASE("Totals that go back start the window over instead of wrapping around")
{
    BatchingSummary summary(5000ms);
    summary.addSample(0ms, totals(100, 400, 50.0));
    summary.addSample(1000ms, totals(2, 6, 1.0)); // another batcher's totals
    CHECK(summary.recent().activity == BatchingSummary::Activity::Idle);
    summary.addSample(2000ms, totals(4, 10, 3.0));
    const BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.passes == 2);
    CHECK(recent.images == 4);
    CHECK(recent.span == 1000ms);
    CHECK(recent.averageBatch == 2.0);
    CHECK(recent.averageQueueMs == 0.5);
}

TEST_CASE("A sample stamped before the previous one counts at the previous one's time")
{
    BatchingSummary summary(5000ms);
    summary.addSample(1000ms, totals(0, 0, 0.0));
    summary.addSample(900ms, totals(1, 3, 0.3));
    const BatchingSummary::Recent recent = summary.recent();
    CHECK(recent.passes == 1);
    CHECK(recent.span == 0ms);
    CHECK(recent.averageBatch == 3.0);
}
