// libFuzzer target: the engine's image path without the model: ImageHeader::read (our own
// bounds-checked header parser) and ImageDecoder::decode (the pixel limit, the truncation
// check, then OpenCV's imdecode).
//
// Input: byte 0 picks the model input (gray 28 x 28 or colour 224 x 224, which decides
// the JPEG reduction), the rest is the uploaded file. The limit is 1 megapixel so the
// fuzzer can reach it cheaply. Properties: every refusal is a BadImage (or Internal for
// an OpenCV failure after every check passed) with a sentence; and whatever OpenCV decodes
// has the size the header parser promised (scaled by the JPEG reduction, possibly rotated
// by EXIF), so the pixel limit, checked on the header, really bounds what is allocated.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <QByteArray>

#include <opencv2/core/utils/logger.hpp>

#include "common/imaging/imagedecoder.h"
#include "common/imaging/imageheader.h"
#include "tests/fuzz/fuzzcheck.h"

using namespace orchard;

namespace {

constexpr qint64 kMaxPixels = 1'000'000;

qint64 reduced(qint64 size, int reduction)
{
    return (size + reduction - 1) / reduction; // libjpeg rounds scaled sizes up
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // libpng/libjpeg complaints about hostile files are expected; keep the log readable.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool gray = (data[0] & 1) == 0;
    const int channels = gray ? 1 : 3;
    const int target = gray ? 28 : 224;
    const QByteArray file(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const InferenceResult<ImageHeader> header = ImageHeader::read(file);
    if (header) {
        FUZZ_CHECK(header->width > 0 && header->height > 0);
    } else {
        FUZZ_CHECK(header.error().kind == InferenceError::Kind::BadImage);
        FUZZ_CHECK(!header.error().message.isEmpty());
    }

    const ImageDecoder decoder(kMaxPixels);
    const InferenceResult<ImageDecoder::Image> image = decoder.decode(file, channels, target, target);
    if (!image) {
        FUZZ_CHECK(image.error().kind != InferenceError::Kind::InvalidModel);
        FUZZ_CHECK(!image.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(header.ok());
    FUZZ_CHECK(!header->truncated);
    FUZZ_CHECK(header->width * header->height <= kMaxPixels);
    const cv::Mat &pixels = image->pixels;
    FUZZ_CHECK(!pixels.empty() && pixels.depth() == CV_8U && pixels.channels() == channels);
    const qint64 w = reduced(header->width, image->reduction);
    const qint64 h = reduced(header->height, image->reduction);
    const bool asPromised = (pixels.cols == w && pixels.rows == h)
            || (pixels.cols == h && pixels.rows == w); // EXIF orientation may turn it
    if (!asPromised) {
        char what[200];
        std::snprintf(what, sizeof what, "%s header says %lld x %lld (reduction %d), OpenCV decoded %d x %d",
                      qPrintable(ImageHeader::formatName(header->format)),
                      static_cast<long long>(header->width), static_cast<long long>(header->height),
                      image->reduction, pixels.cols, pixels.rows);
        fuzzFailure(what);
    }
    return 0;
}
