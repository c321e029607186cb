#pragma once
// What a table model's retranslate() must tell its views after a language switch: every
// column title and every row's text changed (one signal each, over the whole model).

#include <catch2/catch.hpp>

#include <QAbstractItemModel>
#include <QSignalSpy>

namespace orchard::test {

/**
 * Calls retranslate and checks the signals it sent; the model must have rows. roles: those
 * whose text the model translates (an empty list in the signal means every role).
 */
template <typename Retranslate>
void checkRetranslateAnnounces(QAbstractItemModel &model, Retranslate retranslate,
                               const QList<int> &translatedRoles = { Qt::DisplayRole })
{
    const int rows = model.rowCount();
    const int columns = model.columnCount();
    REQUIRE(rows > 0);
    QSignalSpy headers(&model, &QAbstractItemModel::headerDataChanged);
    QSignalSpy cells(&model, &QAbstractItemModel::dataChanged);
    retranslate();
    REQUIRE(headers.count() == 1);
    CHECK(headers.first().at(0).value<Qt::Orientation>() == Qt::Horizontal);
    CHECK(headers.first().at(1).toInt() == 0);
    CHECK(headers.first().at(2).toInt() == columns - 1);
    REQUIRE(cells.count() == 1);
    CHECK(cells.first().at(0).toModelIndex() == model.index(0, 0));
    CHECK(cells.first().at(1).toModelIndex() == model.index(rows - 1, columns - 1));
    const auto roles = cells.first().at(2).value<QList<int>>();
    for (int role : translatedRoles)
        CHECK((roles.isEmpty() || roles.contains(role)));
}

} // namespace orchard::test
