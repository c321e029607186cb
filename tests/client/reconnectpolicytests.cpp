// ReconnectPolicy: pure logic, so every delay is checked exactly through an injected random
// source (0.5 leaves a delay as it is, 0 and 1 are the jitter's two ends).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <QList>
#include <QRandomGenerator>

#include "client/core/reconnectpolicy.h"

using namespace orchard;

namespace {

using Loss = ReconnectPolicy::Loss;

ReconnectPolicy::RandomSource always(double value)
{
    return [value] { return value; };
}

QList<int> delaysUntilExhausted(ReconnectPolicy &policy)
{
    QList<int> delays;
    // Bounded: a policy that never ran out would stop the test here, not hang it.
    for (int i = 0; i < 1000 && !policy.exhausted(); ++i)
        delays.append(policy.nextDelay());
    return delays;
}

} // namespace

TEST_CASE("ReconnectPolicy: by default 5 attempts, 250 ms doubling up to 4 s")
{
    ReconnectPolicy policy(ReconnectPolicy::kDefaultMaxAttempts, always(0.5));
    CHECK(policy.maxAttempts() == 5);
    CHECK(policy.isEnabled());
    CHECK(policy.attemptsMade() == 0);
    CHECK_FALSE(policy.exhausted());
    CHECK(delaysUntilExhausted(policy) == QList<int> { 250, 500, 1000, 2000, 4000 });
    CHECK(policy.attemptsMade() == 5);
    CHECK(policy.exhausted());
    CHECK(policy.nextDelay() == -1); // nothing more to wait for
    CHECK(policy.attemptsMade() == 5);
    CHECK(ReconnectPolicy().maxAttempts() == 5);
}

TEST_CASE("ReconnectPolicy: past 4 s the delay stays at 4 s")
{
    ReconnectPolicy policy(8, always(0.5));
    CHECK(delaysUntilExhausted(policy) == QList<int> { 250, 500, 1000, 2000, 4000, 4000, 4000, 4000 });
    CHECK(ReconnectPolicy::baseDelayMs(1) == 250);
    CHECK(ReconnectPolicy::baseDelayMs(6) == 4000);
    CHECK(ReconnectPolicy::baseDelayMs(1000) == 4000); // no overflow however far it goes
}

TEST_CASE("ReconnectPolicy: the jitter spreads each delay by at most 20 % either way")
{
    ReconnectPolicy low(5, always(0.0));
    CHECK(delaysUntilExhausted(low) == QList<int> { 200, 400, 800, 1600, 3200 });
    ReconnectPolicy high(5, always(1.0));
    CHECK(delaysUntilExhausted(high) == QList<int> { 300, 600, 1200, 2400, 4800 });
    // A source out of range is held to the range rather than trusted.
    ReconnectPolicy wild(1, always(7.0));
    CHECK(wild.nextDelay() == 300);

    // The real source: every draw within the bounds, and not all the same.
    QList<int> firsts;
    for (int run = 0; run < 200; ++run) {
        ReconnectPolicy policy;
        const QList<int> delays = delaysUntilExhausted(policy);
        REQUIRE(delays.size() == 5);
        for (int attempt = 1; attempt <= 5; ++attempt) {
            const int base = ReconnectPolicy::baseDelayMs(attempt);
            INFO("attempt " << attempt << ": " << delays.at(attempt - 1) << " ms");
            CHECK(delays.at(attempt - 1) >= base * 8 / 10);
            CHECK(delays.at(attempt - 1) <= base * 12 / 10);
        }
        firsts.append(delays.first());
    }
    std::sort(firsts.begin(), firsts.end());
    CHECK(firsts.first() < firsts.last());
}

TEST_CASE("ReconnectPolicy: a seeded source gives the same delays every run")
{
    const auto seeded = [](quint32 seed) {
        auto generator = std::make_shared<QRandomGenerator>(seed);
        return ReconnectPolicy(5, [generator] { return generator->generateDouble(); });
    };
    ReconnectPolicy first = seeded(42);
    ReconnectPolicy second = seeded(42);
    CHECK(delaysUntilExhausted(first) == delaysUntilExhausted(second));
}

TEST_CASE("ReconnectPolicy: reset after a session answers starts again at attempt 1")
{
    ReconnectPolicy policy(5, always(0.5));
    CHECK(policy.nextDelay() == 250);
    CHECK(policy.nextDelay() == 500);
    CHECK(policy.nextDelay() == 1000);
    CHECK(policy.attemptsMade() == 3);
    policy.reset();
    CHECK(policy.attemptsMade() == 0);
    CHECK_FALSE(policy.exhausted());
    CHECK(delaysUntilExhausted(policy).size() == 5); // the whole budget again
}

TEST_CASE("ReconnectPolicy: 0 attempts never reconnects, fewer than 0 counts as 0")
{
    ReconnectPolicy off(0);
    CHECK_FALSE(off.isEnabled());
    CHECK(off.exhausted());
    CHECK(off.nextDelay() == -1);
    ReconnectPolicy negative(-3);
    CHECK(negative.maxAttempts() == 0);
    CHECK(negative.exhausted());
}

TEST_CASE("ReconnectPolicy: a drop, a restart or a full server is retried, what a retry cannot fix is not")
{
    for (const Loss loss : { Loss::Dropped, Loss::Unreachable, Loss::ServerShutdown, Loss::ServerBusy,
                             Loss::ServerTimeout }) {
        INFO("loss " << static_cast<int>(loss));
        CHECK(ReconnectPolicy::isRetryable(loss));
    }
    for (const Loss loss : { Loss::AccessRefused, Loss::TlsFailure, Loss::ProtocolMismatch, Loss::UserDisconnect,
                             Loss::IdleTimeout }) {
        INFO("loss " << static_cast<int>(loss));
        CHECK_FALSE(ReconnectPolicy::isRetryable(loss));
    }
}

TEST_CASE("ReconnectPolicy: the server's closing errors map to losses, TIMEOUT by what was on the wire")
{
    CHECK(ReconnectPolicy::lossFor(ErrorCode::Unauthorized, true) == Loss::AccessRefused);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::Busy, false) == Loss::ServerBusy);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::Timeout, true) == Loss::ServerTimeout);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::Timeout, false) == Loss::IdleTimeout);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::BadHeader, true) == Loss::ProtocolMismatch);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::TooLarge, true) == Loss::ProtocolMismatch);
    CHECK_FALSE(ReconnectPolicy::isRetryable(ReconnectPolicy::lossFor(ErrorCode::Unauthorized, true)));
    CHECK(ReconnectPolicy::isRetryable(ReconnectPolicy::lossFor(ErrorCode::Busy, true)));
    // Errors after which the session carries on: a loss that follows one is a plain drop.
    CHECK(ReconnectPolicy::lossFor(ErrorCode::BadImage, true) == Loss::Dropped);
    CHECK(ReconnectPolicy::lossFor(ErrorCode::UnknownModel, false) == Loss::Dropped);
}
