#include "common/protocol/messagetype.h"

#include <array>
#include <utility>

namespace orchard {

namespace {
constexpr std::array<std::pair<MessageType, const char *>, 5> kNames { {
    { MessageType::ClientImage, "CLIENT_IMAGE" },
    { MessageType::ClientMessage, "CLIENT_MESSAGE" },
    { MessageType::ServerPrediction, "SERVER_PREDICTION" },
    { MessageType::ServerMessage, "SERVER_MESSAGE" },
    { MessageType::ServerError, "SERVER_ERROR" },
} };
} // namespace

QString messageTypeName(MessageType type)
{
    for (const auto &[value, name] : kNames) {
        if (value == type)
            return QString::fromLatin1(name);
    }
    return {};
}

MessageType messageTypeFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return MessageType::Unknown;
}

} // namespace orchard
