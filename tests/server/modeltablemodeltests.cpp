// ModelTableModel (the monitor's Models panel) over a real ModelStore: a repository of
// copies of the shipped model, some broken on purpose, loaded for real.
#include <catch2/catch.hpp>

#include "tests/support/retranslatecheck.h"

#include <QBrush>
#include <QDir>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

#include "server/core/modelcontrol.h"
#include "server/core/modelstore.h"
#include "server/core/modeltablemodel.h"
#include "tests/support/modelrepositoryfixture.h"

using namespace orchard;
using namespace orchard::test;
using State = ModelStore::State;

namespace {

/** A store over repository, loaded as orchard-server loads it at start-up. */
std::unique_ptr<ModelStore> loadedStore(const Repository &repository, ModelControl control = ModelControl::Explicit)
{
    ModelStore::Options options;
    options.source = repository.path();
    options.control = control;
    auto store = std::make_unique<ModelStore>(options);
    QString error;
    const bool loaded = store->loadNow(&error);
    INFO(error.toStdString());
    REQUIRE(loaded);
    return store;
}

QString cell(const ModelTableModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

} // namespace

TEST_CASE("The models table lists every served version with its state, the default marked")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    const auto store = loadedStore(repository);
    ModelTableModel model(store.get());

    CHECK(model.columnCount() == ModelTableModel::ColumnCount);
    CHECK(model.headerData(ModelTableModel::State, Qt::Horizontal, Qt::DisplayRole).toString() == "State");
    CHECK(model.headerData(ModelTableModel::MeanMs, Qt::Horizontal, Qt::DisplayRole).toString() == "Mean ms");
    REQUIRE(model.rowCount() == 2);
    CHECK(cell(model, 0, ModelTableModel::Model) == "fashion-mnist");
    CHECK(model.index(0, ModelTableModel::Version).data().toLongLong() == 1);
    CHECK(model.index(1, ModelTableModel::Version).data().toLongLong() == 2);
    // Both are the default model's; requests that name none get the highest.
    CHECK(cell(model, 0, ModelTableModel::State) == "ready");
    CHECK(cell(model, 1, ModelTableModel::State) == "ready (default)");
    CHECK(cell(model, 1, ModelTableModel::State, Qt::ToolTipRole).contains("name no model"));
    CHECK(model.index(1, ModelTableModel::Requests).data().toULongLong() == 0);
    CHECK(cell(model, 1, ModelTableModel::MeanMs).isEmpty()); // no request yet: no mean
    CHECK(cell(model, 1, ModelTableModel::Details).isEmpty());
    CHECK_FALSE(model.index(1, ModelTableModel::State).data(Qt::ForegroundRole).isValid());
    CHECK(model.rowOf("fashion-mnist", 2) == 1);
    CHECK(model.rowOf("fashion-mnist", 3) == -1);
}

TEST_CASE("Request counters are read again every second and only their cells change")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    const auto store = loadedStore(repository);
    ModelTableModel model(store.get());
    REQUIRE(model.rowCount() == 1);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    // What a session does per answered request; it signals nothing.
    store->catalog()->defaultModel()->countRequest(10.0);
    store->catalog()->defaultModel()->countRequest(20.0);
    REQUIRE(changed.wait(3000)); // the 1 s timer
    CHECK(reset.isEmpty());
    const QModelIndex topLeft = changed.first().at(0).toModelIndex();
    const QModelIndex bottomRight = changed.first().at(1).toModelIndex();
    CHECK(topLeft.row() == 0);
    CHECK(topLeft.column() == ModelTableModel::Requests);
    CHECK(bottomRight.column() == ModelTableModel::MeanMs);
    CHECK(model.index(0, ModelTableModel::Requests).data().toULongLong() == 2);
    CHECK(cell(model, 0, ModelTableModel::MeanMs) == "15.0");

    // Nothing changed: a refresh reports nothing.
    changed.clear();
    model.refresh();
    CHECK(changed.isEmpty());
    CHECK(reset.isEmpty());
}

