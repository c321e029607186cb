#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "common/imaging/modelmanifest.h"
#include "common/inference/inferenceengine.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

QJsonObject validManifest()
{
    QJsonArray labels;
    for (const char *label : { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
             "Shirt", "Sneaker", "Bag", "Ankle boot" })
        labels.append(QString::fromLatin1(label));
    return QJsonObject {
        { "name", "test-model" },
        { "version", "1.2.3" },
        { "labels", labels },
        { "descriptions", QJsonObject { { "Trouser", "Fold them." } } },
        { "input",
            QJsonObject { { "channels", 1 }, { "height", 28 }, { "width", 28 }, { "color", "gray" },
                { "mean", QJsonArray { 0.286 } }, { "std", QJsonArray { 0.353 } },
                { "resize", "area" } } },
        { "metrics",
            QJsonObject { { "dataset", "unit test" }, { "split", "test" }, { "samples", 10 },
                { "top1", QJsonValue::Null } } },
    };
}

/** A model folder in a temporary directory; model.pt is the default model's when asked. */
class ModelFolder
{
public:
    explicit ModelFolder(bool withModel = false)
    {
        REQUIRE(m_dir.isValid());
        if (withModel) {
            const QString source = QDir(testimages::defaultModelDirectory()).filePath("model.pt");
            INFO("the default model must exist: " << source.toStdString());
            REQUIRE(QFile::copy(source, modelPath()));
        }
    }

    QString path() const { return m_dir.path(); }
    QString manifestPath() const { return QDir(m_dir.path()).filePath("model.json"); }
    QString modelPath() const { return QDir(m_dir.path()).filePath("model.pt"); }

    void write(const QByteArray &bytes) const
    {
        QFile file(manifestPath());
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    void write(const QJsonObject &manifest) const { write(QJsonDocument(manifest).toJson()); }

    /** Loads and expects a failure that names model.json and the key. */
    QString errorNaming(const QString &key) const
    {
        const InferenceResult<ModelManifest> manifest = ModelManifest::load(path());
        REQUIRE_FALSE(manifest.ok());
        const QString message = manifest.error().message;
        INFO(message.toStdString());
        CHECK(manifest.error().kind == InferenceError::Kind::InvalidModel);
        CHECK(message.contains(manifestPath()));
        CHECK(message.contains(QStringLiteral("key \"%1\"").arg(key)));
        return message;
    }

private:
    QTemporaryDir m_dir;
};

QJsonObject withInput(QJsonObject manifest, const QString &key, const QJsonValue &value)
{
    QJsonObject input = manifest.value("input").toObject();
    if (value.isUndefined())
        input.remove(key);
    else
        input.insert(key, value);
    manifest.insert("input", input);
    return manifest;
}

} // namespace

TEST_CASE("A valid manifest loads with every value and the documented defaults")
{
    const ModelFolder folder;
    folder.write(validManifest());
    const InferenceResult<ModelManifest> manifest = ModelManifest::load(folder.path());
    INFO((manifest.ok() ? QString() : manifest.error().message).toStdString());
    REQUIRE(manifest.ok());
    CHECK(manifest->name == "test-model");
    CHECK(manifest->version == "1.2.3");
    CHECK(manifest->labels.size() == 10);
    CHECK(manifest->labels.at(9) == "Ankle boot");
    CHECK(manifest->description("Trouser") == "Fold them.");
    CHECK(manifest->description("Bag").isEmpty());
    CHECK(manifest->input.channels == 1);
    CHECK(manifest->input.color == ModelManifest::Color::Gray);
    CHECK(manifest->input.resize == ModelManifest::Resize::Area);
    CHECK(manifest->input.mean == QList<double> { 0.286 });
    CHECK(manifest->input.scale == Approx(1.0 / 255.0)); // the default when "scale" is absent
    REQUIRE(manifest->metrics.has_value());
    CHECK(manifest->metrics->samples == 10);
    CHECK_FALSE(manifest->metrics->top1.has_value()); // null: not measured
    CHECK(manifest->modelPath() == QDir(folder.path()).filePath("model.pt"));
}

