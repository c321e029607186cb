// ModelPicker, the toolbar's model and version boxes, offscreen over a ModelChoice: what
// they show for two models and for a server that lists none, the tooltips, and that only
// the farmer's own picks count as choices to remember.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include "client/core/modelchoice.h"
#include "client/ui/modelpicker.h"

using namespace orchard;

namespace {

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
    apple.card = QStringLiteral("Scab and rust on apple leaves.");
    return { fashion, apple };
}

QStringList itemsOf(const QComboBox *box)
{
    QStringList items;
    for (int i = 0; i < box->count(); ++i)
        items.append(box->itemText(i));
    return items;
}

} // namespace

TEST_CASE("ModelPicker: before a welcome it says so and cannot be used")
{
    ModelChoice choice;
    ModelPicker picker(&choice);
    picker.show();
    REQUIRE(QTest::qWaitForWindowExposed(&picker));
    CHECK_FALSE(picker.modelBox()->isEnabled());
    CHECK(picker.modelBox()->currentIndex() == -1);
    CHECK(picker.modelBox()->placeholderText() == "not connected");
    CHECK_FALSE(picker.versionBox()->isEnabled());
}

TEST_CASE("ModelPicker: two models, the default shown first, versions latest first, cards as tooltips")
{
    ModelChoice choice;
    ModelPicker picker(&choice);
    picker.show();
    REQUIRE(QTest::qWaitForWindowExposed(&picker));
    choice.setOffer(twoModels(), QStringLiteral("fashion-mnist"));
    CHECK(picker.modelBox()->isEnabled());
    CHECK(itemsOf(picker.modelBox()) == QStringList { "fashion-mnist", "apple-leaf" });
    CHECK(picker.modelBox()->currentText() == "fashion-mnist");
    CHECK(itemsOf(picker.versionBox()) == QStringList { "latest (v2)", "v2", "v1" });
    CHECK(picker.versionBox()->currentIndex() == 0);
    CHECK(picker.versionBox()->isEnabled());
    CHECK(picker.modelBox()->toolTip().contains("A demonstration model."));
    CHECK(picker.modelBox()->itemData(1, Qt::ToolTipRole).toString().contains("Scab and rust"));

    // A welcome's own choice (a remembered one taken back) is shown, but is not a pick.
    QSignalSpy picked(&picker, &ModelPicker::chosenByUser);
    REQUIRE(choice.restore(QStringLiteral("apple-leaf"), 3) == ModelChoice::Restored::Exactly);
    CHECK(picker.modelBox()->currentText() == "apple-leaf");
    CHECK(itemsOf(picker.versionBox()) == QStringList { "latest (v3)", "v3" });
    CHECK(picker.versionBox()->currentText() == "v3");
    CHECK(picker.modelBox()->toolTip().contains("Scab and rust"));
    CHECK(picked.isEmpty());
}

TEST_CASE("ModelPicker: the farmer's picks go to the choice and are reported")
{
    ModelChoice choice;
    ModelPicker picker(&choice);
    picker.show();
    REQUIRE(QTest::qWaitForWindowExposed(&picker));
    choice.setOffer(twoModels(), QStringLiteral("fashion-mnist"));
    QSignalSpy picked(&picker, &ModelPicker::chosenByUser);

    picker.modelBox()->setFocus();
    QTest::keyClick(picker.modelBox(), Qt::Key_Down); // the next model, as a keyboard user picks it
    REQUIRE(picked.count() == 1);
    CHECK(choice.chosenModel() == "apple-leaf");
    CHECK(choice.requestModel() == "apple-leaf");

    picker.versionBox()->setFocus();
    QTest::keyClick(picker.versionBox(), Qt::Key_Down);
    REQUIRE(picked.count() == 2);
    CHECK(choice.chosenVersion() == 3);
    CHECK(picker.versionBox()->currentText() == "v3");

    QTest::keyClick(picker.versionBox(), Qt::Key_Up); // back to "latest"
    CHECK(picked.count() == 3);
    CHECK_FALSE(choice.chosenVersion());
}

TEST_CASE("ModelPicker: a server that lists no models shows its one model, disabled")
{
    ModelChoice choice;
    ModelPicker picker(&choice);
    picker.show();
    REQUIRE(QTest::qWaitForWindowExposed(&picker));
    choice.setOffer({}, QStringLiteral("fashion-mnist"));
    CHECK(itemsOf(picker.modelBox()) == QStringList { "fashion-mnist" });
    CHECK(picker.modelBox()->currentText() == "fashion-mnist");
    CHECK_FALSE(picker.modelBox()->isEnabled());
    CHECK_FALSE(picker.versionBox()->isEnabled());
    CHECK(picker.modelBox()->toolTip().contains("no other model"));
}
