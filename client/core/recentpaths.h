#pragma once

#include <QString>
#include <QStringList>

namespace orchard {

/**
 * The photos and folders the farmer opened lately, newest first: what File > Open Recent
 * lists. Kept in QSettings (files/recent) so the list survives a restart; a path that no
 * longer exists is dropped when the list is read, so the menu never offers a dead entry.
 */
class RecentPaths
{
public:
    static constexpr int kMaxPaths = 10;

    /** The list, newest first, without paths that have gone since. */
    static QStringList load();
    /** Puts paths at the front (a path opened again moves up), keeping kMaxPaths. */
    static void add(const QStringList &paths);
    static void clear();
};

} // namespace orchard
