#pragma once

#include <QString>
#include <QVector>

namespace orchard {

/** Something that happened to one client during the saturation scenario. */
struct SaturationEvent
{
    enum class Kind {
        Asked,      ///< connected and asked for a diagnosis (detail: the image)
        Queued,     ///< told `queued` (position, waiting)
        Served,     ///< a worker took it: `welcome`, or (original servers) the first answer
        Diagnosed,  ///< the answer arrived (detail: label and confidence; milliseconds: since asking)
        Failed,     ///< a SERVER_ERROR (detail: "CODE: message")
        WentOffline, ///< it said goodbye, freeing its worker
        Closed,     ///< the connection ended (detail: the server's goodbye or why)
    };

    double seconds = 0.0; ///< since the scenario started
    int client = 0;       ///< 1-based, in the order the clients connected
    Kind kind = Kind::Asked;
    int position = 0;     ///< Queued: 1 = next to be served
    int waiting = 0;      ///< Queued: how many wait in all
    double milliseconds = 0.0; ///< Served: time in line; Diagnosed: asked → answered
    QString detail;
};

/** One thing the verdict checked, and in words what it found. */
struct SaturationCheck
{
    bool passed = false;
    QString text;
};

struct SaturationVerdict
{
    bool passed = false;
    QVector<SaturationCheck> checks;
};

/** What the scenario expects of the server. */
struct SaturationExpectation
{
    int clients = 0;
    int workers = 0;
    /** Orchard servers tell a waiting client `queued` and its position; the original says nothing. */
    bool queuedMessages = true;
    /** A freed worker must take the next client in line within this long. */
    double handOverSeconds = 1.0;
};

/**
 * Judges a saturation timeline against what a pool of `workers` predicts when `clients`
 * connect one after another, each asks for a diagnosis, and each leaves after a while:
 * the first `workers` are served at once; the others wait, are told their positions
 * (1, 2, …) and move up; never more than `workers` hold a worker at once; each freed
 * worker goes to the longest waiting client at once; everyone is diagnosed.
 *
 * Pure: the events may come from a real run or be written by hand in a test.
 */
SaturationVerdict judgeSaturation(const QVector<SaturationEvent> &events, const SaturationExpectation &expected);

} // namespace orchard
