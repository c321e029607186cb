#include "client/ui/historypanel.h"

#include <algorithm>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "client/core/diagnosistext.h"
#include "client/core/historytablemodel.h"
#include "client/ui/resultpanel.h"

namespace orchard {

namespace {

/** Typing pauses this long before the search runs: one query per word, not per key. */
constexpr int kSearchDelayMs = 250;
/**
 * Diagnoses of a batch arrive a few milliseconds apart; reading the history again once
 * they pause keeps a 200-photo batch from re-reading it 200 times.
 */
constexpr int kChangeDelayMs = 300;
/** The detail pane's picture: the stored 96 px thumbnail, scaled up a little. */
constexpr int kDetailPictureSide = 128;
/** How much of the top-k the detail pane lists. */
constexpr int kDetailTopK = 5;

/** Puts back the entry of a combo whose text is `text`, or the first ("Any …") when it is gone. */
void restoreChoice(QComboBox *combo, const QString &text)
{
    const int found = text.isEmpty() ? -1 : combo->findText(text, Qt::MatchExactly);
    combo->setCurrentIndex(found > 0 ? found : 0);
}

} // namespace

HistoryPanel::HistoryPanel(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new HistoryTableModel(store, this))
    , m_searchDelay(new QTimer(this))
    , m_changeDelay(new QTimer(this))
{
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(kSearchDelayMs);
    connect(m_searchDelay, &QTimer::timeout, this, &HistoryPanel::reloadRows);
    m_changeDelay->setSingleShot(true);
    m_changeDelay->setInterval(kChangeDelayMs);
    connect(m_changeDelay, &QTimer::timeout, this, &HistoryPanel::refresh);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setIconSize(QSize(HistoryTableModel::kIconSide, HistoryTableModel::kIconSide));
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(HistoryTableModel::kIconSide + 4);
    m_view->setWordWrap(false);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true); // the note takes what is left
    const QFontMetrics metrics = m_view->fontMetrics();
    header->resizeSection(HistoryTableModel::Time, metrics.horizontalAdvance(QStringLiteral("0000-00-00 00:00")) + 16);
    header->resizeSection(HistoryTableModel::File, 150);
    header->resizeSection(HistoryTableModel::Diagnosis, 140);
    header->resizeSection(HistoryTableModel::Confidence, metrics.horizontalAdvance(QStringLiteral("Confidence")) + 16);
    header->resizeSection(HistoryTableModel::Warnings, 80);
    header->resizeSection(HistoryTableModel::Tag, 90);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryPanel::showCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateButtons);
    connect(m_model, &HistoryTableModel::storeFailed, this, &HistoryPanel::showStoreError);
    // An edit in the table shows in the detail pane, and a new tag among the filter's choices.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        reloadChoices();
        showCurrent();
    });

    auto *deleteAction = new QAction(tr("Delete"), m_view);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction, &QAction::triggered, this, &HistoryPanel::confirmDelete);
    m_view->addAction(deleteAction);

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("historyCount"));
    m_countLabel->setTextFormat(Qt::PlainText); // the store's error may quote a path
    m_countLabel->setWordWrap(true);
    m_deleteButton = new QPushButton(tr("Delete"), this);
    m_deleteButton->setToolTip(tr("Delete the selected entries from the history (Del)"));
    connect(m_deleteButton, &QPushButton::clicked, this, &HistoryPanel::confirmDelete);
    m_exportButton = new QPushButton(tr("Export CSV…"), this);
    m_exportButton->setToolTip(tr("Save the entries shown (as filtered) as a CSV file"));
    connect(m_exportButton, &QPushButton::clicked, this, &HistoryPanel::chooseCsvFile);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_countLabel, 1);
    buttons->addWidget(m_deleteButton);
    buttons->addWidget(m_exportButton);

    auto *tableSide = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableSide);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_view, 1);
    tableLayout->addLayout(buttons);

    auto *detailScroll = new QScrollArea(this);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFrameShape(QFrame::NoFrame);
    detailScroll->setWidget(createDetail());
    detailScroll->setMinimumWidth(300);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(tableSide);
    splitter->addWidget(detailScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 760, 380 });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createFilters());
    layout->addWidget(splitter, 1);
    showNothing();
    updateButtons();
}

