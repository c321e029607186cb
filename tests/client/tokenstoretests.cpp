// TokenStore against the real QtKeychain of the machine that runs the tests: without a
// keychain service (the build machine: no Secret Service, no KWallet, often no D-Bus
// session) every question fails fast and says why; with one, a token goes in, comes back
// and goes away, under an entry of the tests' own.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include <QElapsedTimer>
#include <QSignalSpy>

#include <qt6keychain/keychain.h>

#include "client/core/tokenstore.h"

using namespace orchard;

namespace {

const QString kService = QStringLiteral("OrchardTests");
const QString kKey = QStringLiteral("tokenstore-tests/server-access-token");

/** QtKeychain asked directly, as TokenStore does not: what it answers here, and its words. */
struct RawAnswer
{
    QKeychain::Error error = QKeychain::OtherError;
    QString errorString;
    bool keychainAnswered() const
    {
        return error == QKeychain::NoError || error == QKeychain::EntryNotFound;
    }
};

RawAnswer askQtKeychainDirectly()
{
    auto job = std::make_unique<QKeychain::ReadPasswordJob>(kService);
    job->setAutoDelete(false);
    job->setKey(kKey);
    QSignalSpy finished(job.get(), &QKeychain::Job::finished);
    job->start();
    REQUIRE((finished.count() == 1 || finished.wait(10000)));
    return { job->error(), job->errorString() };
}

} // namespace

TEST_CASE("TokenStore says at once, in words, that there is no keychain, or keeps a token in it")
{
    const RawAnswer raw = askQtKeychainDirectly();
    const TokenStore store(kService, kKey);
    QElapsedTimer clock;
    if (!raw.keychainAnswered()) {
        clock.start();
        const TokenStore::Answer read = store.read();
        const qint64 readMs = clock.elapsed();
        CHECK(read.outcome == TokenStore::Answer::Outcome::Unavailable);
        CHECK(read.token.isEmpty());
        CHECK(read.problem.kind == TokenStore::Problem::Kind::Unreachable);
        CHECK(read.problem.keychainError == raw.errorString);
        INFO("The words: " << read.problem.text().toStdString());
        CHECK(read.problem.text().contains(raw.errorString)); // QtKeychain's own words inside ours
        CHECK(read.problem.text().size() > raw.errorString.size() + 10);
        // Far under the deadline: no keychain is a quick answer, not a wait (1 ms measured).
        CHECK(readMs < 1000);

        clock.restart();
        CHECK(store.write("field-team-7f3a9c2e").outcome == TokenStore::Answer::Outcome::Unavailable);
        CHECK(store.remove().outcome == TokenStore::Answer::Outcome::Unavailable);
        CHECK(clock.elapsed() < 1000);

        const TokenStore::Availability availability = store.availability();
        CHECK_FALSE(availability.available);
        CHECK(availability.problem == read.problem);
        return;
    }
    WARN("This machine has a keychain service: the round trip is checked instead of the words.");
    REQUIRE(store.write("field-team-7f3a9c2e").outcome == TokenStore::Answer::Outcome::Done);
    const TokenStore::Answer read = store.read();
    CHECK(read.outcome == TokenStore::Answer::Outcome::Done);
    CHECK(read.token == "field-team-7f3a9c2e");
    CHECK(store.availability().available);
    CHECK(store.remove().outcome == TokenStore::Answer::Outcome::Done);
    CHECK(store.read().outcome == TokenStore::Answer::Outcome::NotFound);
}

TEST_CASE("TokenStore's default entry is named after the application, so tests never touch the farmer's")
{
    QCoreApplication::setOrganizationName(QStringLiteral("OrchardTests"));
    QCoreApplication::setApplicationName(QStringLiteral("orchard-tokenstore-tests"));
    const TokenStore store;
    CHECK(store.service() == "OrchardTests");
    CHECK(store.key() == "orchard-tokenstore-tests/server-access-token");
}
