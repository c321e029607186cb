#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

#include "server/core/modelstore.h"

namespace orchard {

/**
 * The monitor's Models panel: one row per version the ModelStore knows — served, loading
 * or failed — with its request counters and, for a failed one, why.
 *
 * Rows follow ModelStore::statusChanged(). The counters change with every request and
 * signal nothing, so they are read again every second. A refresh that finds the same
 * versions reports only the cells that changed (dataChanged), so a view keeps its
 * selection and scroll position; only a version that came or went resets the model.
 */
class ModelTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Model, Version, State, Requests, MeanMs, Details, ColumnCount };

    explicit ModelTableModel(ModelStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /** The row of one version; -1 when the store does not know it. */
    int rowOf(const QString &name, qint64 version) const;
    /** What the store said of the version in row (0 ≤ row < rowCount()). */
    const ModelStore::VersionStatus &status(int row) const { return m_rows.at(row).status; }

    /** Reads the store's statuses again (statusChanged() and the counter timer call it). */
    void refresh();
    /** After a language switch: the titles and every row's texts changed. */
    void retranslate();

private:
    struct Row
    {
        ModelStore::VersionStatus status;
        /** The version a request that names no model gets: the default model's highest. */
        bool answersUnnamed = false;
    };

    static QList<Row> rowsOf(const QList<ModelStore::VersionStatus> &statuses);
    QVariant display(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;
    /** The State column: "ready", "failed"…, "(default)" for the version unnamed requests get. */
    static QString stateText(const Row &row);

    ModelStore *m_store;
    QList<Row> m_rows;
    QTimer m_counterTimer;
};

} // namespace orchard