TEST_CASE("A version being loaded shows as loading, then ready, its row added by a reset")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    const auto store = loadedStore(repository);
    ModelTableModel model(store.get());
    REQUIRE(model.rowCount() == 1);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    bool done = false;
    bool succeeded = false;
    store->reload([&](bool ok, const QString &) {
        done = true;
        succeeded = ok;
    });
    // The scan is done and the load started before reload() returns.
    REQUIRE(store->isLoading());
    CHECK(reset.count() == 1);
    REQUIRE(model.rowCount() == 2);
    const int loading = model.rowOf("fashion-mnist", 2);
    REQUIRE(loading == 1);
    CHECK(model.status(loading).state == State::Loading);
    CHECK(cell(model, loading, ModelTableModel::State) == "loading");
    CHECK(model.index(loading, ModelTableModel::Model).data(Qt::FontRole).value<QFont>().italic());
    CHECK(cell(model, 0, ModelTableModel::State) == "ready (default)"); // 1 answers meanwhile

    REQUIRE(QTest::qWaitFor([&] { return done; }, 60000));
    CHECK(succeeded);
    REQUIRE(model.rowCount() == 2); // the same rows: their cells changed, no reset
    CHECK(reset.count() == 1);
    CHECK(model.status(1).state == State::Ready);
    CHECK(cell(model, 1, ModelTableModel::State) == "ready (default)");
    CHECK(cell(model, 0, ModelTableModel::State) == "ready");
    CHECK_FALSE(model.index(1, ModelTableModel::Model).data(Qt::FontRole).value<QFont>().italic());
}

TEST_CASE("A version that fails to load shows as failed, in the warning colour, with its reason")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addGarbageVersion(QStringLiteral("fashion-mnist"), 2);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    const auto store = loadedStore(repository); // 1 loads, so the server starts
    ModelTableModel model(store.get());

    REQUIRE(model.rowCount() == 2);
    const int failed = model.rowOf("fashion-mnist", 2);
    REQUIRE(failed >= 0);
    CHECK(model.status(failed).state == State::Failed);
    CHECK(cell(model, failed, ModelTableModel::State) == "failed");
    const QString reason = cell(model, failed, ModelTableModel::Details);
    INFO(reason.toStdString());
    CHECK_FALSE(reason.isEmpty());
    CHECK(reason == model.status(failed).reason);
    CHECK(cell(model, failed, ModelTableModel::State, Qt::ToolTipRole) == reason);
    CHECK(cell(model, failed, ModelTableModel::Requests).isEmpty());
    const QVariant colour = model.index(failed, ModelTableModel::Model).data(Qt::ForegroundRole);
    REQUIRE(colour.canConvert<QBrush>());
    CHECK(colour.value<QBrush>().color() != QColor(Qt::black));
    // Version 1 serves, and is what requests naming no model get.
    CHECK(cell(model, model.rowOf("fashion-mnist", 1), ModelTableModel::State) == "ready (default)");
    CHECK_FALSE(model.index(model.rowOf("fashion-mnist", 1), ModelTableModel::Model).data(Qt::ForegroundRole).isValid());

    // Its files mended: while it loads again the old reason is no longer the row's news.
    repository.removeVersion(QStringLiteral("fashion-mnist"), 2);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    bool done = false;
    store->reload([&](bool, const QString &) { done = true; });
    REQUIRE(store->isLoading());
    CHECK(cell(model, failed, ModelTableModel::State) == "loading");
    CHECK(cell(model, failed, ModelTableModel::Details).startsWith("loading and warming up"));
    CHECK(cell(model, failed, ModelTableModel::Details, Qt::ToolTipRole).startsWith("The last load failed: "));
    CHECK_FALSE(model.index(failed, ModelTableModel::Details).data(Qt::ForegroundRole).isValid());
    REQUIRE(QTest::qWaitFor([&] { return done; }, 60000));
    CHECK(cell(model, failed, ModelTableModel::State) == "ready (default)");
    CHECK(cell(model, failed, ModelTableModel::Details).isEmpty());
}

TEST_CASE("A version whose folder goes leaves the table on the next reload")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addVersion(QStringLiteral("other"), 1);
    const auto store = loadedStore(repository);
    ModelTableModel model(store.get());
    REQUIRE(model.rowCount() == 2);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    REQUIRE(QDir(QDir(repository.path()).filePath(QStringLiteral("other"))).removeRecursively());
    bool done = false;
    store->reload([&](bool, const QString &) { done = true; });
    REQUIRE(QTest::qWaitFor([&] { return done; }, 30000));
    REQUIRE(model.rowCount() == 1);
    CHECK(cell(model, 0, ModelTableModel::Model) == "fashion-mnist");
    CHECK(reset.count() == 1);
}

TEST_CASE("retranslate() tells the views that every title and every row's text changed")
{
    Repository repository;
    repository.addVersion(QStringLiteral("fashion-mnist"), 1);
    repository.addVersion(QStringLiteral("fashion-mnist"), 2);
    repository.writeConfig(QStringLiteral("fashion-mnist"), R"({"version_policy": {"latest": 2}})");
    const auto store = loadedStore(repository);
    ModelTableModel model(store.get());
    REQUIRE(model.rowCount() == 2);

    checkRetranslateAnnounces(model, [&] { model.retranslate(); }, { Qt::DisplayRole, Qt::ToolTipRole });
    // The headers say what their short titles count.
    CHECK_FALSE(model.headerData(ModelTableModel::State, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
}
