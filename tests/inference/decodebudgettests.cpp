// DecodeBudget with real threads. Nothing here sleeps to let another thread get somewhere:
// a test sees a thread block by polling the budget's own counters against a deadline.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <thread>
#include <vector>

#include <unistd.h>

#include "common/imaging/decodebudget.h"
#include "common/imaging/imageformatset.h"

using namespace orchard;
using namespace std::chrono_literals;

namespace {

/** Polls until condition() holds or 10 s passed; whether it held. */
template<typename Condition>
bool eventually(Condition condition)
{
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::yield();
    }
    return true;
}

DecodeBudget::Reservation take(DecodeBudget &budget, qint64 bytes)
{
    InferenceResult<DecodeBudget::Reservation> reservation = budget.reserve(bytes);
    REQUIRE(reservation.ok());
    return std::move(reservation).value();
}

/** Reserves on its own thread; the future says how many bytes it got (-1: refused). */
std::future<qint64> reserveElsewhere(DecodeBudget &budget, qint64 bytes, const std::atomic_bool *stop = nullptr,
                                     QString *message = nullptr)
{
    return std::async(std::launch::async, [&budget, bytes, stop, message] {
        const InferenceResult<DecodeBudget::Reservation> reservation = budget.reserve(bytes, stop);
        if (!reservation) {
            if (message)
                *message = reservation.error().message;
            return qint64(-1);
        }
        return reservation->bytes();
    });
}

} // namespace

TEST_CASE("A decode reservation is given back when it goes, one larger than the budget is refused at once")
{
    DecodeBudget budget(100, 60s);
    {
        DecodeBudget::Reservation first = take(budget, 60);
        CHECK(first.bytes() == 60);
        CHECK(budget.inUse() == 60);
        DecodeBudget::Reservation moved = std::move(first);
        CHECK(budget.inUse() == 60); // moving does not give it back twice
        DecodeBudget::Reservation second = take(budget, 40);
        CHECK(budget.inUse() == 100);
        moved = DecodeBudget::Reservation();
        CHECK(budget.inUse() == 40);
    }
    CHECK(budget.inUse() == 0);

    const InferenceResult<DecodeBudget::Reservation> tooLarge = budget.reserve(101);
    REQUIRE_FALSE(tooLarge.ok());
    CHECK(tooLarge.error().kind == InferenceError::Kind::BadImage);
    CHECK(tooLarge.error().message.contains(QStringLiteral("more than all of the server's decode memory")));
    CHECK(budget.waiting() == 0);
}

TEST_CASE("A decode that does not fit waits on its thread until memory is given back")
{
    DecodeBudget budget(100, 60s);
    DecodeBudget::Reservation held = take(budget, 60);
    std::future<qint64> waiter = reserveElsewhere(budget, 50);
    REQUIRE(eventually([&] { return budget.waiting() == 1; }));
    CHECK(waiter.wait_for(0s) == std::future_status::timeout);
    held = DecodeBudget::Reservation();
    REQUIRE(waiter.wait_for(10s) == std::future_status::ready);
    CHECK(waiter.get() == 50);
    CHECK(budget.inUse() == 0);
    CHECK(budget.waiting() == 0);
}

TEST_CASE("Decodes get memory in arrival order: a small one does not pass a large one waiting before it")
{
    DecodeBudget budget(100, 60s);
    DecodeBudget::Reservation held = take(budget, 80);
    std::future<qint64> large = reserveElsewhere(budget, 50);
    REQUIRE(eventually([&] { return budget.waiting() == 1; }));
    std::future<qint64> small = reserveElsewhere(budget, 10);
    REQUIRE(eventually([&] { return budget.waiting() == 2; }));
    // The small one would fit in the 20 left, yet waits its turn behind the large one.
    CHECK(budget.inUse() == 80);
    CHECK(small.wait_for(0s) == std::future_status::timeout);
    held = DecodeBudget::Reservation();
    REQUIRE(large.wait_for(10s) == std::future_status::ready);
    REQUIRE(small.wait_for(10s) == std::future_status::ready);
    CHECK(large.get() == 50);
    CHECK(small.get() == 10);
}

