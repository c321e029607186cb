#include "saturationverdict.h"

#include <algorithm>
#include <limits>
#include <optional>

#include <QStringList>

namespace orchard {

namespace {

using Kind = SaturationEvent::Kind;

/** The first event of this kind for this client, if any. */
std::optional<SaturationEvent> first(const QVector<SaturationEvent> &events, int client, Kind kind)
{
    for (const SaturationEvent &event : events) {
        if (event.client == client && event.kind == kind)
            return event;
    }
    return std::nullopt;
}

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

} // namespace

SaturationVerdict judgeSaturation(const QVector<SaturationEvent> &unsorted, const SaturationExpectation &expected)
{
    QVector<SaturationEvent> events = unsorted;
    std::stable_sort(events.begin(), events.end(),
                     [](const SaturationEvent &a, const SaturationEvent &b) { return a.seconds < b.seconds; });
    const int clients = expected.clients;
    const int workers = expected.workers;
    const int atOnce = std::min(clients, workers);
    SaturationVerdict verdict;

    double firstDeparture = std::numeric_limits<double>::infinity();
    QVector<double> departures;
    for (const SaturationEvent &event : events) {
        if (event.kind == Kind::WentOffline)
            departures.append(event.seconds);
    }
    if (!departures.isEmpty())
        firstDeparture = departures.first();

    // 1. The first `workers` clients are served at once: never queued, served before anyone left.
    {
        QStringList problems;
        for (int client = 1; client <= atOnce; ++client) {
            const auto served = first(events, client, Kind::Served);
            const auto queued = first(events, client, Kind::Queued);
            if (!served)
                problems << QStringLiteral("client %1 was never served").arg(client);
            else if (queued && queued->seconds <= served->seconds)
                problems << QStringLiteral("client %1 was told to wait (position %2) though a worker should have been free")
                                    .arg(client)
                                    .arg(queued->position);
            else if (served->seconds > firstDeparture)
                problems << QStringLiteral("client %1 was served only at %2, after a client had left").arg(client).arg(seconds(served->seconds));
        }
        verdict.checks.append(check(problems, QStringLiteral("%1 served at once (%2 worker%3)")
                                                      .arg(clientRange(1, atOnce))
                                                      .arg(workers)
                                                      .arg(workers == 1 ? "" : "s")));
    }

    if (clients > workers) {
        // 2. The others are told `queued`, at positions 1, 2, … in the order they came.
        if (expected.queuedMessages) {
            QStringList problems;
            for (int client = workers + 1; client <= clients; ++client) {
                const auto queued = first(events, client, Kind::Queued);
                if (!queued)
                    problems << QStringLiteral("client %1 was never told it was queued").arg(client);
                else if (queued->position != client - workers)
                    problems << QStringLiteral("client %1 was told position %2, expected %3")
                                        .arg(client)
                                        .arg(queued->position)
                                        .arg(client - workers);
            }
            QStringList positions;
            for (int client = workers + 1; client <= clients; ++client)
                positions << QString::number(client - workers);
            verdict.checks.append(check(problems, QStringLiteral("%1 told queued at positions %2")
                                                          .arg(clientRange(workers + 1, clients), positions.join(", "))));
        }

        // 3. Never more than `workers` clients hold a worker at once.
        {
            QStringList problems;
            int holding = 0;
            for (const SaturationEvent &event : events) {
                if (event.kind == Kind::Served)
                    ++holding;
                else if (event.kind == Kind::WentOffline)
                    --holding;
                if (holding > workers && problems.isEmpty())
                    problems << QStringLiteral("%1 clients held a worker at once at %2 (client %3 was served while %4 others still held theirs)")
                                        .arg(holding)
                                        .arg(seconds(event.seconds))
                                        .arg(event.client)
                                        .arg(holding - 1);
            }
            verdict.checks.append(check(problems, QStringLiteral("never more than %1 client%2 held a worker at once")
                                                          .arg(workers)
                                                          .arg(workers == 1 ? "" : "s")));
        }

        // 4. First come, first served; and 5. each freed worker is handed over at once.
        QVector<SaturationEvent> lineServed;
        for (const SaturationEvent &event : events) {
            if (event.kind == Kind::Served && event.client > workers)
                lineServed.append(event);
        }
        {
            // The j-th client in line may be served once j workers were freed. Two workers
            // freed at nearly the same moment go to the first two in line, but which of them
            // hears `welcome` first is a race between the two workers, not the server's
            // choice; so the order of welcomes is judged against the departures before them.
            QStringList problems;
            for (const SaturationEvent &served : lineServed) {
                const int placeInLine = served.client - workers;
                const auto freedBefore = std::count_if(departures.cbegin(), departures.cend(),
                                                       [&](double left) { return left <= served.seconds; });
                if (freedBefore >= placeInLine)
                    continue;
                for (int ahead = workers + 1; ahead < served.client; ++ahead) {
                    const auto aheadServed = first(events, ahead, Kind::Served);
                    if (!aheadServed || aheadServed->seconds > served.seconds) {
                        problems << QStringLiteral("client %1 was served before client %2")
                                            .arg(served.client)
                                            .arg(ahead);
                        break;
                    }
                }
            }
            verdict.checks.append(check(problems, QStringLiteral("the waiting clients were served first come, first served")));
        }
        {
            QStringList problems;
            for (int i = 0; i < lineServed.size(); ++i) {
                const SaturationEvent &served = lineServed.at(i);
                if (i >= departures.size()) {
                    problems << QStringLiteral("client %1 was served at %2 with no worker freed for it")
                                        .arg(served.client)
                                        .arg(seconds(served.seconds));
                    continue;
                }
                const double after = served.seconds - departures.at(i);
                if (after > expected.handOverSeconds)
                    problems << QStringLiteral("client %1 was served %2 after a worker was freed (allowed: %3)")
                                        .arg(served.client)
                                        .arg(seconds(after))
                                        .arg(seconds(expected.handOverSeconds));
            }
            verdict.checks.append(check(problems, QStringLiteral("each freed worker took the next client in line within %1")
                                                          .arg(seconds(expected.handOverSeconds))));
        }

        // 6. Positions only ever move up, to 1 before the client is served.
        if (expected.queuedMessages) {
            QStringList problems;
            for (int client = workers + 1; client <= clients; ++client) {
                const auto served = first(events, client, Kind::Served);
                int last = 0;
                for (const SaturationEvent &event : events) {
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
            verdict.checks.append(check(problems, QStringLiteral("each waiting client moved up the line to position 1 before it was served")));
        }
    } else {
        verdict.checks.append({ true, QStringLiteral("no client had to wait (%1 clients, %2 workers)").arg(clients).arg(workers) });
    }

    // 7. Everyone was served and diagnosed, and nothing failed.
    {
        QStringList problems;
        for (const SaturationEvent &event : events) {
            if (event.kind == Kind::Failed)
                problems << QStringLiteral("client %1 got %2").arg(event.client).arg(event.detail);
        }
        for (int client = 1; client <= clients; ++client) {
            if (!first(events, client, Kind::Diagnosed))
                problems << QStringLiteral("client %1 was never diagnosed").arg(client);
        }
        verdict.checks.append(check(problems, QStringLiteral("all %1 clients were diagnosed, with no errors").arg(clients)));
    }

    verdict.passed = std::all_of(verdict.checks.cbegin(), verdict.checks.cend(),
                                 [](const SaturationCheck &check) { return check.passed; });
    return verdict;
}

} // namespace orchard
