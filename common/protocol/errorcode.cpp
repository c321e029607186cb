#include "common/protocol/errorcode.h"

#include <array>
#include <utility>

namespace orchard {

namespace {
constexpr std::array<std::pair<ErrorCode, const char *>, 9> kNames { {
    { ErrorCode::BadHeader, "BAD_HEADER" },
    { ErrorCode::TooLarge, "TOO_LARGE" },
    { ErrorCode::BadImage, "BAD_IMAGE" },
    { ErrorCode::UnknownType, "UNKNOWN_TYPE" },
    { ErrorCode::Busy, "BUSY" },
    { ErrorCode::Timeout, "TIMEOUT" },
    { ErrorCode::Internal, "INTERNAL" },
    { ErrorCode::Unauthorized, "UNAUTHORIZED" },
    { ErrorCode::UnknownModel, "UNKNOWN_MODEL" },
} };
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[value, name] : kNames) {
        if (value == code)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("INTERNAL");
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

bool errorClosesConnection(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadImage:
    case ErrorCode::UnknownType:
    case ErrorCode::Internal:
    case ErrorCode::UnknownModel:
        return false;
    case ErrorCode::BadHeader:
    case ErrorCode::TooLarge:
    case ErrorCode::Busy:
    case ErrorCode::Timeout:
    case ErrorCode::Unauthorized:
        return true;
    }
    return true;
}

} // namespace orchard
