#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include "common/imaging/decodebudget.h"
#include "common/imaging/imageformatset.h"
#include "common/protocol/framereader.h"
#include "server/core/modelcontrol.h"

namespace orchard {

class AccessTokens;
struct TlsIdentity;

/** Everything `orchard-server` can be told on its command line, with the defaults it documents. */
struct ServerConfig
{
    QHostAddress host = QHostAddress::Any;
    quint16 port = 5050;
    /**
     * The HTTP port for health checks and Prometheus metrics (--http-port), apart from the
     * protocol port; unset: none (the command line's 0). 0 here: any free port (tests).
     */
    std::optional<quint16> httpPort;
    /** Loopback by default: the HTTP port has no authentication (docs/security.md). */
    QHostAddress httpHost = QHostAddress::LocalHost;
    int workers = 5; ///< sessions served at once; the original used a pool of 5
    int maxQueued = 64; ///< connections allowed to wait for a worker; the next gets BUSY
    std::chrono::milliseconds readTimeout { 30'000 }; ///< to complete a frame once begun
    std::chrono::milliseconds idleTimeout { 600'000 }; ///< between frames
    std::chrono::milliseconds writeTimeout { 30'000 }; ///< for a reply to leave
    qint64 maxMessageLength = FrameReader::kDefaultMaxBodyLength;
    /** CLIENT_MESSAGE bodies are text (offline, ping, info, auth), not images: 64 KiB. */
    qint64 maxClientMessageLength = FrameReader::kDefaultMaxTextLength;
    qint64 maxPixels = 40'000'000;
    /** Formats decoded; any other gets BAD_IMAGE saying what to send (docs/security.md). */
    ImageFormatSet imageFormats = ImageFormatSet::serverDefault();
    /**
     * The memory all workers together may spend decoding images (--decode-memory-mb). Every
     * copy of this config (the server's, each session's) shares the one budget.
     */
    std::shared_ptr<DecodeBudget> decodeBudget = std::make_shared<DecodeBudget>(DecodeBudget::defaultCapacity());
    int intraOpThreads = 1;
    /** Threads that run forward passes (--inference-threads); 0: defaultInferenceThreads(). */
    int inferenceThreads = 0;
    /** Images of one model version per forward pass at most (--max-batch); 1: no batching. */
    int maxBatch = 8;
    /** How long a forward pass may wait for its batch to fill (--batch-delay-us); 0: never. */
    std::chrono::microseconds batchDelay { 0 };
    int defaultTopK = 3;
    QString modelDirectory; ///< --model: one model folder, served alone (empty: the repository)
    QString modelRepository; ///< --model-repository; empty: the bundled or installed models/
    ModelControl modelControl = ModelControl::Explicit;
    std::chrono::seconds repositoryPollInterval { 15 };
    /**
     * Token labels whose holders may load and unload models over the HTTP port
     * (--admin-labels). Only asked for when there are access tokens.
     */
    QStringList adminLabels;
    /** When set, a client must send a valid token before anything else. */
    std::shared_ptr<const AccessTokens> accessTokens;
    /** When set, every connection is TLS (1.2 or later) with this certificate. */
    std::shared_ptr<const TlsIdentity> tls;
    /**
     * PROXY protocol (--proxy-protocol): a connection from one of trustedProxies must begin
     * with a PROXY v1 or v2 header (HAProxy's send-proxy-v2), and the client it names is the
     * peer the sessions table, the log and the metrics show (docs/scale-out.md).
     */
    bool proxyProtocol = false;
    /** --trusted-proxies: addresses or subnets (address, prefix length) of the balancers. */
    QList<QPair<QHostAddress, int>> trustedProxies;
    /**
     * HAProxy's agent check on this port (--agent-port), on httpHost: "up 40%" (the free
     * workers), "drain", "down". Unset: none. 0 here: any free port (tests).
     */
    std::optional<quint16> agentPort;
    /** After SIGTERM or POST /admin/drain: not ready for this long while serving, then shut down. */
    std::chrono::seconds drainTime { 5 };

    /** Whether a connection from address must begin with a PROXY header (proxyProtocol, trustedProxies). */
    bool isTrustedProxy(const QHostAddress &address) const;

    /** The cores divided by intraOpThreads, at least 1: the passes the machine runs at once. */
    static int defaultInferenceThreads(int intraOpThreads);
    /** inferenceThreads, or defaultInferenceThreads() when it is 0. */
    int effectiveInferenceThreads() const
    {
        return inferenceThreads > 0 ? inferenceThreads : defaultInferenceThreads(intraOpThreads);
    }
};

} // namespace orchard
