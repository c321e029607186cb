// The window's panels on their own, offscreen: what a screen reader is told (every control
// named, the painted preview and the top-k bars in words, the image list's badges in
// words), where Tab goes, thumbnails as sharp as the screen, and a change of language at
// run time re-showing what each panel shows: first with a marking translator of the test's
// own (runs today), then with the real Simplified Chinese catalog and back to English
// (the "Language switch:" cases, which pass once the catalogs are translated).
#include <catch2/catch.hpp>

#include <algorithm>

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAccessibleInterface>
#include <QAccessibleValueInterface>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "client/core/historyrecord.h"
#include "client/core/historystore.h"
#include "client/core/historytablemodel.h"
#include "client/core/imagebatch.h"
#include "client/core/imagelistmodel.h"
#include "client/core/imageloader.h"
#include "client/core/modelchoice.h"
#include "client/core/plantdiagnosis.h"
#include "client/core/requestqueue.h"
#include "client/core/serverconnection.h"
#include "client/ui/historypanel.h"
#include "client/ui/imagepreview.h"
#include "client/ui/modelpicker.h"
#include "client/ui/plantresultpanel.h"
#include "client/ui/resultpanel.h"
#include "common/i18n/uilanguage.h"

using namespace orchard;

namespace {

constexpr int kWaitMs = 5000;
const QString kCatalog = QStringLiteral("orchard-client");
const QString kSamples = QStringLiteral(ORCHARD_SOURCE_DIR "/resources/samples");

bool hasChinese(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
}

/**
 * A language of the test's own: every text of ours comes back as ⟦text⟧, placeholders
 * kept, so a panel that retranslates shows the marks and one that does not keeps English.
 * It needs no catalog, so run-time switching is checked before the translations exist.
 */
class MarkingTranslator : public QTranslator
{
public:
    static QString marked(const QString &text) { return QStringLiteral("⟦%1⟧").arg(text); }

    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        const QLatin1String name(context);
        if (!name.startsWith(QLatin1String("orchard::")) && name != QLatin1String("DiagnosisText")
            && name != QLatin1String("PlantDiagnosis"))
            return {};
        return marked(QString::fromUtf8(sourceText));
    }
    bool isEmpty() const override { return false; }
};

/** Installs the marking language for as long as it lives. */
struct MarkedLanguage
{
    MarkedLanguage() { QCoreApplication::installTranslator(&translator); }
    ~MarkedLanguage() { QCoreApplication::removeTranslator(&translator); }
    MarkingTranslator translator;
};

/** Speaks a real language for as long as it lives, English again afterwards whatever happens. */
struct SpokenLanguage
{
    explicit SpokenLanguage(const QString &code) { UiLanguage::apply(kCatalog, code); }
    ~SpokenLanguage() { UiLanguage::apply(kCatalog, QStringLiteral("en")); }
};

QString translated(const char *context, const char *source, int n = -1)
{
    return QCoreApplication::translate(context, source, nullptr, n);
}

/** Waits for the LanguageChange Qt posts to every window to have reached this one. */
template <typename Condition>
bool waitFor(Condition condition)
{
    return QTest::qWaitFor(condition, kWaitMs);
}

bool isControl(const QWidget *widget)
{
    if (qobject_cast<const QScrollBar *>(widget))
        return false; // a scroll area's own part, named by Qt
    return qobject_cast<const QAbstractButton *>(widget) || qobject_cast<const QLineEdit *>(widget)
            || qobject_cast<const QComboBox *>(widget) || qobject_cast<const QAbstractSpinBox *>(widget)
            || qobject_cast<const QAbstractItemView *>(widget) || qobject_cast<const QPlainTextEdit *>(widget)
            || qobject_cast<const QTabWidget *>(widget) || qobject_cast<const QAbstractSlider *>(widget);
}