TEST_CASE("A missing model.json is reported with its path")
{
    const ModelFolder folder;
    const InferenceResult<ModelManifest> manifest = ModelManifest::load(folder.path());
    REQUIRE_FALSE(manifest.ok());
    CHECK(manifest.error().message.startsWith(folder.manifestPath() + ": file not found"));

    const InferenceResult<ModelManifest> noFolder = ModelManifest::load(folder.path() + "/nope");
    REQUIRE_FALSE(noFolder.ok());
    CHECK(noFolder.error().message.contains("model folder not found"));
}

TEST_CASE("Invalid JSON is reported with the file and the parser's position")
{
    const ModelFolder folder;
    folder.write(QByteArray(R"({"name": "x", "labels": [)"));
    const InferenceResult<ModelManifest> manifest = ModelManifest::load(folder.path());
    REQUIRE_FALSE(manifest.ok());
    CHECK(manifest.error().message.startsWith(folder.manifestPath() + ": not valid JSON"));
    CHECK(manifest.error().message.contains("offset"));

    folder.write(QByteArray("[1, 2, 3]"));
    CHECK(ModelManifest::load(folder.path()).error().message.contains("JSON object"));
}

TEST_CASE("A missing key is named with its full path")
{
    const ModelFolder folder;
    QJsonObject manifest = validManifest();
    manifest.remove("labels");
    folder.write(manifest);
    CHECK(folder.errorNaming("labels").endsWith("is missing"));

    folder.write(withInput(validManifest(), "mean", QJsonValue::Undefined));
    CHECK(folder.errorNaming("input.mean").endsWith("is missing"));

    manifest = validManifest();
    manifest.remove("input");
    folder.write(manifest);
    folder.errorNaming("input");
}

TEST_CASE("A key of the wrong type is named with what was expected and found")
{
    const ModelFolder folder;
    folder.write(withInput(validManifest(), "channels", "one"));
    CHECK(folder.errorNaming("input.channels").contains("must be an integer, found a string"));

    QJsonObject manifest = validManifest();
    manifest.insert("labels", "T-shirt, Trouser");
    folder.write(manifest);
    CHECK(folder.errorNaming("labels").contains("array"));

    manifest = validManifest();
    manifest.insert("labels", QJsonArray { "a", 3 });
    folder.write(manifest);
    folder.errorNaming("labels[1]");

    folder.write(withInput(validManifest(), "height", 28.5));
    folder.errorNaming("input.height");

    folder.write(withInput(validManifest(), "std", QJsonArray { "wide" }));
    folder.errorNaming("input.std[0]");

    manifest = validManifest();
    manifest.insert("metrics", QJsonObject { { "top1", "91%" } });
    folder.write(manifest);
    folder.errorNaming("metrics.top1");
}

TEST_CASE("mean and std must have one number per channel and std must be above zero")
{
    const ModelFolder folder;
    folder.write(withInput(validManifest(), "mean", QJsonArray { 0.5, 0.5, 0.5 }));
    CHECK(folder.errorNaming("input.mean")
              .contains("must have 1 number(s) (one per channel), found 3"));

    folder.write(withInput(validManifest(), "std", QJsonArray {}));
    folder.errorNaming("input.std");

    folder.write(withInput(validManifest(), "std", QJsonArray { 0.0 }));
    CHECK(folder.errorNaming("input.std[0]").contains("greater than 0"));

    folder.write(withInput(validManifest(), "scale", -1.0));
    folder.errorNaming("input.scale");
}

TEST_CASE("An unknown colour or resize mode is named with the accepted values")
{
    const ModelFolder folder;
    folder.write(withInput(validManifest(), "color", "purple"));
    CHECK(folder.errorNaming("input.color")
              .contains(R"(must be "gray", "rgb" or "bgr", found "purple")"));

    folder.write(withInput(validManifest(), "resize", "stretch"));
    CHECK(folder.errorNaming("input.resize").contains(R"(found "stretch")"));
}

