#include "common/imaging/decodebudget.h"

#include <algorithm>
#include <utility>

#include <unistd.h>

namespace orchard {

namespace {

using Clock = std::chrono::steady_clock;

// How often a waiting request looks at the stop flag, which is raised without telling us:
// the same period as BlockingFrameStream's.
constexpr std::chrono::milliseconds kStopPoll { 50 };

constexpr qint64 kMiB = 1024 * 1024;

} // namespace

DecodeBudget::Reservation::Reservation(DecodeBudget *budget, qint64 bytes)
    : m_budget(budget)
    , m_bytes(bytes)
{ }

DecodeBudget::Reservation::Reservation(Reservation &&other) noexcept
    : m_budget(std::exchange(other.m_budget, nullptr))
    , m_bytes(std::exchange(other.m_bytes, 0))
{ }

DecodeBudget::Reservation &DecodeBudget::Reservation::operator=(Reservation &&other) noexcept
{
    if (this != &other) {
        if (m_budget)
            m_budget->release(m_bytes);
        m_budget = std::exchange(other.m_budget, nullptr);
        m_bytes = std::exchange(other.m_bytes, 0);
    }
    return *this;
}

DecodeBudget::Reservation::~Reservation()
{
    if (m_budget)
        m_budget->release(m_bytes);
}

DecodeBudget::DecodeBudget(qint64 capacityBytes, std::chrono::milliseconds maxWait)
    : m_capacity(std::max<qint64>(1, capacityBytes))
    , m_maxWait(std::max(std::chrono::milliseconds(0), maxWait))
{ }

qint64 DecodeBudget::defaultCapacity()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const qint64 physical = pages > 0 && pageSize > 0 ? qint64(pages) * pageSize : 4096 * kMiB;
    return std::max<qint64>(64 * kMiB, physical / 4);
}

qint64 DecodeBudget::inUse() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_inUse;
}

int DecodeBudget::waiting() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_line.size());
}

QString DecodeBudget::describeBytes(qint64 bytes)
{
    if (bytes >= 1000 * 1000 * 1000)
        return QStringLiteral("%1 GB").arg(double(bytes) / 1e9, 0, 'f', 1);
    if (bytes >= 1000 * 1000)
        return QStringLiteral("%1 MB").arg((bytes + 500'000) / 1'000'000);
    return QStringLiteral("%1 KB").arg((bytes + 999) / 1000);
}

InferenceResult<DecodeBudget::Reservation> DecodeBudget::reserve(
        qint64 bytes, const std::atomic_bool *stopRequested)
{
    bytes = std::max<qint64>(0, bytes);
    if (bytes > m_capacity)
        return InferenceError::badImage(
                QStringLiteral("decoding this image would take about %1, more than all of the server's "
                               "decode memory (%2); send a smaller image")
                        .arg(describeBytes(bytes), describeBytes(m_capacity)));

    std::unique_lock<std::mutex> lock(m_mutex);
    const quint64 ticket = m_nextTicket++;
    m_line.push_back(ticket);
    const auto leaveLine = [this, ticket] {
        m_line.erase(std::find(m_line.begin(), m_line.end(), ticket));
        m_changed.notify_all(); // whoever is first now may fit
    };
    const Clock::time_point deadline = Clock::now() + m_maxWait;
    for (;;) {
        if (m_line.front() == ticket && m_inUse + bytes <= m_capacity) {
            m_inUse += bytes;
            leaveLine(); // the next in line may fit in what is left
            return Reservation(this, bytes);
        }
        if (stopRequested && stopRequested->load()) {
            leaveLine();
            return InferenceError::badImage(
                    QStringLiteral("the server is shutting down; the image was not decoded"));
        }
        const Clock::time_point now = Clock::now();
        if (now >= deadline) {
            leaveLine();
            return InferenceError::badImage(
                    QStringLiteral("the server is busy decoding other images: this one needs about %1 of its "
                                   "%2 decode memory, and not enough came free within %3 s; send it again "
                                   "in a moment")
                            .arg(describeBytes(bytes), describeBytes(m_capacity))
                            .arg(double(m_maxWait.count()) / 1000.0, 0, 'g', 3));
        }
        m_changed.wait_until(lock, std::min(deadline, now + kStopPoll));
    }
}

void DecodeBudget::release(qint64 bytes)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_inUse -= bytes;
    }
    m_changed.notify_all();
}

} // namespace orchard
