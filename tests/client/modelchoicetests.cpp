// ModelChoice, the model picker's list and choice: filled from a welcome's models, the
// default chosen first, a remembered choice taken back, one fixed row for a server that
// lists no models, models the server said it does not serve taken out, a real server's
// welcome; and the choice remembered in ClientSettings.
#include <catch2/catch.hpp>

#include <algorithm>

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include "client/core/clientsettings.h"
#include "client/core/modelchoice.h"
#include "client/core/serverconnection.h"
#include "tests/support/retranslatecheck.h"
#include "tests/support/serverfixture.h"

using namespace orchard;
using namespace orchard::test;

namespace {

using Restored = ModelChoice::Restored;

/** A welcome of two models, the default first as a server lists it, as the wire carries it. */
WelcomeInfo twoModelWelcome()
{
    WelcomeInfo info;
    info.model = QStringLiteral("fashion-mnist");
    ServedModelInfo fashion;
    fashion.name = QStringLiteral("fashion-mnist");
    fashion.versions = { 1, 2 };
    fashion.isDefault = true;
    fashion.card = QStringLiteral("# Fashion-MNIST\nA demonstration model <not for leaves>.");
    ServedModelInfo apple;
    apple.name = QStringLiteral("apple-leaf");
    apple.versions = { 1, 3, 4 };
    info.models = { fashion, apple };
    // Through the wire's own encoding, so that the test sees what a client is given.
    const std::optional<WelcomeInfo> read = ServerMessage::fromBody(ServerMessage::welcome(info).toBody())->welcomeInfo();
    REQUIRE(read);
    return *read;
}

struct ChoiceFixture
{
    ChoiceFixture() : tester(&choice, QAbstractItemModelTester::FailureReportingMode::Fatal) { }

    void offer(const WelcomeInfo &welcome) { choice.setOffer(welcome.models, welcome.model); }

    ModelChoice choice;
    QAbstractItemModelTester tester;
};

} // namespace

TEST_CASE("ModelChoice: a welcome of two models fills two rows and chooses the default")
{
    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    CHECK(choice.rowCount() == 0);
    CHECK_FALSE(choice.isSelectable());
    CHECK(choice.chosenRow() == -1);

    QSignalSpy changed(&choice, &ModelChoice::choiceChanged);
    fixture.offer(twoModelWelcome());
    CHECK(changed.count() == 1);
    REQUIRE(choice.rowCount() == 2);
    CHECK(choice.isSelectable());
    CHECK(choice.index(0).data() == "fashion-mnist");
    CHECK(choice.index(1).data() == "apple-leaf");
    CHECK(choice.index(0).data(ModelChoice::IsDefaultRole).toBool());
    CHECK_FALSE(choice.index(1).data(ModelChoice::IsDefaultRole).toBool());
    CHECK(choice.defaultModel() == "fashion-mnist");
    CHECK(choice.chosenRow() == 0);
    CHECK(choice.chosenModel() == "fashion-mnist");
    CHECK_FALSE(choice.chosenVersion());
    CHECK(choice.chosenText() == "fashion-mnist, latest version");
    // The default's latest: requests name nothing, as the original's did.
    CHECK(choice.requestModel().isEmpty());
    CHECK_FALSE(choice.requestVersion());
    CHECK(choice.versionsNewestFirst(1) == QList<qint64> { 4, 3, 1 });
}

TEST_CASE("ModelChoice: the tooltip is the model's card, escaped, with its versions")
{
    ChoiceFixture fixture;
    fixture.offer(twoModelWelcome());
    const QString fashion = fixture.choice.index(0).data(Qt::ToolTipRole).toString();
    CHECK(fashion.contains("<b>fashion-mnist</b>, the server's default model"));
    CHECK(fashion.contains("Versions: 2, 1"));
    CHECK(fashion.contains("<p># Fashion-MNIST<br>A demonstration model &lt;not for leaves&gt;.</p>"));
    const QString apple = fixture.choice.toolTip(1);
    CHECK(apple.contains("Versions: 4, 3, 1"));
    CHECK(apple.contains("no description"));
    CHECK(fixture.choice.toolTip(2).isEmpty());
}

TEST_CASE("ModelChoice: a long card's tooltip reads as paragraphs and stops after the first few")
{
    WelcomeInfo welcome = twoModelWelcome();
    QString card = QStringLiteral("# Apple leaf\n\nTrained on photos from\nthe north field.\n\n- scab\n- rust\n\n");
    for (int i = 0; i < 40; ++i)
        card += QStringLiteral("Paragraph %1 of the training notes, long enough to count.\n\n").arg(i);
    welcome.models[1].card = card;
    ChoiceFixture fixture;
    fixture.offer(welcome);
    const QString tip = fixture.choice.toolTip(1);
    CHECK(tip.contains("<p># Apple leaf</p><p>Trained on photos from the north field.</p><p>- scab<br>- rust</p>"));
    CHECK(tip.contains("Paragraph 0 of"));
    CHECK_FALSE(tip.contains("Paragraph 39 of"));
    CHECK(tip.endsWith("<p>…</p>"));
    CHECK(tip.size() < ModelChoice::kMaxCardTooltipLength + 300);
}

