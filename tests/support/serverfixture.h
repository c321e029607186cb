#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include "common/inference/inferenceengine.h"
#include "server/core/orchardserver.h"
#include "tests/support/testdata.h"

namespace orchard::test {

/** A real OrchardServer with the default model on an ephemeral loopback port. */
struct ServerFixture
{
    explicit ServerFixture(ServerConfig config = {})
    {
        config.host = QHostAddress::LocalHost;
        config.port = 0;
        const auto engine = defaultEngine();
        REQUIRE(engine);
        server = std::make_unique<OrchardServer>(config, engine, QStringLiteral("test"));
        REQUIRE(server->start());
    }

    quint16 port() const { return server->serverPort(); }

    std::unique_ptr<OrchardServer> server;
};

inline ServerConfig withWorkers(int workers, int maxQueued = 64)
{
    ServerConfig config;
    config.workers = workers;
    config.maxQueued = maxQueued;
    return config;
}

} // namespace orchard::test
