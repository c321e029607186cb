#include "client/bench/saturationverdict.h"

#include <algorithm>
#include <limits>
#include <optional>

#include <QStringList>

namespace orchard {

namespace {

using Kind = SaturationEvent::Kind;

QString clientRange(int from, int to)
{
    return from == to ? QStringLiteral("client %1").arg(from) : QStringLiteral("clients %1–%2").arg(from).arg(to);
}

QString seconds(double value) { return QStringLiteral("%1 s").arg(value, 0, 'f', 3); }

SaturationCheck check(const QStringList &problems, const QString &whatPasses)
{
    if (problems.isEmpty())
        return { true, whatPasses };
    return { false, problems.join(QStringLiteral("; ")) };
}

QString workersText(int workers)
{
    return QStringLiteral("%1 worker%2").arg(workers).arg(workers == 1 ? "" : "s");
}

/** The events in time order, and what the checks look up in them. */
struct Timeline
{
    Timeline(const QVector<SaturationEvent> &unsorted, const SaturationExpectation &expectation)
        : events(unsorted)
        , expected(expectation)
        , clients(expectation.clients)
        , workers(expectation.workers)
    {
        std::stable_sort(events.begin(), events.end(),
                         [](const SaturationEvent &a, const SaturationEvent &b) { return a.seconds < b.seconds; });
        for (const SaturationEvent &event : events) {
            if (event.kind == Kind::WentOffline)
                departures.append(event.seconds);
            else if (event.kind == Kind::Served && event.client > workers)
                lineServed.append(event);
        }
    }

    /** The first event of this kind for this client, if any. */
    std::optional<SaturationEvent> first(int client, Kind kind) const
    {
        for (const SaturationEvent &event : events) {
            if (event.client == client && event.kind == kind)
                return event;
        }
        return std::nullopt;
    }

    double firstDeparture() const
    {
        return departures.isEmpty() ? std::numeric_limits<double>::infinity() : departures.first();
    }