TEST_CASE("Channels and colour must agree: gray with 1 and rgb or bgr with 3")
{
    const ModelFolder folder;
    QJsonObject manifest = withInput(validManifest(), "channels", 3);
    manifest = withInput(manifest, "mean", QJsonArray { 0.5, 0.5, 0.5 });
    manifest = withInput(manifest, "std", QJsonArray { 0.5, 0.5, 0.5 });
    folder.write(manifest);
    CHECK(folder.errorNaming("input.color").contains("input.channels is 3"));

    folder.write(withInput(validManifest(), "color", "rgb"));
    folder.errorNaming("input.color");

    folder.write(withInput(validManifest(), "channels", 4));
    CHECK(folder.errorNaming("input.channels").contains("must be 1 (gray) or 3 (colour)"));
}

TEST_CASE("Repeated labels and advice for unknown labels are refused")
{
    const ModelFolder folder;
    QJsonObject manifest = validManifest();
    manifest.insert("labels", QJsonArray { "rust", "scab", "rust" });
    folder.write(manifest);
    CHECK(folder.errorNaming("labels[2]").contains("repeats"));

    manifest = validManifest();
    manifest.insert("descriptions", QJsonObject { { "Trousers", "typo" } });
    folder.write(manifest);
    CHECK(folder.errorNaming("descriptions.Trousers").contains("not one of the labels"));
}

TEST_CASE("The engine refuses labels that do not match the model's output width")
{
    const ModelFolder folder(true);
    QJsonObject manifest = validManifest();
    QJsonArray nine = manifest.value("labels").toArray();
    nine.removeLast();
    manifest.insert("labels", nine);
    manifest.remove("descriptions");
    folder.write(manifest);

    const auto engine = InferenceEngine::load(folder.path());
    REQUIRE_FALSE(engine.ok());
    const QString message = engine.error().message;
    INFO(message.toStdString());
    CHECK(engine.error().kind == InferenceError::Kind::InvalidModel);
    CHECK(message.contains(folder.manifestPath() + ": key \"labels\" lists 9 labels"));
    CHECK(message.contains(folder.modelPath()));
    CHECK(message.contains("[1, 10]"));
}

TEST_CASE("The engine refuses an input shape the model cannot run")
{
    const ModelFolder folder(true);
    QJsonObject manifest = withInput(validManifest(), "channels", 3);
    manifest = withInput(manifest, "color", "rgb");
    manifest = withInput(manifest, "mean", QJsonArray { 0.5, 0.5, 0.5 });
    manifest = withInput(manifest, "std", QJsonArray { 0.5, 0.5, 0.5 });
    folder.write(manifest);
    const auto engine = InferenceEngine::load(folder.path());
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.error().message.contains(folder.modelPath() + " fails on a zero tensor"));
    CHECK(engine.error().message.contains("[1, 3, 28, 28]"));
}

TEST_CASE("A missing or unreadable model.pt is reported with its path")
{
    const ModelFolder folder;
    folder.write(validManifest());
    auto engine = InferenceEngine::load(folder.path());
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.error().kind == InferenceError::Kind::InvalidModel);
    CHECK(engine.error().message.startsWith(folder.modelPath() + ": file not found"));

    QFile garbage(folder.modelPath());
    REQUIRE(garbage.open(QIODevice::WriteOnly));
    garbage.write("not a zip archive");
    garbage.close();
    engine = InferenceEngine::load(folder.path());
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.error().message.startsWith(
        folder.modelPath() + ": LibTorch cannot load this file as TorchScript"));
}