/** The panel's controls, not the parts of one (a combo's list, a table's headers, a clear button). */
QList<QWidget *> controlsOf(QWidget *panel)
{
    QList<QWidget *> controls;
    for (QWidget *widget : panel->findChildren<QWidget *>()) {
        if (!isControl(widget))
            continue;
        bool part = false;
        for (QWidget *up = widget->parentWidget(); up && up != panel; up = up->parentWidget())
            part = part || isControl(up);
        if (!part)
            controls.append(widget);
    }
    return controls;
}

/** Every control says what it is, to the widget and to Qt's accessibility layer alike. */
void checkNamed(QWidget *panel)
{
    const QList<QWidget *> controls = controlsOf(panel);
    REQUIRE_FALSE(controls.isEmpty());
    for (QWidget *control : controls) {
        INFO(control->metaObject()->className() << " " << control->objectName().toStdString());
        CHECK_FALSE(control->accessibleName().isEmpty());
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(control);
        REQUIRE(accessible);
        CHECK_FALSE(accessible->text(QAccessible::Name).isEmpty());
    }
}

/** The widgets of `expected` in the order the focus chain from the first of them meets them. */
QList<QWidget *> focusOrder(const QList<QWidget *> &expected)
{
    QList<QWidget *> order;
    QWidget *widget = expected.first();
    for (int step = 0; step < 1000 && order.size() < expected.size(); ++step, widget = widget->nextInFocusChain()) {
        if (expected.contains(widget) && !order.contains(widget))
            order.append(widget);
    }
    return order;
}

PredictionReply unsureReply()
{
    PredictionReply reply;
    reply.name = QStringLiteral("leaf.jpg");
    reply.model = QStringLiteral("apple-leaf");
    reply.modelVersion = 3;
    reply.label = QStringLiteral("Scab");
    reply.confidence = 0.41;
    reply.uncertain = true;
    reply.topK = { { QStringLiteral("Scab"), 1, 0.41 }, { QStringLiteral("Rust"), 2, 0.33 },
                   { QStringLiteral("Healthy"), 0, 0.2 } };
    return reply;
}

PlantDiagnosis twoOfThree()
{
    auto photo = [](const QString &name, int index, double score) {
        PredictionReply reply;
        reply.model = QStringLiteral("apple-leaf");
        const QStringList labels { QStringLiteral("Healthy"), QStringLiteral("Scab") };
        reply.topK = { { labels.at(index), index, score }, { labels.at(1 - index), 1 - index, 1.0 - score } };
        reply.label = labels.at(index);
        reply.index = index;
        reply.confidence = score;
        return PlantPhoto::fromReply(name, reply);
    };
    return PlantDiagnosis::combine({ photo("a.jpg", 1, 0.9), photo("b.jpg", 1, 0.8), photo("c.jpg", 0, 0.6) }, 2);
}

QList<ServedModelInfo> twoModels()
{
    ServedModelInfo fashion;
    fashion.name = QStringLiteral("fashion-mnist");
    fashion.versions = { 1, 2 };
    fashion.isDefault = true;
    fashion.card = QStringLiteral("A demonstration model.");
    ServedModelInfo apple;
    apple.name = QStringLiteral("apple-leaf");
    apple.versions = { 3 };
    return { fashion, apple };
}

/** A history of two diagnoses with thumbnails, in a file of the test's own. */
struct HistoryFixture
{
    HistoryFixture()
        : store(folder.filePath(QStringLiteral("history.sqlite")))
    {
        REQUIRE(folder.isValid());
        REQUIRE(store.open());
        QImage leaf(kSamples + QStringLiteral("/trouser_0.png"));
        REQUIRE_FALSE(leaf.isNull());
        for (const char *label : { "Trouser", "Shirt" }) {
            PredictionReply reply;
            reply.label = QString::fromLatin1(label);
            reply.confidence = 0.93;
            reply.model = QStringLiteral("fashion-mnist");
            reply.topK = { { reply.label, 1, 0.93 }, { QStringLiteral("Coat"), 4, 0.05 } };
            reply.quality = PhotoQualityReport { 120.0, 0.5, { QStringLiteral("dark") } };
            REQUIRE(store.add(HistoryRecord::ofReply(kSamples + QStringLiteral("/trouser_0.png"), reply, leaf,
                                                     QStringLiteral("north"), HistoryRecord::Source::Desktop))
                            .has_value());
        }
    }