QWidget *HistoryPanel::createFilters()
{
    m_filters = new QWidget(this);
    auto *row = new QHBoxLayout(m_filters);
    row->setContentsMargins(0, 0, 0, 0);
    const QDate today = QDate::currentDate();
    auto makeDate = [this](const QDate &date) {
        auto *edit = new QDateEdit(date, this);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        edit->setEnabled(false); // until its box is ticked
        return edit;
    };
    m_fromCheck = new QCheckBox(tr("From"), this);
    m_fromCheck->setToolTip(tr("Only diagnoses made on or after this day"));
    m_fromEdit = makeDate(today.addDays(-30));
    m_toCheck = new QCheckBox(tr("To"), this);
    m_toCheck->setToolTip(tr("Only diagnoses made on or before this day"));
    m_toEdit = makeDate(today);
    connect(m_fromCheck, &QCheckBox::toggled, m_fromEdit, &QWidget::setEnabled);
    connect(m_toCheck, &QCheckBox::toggled, m_toEdit, &QWidget::setEnabled);
    for (QCheckBox *check : { m_fromCheck, m_toCheck })
        connect(check, &QCheckBox::toggled, this, &HistoryPanel::reloadRows);
    for (QDateEdit *edit : { m_fromEdit, m_toEdit })
        connect(edit, &QDateEdit::dateChanged, this, &HistoryPanel::reloadRows);

    m_labelCombo = new QComboBox(this);
    m_labelCombo->setObjectName(QStringLiteral("historyLabelFilter"));
    m_labelCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_labelCombo->setMinimumContentsLength(10);
    m_labelCombo->setToolTip(tr("Only diagnoses with this label"));
    m_tagCombo = new QComboBox(this);
    m_tagCombo->setObjectName(QStringLiteral("historyTagFilter"));
    m_tagCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tagCombo->setMinimumContentsLength(10);
    m_tagCombo->setToolTip(tr("Only diagnoses of this field or plot"));
    for (QComboBox *combo : { m_labelCombo, m_tagCombo })
        connect(combo, &QComboBox::currentIndexChanged, this, &HistoryPanel::reloadRows);

    m_uncertainCheck = new QCheckBox(tr("Not sure only"), this);
    m_uncertainCheck->setToolTip(tr("Only answers the model was not sure of"));
    connect(m_uncertainCheck, &QCheckBox::toggled, this, &HistoryPanel::reloadRows);

    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("historySearch"));
    m_searchEdit->setPlaceholderText(tr("Search notes and files…"));
    m_searchEdit->setClearButtonEnabled(true);
    connect(m_searchEdit, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &HistoryPanel::reloadRows);

    row->addWidget(m_fromCheck);
    row->addWidget(m_fromEdit);
    row->addWidget(m_toCheck);
    row->addWidget(m_toEdit);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("Label:"), this));
    row->addWidget(m_labelCombo);
    row->addWidget(new QLabel(tr("Tag:"), this));
    row->addWidget(m_tagCombo);
    row->addWidget(m_uncertainCheck);
    row->addWidget(m_searchEdit, 1);
    return m_filters;
}