TEST_CASE("ModelChoice: choosing another model or a fixed version names it in requests")
{
    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    fixture.offer(twoModelWelcome());
    QSignalSpy changed(&choice, &ModelChoice::choiceChanged);

    REQUIRE(choice.choose(1));
    CHECK(changed.count() == 1);
    CHECK(choice.requestModel() == "apple-leaf");
    CHECK_FALSE(choice.requestVersion()); // its latest, whichever that is by then
    REQUIRE(choice.choose(1, 3));
    CHECK(choice.requestVersion() == 3);
    CHECK(choice.chosenText() == "apple-leaf, version 3");
    // The default model at a fixed version must be named too, or the server picks its latest.
    REQUIRE(choice.choose(0, 1));
    CHECK(choice.requestModel() == "fashion-mnist");
    CHECK(choice.requestVersion() == 1);

    changed.clear();
    CHECK_FALSE(choice.choose(1, 2)); // apple-leaf has no version 2
    CHECK_FALSE(choice.choose(2));
    CHECK_FALSE(choice.choose(-1));
    CHECK(changed.isEmpty());
    CHECK(choice.requestModel() == "fashion-mnist");
    CHECK(choice.requestVersion() == 1);
}

TEST_CASE("ModelChoice: a remembered choice is taken back when the offer has it")
{
    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    fixture.offer(twoModelWelcome());
    CHECK(choice.restore("apple-leaf", 3) == Restored::Exactly);
    CHECK(choice.chosenModel() == "apple-leaf");
    CHECK(choice.chosenVersion() == 3);

    // A new welcome starts from the default again, whatever was chosen before.
    fixture.offer(twoModelWelcome());
    CHECK(choice.chosenModel() == "fashion-mnist");
    CHECK(choice.restore("apple-leaf", std::nullopt) == Restored::Exactly);
    CHECK_FALSE(choice.chosenVersion());

    fixture.offer(twoModelWelcome());
    CHECK(choice.restore("apple-leaf", 2) == Restored::LatestInstead); // version 2 is gone
    CHECK(choice.chosenModel() == "apple-leaf");
    CHECK_FALSE(choice.chosenVersion());

    fixture.offer(twoModelWelcome());
    CHECK(choice.restore("pear-leaf", std::nullopt) == Restored::NotOffered);
    CHECK(choice.chosenModel() == "fashion-mnist");
    CHECK(choice.requestModel().isEmpty());
}

TEST_CASE("ModelChoice: a welcome without models shows its one model, fixed")
{
    // What the original and older Orchard servers say: one model, no list.
    WelcomeInfo old;
    old.model = QStringLiteral("fashion-mnist");
    const std::optional<WelcomeInfo> welcome = ServerMessage::fromBody(ServerMessage::welcome(old).toBody())->welcomeInfo();
    REQUIRE(welcome);
    REQUIRE(welcome->models.isEmpty());

    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    fixture.offer(*welcome);
    REQUIRE(choice.rowCount() == 1);
    CHECK(choice.index(0).data() == "fashion-mnist");
    CHECK(choice.hasOffer());
    CHECK_FALSE(choice.isSelectable());
    CHECK(choice.chosenRow() == 0);
    CHECK(choice.chosenText() == "fashion-mnist");
    CHECK(choice.versionsNewestFirst(0).isEmpty());
    CHECK(choice.toolTip(0).contains("no other model"));
    // Nothing to choose, nothing to take back, and requests stay the original's.
    CHECK_FALSE(choice.choose(0));
    CHECK(choice.restore("fashion-mnist", 2) == Restored::NotOffered);
    CHECK(choice.restore("apple-leaf", std::nullopt) == Restored::NotOffered);
    CHECK_FALSE(choice.withdraw("fashion-mnist", std::nullopt));
    CHECK(choice.requestModel().isEmpty());
    CHECK_FALSE(choice.requestVersion());

    // A welcome with models later (another server) makes it a choice again.
    fixture.offer(twoModelWelcome());
    CHECK(choice.isSelectable());
    CHECK(choice.rowCount() == 2);
}

