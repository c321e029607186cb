#include "server/core/modelcontrol.h"

namespace orchard {

QString modelControlName(ModelControl control)
{
    switch (control) {
    case ModelControl::None:
        return QStringLiteral("none");
    case ModelControl::Poll:
        return QStringLiteral("poll");
    case ModelControl::Explicit:
        break;
    }
    return QStringLiteral("explicit");
}

std::optional<ModelControl> modelControlFromName(const QString &name)
{
    for (const ModelControl control : { ModelControl::None, ModelControl::Poll, ModelControl::Explicit }) {
        if (name == modelControlName(control))
            return control;
    }
    return std::nullopt;
}

} // namespace orchard
