#include "client/core/reconnectpolicy.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QRandomGenerator>

namespace orchard {

ReconnectPolicy::ReconnectPolicy(int maxAttempts, RandomSource random)
    : m_maxAttempts(std::max(0, maxAttempts))
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

bool ReconnectPolicy::isRetryable(Loss loss)
{
    switch (loss) {
    case Loss::Dropped:
    case Loss::Unreachable:
    case Loss::ServerShutdown:
    case Loss::ServerBusy:
    case Loss::ServerTimeout:
        return true;
    case Loss::IdleTimeout:
    case Loss::AccessRefused:
    case Loss::TlsFailure:
    case Loss::ProtocolMismatch:
    case Loss::UserDisconnect:
        return false;
    }
    return false;
}

ReconnectPolicy::Loss ReconnectPolicy::lossFor(ErrorCode code, bool requestsOnWire)
{
    switch (code) {
    case ErrorCode::Unauthorized:
        return Loss::AccessRefused;
    case ErrorCode::Busy:
        return Loss::ServerBusy;
    case ErrorCode::Timeout:
        return requestsOnWire ? Loss::ServerTimeout : Loss::IdleTimeout;
    case ErrorCode::BadHeader:
    case ErrorCode::TooLarge:
        // The server could not read what this client sent: the same bytes sent to another
        // backend would be refused the same way.
        return Loss::ProtocolMismatch;
    case ErrorCode::BadImage:
    case ErrorCode::UnknownType:
    case ErrorCode::Internal:
    case ErrorCode::UnknownModel:
        break; // the session carries on after these; a loss after them is a plain drop
    }
    return Loss::Dropped;
}

int ReconnectPolicy::baseDelayMs(int attempt)
{
    // 250 × 2^(n−1), capped; the shift stops long before it could overflow.
    const int doublings = std::clamp(attempt - 1, 0, 16);
    return std::min(kMaxDelayMs, kInitialDelayMs << doublings);
}

int ReconnectPolicy::nextDelay()
{
    if (exhausted())
        return -1;
    ++m_attemptsMade;
    const double unit = std::clamp(m_random(), 0.0, 1.0);
    const double factor = 1.0 + kJitter * (2.0 * unit - 1.0);
    return static_cast<int>(std::lround(baseDelayMs(m_attemptsMade) * factor));
}

} // namespace orchard
