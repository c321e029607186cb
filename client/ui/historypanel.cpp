#include "client/ui/historypanel.h"

#include <algorithm>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
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
#include "client/core/imageloader.h"
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

/** The language's short date, with the year in full: a filter of "1/2/26" would be ambiguous. */
QString dateFormat()
{
    QString format = QLocale().dateFormat(QLocale::ShortFormat);
    if (!format.contains(QLatin1String("yyyy")))
        format.replace(QLatin1String("yy"), QLatin1String("yyyy"));
    return format;
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
    // Time and Confidence are sized to their words in retranslateUi().
    header->resizeSection(HistoryTableModel::File, 150);
    header->resizeSection(HistoryTableModel::Diagnosis, 140);
    header->resizeSection(HistoryTableModel::Warnings, 80);
    header->resizeSection(HistoryTableModel::Tag, 90);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryPanel::showCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateButtons);
    connect(m_model, &HistoryTableModel::storeFailed, this, &HistoryPanel::showStoreError);
    // An edit in the table shows in the detail pane, and a new tag among the filter's choices.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        if (m_retranslating)
            return; // new words, not new records: retranslateUi() shows the entry again itself
        reloadChoices();
        showCurrent();
    });

    m_deleteAction = new QAction(m_view);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_deleteAction, &QAction::triggered, this, &HistoryPanel::confirmDelete);
    m_view->addAction(m_deleteAction);

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("historyCount"));
    m_countLabel->setTextFormat(Qt::PlainText); // the store's error may quote a path
    m_countLabel->setWordWrap(true);
    m_deleteButton = new QPushButton(this);
    connect(m_deleteButton, &QPushButton::clicked, this, &HistoryPanel::confirmDelete);
    m_exportButton = new QPushButton(this);
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
    orderTabs();
    showNothing();
    updateButtons();
    retranslateUi();
}

void HistoryPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