TEST_CASE("The quality block and min_confidence are optional, with documented defaults")
{
    const ModelFolder folder;
    folder.write(validManifest());
    const InferenceResult<ModelManifest> defaults = ModelManifest::load(folder.path());
    REQUIRE(defaults.ok());
    const ModelManifest::Quality expected;
    CHECK(defaults->quality.sharpnessSide == expected.sharpnessSide);
    CHECK(defaults->quality.blurryBelow == expected.blurryBelow);
    CHECK(defaults->quality.darkBelow == 0.15);
    CHECK(defaults->quality.overexposedLevel == 250);
    CHECK(defaults->minConfidence == 0.0);
    CHECK(defaults->minMargin == 0.0);
    CHECK_FALSE(defaults->isUncertain(0.11, 0.10)); // 0: never uncertain

    QJsonObject manifest = validManifest();
    manifest.insert("quality", QJsonObject { { "blurry_below", 12.5 }, { "dark_below", 0.05 },
                                             { "overexposed_share", 0.5 }, { "sharpness_side", 128 } });
    manifest.insert("min_confidence", 0.6);
    manifest.insert("min_margin", 0.2);
    folder.write(manifest);
    const InferenceResult<ModelManifest> set = ModelManifest::load(folder.path());
    REQUIRE(set.ok());
    CHECK(set->quality.blurryBelow == 12.5);
    CHECK(set->quality.darkBelow == 0.05);
    CHECK(set->quality.overexposedShare == 0.5);
    CHECK(set->quality.overexposedLevel == 250); // not given: the default
    CHECK(set->quality.sharpnessSide == 128);
    CHECK(set->minConfidence == 0.6);
    CHECK(set->isUncertain(0.59, 0.1));
    CHECK(set->isUncertain(0.7, 0.55)); // margin 0.15
    CHECK_FALSE(set->isUncertain(0.7, 0.3));
}

TEST_CASE("A quality key with a typo, a wrong type or out of range is refused by name")
{
    const ModelFolder folder;
    QJsonObject manifest = validManifest();
    manifest.insert("quality", QJsonObject { { "blury_below", 10 } });
    folder.write(manifest);
    CHECK(folder.errorNaming("quality.blury_below").contains("blurry_below"));

    manifest.insert("quality", QJsonObject { { "dark_below", 1.5 } });
    folder.write(manifest);
    folder.errorNaming("quality.dark_below");
    manifest.insert("quality", QJsonObject { { "overexposed_level", "high" } });
    folder.write(manifest);
    folder.errorNaming("quality.overexposed_level");
    manifest.insert("quality", 3);
    folder.write(manifest);
    folder.errorNaming("quality");

    manifest.remove("quality");
    manifest.insert("min_confidence", 2);
    folder.write(manifest);
    folder.errorNaming("min_confidence");
}

TEST_CASE("A manifest with min_confidence 0.999 makes the engine's answers uncertain")
{
    const ModelFolder folder(true);
    folder.write(validManifest());
    const auto sure = InferenceEngine::load(folder.path());
    REQUIRE(sure.ok());
    QJsonObject manifest = validManifest();
    manifest.insert("min_confidence", 0.999);
    folder.write(manifest);
    const auto unsure = InferenceEngine::load(folder.path());
    REQUIRE(unsure.ok());

    int uncertain = 0;
    for (const QString &path : testimages::samplePaths()) {
        const QByteArray bytes = testimages::readFile(path);
        const InferenceResult<Prediction> plain = (*sure)->predict(bytes, 3);
        const InferenceResult<Prediction> strict = (*unsure)->predict(bytes, 3);
        REQUIRE(plain.ok());
        REQUIRE(strict.ok());
        CHECK_FALSE(plain->uncertain);
        CHECK(strict->uncertain == (strict->confidence < 0.999));
        CHECK(strict->label == plain->label); // the answer is the same, only flagged
        uncertain += strict->uncertain;
        // The samples are the model's own size: measured, and not small.
        CHECK_FALSE(plain->quality.small);
        CHECK(plain->quality.sharpness > 0.0);
    }
    CHECK(uncertain > 0);
}