TEST_CASE("A wait for decode memory ends with a sentence after maxWait, or as soon as the stop flag rises")
{
    DecodeBudget patient(100, 60s);
    DecodeBudget::Reservation held = take(patient, 100);
    std::atomic_bool stop { false };
    QString stopped;
    std::future<qint64> waiter = reserveElsewhere(patient, 10, &stop, &stopped);
    REQUIRE(eventually([&] { return patient.waiting() == 1; }));
    stop = true;
    REQUIRE(waiter.wait_for(10s) == std::future_status::ready); // not the budget's 60 s
    CHECK(waiter.get() == -1);
    CHECK(stopped == QStringLiteral("the server is shutting down; the image was not decoded"));
    CHECK(patient.waiting() == 0);

    DecodeBudget hurried(100, 200ms);
    DecodeBudget::Reservation all = take(hurried, 100);
    const auto started = std::chrono::steady_clock::now();
    const InferenceResult<DecodeBudget::Reservation> late = hurried.reserve(10);
    CHECK(std::chrono::steady_clock::now() - started >= 200ms);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().kind == InferenceError::Kind::BadImage);
    CHECK(late.error().message.contains(QStringLiteral("busy decoding other images")));
    CHECK(late.error().message.contains(QStringLiteral("within 0.2 s")));
    CHECK(hurried.waiting() == 0);
    CHECK(hurried.inUse() == 100);
}

TEST_CASE("Eight threads decoding at once never hold more than the budget between them")
{
    DecodeBudget budget(100, 60s);
    std::atomic<qint64> mostInUse { 0 };
    std::atomic<int> refused { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 random { unsigned(t) };
            for (int i = 0; i < 300; ++i) {
                const InferenceResult<DecodeBudget::Reservation> share = budget.reserve(1 + qint64(random() % 45));
                if (!share) {
                    ++refused;
                    continue;
                }
                const qint64 now = budget.inUse();
                qint64 seen = mostInUse.load();
                while (now > seen && !mostInUse.compare_exchange_weak(seen, now)) { }
                std::this_thread::yield();
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    CHECK(refused == 0);
    CHECK(mostInUse <= 100);
    CHECK(budget.inUse() == 0);
    CHECK(budget.waiting() == 0);
}

TEST_CASE("The default decode budget is a quarter of this machine's memory")
{
    const qint64 physical = qint64(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
    CHECK(DecodeBudget::defaultCapacity() == std::max<qint64>(64 * 1024 * 1024, physical / 4));
    CHECK(DecodeBudget::describeBytes(2'147'483'648) == QStringLiteral("2.1 GB"));
    CHECK(DecodeBudget::describeBytes(250'400'000) == QStringLiteral("250 MB"));
    CHECK(DecodeBudget::describeBytes(65'536) == QStringLiteral("66 KB"));
}

TEST_CASE("Image format lists are read as --image-formats takes them")
{
    using Format = ImageHeader::Format;
    QString error;
    const std::optional<ImageFormatSet> some = ImageFormatSet::parse(QStringLiteral("jpeg, PNG,tif"), &error);
    REQUIRE(some);
    CHECK(*some == ImageFormatSet({ Format::Jpeg, Format::Png, Format::Tiff }));
    CHECK(some->describe() == QStringLiteral("JPEG, PNG, TIFF"));
    CHECK(some->toOptionValue() == QStringLiteral("jpeg,png,tiff"));
    CHECK(some->whatToSend() == QStringLiteral("JPEG or PNG"));
    CHECK(*ImageFormatSet::parse(QStringLiteral("all"), &error) == ImageFormatSet::all());
    CHECK(ImageFormatSet::parse(ImageFormatSet::all().toOptionValue(), &error) == ImageFormatSet::all());
    CHECK(ImageFormatSet::serverDefault().toOptionValue() == QStringLiteral("jpeg,png,webp,bmp"));
    CHECK_FALSE(ImageFormatSet::serverDefault().contains(Format::Tiff));
    CHECK(ImageFormatSet({ Format::WebP }).whatToSend() == QStringLiteral("WebP"));

    CHECK_FALSE(ImageFormatSet::parse(QStringLiteral("jpeg,gif"), &error));
    CHECK(error.contains(QStringLiteral("\"gif\"")));
    CHECK_FALSE(ImageFormatSet::parse(QStringLiteral("jpeg,,png"), &error));
}
