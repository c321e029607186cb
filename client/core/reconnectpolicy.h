#pragma once

#include <functional>

#include "common/protocol/errorcode.h"

namespace orchard {

/**
 * When and how often a client tries again after its connection to a server was lost.
 *
 * Pure logic, no sockets: ServerConnection asks it whether a loss is worth a new attempt
 * (isRetryable()), how long to wait before the next one (nextDelay(): 250 ms, doubling,
 * at most 4 s, each ±20 % so that clients dropped together by one dying backend do not all
 * come back in the same instant), and when to give up (exhausted(), after maxAttempts). A
 * session that answers again makes it start over (reset()).
 */
class ReconnectPolicy
{
public:
    static constexpr int kDefaultMaxAttempts = 5;
    static constexpr int kInitialDelayMs = 250;
    static constexpr int kMaxDelayMs = 4000;
    /** Each delay is its base times a factor from 1 − kJitter to 1 + kJitter. */
    static constexpr double kJitter = 0.2;

    /** A number from 0 to 1, uniformly; 0.5 leaves a delay as it is. */
    using RandomSource = std::function<double()>;

    /** Why a connection ended, as far as trying again is concerned. */
    enum class Loss {
        Dropped,          ///< closed or reset without a word: a backend killed, the network cut
        Unreachable,      ///< a (re)connect attempt was refused or could not reach the host
        ServerShutdown,   ///< the server said `shutdown` (a restart, a rolling upgrade)
        ServerBusy,       ///< BUSY: its waiting line was full
        ServerTimeout,    ///< TIMEOUT while requests were on the wire: a stalled link
        IdleTimeout,      ///< TIMEOUT with nothing asked: the server takes its worker back
        AccessRefused,    ///< no access token, or the token refused (UNAUTHORIZED)
        TlsFailure,       ///< handshake failed, certificate untrusted or not the pinned one
        ProtocolMismatch, ///< unreadable frames, BAD_HEADER or TOO_LARGE: not the same protocol
        UserDisconnect,   ///< the user asked to disconnect
    };

    /** maxAttempts 0: never reconnect. random: nullptr for QRandomGenerator::global(). */
    explicit ReconnectPolicy(int maxAttempts = kDefaultMaxAttempts, RandomSource random = nullptr);

    /**
     * Whether connecting again can help. Not for a refused token, a TLS or certificate
     * failure or a server speaking another protocol: every backend behind one address gives
     * the same answer, so trying again only hides the sentence the user must read. Not for a
     * disconnect the user asked for, nor for an idle connection the server closed on purpose.
     */
    static bool isRetryable(Loss loss);
    /**
     * The loss a SERVER_ERROR that closes the connection means. requestsOnWire: whether
     * requests were waiting for answers (TIMEOUT then is a stalled link, not idleness).
     */
    static Loss lossFor(ErrorCode code, bool requestsOnWire);
    /** The delay before attempt n (from 1), without jitter: 250, 500, 1000, 2000, 4000, 4000… ms. */
    static int baseDelayMs(int attempt);

    int maxAttempts() const { return m_maxAttempts; }
    bool isEnabled() const { return m_maxAttempts > 0; }
    int attemptsMade() const { return m_attemptsMade; }
    bool exhausted() const { return m_attemptsMade >= m_maxAttempts; }

    /** Counts one more attempt and gives how long to wait before it (ms); -1 once exhausted. */
    int nextDelay();
    /** A session is back and answering: the next loss starts again at attempt 1. */
    void reset() { m_attemptsMade = 0; }

private:
    int m_maxAttempts;
    int m_attemptsMade = 0;
    RandomSource m_random;
};

} // namespace orchard
