#pragma once

#include <QString>

namespace orchard {

/** The versions of what the client is made of, for Help > About and bug reports. */
struct ComponentVersions
{
    QString orchard; ///< the application's own
    QString qtRunning; ///< the Qt libraries loaded now
    QString qtBuilt; ///< the Qt the client was compiled against
    QString openCv; ///< decodes and downsizes photos before they are sent
    /** The LibTorch this release's server is built with: the client has none, the server runs the model. */
    QString libTorch;

    static ComponentVersions current();
};

} // namespace orchard
