// The preview draws a pipeline's boxes where they are in the photo, and a click chooses one.
#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QTest>

#include "client/ui/imagepreview.h"

using namespace orchard;

namespace {

DetectionReport detection(const QString &label, int index, PixelBox box, double confidence)
{
    DetectionReport found;
    found.label = label;
    found.index = index;
    found.box = box;
    found.confidence = confidence;
    found.score = confidence;
    return found;
}

} // namespace

TEST_CASE("The preview draws each detection's box over the photo, in the photo's pixels", "[gui][pipeline]")
{
    ImagePreview preview;
    preview.resize(660, 540);
    preview.show();
    REQUIRE(QTest::qWaitForWindowExposed(&preview));
    // A grey preview of half the photo's size: boxes are given in the 1280 x 960 photo's pixels.
    QImage image(640, 480, QImage::Format_RGB32);
    image.fill(QColor(128, 128, 128));
    preview.setImage(image, QStringLiteral("scene.jpg"));
    preview.setDetections({ detection(QStringLiteral("Sneaker"), 7, { 200, 300, 400, 200 }, 0.93),
                            detection(QStringLiteral("Bag"), 8, { 900, 100, 200, 300 }, 0.61) },
                          QSize(1280, 960));

    const QRect target = preview.imageRect();
    const QRect first = preview.detectionRect(0);
    REQUIRE_FALSE(first.isEmpty());
    // Scaled from the photo's pixels onto the drawn image.
    CHECK(first.left() == Approx(target.left() + 200.0 * target.width() / 1280).margin(1));
    CHECK(first.width() == Approx(400.0 * target.width() / 1280).margin(2)); // rounded outwards

    const QImage shot = preview.grab().toImage();
    const QColor edge = shot.pixelColor(first.left(), first.center().y());
    const QColor inside = shot.pixelColor(first.center());
    const QColor expected = ImagePreview::colorFor(7);
    INFO("edge " << edge.name().toStdString() << ", expected " << expected.name().toStdString());
    CHECK(std::abs(edge.red() - expected.red()) + std::abs(edge.green() - expected.green())
                  + std::abs(edge.blue() - expected.blue())
          < 30);
    CHECK(inside == QColor(128, 128, 128)); // the photo shows through the box
    CHECK(ImagePreview::colorFor(7) != ImagePreview::colorFor(8));
    CHECK(preview.accessibleDescription().contains(QStringLiteral("2 found")));
    CHECK(preview.accessibleDescription().contains(QStringLiteral("Sneaker")));

    // A click inside the second box chooses it.
    QSignalSpy clicked(&preview, &ImagePreview::detectionClicked);
    QTest::mouseClick(&preview, Qt::LeftButton, {}, preview.detectionRect(1).center());
    REQUIRE(clicked.count() == 1);
    CHECK(clicked.first().first().toInt() == 1);
    CHECK(preview.selectedDetection() == 1);

    // Another photo without detections draws none.
    preview.setDetections({}, QSize(640, 480));
    CHECK(preview.grab().toImage().pixelColor(first.left(), first.center().y()) == QColor(128, 128, 128));
}