    QTemporaryDir folder;
    HistoryStore store;
};

/** The window's batch and list over a connection never made: states set by hand. */
struct ListFixture
{
    ListFixture()
        : queue(&connection)
        , batch(&queue)
        , model(&batch)
    {
        view.setModel(&model);
        view.setIconSize(QSize(ImageLoader::kThumbnailSize, ImageLoader::kThumbnailSize));
        view.setViewMode(QListView::IconMode);
        for (const char *name : { "trouser_0.png", "bag_0.png", "coat_0.png" })
            batch.add(ImageLoader::load(kSamples + QLatin1Char('/') + QLatin1String(name), ImageLoader::kThumbnailSize,
                                        ImageLoader::screenPixelRatio()));
        PredictionReply reply;
        reply.label = QStringLiteral("Trouser");
        reply.confidence = 0.991;
        batch.answer(0, reply);
        batch.fail(1, QStringLiteral("BAD_IMAGE"), QStringLiteral("not an image"));
        batch.enqueue(2, 1); // never connected: it waits
    }

    ServerConnection connection;
    RequestQueue queue;
    ImageBatch batch;
    ImageListModel model;
    QListView view;
};

} // namespace

TEST_CASE("Panels: every control has an accessible name")
{
    ResultPanel result;
    result.showReply(unsureReply(), 10.0);
    CHECK_FALSE(result.accessibleName().isEmpty());

    HistoryFixture history;
    HistoryPanel panel(&history.store);
    panel.refresh();
    REQUIRE(panel.model()->rowCount() == 2);
    panel.view()->setCurrentIndex(panel.model()->index(0, HistoryTableModel::Time));
    checkNamed(&panel);
    CHECK_FALSE(panel.openPhotoButton()->accessibleDescription().isEmpty());

    PlantResultPanel plant;
    plant.showDiagnosis(twoOfThree());
    checkNamed(&plant);

    ModelChoice choice;
    choice.setOffer(twoModels(), QStringLiteral("fashion-mnist"));
    ModelPicker picker(&choice);
    checkNamed(&picker);
    CHECK(picker.modelBox()->accessibleName() == "Model");
    CHECK(picker.versionBox()->accessibleName() == "Model version");
}

TEST_CASE("Panels: Tab goes through the History tab as it is laid out")
{
    HistoryFixture history;
    HistoryPanel panel(&history.store);
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    auto button = [&panel](const QString &text) {
        for (QPushButton *candidate : panel.findChildren<QPushButton *>()) {
            if (candidate->text() == text)
                return candidate;
        }
        return static_cast<QPushButton *>(nullptr);
    };
    QPushButton *deleteButton = button(QStringLiteral("Delete"));
    QPushButton *exportButton = button(QStringLiteral("Export CSV…"));
    QPushButton *saveButton = button(QStringLiteral("Save"));
    REQUIRE(deleteButton);
    REQUIRE(exportButton);
    REQUIRE(saveButton);
    // The filter row left to right, the table and its buttons, then the entry's editors and buttons.
    const QList<QWidget *> expected { panel.fromCheck(),  panel.fromEdit(),        panel.toCheck(),
                                      panel.toEdit(),     panel.labelCombo(),      panel.tagCombo(),
                                      panel.uncertainCheck(), panel.searchEdit(),  panel.view(),
                                      deleteButton,       exportButton,            panel.tagEdit(),
                                      panel.noteEdit(),   panel.openPhotoButton(), saveButton };
    CHECK(focusOrder(expected) == expected);

    ModelChoice choice;
    ModelPicker picker(&choice);
    CHECK(focusOrder({ picker.modelBox(), picker.versionBox() })
          == QList<QWidget *> { picker.modelBox(), picker.versionBox() });
}

