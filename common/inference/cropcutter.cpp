#include "common/inference/cropcutter.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

namespace orchard {

cv::Rect CropCutter::region(double x, double y, double width, double height, const ModelManifest::CropRules &rules)
{
    const double centreX = x + width / 2;
    const double centreY = y + height / 2;
    double grownWidth = width * (1 + 2 * rules.padding);
    double grownHeight = height * (1 + 2 * rules.padding);
    if (rules.square)
        grownWidth = grownHeight = std::max(grownWidth, grownHeight);
    const int left = int(std::floor(centreX - grownWidth / 2));
    const int top = int(std::floor(centreY - grownHeight / 2));
    const int right = std::max(int(std::ceil(centreX + grownWidth / 2)), left + 1);
    const int bottom = std::max(int(std::ceil(centreY + grownHeight / 2)), top + 1);
    return { left, top, right - left, bottom - top };
}

cv::Mat CropCutter::cut(const cv::Mat &image, double x, double y, double width, double height,
                        const ModelManifest::CropRules &rules)
{
    const cv::Rect wanted = region(x, y, width, height, rules);
    const cv::Rect inside = wanted & cv::Rect(0, 0, image.cols, image.rows);
    if (inside.empty())
        return cv::Mat::zeros(wanted.height, wanted.width, image.type());
    cv::Mat crop;
    cv::copyMakeBorder(image(inside), crop, inside.y - wanted.y, wanted.br().y - inside.br().y,
                       inside.x - wanted.x, wanted.br().x - inside.br().x, cv::BORDER_REPLICATE);
    return crop;
}

} // namespace orchard