QWidget *HistoryPanel::createDetail()
{
    m_detail = new QWidget(this);
    m_detail->setObjectName(QStringLiteral("historyDetail"));
    m_thumbnail = new QLabel(m_detail);
    m_thumbnail->setFixedSize(kDetailPictureSide, kDetailPictureSide);
    m_thumbnail->setAlignment(Qt::AlignCenter);
    m_thumbnail->setFrameShape(QFrame::StyledPanel);
    auto plainLabel = [this] {
        auto *label = new QLabel(m_detail);
        label->setTextFormat(Qt::PlainText); // labels, paths and notes are shown as they are
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    m_diagnosis = plainLabel();
    m_diagnosis->setObjectName(QStringLiteral("historyDiagnosis"));
    QFont big = m_diagnosis->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_diagnosis->setFont(big);
    m_confidence = plainLabel();
    m_topK = plainLabel();
    m_topK->setForegroundRole(QPalette::PlaceholderText);
    m_quality = plainLabel();
    m_quality->setObjectName(QStringLiteral("historyQuality"));
    m_quality->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; }")); // a warning, as in the Diagnosis panel
    m_plant = plainLabel();
    m_plant->setObjectName(QStringLiteral("historyPlant"));
    m_origin = plainLabel();
    m_origin->setForegroundRole(QPalette::PlaceholderText);

    m_tagEdit = new QLineEdit(m_detail);
    m_tagEdit->setPlaceholderText(tr("no tag"));
    m_noteEdit = new QPlainTextEdit(m_detail);
    m_noteEdit->setPlaceholderText(tr("A note for this diagnosis (what you saw, what you did)"));
    m_noteEdit->setTabChangesFocus(true);
    m_noteEdit->setFixedHeight(m_noteEdit->fontMetrics().lineSpacing() * 3 + 12);
    m_saveButton = new QPushButton(tr("Save"), m_detail);
    m_saveButton->setToolTip(tr("Keep this tag and note for the entry"));
    connect(m_saveButton, &QPushButton::clicked, this, &HistoryPanel::saveDetail);
    m_openPhotoButton = new QPushButton(tr("Open the Photo"), m_detail);
    m_openPhotoButton->setToolTip(tr("Show the photo in the image list again, to look at it or diagnose it anew"));
    connect(m_openPhotoButton, &QPushButton::clicked, this, [this] {
        const int row = m_model->rowOfId(m_shownId);
        if (row >= 0)
            emit photoRequested(m_model->record(row).filePath);
    });

    auto *text = new QVBoxLayout;
    text->addWidget(m_diagnosis);
    text->addWidget(m_confidence);
    text->addWidget(m_topK);
    text->addWidget(m_quality);
    text->addWidget(m_plant);
    text->addWidget(m_origin);
    auto *top = new QHBoxLayout;
    top->addWidget(m_thumbnail, 0, Qt::AlignTop);
    top->addLayout(text, 1);
    auto *editors = new QFormLayout;
    editors->addRow(tr("Tag:"), m_tagEdit);
    editors->addRow(tr("Note:"), m_noteEdit);
    auto *layout = new QVBoxLayout(m_detail);
    layout->addLayout(top);
    layout->addLayout(editors);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_openPhotoButton);
    actions->addStretch(1);
    actions->addWidget(m_saveButton);
    layout->addLayout(actions);
    layout->addStretch(1);
    return m_detail;
}

HistoryFilter HistoryPanel::filter() const
{
    HistoryFilter filter;
    if (m_fromCheck->isChecked())
        filter.since = m_fromEdit->date();
    if (m_toCheck->isChecked())
        filter.until = m_toEdit->date();
    if (m_labelCombo->currentIndex() > 0)
        filter.label = m_labelCombo->currentText();
    if (m_tagCombo->currentIndex() > 0)
        filter.tag = m_tagCombo->currentText();
    filter.uncertainOnly = m_uncertainCheck->isChecked();
    filter.text = m_searchEdit->text().trimmed();
    return filter;
}

void HistoryPanel::refresh()
{
    m_changeDelay->stop();
    reloadChoices();
    reloadRows();
}

void HistoryPanel::recordsChanged()
{
    m_dirty = true;
    if (isVisible())
        m_changeDelay->start();
}

void HistoryPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

void HistoryPanel::reloadChoices()
{
    const bool open = m_store && m_store->isOpen();
    const QString label = m_labelCombo->currentText();
    const QString tag = m_tagCombo->currentText();
    // Refilling a combo moves its current index; the rows are read once, after both.
    const QSignalBlocker blockLabels(m_labelCombo);
    const QSignalBlocker blockTags(m_tagCombo);
    m_labelCombo->clear();
    m_labelCombo->addItem(tr("Any label"));
    m_tagCombo->clear();
    m_tagCombo->addItem(tr("Any tag"));
    if (open) {
        m_labelCombo->addItems(m_store->labels());
        m_tagCombo->addItems(m_store->tags());
    }
    restoreChoice(m_labelCombo, label);
    restoreChoice(m_tagCombo, tag);
}

