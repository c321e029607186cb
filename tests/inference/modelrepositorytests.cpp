// The model repository's layout: which folders are versions, which versions a policy
// serves, which model is the default, and what is refused, on real folders.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "common/inference/modelrepository.h"

using namespace orchard;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(content);
}

/** REPO/name/version/model.json (the scan reads the layout only, not the files). */
void addVersion(const QTemporaryDir &repo, const QString &name, const QString &version)
{
    writeFile(repo.filePath(name + u'/' + version + QStringLiteral("/model.json")), "{}");
}

bool notesMention(const ModelRepository::Scan &scan, const QString &text)
{
    for (const QString &note : scan.notes) {
        if (note.contains(text))
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("Version folders are whole numbers from 1 and the latest one is served by default", "[repository]")
{
    QTemporaryDir repo;
    for (const char *version : { "1", "3", "12", "v2", "02", "0", "-1", "1.5" })
        addVersion(repo, QStringLiteral("apple"), QString::fromLatin1(version));
    QDir().mkpath(repo.filePath(QStringLiteral("apple/7"))); // no model.json

    const auto scan = ModelRepository::scan(repo.path());
    REQUIRE(scan);
    REQUIRE(scan->models.size() == 1);
    const ModelRepository::Model &apple = scan->models.first();
    CHECK(apple.name == QStringLiteral("apple"));
    CHECK(apple.versions == QList<qint64> { 1, 3, 12 });
    CHECK(apple.selected == QList<qint64> { 12 });
    CHECK(apple.versionDirectory(12) == QDir(repo.path()).filePath(QStringLiteral("apple/12")));
    CHECK(scan->defaultModel == QStringLiteral("apple"));
    for (const char *ignored : { "v2", "02", "/0", "-1", "1.5" })
        CHECK(notesMention(*scan, QString::fromLatin1(ignored)));
    CHECK(notesMention(*scan, QStringLiteral("apple/7: has no model.json")));
}

TEST_CASE("config.json chooses the versions served and the default model", "[repository]")
{
    QTemporaryDir repo;
    for (const char *version : { "1", "2", "3" }) {
        addVersion(repo, QStringLiteral("apple"), QString::fromLatin1(version));
        addVersion(repo, QStringLiteral("pear"), QString::fromLatin1(version));
    }
    addVersion(repo, QStringLiteral("quince"), QStringLiteral("1"));
    writeFile(repo.filePath(QStringLiteral("apple/config.json")), R"({"version_policy": {"latest": 2}})");
    writeFile(repo.filePath(QStringLiteral("pear/config.json")),
              R"({"version_policy": {"specific": [3, 1, 9]}, "default": true})");

    const auto scan = ModelRepository::scan(repo.path());
    REQUIRE(scan);
    REQUIRE(scan->models.size() == 3);
    CHECK(scan->find(QStringLiteral("apple"))->selected == QList<qint64> { 2, 3 });
    CHECK(scan->find(QStringLiteral("pear"))->selected == QList<qint64> { 1, 3 });
    CHECK(scan->find(QStringLiteral("quince"))->selected == QList<qint64> { 1 });
    CHECK(scan->find(QStringLiteral("plum")) == nullptr);
    CHECK(scan->defaultModel == QStringLiteral("pear"));
    CHECK(notesMention(*scan, QStringLiteral("asks for version 9")));
}

TEST_CASE("Without a default in any config.json the first model by name is the default", "[repository]")
{
    QTemporaryDir repo;
    addVersion(repo, QStringLiteral("pear"), QStringLiteral("1"));
    addVersion(repo, QStringLiteral("apple"), QStringLiteral("4"));
    const auto scan = ModelRepository::scan(repo.path());
    REQUIRE(scan);
    CHECK(scan->defaultModel == QStringLiteral("apple"));
    CHECK(notesMention(*scan, QStringLiteral("the first by name")));
}

TEST_CASE("A model with nothing to serve is left out and an empty repository is refused", "[repository]")
{
    QTemporaryDir repo;
    addVersion(repo, QStringLiteral("apple"), QStringLiteral("1"));
    QDir().mkpath(repo.filePath(QStringLiteral("pear/draft")));
    addVersion(repo, QStringLiteral("quince"), QStringLiteral("2"));
    writeFile(repo.filePath(QStringLiteral("quince/config.json")), R"({"version_policy": {"specific": [1]}})");
    const auto scan = ModelRepository::scan(repo.path());
    REQUIRE(scan);
    REQUIRE(scan->models.size() == 1);
    CHECK(scan->models.first().name == QStringLiteral("apple"));
    CHECK(notesMention(*scan, QStringLiteral("pear: no version to serve")));
    CHECK(notesMention(*scan, QStringLiteral("quince: no version to serve")));

    QTemporaryDir empty;
    QDir().mkpath(empty.filePath(QStringLiteral("apple/notes")));
    const auto nothing = ModelRepository::scan(empty.path());
    REQUIRE_FALSE(nothing);
    CHECK(nothing.error().message.contains(QStringLiteral("no model to serve")));

    const auto missing = ModelRepository::scan(empty.filePath(QStringLiteral("absent")));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.contains(QStringLiteral("not a folder")));
}

TEST_CASE("A bad config.json or two defaults are refused naming the file", "[repository]")
{
    const char *bad[] = {
        "not json",
        R"({"version_policy": {"latest": 0}})",
        R"({"version_policy": {"latest": 1.5}})",
        R"({"version_policy": {"specific": []}})",
        R"({"version_policy": {"specific": ["2"]}})",
        R"({"version_policy": {"newest": 1}})",
        R"({"version_policy": {"latest": 1, "specific": [1]}})",
        R"({"default": "yes"})",
        R"({"versions": 2})",
    };
    for (const char *config : bad) {
        QTemporaryDir repo;
        addVersion(repo, QStringLiteral("apple"), QStringLiteral("1"));
        writeFile(repo.filePath(QStringLiteral("apple/config.json")), config);
        const auto scan = ModelRepository::scan(repo.path());
        INFO(config);
        REQUIRE_FALSE(scan);
        CHECK(scan.error().message.contains(repo.filePath(QStringLiteral("apple/config.json"))));
    }

    QTemporaryDir repo;
    for (const char *name : { "apple", "pear" }) {
        addVersion(repo, QString::fromLatin1(name), QStringLiteral("1"));
        writeFile(repo.filePath(QString::fromLatin1(name) + QStringLiteral("/config.json")), R"({"default": true})");
    }
    const auto scan = ModelRepository::scan(repo.path());
    REQUIRE_FALSE(scan);
    CHECK(scan.error().message.contains(QStringLiteral("apple, pear")));
}

TEST_CASE("A single model folder is told apart from a repository", "[repository]")
{
    QTemporaryDir repo;
    addVersion(repo, QStringLiteral("apple"), QStringLiteral("1"));
    CHECK(ModelRepository::isModelFolder(repo.filePath(QStringLiteral("apple/1"))));
    CHECK_FALSE(ModelRepository::isModelFolder(repo.path()));
    CHECK_FALSE(ModelRepository::isModelFolder(repo.filePath(QStringLiteral("apple"))));
}
