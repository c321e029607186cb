#include <catch2/catch.hpp>

#include "common/protocol/latencysummary.h"

using namespace orchard;

TEST_CASE("Percentiles use nearest rank and are always measured values")
{
    std::vector<double> samples;
    for (int i = 1; i <= 100; ++i)
        samples.push_back(i);
    const LatencySummary summary = LatencySummary::of(samples);
    CHECK(summary.count == 100);
    CHECK(summary.p50 == 50);
    CHECK(summary.p95 == 95);
    CHECK(summary.p99 == 99);
    CHECK(summary.max == 100);
    CHECK(summary.mean == Approx(50.5));
}

TEST_CASE("Percentiles of unsorted, tiny and empty sets")
{
    const LatencySummary three = LatencySummary::of({ 30.0, 10.0, 20.0 });
    CHECK(three.p50 == 20);
    CHECK(three.p95 == 30);
    CHECK(three.max == 30);
    const LatencySummary one = LatencySummary::of({ 7.5 });
    CHECK(one.p50 == 7.5);
    CHECK(one.p99 == 7.5);
    const LatencySummary none = LatencySummary::of({});
    CHECK(none.count == 0);
    CHECK(none.p95 == 0);
    CHECK(LatencySummary::percentile({ 1, 2, 3, 4 }, 0) == 1);
    CHECK(LatencySummary::percentile({ 1, 2, 3, 4 }, 100) == 4);
    CHECK(LatencySummary::percentile({ 1, 2, 3, 4 }, 25) == 1);
    CHECK(LatencySummary::percentile({ 1, 2, 3, 4 }, 26) == 2);
}
