#include <catch2/catch.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "common/imaging/imagepreprocessor.h"
#include "tests/inference/testimages.h"

using namespace orchard;

namespace {

ModelManifest::Input grayInput(int width, int height, double mean = 0.0, double std = 1.0)
{
    ModelManifest::Input input;
    input.channels = 1;
    input.width = width;
    input.height = height;
    input.color = ModelManifest::Color::Gray;
    input.mean = { mean };
    input.std = { std };
    input.resize = ModelManifest::Resize::Area;
    return input;
}

ModelManifest::Input colorInput(ModelManifest::Color color, int width, int height)
{
    ModelManifest::Input input;
    input.channels = 3;
    input.width = width;
    input.height = height;
    input.color = color;
    input.mean = { 0.1, 0.2, 0.3 };
    input.std = { 0.5, 0.25, 0.125 };
    input.resize = ModelManifest::Resize::Linear;
    return input;
}

/** The contract's float step for one byte, written the way train.py writes it. */
float expected(int value, double scale, double mean, double std)
{
    return (float(value) * float(scale) - float(mean)) / float(std);
}

float at(const std::vector<float> &chw, int width, int height, int c, int y, int x)
{
    return chw[std::size_t(c) * std::size_t(width * height) + std::size_t(y * width + x)];
}

} // namespace

TEST_CASE("A gray pixel becomes (value x scale - mean) / std")
{
    const ImagePreprocessor preprocessor(grayInput(28, 28, 0.286, 0.353));
    const cv::Mat image(28, 28, CV_8UC1, cv::Scalar(200));
    const std::vector<float> output = preprocessor.process(image);
    REQUIRE(output.size() == 28 * 28);
    CHECK(output.front() == Approx((200.0 / 255.0 - 0.286) / 0.353).epsilon(1e-6));
    CHECK(output.front() == expected(200, 1.0 / 255.0, 0.286, 0.353)); // bit for bit
    CHECK(output.back() == output.front());
}

TEST_CASE("RGB and BGR models see OpenCV's BGR pixels in their own channel order")
{
    cv::Mat bgr(4, 4, CV_8UC3, cv::Scalar(10, 20, 30)); // blue 10, green 20, red 30
    const double scale = 1.0 / 255.0;

    const ImagePreprocessor rgb(colorInput(ModelManifest::Color::Rgb, 4, 4));
    const std::vector<float> fromRgb = rgb.process(bgr);
    REQUIRE(fromRgb.size() == 3 * 16);
    CHECK(at(fromRgb, 4, 4, 0, 2, 3) == expected(30, scale, 0.1, 0.5)); // R first
    CHECK(at(fromRgb, 4, 4, 1, 2, 3) == expected(20, scale, 0.2, 0.25));
    CHECK(at(fromRgb, 4, 4, 2, 2, 3) == expected(10, scale, 0.3, 0.125)); // B last

    const ImagePreprocessor bgrModel(colorInput(ModelManifest::Color::Bgr, 4, 4));
    const std::vector<float> fromBgr = bgrModel.process(bgr);
    CHECK(at(fromBgr, 4, 4, 0, 0, 0) == expected(10, scale, 0.1, 0.5)); // B first
    CHECK(at(fromBgr, 4, 4, 2, 0, 0) == expected(30, scale, 0.3, 0.125));

    // A gray model handed a colour image converts it the way cv2.cvtColor does.
    const ImagePreprocessor gray(grayInput(4, 4));
    cv::Mat converted;
    cv::cvtColor(bgr, converted, cv::COLOR_BGR2GRAY);
    CHECK(gray.process(bgr).front() == expected(converted.at<uchar>(0, 0), scale, 0.0, 1.0));
}

TEST_CASE("Output is CHW with one plane per channel")
{
    cv::Mat bgr(2, 3, CV_8UC3);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x)
            bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(10 * (y * 3 + x)), uchar(100 + y * 3 + x), 7);
    ModelManifest::Input input = colorInput(ModelManifest::Color::Bgr, 3, 2);
    input.scale = 1.0;
    input.mean = { 0.0, 0.0, 0.0 };
    input.std = { 1.0, 1.0, 1.0 };
    const std::vector<float> output = ImagePreprocessor(input).process(bgr);
    REQUIRE(output.size() == 18);
    CHECK(output[0] == 0.0f); // channel 0, (0, 0)
    CHECK(output[1] == 10.0f); // channel 0, (0, 1)
    CHECK(output[3] == 30.0f); // channel 0, (1, 0)
    CHECK(output[6] == 100.0f); // channel 1 starts after width × height values
    CHECK(output[11] == 105.0f);
    CHECK(output[12] == 7.0f);
}