TEST_CASE("ImagePreview: its accessible description says what it paints")
{
    ImagePreview preview;
    preview.show();
    REQUIRE(QTest::qWaitForWindowExposed(&preview));
    CHECK(preview.accessibleName() == "Photo preview");
    CHECK(preview.accessibleDescription().startsWith("Open leaf photos (Ctrl+O)"));
    CHECK_FALSE(preview.accessibleDescription().contains('\n')); // one line for a screen reader

    QImage leaf(kSamples + QStringLiteral("/trouser_0.png"));
    REQUIRE_FALSE(leaf.isNull());
    const QString caption = QStringLiteral("trouser_0.png — 1 KB — 28 × 28 pixels");
    preview.setImage(leaf, caption);
    CHECK(preview.accessibleDescription() == caption);
    QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(&preview);
    REQUIRE(accessible);
    CHECK(accessible->text(QAccessible::Description) == caption);

    preview.clear(QStringLiteral("This computer cannot display x.heic,\nbut the server may still diagnose it."));
    CHECK(preview.accessibleDescription()
          == "This computer cannot display x.heic, but the server may still diagnose it.");
    CHECK(preview.message().contains('\n')); // painted as it was given
}

TEST_CASE("ResultPanel: each top-k bar says its label and value in words")
{
    ResultPanel panel;
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    PredictionReply reply = unsureReply();
    reply.uncertain = false;
    reply.label = QStringLiteral("T-shirt/top");
    reply.confidence = 0.92;
    reply.topK = { { QStringLiteral("T-shirt/top"), 0, 0.92 }, { QStringLiteral("Shirt"), 6, 0.05 },
                   { QStringLiteral("Pullover"), 2, 0.01 } };
    panel.showReply(reply, 8.0);
    CHECK(panel.barTexts() == QStringList { "T-shirt/top: 92.0 %", "Shirt: 5.0 %", "Pullover: 1.0 %" });
    const QList<QProgressBar *> bars = panel.findChildren<QProgressBar *>();
    REQUIRE(bars.size() == 3);
    for (QProgressBar *bar : bars) {
        INFO(bar->accessibleName().toStdString());
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(bar);
        REQUIRE(accessible);
        CHECK(accessible->text(QAccessible::Name) == bar->accessibleName());
        CHECK(accessible->text(QAccessible::Description).contains("softmax probability"));
        if (QAccessibleValueInterface *value = accessible->valueInterface())
            CHECK(value->currentValue().toInt() == bar->value());
    }
    panel.showNothing();
    CHECK(panel.barTexts().isEmpty());
}

TEST_CASE("Image list: each badge is words for a screen reader, and thumbnails are as sharp as the screen")
{
    ListFixture fixture;
    fixture.view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&fixture.view));
    CHECK(fixture.model.index(0).data(Qt::ToolTipRole).toString().endsWith("\nDone: Trouser 99 %"));
    CHECK(fixture.model.index(1).data(Qt::ToolTipRole).toString().endsWith("\nFailed: not an image"));
    CHECK(fixture.model.index(2).data(Qt::ToolTipRole).toString().endsWith("\nWaiting"));

    // What the list view tells a screen reader of each item: the file and its state.
    QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&fixture.view);
    REQUIRE(list);
    QStringList names;
    for (int i = 0; i < list->childCount(); ++i) {
        if (QAccessibleInterface *item = list->child(i))
            names.append(item->text(QAccessible::Name));
    }
    INFO(names.join(" | ").toStdString());
    CHECK(names.contains("trouser_0.png, Done: Trouser 99 %"));
    CHECK(names.contains("bag_0.png, Failed: not an image"));
    CHECK(names.contains("coat_0.png, Waiting"));

    // The decoration is made at the application's density: 96 px icons with ratio × 96 real pixels.
    const qreal ratio = qApp->devicePixelRatio();
    const QImage decoration = fixture.model.index(0).data(Qt::DecorationRole).value<QImage>();
    CHECK(decoration.devicePixelRatio() == ratio);
    CHECK(decoration.width() == qRound(ImageLoader::kThumbnailSize * ratio));
    CHECK(decoration.deviceIndependentSize() == QSizeF(ImageLoader::kThumbnailSize, ImageLoader::kThumbnailSize));
    // At a scale factor of 2 (QT_SCALE_FACTOR=2) the same function makes 192 real pixels.
    const QImage dense = ImageListModel::badged(fixture.batch.item(0), 2.0);
    CHECK(dense.size() == QSize(192, 192));
    CHECK(dense.devicePixelRatio() == 2.0);
}