    QVector<SaturationEvent> events;
    const SaturationExpectation &expected;
    const int clients;
    const int workers;
    QVector<double> departures;          ///< when each client went offline, in order
    QVector<SaturationEvent> lineServed; ///< Served events of the clients that had to wait
};

/** 1. The first `workers` clients are served at once: never queued, served before anyone left. */
SaturationCheck checkServedAtOnce(const Timeline &timeline)
{
    const int atOnce = std::min(timeline.clients, timeline.workers);
    QStringList problems;
    for (int client = 1; client <= atOnce; ++client) {
        const auto served = timeline.first(client, Kind::Served);
        const auto queued = timeline.first(client, Kind::Queued);
        if (!served)
            problems << QStringLiteral("client %1 was never served").arg(client);
        else if (queued && queued->seconds <= served->seconds)
            problems << QStringLiteral("client %1 was told to wait (position %2) though a worker should have been free")
                                .arg(client)
                                .arg(queued->position);
        else if (served->seconds > timeline.firstDeparture())
            problems << QStringLiteral("client %1 was served only at %2, after a client had left").arg(client).arg(seconds(served->seconds));
    }
    return check(problems, QStringLiteral("%1 served at once (%2)").arg(clientRange(1, atOnce), workersText(timeline.workers)));
}

/** 2. The others are told `queued`, at positions 1, 2, … in the order they came. */
SaturationCheck checkToldQueued(const Timeline &timeline)
{
    QStringList problems;
    QStringList positions;
    for (int client = timeline.workers + 1; client <= timeline.clients; ++client) {
        const int expectedPosition = client - timeline.workers;
        positions << QString::number(expectedPosition);
        const auto queued = timeline.first(client, Kind::Queued);
        if (!queued)
            problems << QStringLiteral("client %1 was never told it was queued").arg(client);
        else if (queued->position != expectedPosition)
            problems << QStringLiteral("client %1 was told position %2, expected %3")
                                .arg(client)
                                .arg(queued->position)
                                .arg(expectedPosition);
    }
    return check(problems, QStringLiteral("%1 told queued at positions %2")
                                   .arg(clientRange(timeline.workers + 1, timeline.clients), positions.join(", ")));
}

/** 3. Never more than `workers` clients hold a worker at once. */
SaturationCheck checkNeverOverPool(const Timeline &timeline)
{
    QStringList problems;
    int holding = 0;
    for (const SaturationEvent &event : timeline.events) {
        if (event.kind == Kind::Served)
            ++holding;
        else if (event.kind == Kind::WentOffline)
            --holding;
        if (holding > timeline.workers && problems.isEmpty())
            problems << QStringLiteral("%1 clients held a worker at once at %2 (client %3 was served while %4 others still held theirs)")
                                .arg(holding)
                                .arg(seconds(event.seconds))
                                .arg(event.client)
                                .arg(holding - 1);
    }
    return check(problems, QStringLiteral("never more than %1 client%2 held a worker at once")
                                   .arg(timeline.workers)
                                   .arg(timeline.workers == 1 ? "" : "s"));
}

/**
 * 4. First come, first served. The j-th client in line may be served once j workers were
 * freed. Two workers freed at nearly the same moment go to the first two in line, but
 * which of them hears `welcome` first is a race between the two workers, not the server's
 * choice; so the order of welcomes is judged against the departures before them.
 */
SaturationCheck checkFirstComeFirstServed(const Timeline &timeline)
{
    QStringList problems;
    for (const SaturationEvent &served : timeline.lineServed) {
        const int placeInLine = served.client - timeline.workers;
        const auto freedBefore = std::count_if(timeline.departures.cbegin(), timeline.departures.cend(),
                                               [&](double left) { return left <= served.seconds; });
        if (freedBefore >= placeInLine)
            continue;
        for (int ahead = timeline.workers + 1; ahead < served.client; ++ahead) {
            const auto aheadServed = timeline.first(ahead, Kind::Served);
            if (!aheadServed || aheadServed->seconds > served.seconds) {
                problems << QStringLiteral("client %1 was served before client %2").arg(served.client).arg(ahead);
                break;
            }
        }
    }
    return check(problems, QStringLiteral("the waiting clients were served first come, first served"));
}

/** 5. Each freed worker is handed to the next client in line at once. */
SaturationCheck checkHandOver(const Timeline &timeline)
{
    const double allowed = timeline.expected.handOverSeconds;
    QStringList problems;
    for (int i = 0; i < timeline.lineServed.size(); ++i) {
        const SaturationEvent &served = timeline.lineServed.at(i);
        if (i >= timeline.departures.size()) {
            problems << QStringLiteral("client %1 was served at %2 with no worker freed for it")
                                .arg(served.client)
                                .arg(seconds(served.seconds));
            continue;
        }
        const double after = served.seconds - timeline.departures.at(i);
        if (after > allowed)
            problems << QStringLiteral("client %1 was served %2 after a worker was freed (allowed: %3)")
                                .arg(served.client)
                                .arg(seconds(after))
                                .arg(seconds(allowed));
    }
    return check(problems, QStringLiteral("each freed worker took the next client in line within %1").arg(seconds(allowed)));
}

/** 6. Positions only ever move up, to 1 before the client is served. */
SaturationCheck checkMovedUp(const Timeline &timeline)
{
    QStringList problems;
    for (int client = timeline.workers + 1; client <= timeline.clients; ++client) {
        const auto served = timeline.first(client, Kind::Served);
        int last = 0;
        for (const SaturationEvent &event : timeline.events) {
            if (event.client != client || event.kind != Kind::Queued)
                continue;
            if (served && event.seconds > served->seconds)
                break;
            if (last > 0 && event.position > last)
                problems << QStringLiteral("client %1 moved back from position %2 to %3").arg(client).arg(last).arg(event.position);
            last = event.position;
        }
        if (served && last != 1 && last != 0)
            problems << QStringLiteral("client %1 was served from position %2, not 1").arg(client).arg(last);
    }
    return check(problems, QStringLiteral("each waiting client moved up the line to position 1 before it was served"));
}

/** 7. Everyone was served and diagnosed, and nothing failed. */
SaturationCheck checkAllDiagnosed(const Timeline &timeline)
{
    QStringList problems;
    for (const SaturationEvent &event : timeline.events) {
        if (event.kind == Kind::Failed)
            problems << QStringLiteral("client %1 got %2").arg(event.client).arg(event.detail);
    }
    for (int client = 1; client <= timeline.clients; ++client) {
        if (!timeline.first(client, Kind::Diagnosed))
            problems << QStringLiteral("client %1 was never diagnosed").arg(client);
    }
    return check(problems, QStringLiteral("all %1 clients were diagnosed, with no errors").arg(timeline.clients));
}

} // namespace

SaturationVerdict judgeSaturation(const QVector<SaturationEvent> &events, const SaturationExpectation &expected)
{
    const Timeline timeline(events, expected);
    SaturationVerdict verdict;
    verdict.checks.append(checkServedAtOnce(timeline));
    if (expected.clients > expected.workers) {
        if (expected.queuedMessages)
            verdict.checks.append(checkToldQueued(timeline));
        verdict.checks.append(checkNeverOverPool(timeline));
        verdict.checks.append(checkFirstComeFirstServed(timeline));
        verdict.checks.append(checkHandOver(timeline));
        if (expected.queuedMessages)
            verdict.checks.append(checkMovedUp(timeline));
    } else {
        verdict.checks.append({ true, QStringLiteral("no client had to wait (%1 clients, %2 workers)")
                                              .arg(expected.clients)
                                              .arg(expected.workers) });
    }
    verdict.checks.append(checkAllDiagnosed(timeline));
    verdict.passed = std::all_of(verdict.checks.cbegin(), verdict.checks.cend(),
                                 [](const SaturationCheck &check) { return check.passed; });
    return verdict;
}

} // namespace orchard
