#pragma once

#include <functional>

#include <QWidget>

#include "client/core/historystore.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace orchard {

class HistoryTableModel;

/**
 * The History tab: every diagnosis the farmer kept, filtered by date range, label, field
 * tag, "not sure" and words in notes or file names; one entry opened again beside the table
 * (thumbnail, result, quality, plant group) with its tag and note editable; the selection
 * deleted; the filtered rows exported as CSV.
 *
 * A view over HistoryStore, which the window owns. When the store could not be opened the
 * tab says why in words and stays inert; the rest of the window does not depend on it.
 * The store is read again only when needed: at once on refresh(), shortly after
 * recordsChanged() while the tab is shown, or when it is shown next. A change of language
 * does not read it: the filters, the table and the entry shown are written again as they are.
 */
class HistoryPanel : public QWidget
{
    Q_OBJECT

public:
    /** store: not owned, must outlive the panel; may be closed (then the tab says so). */
    explicit HistoryPanel(HistoryStore *store, QWidget *parent = nullptr);

    /** Reads the filters' choices and the matching rows from the store now. */
    void refresh();
    /** The store gained or changed records: read again soon if shown, else when next shown. */
    void recordsChanged();
    /** The conditions the filter row sets. */
    HistoryFilter filter() const;

    /** Deletes these table rows from the store without asking; false when the store refused. */
    bool deleteRows(const QList<int> &rows);
    /** Writes the rows shown (the filtered ones) as CSV; false, with a message box, when it cannot. */
    bool exportCsv(const QString &path);

    HistoryTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    /** "12 diagnoses", or "History is off: …" when the store is not open. */
    QString countText() const;
    /** What the detail pane shows, line by line (for tests and screen readers alike). */
    QString detailText() const;
    /** The detail pane's plant group sentence; empty when the entry was a photo alone. */
    QString plantText() const;

    QCheckBox *fromCheck() const { return m_fromCheck; }
    QDateEdit *fromEdit() const { return m_fromEdit; }
    QCheckBox *toCheck() const { return m_toCheck; }
    QDateEdit *toEdit() const { return m_toEdit; }
    QComboBox *labelCombo() const { return m_labelCombo; }
    QComboBox *tagCombo() const { return m_tagCombo; }
    QCheckBox *uncertainCheck() const { return m_uncertainCheck; }
    QLineEdit *searchEdit() const { return m_searchEdit; }
    QLineEdit *tagEdit() const { return m_tagEdit; }
    QPlainTextEdit *noteEdit() const { return m_noteEdit; }
    /** The detail pane's Save: stores its tag and note for the entry shown; false when refused. */
    bool saveDetail();
    QPushButton *openPhotoButton() const { return m_openPhotoButton; }

signals:
    /** The rows were read again; count: how many match the filters. */
    void refreshed(int count);
    /** "Open the photo" for the entry shown: its file, which still exists. */
    void photoRequested(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /** Tab goes through the filters, the table and its buttons, then the entry: as laid out. */
    void orderTabs();
    /** The line under the table; text makes it, again in each language. */
    void showCountText(std::function<QString()> text);
    QWidget *createFilters();
    QWidget *createDetail();
    /** The label and tag choices as the store has them now, keeping what is chosen. */
    void reloadChoices();
    void reloadRows();
    void showCurrent();
    void showNothing();
    void updateButtons();
    void confirmDelete();
    void chooseCsvFile();
    void showStoreError(const QString &error);
    QList<int> selectedRows() const;

    HistoryStore *m_store;
    HistoryTableModel *m_model = nullptr;
    bool m_dirty = true; ///< the store changed since the rows were read
    bool m_retranslating = false; ///< the model's dataChanged is its words', not an edit's
    QTimer *m_searchDelay = nullptr;
    QTimer *m_changeDelay = nullptr;

    QCheckBox *m_fromCheck = nullptr;
    QDateEdit *m_fromEdit = nullptr;
    QCheckBox *m_toCheck = nullptr;
    QDateEdit *m_toEdit = nullptr;
    QComboBox *m_labelCombo = nullptr;
    QComboBox *m_tagCombo = nullptr;
    QCheckBox *m_uncertainCheck = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QWidget *m_filters = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_labelFilterLabel = nullptr;
    QLabel *m_tagFilterLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    std::function<QString()> m_countText;
    QAction *m_deleteAction = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QPushButton *m_exportButton = nullptr;

    QWidget *m_detail = nullptr;
    QLabel *m_thumbnail = nullptr;
    QLabel *m_diagnosis = nullptr;
    QLabel *m_confidence = nullptr;
    QLabel *m_topK = nullptr;
    QLabel *m_quality = nullptr;
    QLabel *m_plant = nullptr;
    QLabel *m_origin = nullptr; ///< file, time, model
    QLabel *m_tagEditLabel = nullptr;
    QLabel *m_noteEditLabel = nullptr;
    QLineEdit *m_tagEdit = nullptr;
    QPlainTextEdit *m_noteEdit = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_openPhotoButton = nullptr;
    qint64 m_shownId = 0; ///< the record in the detail pane; 0: none
};

} // namespace orchard