TEST_CASE("History tab: thumbnails are made at the screen's density")
{
    HistoryFixture history;
    HistoryPanel panel(&history.store);
    panel.show();
    REQUIRE(QTest::qWaitForWindowExposed(&panel));
    panel.refresh();
    REQUIRE(panel.model()->rowCount() == 2);
    const QImage icon = panel.model()->index(0, HistoryTableModel::File).data(Qt::DecorationRole).value<QImage>();
    REQUIRE_FALSE(icon.isNull());
    CHECK(icon.devicePixelRatio() == qApp->devicePixelRatio());
    const QSizeF iconSize = icon.deviceIndependentSize();
    CHECK(qMax(iconSize.width(), iconSize.height()) == HistoryTableModel::kIconSide);
    panel.view()->setCurrentIndex(panel.model()->index(0, HistoryTableModel::Time));
    const auto pictures = panel.findChildren<QLabel *>();
    const auto shown = std::find_if(pictures.cbegin(), pictures.cend(), [](const QLabel *label) {
        return !label->pixmap().isNull();
    });
    REQUIRE(shown != pictures.cend());
    CHECK((*shown)->pixmap().devicePixelRatio() == panel.devicePixelRatioF());
    CHECK_FALSE((*shown)->accessibleDescription().isEmpty());
}

