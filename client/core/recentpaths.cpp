#include "client/core/recentpaths.h"

#include <algorithm>

#include <QFileInfo>
#include <QSettings>

namespace orchard {

namespace {
const QString kKey = QStringLiteral("files/recent");
}

QStringList RecentPaths::load()
{
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.erase(std::remove_if(paths.begin(), paths.end(), [](const QString &path) { return !QFileInfo::exists(path); }),
                paths.end());
    return paths;
}

void RecentPaths::add(const QStringList &paths)
{
    QStringList recent = QSettings().value(kKey).toStringList();
    // In the order given, each put first, so the first path given ends up at the top.
    for (auto path = paths.crbegin(); path != paths.crend(); ++path) {
        const QString absolute = QFileInfo(*path).absoluteFilePath();
        recent.removeAll(absolute);
        recent.prepend(absolute);
    }
    while (recent.size() > kMaxPaths)
        recent.removeLast();
    QSettings().setValue(kKey, recent);
}

void RecentPaths::clear()
{
    QSettings().remove(kKey);
}

} // namespace orchard
