#include "client/core/componentversions.h"

#include <QCoreApplication>
#include <QtGlobal>

#include <opencv2/core/version.hpp>

namespace orchard {

ComponentVersions ComponentVersions::current()
{
    ComponentVersions versions;
    versions.orchard = QCoreApplication::applicationVersion();
    versions.qtRunning = QString::fromLatin1(qVersion());
    versions.qtBuilt = QStringLiteral(QT_VERSION_STR);
    versions.openCv = QStringLiteral(CV_VERSION);
    versions.libTorch = QStringLiteral(ORCHARD_LIBTORCH_VERSION);
    return versions;
}

} // namespace orchard