void HistoryPanel::reloadRows()
{
    m_searchDelay->stop();
    m_dirty = false;
    const bool open = m_store && m_store->isOpen();
    m_filters->setEnabled(open);
    if (!open) {
        m_model->setRecords({});
        m_countLabel->setText(m_store ? tr("History is off: %1").arg(m_store->errorString())
                                      : tr("History is off."));
        showNothing();
        updateButtons();
        emit refreshed(0);
        return;
    }
    const qint64 current = m_shownId;
    const QVector<HistoryRecord> records = m_store->find(filter());
    m_model->setRecords(records);
    if (records.isEmpty() && !m_store->errorString().isEmpty())
        m_countLabel->setText(tr("The history cannot be read: %1").arg(m_store->errorString()));
    else
        m_countLabel->setText(records.size() == 1 ? tr("1 diagnosis") : tr("%1 diagnoses").arg(records.size()));
    // The entry open in the detail pane stays open when it still matches.
    const int row = m_model->rowOfId(current);
    if (row >= 0) {
        m_view->setCurrentIndex(m_model->index(row, HistoryTableModel::Time));
        m_view->selectRow(row);
    } else {
        showNothing();
    }
    updateButtons();
    emit refreshed(static_cast<int>(records.size()));
}

void HistoryPanel::showNothing()
{
    m_shownId = 0;
    m_thumbnail->clear();
    m_thumbnail->setText(tr("—"));
    m_diagnosis->setText(m_store && m_store->isOpen() ? tr("Select an entry") : tr("No history"));
    m_confidence->clear();
    m_topK->clear();
    m_quality->hide();
    m_plant->hide();
    m_origin->clear();
    m_tagEdit->clear();
    m_noteEdit->clear();
    m_tagEdit->setEnabled(false);
    m_noteEdit->setEnabled(false);
    m_saveButton->setEnabled(false);
    m_openPhotoButton->setEnabled(false);
}

