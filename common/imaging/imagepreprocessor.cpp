#include "common/imaging/imagepreprocessor.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace orchard {

namespace {

cv::Mat toColorOrder(const cv::Mat &image, ModelManifest::Color color)
{
    // OpenCV decodes colour as BGR; gray arrives as one channel from IMREAD_GRAYSCALE.
    cv::Mat converted;
    switch (color) {
    case ModelManifest::Color::Gray:
        if (image.channels() == 1)
            return image;
        cv::cvtColor(image, converted, cv::COLOR_BGR2GRAY);
        return converted;
    case ModelManifest::Color::Rgb:
        cv::cvtColor(
            image, converted, image.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
        return converted;
    case ModelManifest::Color::Bgr:
        if (image.channels() == 3)
            return image;
        cv::cvtColor(image, converted, cv::COLOR_GRAY2BGR);
        return converted;
    }
    return image;
}

cv::Mat letterbox(const cv::Mat &image, int width, int height)
{
    const double scale = std::min(double(width) / image.cols, double(height) / image.rows);
    // nearbyint rounds half to even, like Python's round() in train.py's letterbox.
    const int scaledWidth = std::clamp(int(std::nearbyint(image.cols * scale)), 1, width);
    const int scaledHeight = std::clamp(int(std::nearbyint(image.rows * scale)), 1, height);
    cv::Mat scaled;
    cv::resize(image, scaled, cv::Size(scaledWidth, scaledHeight), 0, 0,
        scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat canvas = cv::Mat::zeros(height, width, image.type());
    scaled.copyTo(canvas(cv::Rect(
        (width - scaledWidth) / 2, (height - scaledHeight) / 2, scaledWidth, scaledHeight)));
    return canvas;
}

} // namespace

ImagePreprocessor::ImagePreprocessor(const ModelManifest::Input &input)
    : m_input(input)
    , m_table {}
{
    if (m_input.mean.size() != m_input.channels || m_input.std.size() != m_input.channels)
        throw std::invalid_argument("mean/std must have one entry per channel");
    // The same float32 steps, in the same order, as train.py's
    // (x.to(float32) * scale - mean) / std, so the table holds exactly its values.
    const float scale = float(m_input.scale);
    for (int c = 0; c < m_input.channels; ++c) {
        const float mean = float(m_input.mean.at(c));
        const float std = float(m_input.std.at(c));
        for (int value = 0; value < 256; ++value) {
            const float scaled = float(value) * scale;
            const float centred = scaled - mean;
            m_table[c][value] = centred / std;
        }
    }
}

std::size_t ImagePreprocessor::outputSize() const
{
    return std::size_t(m_input.channels) * std::size_t(m_input.height) * std::size_t(m_input.width);
}

cv::Mat ImagePreprocessor::convertAndResize(const cv::Mat &image) const
{
    if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3))
        throw std::invalid_argument("the preprocessor takes 8-bit gray or BGR images");

    const cv::Mat colored = toColorOrder(image, m_input.color);
    const cv::Size target(m_input.width, m_input.height);
    if (m_input.resize == ModelManifest::Resize::Letterbox)
        return letterbox(colored, m_input.width, m_input.height);
    if (colored.size() == target)
        return colored;
    cv::Mat resized;
    cv::resize(colored, resized, target, 0, 0,
        m_input.resize == ModelManifest::Resize::Area ? cv::INTER_AREA : cv::INTER_LINEAR);
    return resized;
}

std::vector<float> ImagePreprocessor::process(const cv::Mat &image) const
{
    const cv::Mat sized = convertAndResize(image);
    const int channels = m_input.channels;
    const std::size_t plane = std::size_t(m_input.height) * std::size_t(m_input.width);
    std::vector<float> output(outputSize());
    // HWC bytes → CHW floats in one pass through the tables.
    for (int y = 0; y < sized.rows; ++y) {
        const uchar *row = sized.ptr<uchar>(y);
        const std::size_t rowStart = std::size_t(y) * std::size_t(m_input.width);
        for (int x = 0; x < sized.cols; ++x) {
            for (int c = 0; c < channels; ++c)
                output[std::size_t(c) * plane + rowStart + std::size_t(x)]
                    = m_table[c][row[x * channels + c]];
        }
    }
    return output;
}

} // namespace orchard