// With the marking translator: Qt sends every window a LanguageChange, each panel writes
// its words again and keeps what it shows; without it, English is back.
TEST_CASE("Panels: a change of language re-shows what each panel shows, and back")
{
    ResultPanel result;
    result.showReply(unsureReply(), 10.0);
    ResultPanel failed;
    failed.showError(QStringLiteral("x.jpg"), QStringLiteral("BAD_IMAGE: not an image"));
    PlantResultPanel plant;
    plant.showDiagnosis(twoOfThree());
    PlantResultPanel pending;
    pending.showPending(1, 3);
    ImagePreview preview;
    ModelChoice choice;
    choice.setOffer(twoModels(), QStringLiteral("fashion-mnist"));
    ModelPicker picker(&choice);
    HistoryFixture history;
    HistoryPanel panel(&history.store);
    panel.refresh();
    panel.view()->setCurrentIndex(panel.model()->index(0, HistoryTableModel::Time));
    panel.noteEdit()->setPlainText(QStringLiteral("typed, not saved yet"));
    panel.noteEdit()->document()->setModified(true);
    ListFixture list;

    const QString englishCount = panel.countText();
    const QString englishDetail = panel.detailText();
    const QString englishAgreement = plant.agreementText();
    const QString englishPending = pending.agreementText();
    const QString englishTip = list.model.index(0).data(Qt::ToolTipRole).toString();
    const QString marked = MarkingTranslator::marked(QStringLiteral("Not sure"));
    {
        MarkedLanguage language;
        REQUIRE(waitFor([&] { return result.labelText() == marked; }));
        CHECK(result.confidenceText().startsWith(MarkingTranslator::marked(QStringLiteral("It could be "))
                                                         .chopped(1)));
        CHECK(result.barCount() == 3);
        CHECK(result.barTexts().first().startsWith("⟦Scab: "));
        CHECK(result.modelText().startsWith("⟦Answered by model apple-leaf, version 3."));
        CHECK(result.accessibleName() == MarkingTranslator::marked(QStringLiteral("Diagnosis")));
        // An error the window wrote is shown as it was given; the panel's own words change.
        const QString noDiagnosis = MarkingTranslator::marked(QStringLiteral("No diagnosis"));
        REQUIRE(waitFor([&] { return failed.labelText() == noDiagnosis; }));
        CHECK(failed.confidenceText() == "BAD_IMAGE: not an image");

        REQUIRE(waitFor([&] { return plant.agreementText().startsWith("⟦"); }));
        CHECK(plant.agreementText().contains("Scab"));
        CHECK(plant.headlineText().startsWith("⟦Scab "));
        CHECK(pending.agreementText().startsWith("⟦Diagnosing… 1 of 3 photo(s) answered"));

        CHECK(waitFor([&] { return preview.accessibleDescription().startsWith("⟦Open leaf photos"); }));
        CHECK(preview.message().startsWith("⟦Open leaf photos"));

        CHECK(waitFor([&] { return picker.findChild<QLabel *>()->text() == MarkingTranslator::marked("&Model:"); }));
        CHECK(picker.versionBox()->itemText(0).startsWith("⟦latest (v"));
        CHECK(picker.versionBox()->accessibleName() == MarkingTranslator::marked(QStringLiteral("Model version")));
        CHECK(choice.index(0).data(Qt::ToolTipRole).toString().contains("⟦"));

        REQUIRE(waitFor([&] { return panel.countText().startsWith("⟦"); }));
        CHECK(panel.countText() == "⟦2 diagnosis(es)⟧");
        CHECK(panel.fromCheck()->text() == "⟦From⟧");
        CHECK(panel.labelCombo()->itemText(0) == "⟦Any label⟧");
        CHECK(panel.searchEdit()->placeholderText() == "⟦Search notes and files…⟧");
        CHECK(panel.model()->headerData(HistoryTableModel::Note, Qt::Horizontal, Qt::DisplayRole) == "⟦Note⟧");
        CHECK(panel.model()->index(0, HistoryTableModel::Warnings).data().toString() == "⟦dark⟧");
        CHECK(panel.detailText().contains("⟦"));
        CHECK(panel.noteEdit()->toPlainText() == "typed, not saved yet"); // the typing is not thrown away

        // The models are not widgets: the view's retranslateUi() asks them.
        list.model.retranslate();
        CHECK(list.model.index(0).data(Qt::ToolTipRole).toString().endsWith("\n⟦Done: Trouser ⟦99 %⟧⟧⟧"));
    }
    // English again: the same content, the English words.
    REQUIRE(waitFor([&] { return result.labelText() == "Not sure"; }));
    CHECK(result.barTexts().first() == "Scab: 41.0 %");
    CHECK(failed.labelText() == "No diagnosis");
    CHECK(failed.confidenceText() == "BAD_IMAGE: not an image");
    REQUIRE(waitFor([&] { return plant.agreementText() == englishAgreement; }));
    CHECK(pending.agreementText() == englishPending);
    CHECK(preview.accessibleDescription().startsWith("Open leaf photos"));
    CHECK(picker.findChild<QLabel *>()->text() == "&Model:");
    REQUIRE(waitFor([&] { return panel.countText() == englishCount; }));
    CHECK(panel.fromCheck()->text() == "From");
    CHECK(panel.labelCombo()->itemText(0) == "Any label");
    CHECK(panel.detailText() == englishDetail);
    CHECK(panel.noteEdit()->toPlainText() == "typed, not saved yet");
    list.model.retranslate();
    CHECK(list.model.index(0).data(Qt::ToolTipRole).toString() == englishTip);
}

