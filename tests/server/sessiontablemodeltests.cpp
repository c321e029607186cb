#include <catch2/catch.hpp>

#include "tests/support/retranslatecheck.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QTranslator>

#include "server/core/serverevents.h"
#include "server/core/sessiontablemodel.h"

using namespace orchard;
using namespace orchard::test;
using State = SessionTableModel::SessionState;

namespace {

/** A stand-in catalog: every text of ours comes back marked, as a translation would. */
class MarkingTranslator : public QTranslator
{
public:
    static inline const QString kMark = QStringLiteral("[zh] ");

    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        return QByteArray(context).startsWith("orchard::") ? kMark + QString::fromUtf8(sourceText) : QString();
    }
};

} // namespace

TEST_CASE("Session rows follow a connection from waiting to active to closed and away")
{
    ServerEvents events;
    SessionTableModel model(&events);
    model.setClosedRowLinger(0);

    emit events.connectionQueued(7, "10.0.0.2:4000", 1);
    emit events.connectionQueued(8, "10.0.0.3:4000", 2);
    REQUIRE(model.rowCount() == 2);
    CHECK(model.rowFor(7)->state == State::Waiting);
    CHECK(model.index(1, SessionTableModel::QueuePosition).data().toInt() == 2);
    CHECK(model.index(0, SessionTableModel::State).data().toString() == "waiting");

    emit events.sessionStarted(7, "10.0.0.2:4000", 1200.0);
    emit events.waitingLineChanged({ 8 });
    CHECK(model.rowFor(7)->state == State::Active);
    CHECK(model.rowFor(7)->queuePosition == 0);
    CHECK(model.rowFor(8)->queuePosition == 1);

    emit events.predictionServed(7, "rust", 0.9, 10.0);
    emit events.predictionServed(7, "scab", 0.8, 20.0);
    CHECK(model.index(0, SessionTableModel::Images).data().toInt() == 2);
    CHECK(model.index(0, SessionTableModel::LastMs).data().toString() == "20.0");
    CHECK(model.index(0, SessionTableModel::MeanMs).data().toString() == "15.0");

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    emit events.sessionEnded(7, "offline");
    CHECK(model.rowFor(7)->state == State::Closed);
    CHECK(model.countInState(State::Closed) == 1);
    REQUIRE(QTest::qWaitFor([&] { return model.rowFor(7) == nullptr; }, 2000));
    CHECK(model.rowCount() == 1);
    CHECK(removed.count() == 1);
}

TEST_CASE("A session that never waited gets a row when it starts")
{
    ServerEvents events;
    SessionTableModel model(&events);
    emit events.sessionStarted(3, "127.0.0.1:1", 0.0);
    REQUIRE(model.rowCount() == 1);
    CHECK(model.index(0, SessionTableModel::Id).data().toString() == "#3");
    CHECK(model.index(0, SessionTableModel::Peer).data().toString() == "127.0.0.1:1");
    CHECK(model.index(0, SessionTableModel::State).data().toString() == "active");
}

TEST_CASE("Closed rows leave in batches and every other row is still found by its id")
{
    ServerEvents events;
    SessionTableModel model(&events);
    model.setClosedRowLinger(0);
    for (quint64 id = 1; id <= 300; ++id)
        emit events.connectionQueued(id, QStringLiteral("10.0.0.%1:4000").arg(id % 250), int(id));
    REQUIRE(model.rowCount() == 300);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // Every third session ends: 100 rows, in runs of one, between rows that stay.
    for (quint64 id = 3; id <= 300; id += 3)
        emit events.sessionEnded(id, "offline");
    REQUIRE(QTest::qWaitFor([&] { return model.rowCount() == 200; }, 5000));
    CHECK(removed.count() >= 1);
    for (quint64 id = 1; id <= 300; ++id) {
        INFO("session " << id);
        const SessionTableModel::Row *row = model.rowFor(id);
        if (id % 3 == 0) {
            CHECK(row == nullptr);
        } else {
            REQUIRE(row != nullptr);
            CHECK(row->id == id);
        }
    }
    // A row after the removals still takes its events.
    emit events.sessionStarted(299, "10.0.0.49:4000", 5.0);
    CHECK(model.rowFor(299)->state == State::Active);
    CHECK(model.index(199, SessionTableModel::Id).data().toString().contains("299"));
}

TEST_CASE("retranslate() tells the views that every title and every row's text changed")
{
    ServerEvents events;
    SessionTableModel model(&events);
    emit events.connectionQueued(1, "10.0.0.2:4000", 1);
    emit events.sessionStarted(2, "10.0.0.3:4000", 0.0);
    REQUIRE(model.rowCount() == 2);

    checkRetranslateAnnounces(model, [&] { model.retranslate(); }, { Qt::DisplayRole, Qt::ToolTipRole });

    // An empty model has no rows to announce, only its titles.
    SessionTableModel empty(&events);
    QSignalSpy emptyCells(&empty, &QAbstractItemModel::dataChanged);
    empty.retranslate();
    CHECK(emptyCells.isEmpty());
}

TEST_CASE("A closed row says how it ended in the current language, the server's reasons as they are")
{
    ServerEvents events;
    SessionTableModel model(&events);
    emit events.connectionQueued(1, "10.0.0.2:4000", 1);
    emit events.waitingConnectionLeft(1);
    emit events.sessionStarted(2, "10.0.0.3:4000", 0.0);
    emit events.sessionEnded(2, "offline");
    emit events.sessionStarted(3, "10.0.0.4:4000", 0.0);
    emit events.sessionEnded(3, "client unreachable");
    REQUIRE(model.rowCount() == 3);
    const auto toolTip = [&](int row) { return model.index(row, SessionTableModel::Peer).data(Qt::ToolTipRole).toString(); };
    CHECK(toolTip(0) == "Closed: left while waiting");
    CHECK(toolTip(1) == "Closed: the client went offline");
    CHECK(toolTip(2) == "Closed: client unreachable");
    CHECK(model.index(0, SessionTableModel::State).data().toString() == "closed");
    CHECK(model.headerData(SessionTableModel::Peer, Qt::Horizontal, Qt::DisplayRole).toString() == "Peer");

    // Asked again after the switch, not kept from the moment the row closed.
    MarkingTranslator marking;
    REQUIRE(QCoreApplication::installTranslator(&marking));
    CHECK(toolTip(0) == "[zh] Closed: left while waiting");
    CHECK(toolTip(2) == "[zh] Closed: client unreachable");
    CHECK(model.index(0, SessionTableModel::State).data().toString() == "[zh] closed");
    CHECK(model.headerData(SessionTableModel::Peer, Qt::Horizontal, Qt::DisplayRole).toString() == "[zh] Peer");
    QCoreApplication::removeTranslator(&marking);
    CHECK(toolTip(0) == "Closed: left while waiting");
}