// Long but flat: one block per line of the detail pane, in the order shown.
void HistoryPanel::showCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        showNothing();
        return;
    }
    const HistoryRecord &record = m_model->record(current.row());
    const bool sameEntry = record.id == m_shownId;
    m_shownId = record.id;

    const QImage thumbnail = record.thumbnailImage();
    if (thumbnail.isNull()) {
        m_thumbnail->clear();
        m_thumbnail->setText(tr("no picture"));
    } else {
        m_thumbnail->setPixmap(QPixmap::fromImage(
                thumbnail.scaled(kDetailPictureSide, kDetailPictureSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    }

    QStringList scores;
    for (const LabelScore &entry : record.topK.mid(0, kDetailTopK))
        scores.append(tr("%1 %2").arg(entry.label, DiagnosisText::percent(entry.score)));
    if (record.uncertain) {
        // As the Diagnosis panel says it: a hesitation with its candidates, not a bold label.
        QFont plain = m_diagnosis->font();
        plain.setBold(false);
        m_diagnosis->setFont(plain);
        m_diagnosis->setText(tr("Not sure"));
        m_confidence->setText(ResultPanel::candidatesSentence(record.topK, record.label, record.confidence));
    } else {
        QFont bold = m_diagnosis->font();
        bold.setBold(true);
        m_diagnosis->setFont(bold);
        m_diagnosis->setText(record.label);
        m_confidence->setText(tr("%1 confident").arg(DiagnosisText::percent(record.confidence)));
    }
    // An uncertain answer has named its candidates already.
    m_topK->setText(scores.isEmpty() || record.uncertain ? QString()
                                                         : tr("Top answers: %1").arg(scores.join(QStringLiteral(" · "))));
    m_topK->setVisible(!m_topK->text().isEmpty());

    QStringList sentences;
    for (const QString &warning : record.qualityWarnings)
        sentences.append(ResultPanel::qualityWarningSentence(warning));
    m_quality->setText(sentences.join(u' '));
    m_quality->setVisible(!sentences.isEmpty());

    QString plant;
    if (!record.plantGroup.isEmpty() && m_store) {
        const int others = std::max(0, static_cast<int>(m_store->plantGroup(record.plantGroup).size()) - 1);
        plant = others == 1 ? tr("Diagnosed with 1 other photo as one plant: %1").arg(record.plantSummary)
                            : tr("Diagnosed with %1 other photos as one plant: %2").arg(others).arg(record.plantSummary);
    }
    m_plant->setText(plant);
    m_plant->setVisible(!plant.isEmpty());

    const QString model = record.model.isEmpty() ? tr("an unnamed model")
            : record.modelVersion ? tr("model %1, version %2").arg(record.model).arg(*record.modelVersion)
                                  : tr("model %1").arg(record.model);
    m_origin->setText(tr("%1\n%2, by %3 (%4).")
                              .arg(QDir::toNativeSeparators(record.filePath),
                                   QLocale().toString(record.time.toLocalTime(), QLocale::LongFormat), model,
                                   record.source == HistoryRecord::Source::Cli ? tr("orchard-cli")
                                                                               : tr("desktop client")));

    m_tagEdit->setEnabled(true);
    m_noteEdit->setEnabled(true);
    m_saveButton->setEnabled(true);
    // Photos move and get deleted; the thumbnail and the result stay in the history anyway.
    const bool photoThere = QFileInfo::exists(record.filePath);
    m_openPhotoButton->setEnabled(photoThere);
    m_openPhotoButton->setToolTip(photoThere ? tr("Show the photo in the image list again, to look at it or diagnose it anew")
                                             : tr("The photo is no longer at %1").arg(QDir::toNativeSeparators(record.filePath)));
    // A refresh while the farmer is typing must not throw the typing away.
    if (!sameEntry || (!m_tagEdit->isModified() && !m_noteEdit->document()->isModified())) {
        m_tagEdit->setText(record.tag);
        m_tagEdit->setModified(false);
        m_noteEdit->setPlainText(record.note);
        m_noteEdit->document()->setModified(false);
    }
}

bool HistoryPanel::saveDetail()
{
    const int row = m_model->rowOfId(m_shownId);
    if (row < 0)
        return false;
    if (!m_model->setTagAndNote(row, m_tagEdit->text().trimmed(), m_noteEdit->toPlainText()))
        return false;
    m_tagEdit->setModified(false);
    m_noteEdit->document()->setModified(false);
    showCurrent();
    return true;
}

QList<int> HistoryPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

bool HistoryPanel::deleteRows(const QList<int> &rows)
{
    if (!m_store || !m_store->isOpen())
        return false;
    QList<qint64> ids;
    for (int row : rows) {
        if (row >= 0 && row < m_model->rowCount())
            ids.append(m_model->record(row).id);
    }
    if (ids.isEmpty())
        return true;
    if (!m_store->remove(ids)) {
        showStoreError(m_store->errorString());
        return false;
    }
    refresh();
    return true;
}

void HistoryPanel::confirmDelete()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    // Deleting history cannot be undone: worth asking.
    const auto answer = QMessageBox::question(
            this, tr("Delete from the history"),
            rows.size() == 1 ? tr("Delete this diagnosis from the history? This cannot be undone.")
                             : tr("Delete these %1 diagnoses from the history? This cannot be undone.").arg(rows.size()),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        deleteRows(rows);
}

bool HistoryPanel::exportCsv(const QString &path)
{
    QString error;
    if (!HistoryStore::exportCsv(m_model->records(), path, &error)) {
        // The user asked for this file and must choose another place: worth a dialog.
        QMessageBox::warning(this, tr("Export history"),
                             tr("Cannot write %1:\n%2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    m_countLabel->setText(tr("Saved %1 diagnoses to %2").arg(m_model->rowCount()).arg(QDir::toNativeSeparators(path)));
    return true;
}

void HistoryPanel::chooseCsvFile()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export history"),
                                                      QDir(folder).filePath(QStringLiteral("orchard-history.csv")),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void HistoryPanel::showStoreError(const QString &error)
{
    // Not a dialog: the edit is simply not kept, and the line under the table says why.
    m_countLabel->setText(tr("Not saved: %1").arg(error));
}

void HistoryPanel::updateButtons()
{
    const bool open = m_store && m_store->isOpen();
    m_deleteButton->setEnabled(open && m_view->selectionModel()->hasSelection());
    m_exportButton->setEnabled(open && m_model->rowCount() > 0);
}

QString HistoryPanel::countText() const
{
    return m_countLabel->text();
}

QString HistoryPanel::detailText() const
{
    QStringList lines;
    for (const QLabel *label : { m_diagnosis, m_confidence, m_topK, m_quality, m_plant, m_origin }) {
        if (!label->isHidden() && !label->text().isEmpty())
            lines.append(label->text());
    }
    return lines.join(u'\n');
}

QString HistoryPanel::plantText() const
{
    return m_plant->isHidden() ? QString() : m_plant->text();
}

} // namespace orchard