// Long but flat: every word of the tab, widget by widget in the order they are laid out,
// then what it shows written again.
void HistoryPanel::retranslateUi()
{
    setAccessibleName(tr("History"));
    m_fromCheck->setText(tr("From"));
    m_fromCheck->setToolTip(tr("Only diagnoses made on or after this day"));
    m_fromCheck->setAccessibleName(tr("From a day"));
    m_fromCheck->setAccessibleDescription(m_fromCheck->toolTip());
    m_toCheck->setText(tr("To"));
    m_toCheck->setToolTip(tr("Only diagnoses made on or before this day"));
    m_toCheck->setAccessibleName(tr("To a day"));
    m_toCheck->setAccessibleDescription(m_toCheck->toolTip());
    for (QDateEdit *edit : { m_fromEdit, m_toEdit }) {
        // QLocale::setDefault() reaches no widget made before it: say it to these. The
        // dates stay; nothing is read again.
        const QSignalBlocker quiet(edit);
        edit->setLocale(QLocale());
        edit->setDisplayFormat(dateFormat());
    }
    m_fromEdit->setAccessibleName(tr("First day"));
    m_fromEdit->setAccessibleDescription(tr("The first day whose diagnoses are listed, when From is ticked"));
    m_toEdit->setAccessibleName(tr("Last day"));
    m_toEdit->setAccessibleDescription(tr("The last day whose diagnoses are listed, when To is ticked"));

    m_labelFilterLabel->setText(tr("Label:"));
    m_labelCombo->setToolTip(tr("Only diagnoses with this label"));
    m_labelCombo->setAccessibleName(tr("Label filter"));
    m_labelCombo->setAccessibleDescription(m_labelCombo->toolTip());
    m_labelCombo->setItemText(0, tr("Any label")); // the labels after it are the model's
    m_tagFilterLabel->setText(tr("Tag:"));
    m_tagCombo->setToolTip(tr("Only diagnoses of this field or plot"));
    m_tagCombo->setAccessibleName(tr("Tag filter"));
    m_tagCombo->setAccessibleDescription(m_tagCombo->toolTip());
    m_tagCombo->setItemText(0, tr("Any tag"));
    m_uncertainCheck->setText(tr("Not sure only"));
    m_uncertainCheck->setToolTip(tr("Only answers the model was not sure of"));
    m_uncertainCheck->setAccessibleName(tr("Not sure only"));
    m_uncertainCheck->setAccessibleDescription(m_uncertainCheck->toolTip());
    m_searchEdit->setPlaceholderText(tr("Search notes and files…"));
    m_searchEdit->setAccessibleName(tr("Search notes and files"));
    m_searchEdit->setAccessibleDescription(tr("Only diagnoses whose note or file name contains these words"));

    m_view->setAccessibleName(tr("Diagnoses in the history"));
    m_view->setAccessibleDescription(
            tr("One row per diagnosis, newest first; Tag and Note can be edited in place, Delete removes the selection"));
    m_deleteAction->setText(tr("Delete"));
    m_deleteButton->setText(tr("Delete"));
    m_deleteButton->setToolTip(tr("Delete the selected entries from the history (Del)"));
    m_deleteButton->setAccessibleName(tr("Delete"));
    m_deleteButton->setAccessibleDescription(m_deleteButton->toolTip());
    m_exportButton->setText(tr("Export CSV…"));
    m_exportButton->setToolTip(tr("Save the entries shown (as filtered) as a CSV file"));
    m_exportButton->setAccessibleName(tr("Export CSV"));
    m_exportButton->setAccessibleDescription(m_exportButton->toolTip());

    m_thumbnail->setAccessibleName(tr("Thumbnail of the entry"));
    m_tagEditLabel->setText(tr("Tag:"));
    m_tagEdit->setPlaceholderText(tr("no tag"));
    m_tagEdit->setAccessibleName(tr("Tag of the entry"));
    m_tagEdit->setAccessibleDescription(tr("The field or plot this diagnosis belongs to"));
    m_noteEditLabel->setText(tr("Note:"));
    m_noteEdit->setPlaceholderText(tr("A note for this diagnosis (what you saw, what you did)"));
    m_noteEdit->setAccessibleName(tr("Note of the entry"));
    m_noteEdit->setAccessibleDescription(m_noteEdit->placeholderText());
    m_saveButton->setText(tr("Save"));
    m_saveButton->setToolTip(tr("Keep this tag and note for the entry"));
    m_saveButton->setAccessibleName(tr("Save"));
    m_saveButton->setAccessibleDescription(m_saveButton->toolTip());
    m_openPhotoButton->setText(tr("Open the Photo"));
    m_openPhotoButton->setAccessibleName(tr("Open the photo"));

    // Sized to the words and times of the language (a user's own widths are lost on a switch).
    const QFontMetrics metrics = m_view->fontMetrics();
    QHeaderView *header = m_view->horizontalHeader();
    const QDateTime longTime(QDate(2000, 12, 28), QTime(23, 58));
    header->resizeSection(HistoryTableModel::Time,
                          metrics.horizontalAdvance(HistoryTableModel::timeText(longTime.toUTC())) + 16);
    header->resizeSection(HistoryTableModel::Confidence, metrics.horizontalAdvance(tr("Confidence")) + 16);

    m_retranslating = true;
    m_model->retranslate();
    m_retranslating = false;
    showCountText(m_countText);
    showCurrent(); // the entry shown (its tooltip on Open the Photo too), or "Select an entry"
}

void HistoryPanel::orderTabs()
{
    const QList<QWidget *> order { m_fromCheck, m_fromEdit,     m_toCheck,      m_toEdit,       m_labelCombo,
                                   m_tagCombo,  m_uncertainCheck, m_searchEdit, m_view,         m_deleteButton,
                                   m_exportButton, m_tagEdit,   m_noteEdit,     m_openPhotoButton, m_saveButton };
    for (int i = 1; i < order.size(); ++i)
        QWidget::setTabOrder(order.at(i - 1), order.at(i));
}

