#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include <QString>
#include <QtGlobal>

#include "common/imaging/inferenceresult.h"

namespace orchard {

/**
 * The memory all of a server's workers together may spend decoding images, handed out
 * first come, first served.
 *
 * The pixel limit bounds one image; this bounds the sum: five legitimate 40-megapixel
 * photos decoded at once would otherwise need five times the largest decode. Each request
 * reserves what ImageDecoder estimates its decoder will allocate and holds it while the
 * pixels live. A request that does not fit waits its turn (in arrival order, so a large one
 * is not starved by small ones behind it) for at most maxWait(), and gives up at once when
 * the stop flag rises; one larger than the whole budget is refused without waiting. Both
 * failures are BadImage errors whose message says what happened.
 *
 * Thread-safe. The budget must outlive its reservations.
 */
class DecodeBudget
{
public:
    static constexpr std::chrono::milliseconds kDefaultMaxWait { 10'000 };

    /** A share of the budget, given back when destroyed. Move-only. */
    class Reservation
    {
    public:
        Reservation() = default;
        Reservation(Reservation &&other) noexcept;
        Reservation &operator=(Reservation &&other) noexcept;
        Reservation(const Reservation &) = delete;
        Reservation &operator=(const Reservation &) = delete;
        ~Reservation();

        qint64 bytes() const { return m_bytes; }

    private:
        friend class DecodeBudget;
        Reservation(DecodeBudget *budget, qint64 bytes);

        DecodeBudget *m_budget = nullptr;
        qint64 m_bytes = 0;
    };

    explicit DecodeBudget(qint64 capacityBytes, std::chrono::milliseconds maxWait = kDefaultMaxWait);
    DecodeBudget(const DecodeBudget &) = delete;
    DecodeBudget &operator=(const DecodeBudget &) = delete;

    /**
     * A quarter of this machine's physical memory, at least 64 MiB. The rest is for what
     * every worker holds anyway (its request of up to --max-msg-len, LibTorch's buffers), the
     * model, and the farm PC's other programs; a 40-megapixel progressive JPEG needs about
     * 250 MB to decode, so a 4 GB machine decodes four of those at once and queues the fifth.
     */
    static qint64 defaultCapacity();

    qint64 capacity() const { return m_capacity; }
    std::chrono::milliseconds maxWait() const { return m_maxWait; }
    /** Bytes reserved right now. */
    qint64 inUse() const;
    /** Requests waiting for their turn right now. */
    int waiting() const;

    /**
     * Reserves bytes, waiting for earlier requests and for reservations to be given back, at
     * most maxWait() and never once *stopRequested is true (checked every 50 ms).
     */
    InferenceResult<Reservation> reserve(qint64 bytes, const std::atomic_bool *stopRequested = nullptr);

    /** "250 MB", "1.5 GB": how messages state an amount of memory. */
    static QString describeBytes(qint64 bytes);

private:
    void release(qint64 bytes);

    const qint64 m_capacity;
    const std::chrono::milliseconds m_maxWait;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed; ///< a reservation was given back or the line moved
    qint64 m_inUse = 0; ///< guarded by m_mutex
    std::deque<quint64> m_line; ///< tickets of the waiting requests, oldest first; m_mutex
    quint64 m_nextTicket = 0; ///< guarded by m_mutex
};

} // namespace orchard