// The real catalogs. These pass only once client/translations/orchard-client_zh_CN.ts is
// translated (and the English one has its plural forms): tests/i18n says when.
TEST_CASE("Language switch: the result panel speaks Simplified Chinese and English again")
{
    ResultPanel panel;
    panel.showReply(unsureReply(), 10.0);
    {
        SpokenLanguage chinese(QStringLiteral("zh_CN"));
        const QString notSure = translated("orchard::ResultPanel", "Not sure");
        CHECK(hasChinese(notSure));
        CHECK(waitFor([&] { return panel.labelText() == notSure; }));
        CHECK(hasChinese(panel.confidenceText()));
        CHECK(panel.barCount() == 3);
        CHECK(hasChinese(panel.accessibleName()));
    }
    CHECK(waitFor([&] { return panel.labelText() == "Not sure"; }));
    CHECK(panel.confidenceText().startsWith("It could be Scab (41.0 %)"));
    CHECK(panel.barTexts().first() == "Scab: 41.0 %");
}

TEST_CASE("Language switch: the plant panel, preview and model picker speak Simplified Chinese and English again")
{
    PlantResultPanel plant;
    plant.showDiagnosis(twoOfThree());
    ImagePreview preview;
    ModelChoice choice;
    choice.setOffer(twoModels(), QStringLiteral("fashion-mnist"));
    ModelPicker picker(&choice);
    {
        SpokenLanguage chinese(QStringLiteral("zh_CN"));
        const QString agreement = translated("PlantDiagnosis", "%1 of %n photo(s): %2", 3);
        CHECK(hasChinese(agreement));
        CHECK(waitFor([&] { return hasChinese(plant.agreementText()); }));
        CHECK(plant.agreementText().contains("Scab"));
        CHECK(waitFor([&] { return hasChinese(preview.accessibleDescription()); }));
        CHECK(hasChinese(picker.findChild<QLabel *>()->text()));
        CHECK(hasChinese(picker.versionBox()->itemText(0)));
    }
    CHECK(waitFor([&] { return plant.agreementText() == "2 of 3 photos: Scab"; }));
    CHECK(preview.accessibleDescription().startsWith("Open leaf photos"));
    CHECK(picker.findChild<QLabel *>()->text() == "&Model:");
    CHECK(picker.versionBox()->itemText(0) == "latest (v2)");
}

TEST_CASE("Language switch: the History tab speaks Simplified Chinese and English again")
{
    HistoryFixture history;
    HistoryPanel panel(&history.store);
    panel.refresh();
    panel.view()->setCurrentIndex(panel.model()->index(0, HistoryTableModel::Time));
    {
        SpokenLanguage chinese(QStringLiteral("zh_CN"));
        const QString count = translated("orchard::HistoryPanel", "%n diagnosis(es)", 2);
        CHECK(hasChinese(count));
        CHECK(waitFor([&] { return panel.countText() == count; }));
        CHECK(hasChinese(panel.fromCheck()->text()));
        CHECK(hasChinese(panel.labelCombo()->itemText(0)));
        const QVariant header = panel.model()->headerData(HistoryTableModel::Diagnosis, Qt::Horizontal, Qt::DisplayRole);
        CHECK(hasChinese(header.toString()));
        CHECK(hasChinese(panel.model()->index(0, HistoryTableModel::Warnings).data().toString()));
        CHECK(hasChinese(panel.detailText()));
    }
    CHECK(waitFor([&] { return panel.countText() == "2 diagnoses"; }));
    CHECK(panel.fromCheck()->text() == "From");
    CHECK(panel.model()->index(0, HistoryTableModel::Warnings).data().toString() == "dark");
}

TEST_CASE("Language switch: the image list's badges speak Simplified Chinese and English again")
{
    ListFixture fixture;
    {
        SpokenLanguage chinese(QStringLiteral("zh_CN"));
        fixture.model.retranslate();
        CHECK(hasChinese(ImageListModel::statusText(fixture.batch.item(0))));
        CHECK(hasChinese(fixture.model.index(2).data(Qt::AccessibleTextRole).toString()));
    }
    fixture.model.retranslate();
    CHECK(fixture.model.index(0).data(Qt::AccessibleTextRole).toString() == "trouser_0.png, Done: Trouser 99 %");
}