void HistoryPanel::showCountText(std::function<QString()> text)
{
    m_countText = std::move(text);
    m_countLabel->setText(m_countText ? m_countText() : QString());
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
        edit->setEnabled(false); // until its box is ticked
        return edit;
    };
    m_fromCheck = new QCheckBox(this);
    m_fromEdit = makeDate(today.addDays(-30));
    m_toCheck = new QCheckBox(this);
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
    m_labelCombo->addItem(QString()); // "Any label", in retranslateUi()
    m_tagCombo = new QComboBox(this);
    m_tagCombo->setObjectName(QStringLiteral("historyTagFilter"));
    m_tagCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tagCombo->setMinimumContentsLength(10);
    m_tagCombo->addItem(QString()); // "Any tag"
    for (QComboBox *combo : { m_labelCombo, m_tagCombo })
        connect(combo, &QComboBox::currentIndexChanged, this, &HistoryPanel::reloadRows);

    m_uncertainCheck = new QCheckBox(this);
    connect(m_uncertainCheck, &QCheckBox::toggled, this, &HistoryPanel::reloadRows);

    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("historySearch"));
    m_searchEdit->setClearButtonEnabled(true);
    connect(m_searchEdit, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &HistoryPanel::reloadRows);

    row->addWidget(m_fromCheck);
    row->addWidget(m_fromEdit);
    row->addWidget(m_toCheck);
    row->addWidget(m_toEdit);
    row->addSpacing(8);
    m_labelFilterLabel = new QLabel(this);
    m_labelFilterLabel->setBuddy(m_labelCombo);
    row->addWidget(m_labelFilterLabel);
    row->addWidget(m_labelCombo);
    m_tagFilterLabel = new QLabel(this);
    m_tagFilterLabel->setBuddy(m_tagCombo);
    row->addWidget(m_tagFilterLabel);
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
    m_noteEdit = new QPlainTextEdit(m_detail);
    m_noteEdit->setTabChangesFocus(true);
    m_noteEdit->setFixedHeight(m_noteEdit->fontMetrics().lineSpacing() * 3 + 12);
    m_saveButton = new QPushButton(m_detail);
    connect(m_saveButton, &QPushButton::clicked, this, &HistoryPanel::saveDetail);
    m_openPhotoButton = new QPushButton(m_detail);
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
    m_tagEditLabel = new QLabel(m_detail);
    m_noteEditLabel = new QLabel(m_detail);
    editors->addRow(m_tagEditLabel, m_tagEdit); // buddies, so Alt and the label's letter reach the field
    editors->addRow(m_noteEditLabel, m_noteEdit);
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
        const QString error = m_store ? m_store->errorString() : QString();
        showCountText([error] { return error.isEmpty() ? tr("History is off.") : tr("History is off: %1").arg(error); });
        showNothing();
        updateButtons();
        emit refreshed(0);
        return;
    }
    const qint64 current = m_shownId;
    const QVector<HistoryRecord> records = m_store->find(filter());
    m_model->setRecords(records);
    if (records.isEmpty() && !m_store->errorString().isEmpty()) {
        const QString error = m_store->errorString();
        showCountText([error] { return tr("The history cannot be read: %1").arg(error); });
    } else {
        const int count = static_cast<int>(records.size());
        showCountText([count] { return tr("%n diagnosis(es)", nullptr, count); });
    }
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
    m_openPhotoButton->setToolTip(tr("Show the photo in the image list again, to look at it or diagnose it anew"));
    m_openPhotoButton->setAccessibleDescription(m_openPhotoButton->toolTip());
    m_thumbnail->setAccessibleDescription(tr("no picture"));
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
        // Made for the screen's density: the label shows it at kDetailPictureSide device-independent pixels.
        m_thumbnail->setPixmap(QPixmap::fromImage(ImageLoader::thumbnail(thumbnail, kDetailPictureSide, devicePixelRatioF())));
    }
    m_thumbnail->setAccessibleDescription(thumbnail.isNull() ? tr("no picture")
                                                             : tr("The photo of %1").arg(QFileInfo(record.filePath).fileName()));

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
        plant = tr("Diagnosed with %n other photo(s) as one plant: %1", nullptr, others).arg(record.plantSummary);
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
    m_openPhotoButton->setAccessibleDescription(m_openPhotoButton->toolTip());
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
            tr("Delete %n diagnosis(es) from the history? This cannot be undone.", nullptr,
               static_cast<int>(rows.size())),
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
    const int count = m_model->rowCount();
    const QString shownPath = QDir::toNativeSeparators(path);
    showCountText([count, shownPath] { return tr("Saved %n diagnosis(es) to %1", nullptr, count).arg(shownPath); });
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
    showCountText([error] { return tr("Not saved: %1").arg(error); });
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