TEST_CASE("ModelChoice: a real server's welcome chooses its default, and requests name nothing")
{
    ServerFixture server;
    ServerConnection connection;
    QSignalSpy listed(&connection, &ServerConnection::modelsListed);
    connection.connectToServer(QStringLiteral("127.0.0.1"), server.port());
    REQUIRE(QTest::qWaitFor([&connection] { return connection.isConnected(); }, 30000));
    CHECK(listed.count() == 1);

    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    choice.setOffer(connection.servedModels(), connection.modelName());
    CHECK(choice.defaultModel() == "fashion-mnist");
    CHECK(choice.chosenModel() == connection.modelName());
    CHECK(choice.isSelectable() == !connection.servedModels().isEmpty());
    CHECK(choice.rowCount() == std::max<int>(1, connection.servedModels().size()));
    for (const ServedModelInfo &model : connection.servedModels())
        CHECK(choice.rowOf(model.name) >= 0);
    CHECK(choice.requestModel().isEmpty());
}

TEST_CASE("ModelChoice: what the server does not serve is taken out, the default stays")
{
    ChoiceFixture fixture;
    ModelChoice &choice = fixture.choice;
    fixture.offer(twoModelWelcome());

    REQUIRE(choice.choose(1, 3));
    CHECK(choice.withdraw("apple-leaf", 3)); // only that version
    CHECK(choice.rowCount() == 2);
    CHECK(choice.versionsNewestFirst(1) == QList<qint64> { 4, 1 });
    CHECK(choice.chosenModel() == "apple-leaf");
    CHECK_FALSE(choice.chosenVersion()); // back to its latest
    CHECK_FALSE(choice.withdraw("apple-leaf", 3)); // gone already

    CHECK(choice.withdraw("apple-leaf", std::nullopt)); // the whole model
    REQUIRE(choice.rowCount() == 1);
    CHECK(choice.chosenModel() == "fashion-mnist");
    CHECK(choice.requestModel().isEmpty());

    CHECK_FALSE(choice.withdraw("fashion-mnist", std::nullopt)); // the default is served by definition
    CHECK(choice.withdraw("fashion-mnist", 1)); // but one of its versions may go
    CHECK(choice.versionsNewestFirst(0) == QList<qint64> { 2 });
    CHECK_FALSE(choice.withdraw("pear-leaf", std::nullopt));

    // Another model or version going keeps the choice where it was.
    WelcomeInfo three = twoModelWelcome();
    ServedModelInfo pear;
    pear.name = QStringLiteral("pear-leaf");
    pear.versions = { 7 };
    three.models.insert(1, pear);
    fixture.offer(three);
    REQUIRE(choice.choose(2, 3));
    REQUIRE(choice.chosenModel() == "apple-leaf");
    QSignalSpy changed(&choice, &ModelChoice::choiceChanged);
    CHECK(choice.withdraw("apple-leaf", 4));
    CHECK(choice.withdraw("pear-leaf", 7)); // its last version: the whole model
    CHECK(choice.rowCount() == 2);
    CHECK(choice.chosenRow() == 1); // moved up a row, still the same model
    CHECK(choice.chosenModel() == "apple-leaf");
    CHECK(choice.chosenVersion() == 3);
    CHECK(changed.isEmpty());
}

TEST_CASE("ClientSettings: the chosen model and version survive a save and a load")
{
    QStandardPaths::setTestModeEnabled(true); // under ~/.qttest, never the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("OrchardTests"));
    QCoreApplication::setApplicationName(QStringLiteral("orchard-client-model-tests"));
    QSettings().clear();
    CHECK(ClientSettings::load().modelName.isEmpty()); // nothing chosen: the server's default
    CHECK_FALSE(ClientSettings::load().modelVersion);

    ClientSettings settings;
    settings.modelName = QStringLiteral("apple-leaf");
    settings.modelVersion = 3;
    settings.save();
    ClientSettings loaded = ClientSettings::load();
    CHECK(loaded.modelName == "apple-leaf");
    CHECK(loaded.modelVersion == 3);

    loaded.modelVersion.reset(); // the latest again
    loaded.save();
    CHECK(ClientSettings::load().modelName == "apple-leaf");
    CHECK_FALSE(ClientSettings::load().modelVersion);

    // A hand-edited file cannot pin a version that cannot exist.
    QSettings().setValue(QStringLiteral("predict/modelVersion"), QStringLiteral("-2"));
    CHECK_FALSE(ClientSettings::load().modelVersion);
    QSettings().clear();
}

TEST_CASE("ModelChoice: retranslate() renews every row's tooltip")
{
    ModelChoice choice;
    QAbstractItemModelTester tester(&choice, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy changed(&choice, &QAbstractItemModel::dataChanged);
    choice.retranslate(); // no offer yet: no rows to renew
    CHECK(changed.isEmpty());
    ServedModelInfo fashion;
    fashion.name = QStringLiteral("fashion-mnist");
    fashion.versions = { 1 };
    fashion.isDefault = true;
    ServedModelInfo apple;
    apple.name = QStringLiteral("apple-leaf");
    apple.versions = { 3 };
    choice.setOffer({ fashion, apple }, QStringLiteral("fashion-mnist"));
    orchard::test::checkRetranslateAnnounces(choice, [&] { choice.retranslate(); }, { Qt::ToolTipRole });
}