TEST_CASE("Scale and mean and std are the manifest's per channel")
{
    ModelManifest::Input input = grayInput(1, 1, 100.0, 50.0);
    input.scale = 1.0;
    CHECK(
        ImagePreprocessor(input).process(cv::Mat(1, 1, CV_8UC1, cv::Scalar(200))).front() == 2.0f);
    input.scale = 0.5;
    CHECK(
        ImagePreprocessor(input).process(cv::Mat(1, 1, CV_8UC1, cv::Scalar(200))).front() == 0.0f);
}

TEST_CASE("Letterbox keeps the aspect ratio and centres the image and pads with black")
{
    const double mean = 0.5;
    const double std = 0.25;
    ModelManifest::Input input = grayInput(28, 28, mean, std);
    input.resize = ModelManifest::Resize::Letterbox;
    const ImagePreprocessor preprocessor(input);
    const float white = expected(255, input.scale, mean, std);
    const float black = expected(0, input.scale, mean, std);

    SECTION("a wide image gets bars above and below")
    {
        // 100 × 50 → scale 0.28 → 28 × 14, placed at rows 7..20.
        const std::vector<float> out
            = preprocessor.process(cv::Mat(50, 100, CV_8UC1, cv::Scalar(255)));
        for (int y = 0; y < 28; ++y) {
            INFO("row " << y);
            CHECK(at(out, 28, 28, 0, y, 13) == (y >= 7 && y < 21 ? white : black));
        }
        CHECK(at(out, 28, 28, 0, 10, 0) == white);
        CHECK(at(out, 28, 28, 0, 10, 27) == white);
    }
    SECTION("a tall image gets bars left and right")
    {
        const cv::Mat scaled
            = preprocessor.convertAndResize(cv::Mat(100, 50, CV_8UC1, cv::Scalar(255)));
        REQUIRE(scaled.size() == cv::Size(28, 28));
        CHECK(cv::countNonZero(scaled.colRange(0, 7)) == 0);
        CHECK(cv::countNonZero(scaled.colRange(7, 21)) == 14 * 28);
        CHECK(cv::countNonZero(scaled.colRange(21, 28)) == 0);
    }
    SECTION("a small image is enlarged to fit")
    {
        const cv::Mat scaled
            = preprocessor.convertAndResize(cv::Mat(5, 10, CV_8UC1, cv::Scalar(255)));
        CHECK(cv::countNonZero(scaled) == 28 * 14);
    }
    SECTION("sizes round half to even, like Python's round() in train.py")
    {
        // 12 × 5 into 6 × 6: scale 0.5, height 2.5 → 2 (std::lround would give 3).
        ModelManifest::Input small = grayInput(6, 6);
        small.resize = ModelManifest::Resize::Letterbox;
        const cv::Mat scaled
            = ImagePreprocessor(small).convertAndResize(cv::Mat(5, 12, CV_8UC1, cv::Scalar(255)));
        CHECK(cv::countNonZero(scaled) == 6 * 2);
        CHECK(cv::countNonZero(scaled.rowRange(2, 4)) == 12);
    }
}

TEST_CASE("Area and linear resizing are OpenCV's INTER_AREA and INTER_LINEAR")
{
    cv::Mat image = testimages::photoLike(90, 70);
    cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
    for (const auto &[mode, interpolation] :
        { std::pair { ModelManifest::Resize::Area, cv::INTER_AREA },
            std::pair { ModelManifest::Resize::Linear, cv::INTER_LINEAR } }) {
        ModelManifest::Input input = grayInput(28, 28);
        input.resize = mode;
        cv::Mat reference;
        cv::resize(image, reference, cv::Size(28, 28), 0, 0, interpolation);
        const cv::Mat resized = ImagePreprocessor(input).convertAndResize(image);
        CHECK(cv::norm(resized, reference, cv::NORM_INF) == 0.0);
    }
}

TEST_CASE("Images the decoder never produces are refused with an exception the engine catches")
{
    const ImagePreprocessor preprocessor(grayInput(28, 28));
    CHECK_THROWS_AS(preprocessor.process(cv::Mat()), std::invalid_argument);
    CHECK_THROWS_AS(
        preprocessor.process(cv::Mat(4, 4, CV_32FC1, cv::Scalar(0))), std::invalid_argument);
    CHECK_THROWS_AS(
        preprocessor.process(cv::Mat(4, 4, CV_8UC4, cv::Scalar(0))), std::invalid_argument);
}
