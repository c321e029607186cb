// libFuzzer target: the engine's image path without the model: ImageHeader::read (our own
// bounds-checked header parser) and ImageDecoder::decode (the pixel limit, the truncation
// check, the JPEG scan, TIFF tile and PNG metadata limits, then OpenCV's imdecode).
//
// Input: byte 0 picks the model input (gray 28 x 28 or colour 224 x 224, which decides
// the JPEG reduction), the rest is the uploaded file. The limit is 1 megapixel so the
// fuzzer can reach it cheaply. Properties:
// - every refusal is a BadImage (or Internal for an OpenCV failure after every check
//   passed) with a sentence;
// - whatever OpenCV decodes has the size the header parser promised (scaled by the JPEG
//   reduction, possibly rotated by EXIF), so the pixel limit, checked on the header,
//   really bounds the image;
// - what the decode allocates stays within ImageDecoder::decodeBytes(), the estimate a
//   server reserves from its decode budget: every malloc OpenCV and its codecs make during
//   decode() is seen through ASan's allocator hooks, and the peak of what is live is
//   compared with the estimate (so TIFF tiles, progressive JPEG coefficients, PNG text...
//   cannot cost more than the header admitted);
// - a JPEG's scans as ImageHeader counts them are at least as many as libjpeg itself reads
//   (its own buffered-image input loop, counting JPEG_REACHED_SOS), so the scan limit bounds
//   libjpeg's passes over the image.
#include <atomic>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <QByteArray>

#include <jpeglib.h>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sanitizer/allocator_interface.h>

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

/**
 * Live heap bytes allocated since start(), and their peak, from ASan's malloc and free
 * hooks (every thread's). A block allocated before start() and freed during the window
 * lowers the count: the peak is of the window's growth.
 */
class HeapWatch
{
public:
    static void install() { __sanitizer_install_malloc_and_free_hooks(&onMalloc, &onFree); }

    static void start()
    {
        s_live = 0;
        s_peak = 0;
        s_watching = true;
    }

    static qint64 stop()
    {
        s_watching = false;
        return s_peak;
    }

private:
    static void onMalloc(const volatile void *, size_t size)
    {
        if (!s_watching.load(std::memory_order_relaxed))
            return;
        const qint64 live = s_live.fetch_add(qint64(size)) + qint64(size);
        qint64 peak = s_peak.load();
        while (live > peak && !s_peak.compare_exchange_weak(peak, live)) { }
    }

    static void onFree(const volatile void *pointer)
    {
        if (pointer && s_watching.load(std::memory_order_relaxed))
            s_live.fetch_sub(qint64(__sanitizer_get_allocated_size(pointer)));
    }

    static inline std::atomic_bool s_watching { false };
    static inline std::atomic<qint64> s_live { 0 };
    static inline std::atomic<qint64> s_peak { 0 };
};

struct JpegErrors
{
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

void onJpegError(j_common_ptr info)
{
    std::longjmp(reinterpret_cast<JpegErrors *>(info->err)->jump, 1);
}

void onJpegMessage(j_common_ptr, int) { }

/**
 * The scans libjpeg reads before EOI, an error or the end of the data, by its own input
 * loop. Only C objects live here: longjmp skips no destructor.
 */
qint64 scansLibjpegReads(const QByteArray &file)
{
    jpeg_decompress_struct info {};
    JpegErrors errors {};
    info.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = onJpegError;
    errors.manager.emit_message = onJpegMessage;
    volatile qint64 scans = 0;
    if (setjmp(errors.jump) == 0) {
        jpeg_create_decompress(&info);
        jpeg_mem_src(&info, reinterpret_cast<const unsigned char *>(file.constData()),
                     static_cast<unsigned long>(file.size()));
        if (jpeg_read_header(&info, TRUE) == JPEG_HEADER_OK) { // stops at the first SOS
            scans = 1;
            info.buffered_image = TRUE; // start_decompress then leaves the scans to us
            jpeg_start_decompress(&info);
            for (int status = 0; status != JPEG_REACHED_EOI && status != JPEG_SUSPENDED;) {
                status = jpeg_consume_input(&info);
                if (status == JPEG_REACHED_SOS)
                    scans = scans + 1;
            }
        }
    }
    jpeg_destroy_decompress(&info);
    return scans;
}

/** One decode of every format, so OpenCV's and the codecs' one-time set-up is done. */
void warmUp()
{
    const ImageDecoder decoder(kMaxPixels);
    const cv::Mat image(16, 16, CV_8UC3, cv::Scalar(10, 200, 90));
    for (const char *extension : { ".png", ".jpg", ".bmp", ".webp", ".tiff", ".ppm", ".pam", ".pfm", ".sr" }) {
        std::vector<uchar> bytes;
        try {
            cv::imencode(extension, image, bytes);
        } catch (const cv::Exception &) {
            continue;
        }
        const QByteArray file(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
        for (int channels : { 1, 3 })
            (void)decoder.decode(file, channels, 28, 28);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // libpng/libjpeg complaints about hostile files are expected; keep the log readable.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    warmUp();
    HeapWatch::install();
    return 0;
}

// One piece on purpose: each property is a few lines over the same decode.
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
    HeapWatch::start();
    const InferenceResult<ImageDecoder::Image> image = decoder.decode(file, channels, target, target);
    const qint64 peak = HeapWatch::stop(); // the image is still alive
    if (header) {
        const int reduction = header->format == ImageHeader::Format::Jpeg
                ? ImageDecoder::reductionFactor(header->width, header->height, target, target)
                : 1;
        const qint64 estimate = ImageDecoder::decodeBytes(*header, channels, reduction, file.size());
        if (peak > estimate) {
            char what[240];
            std::snprintf(what, sizeof what, "%s %lld x %lld: the decode allocated %lld bytes at its peak, "
                          "decodeBytes() said at most %lld (%s)",
                          qPrintable(ImageHeader::formatName(header->format)),
                          static_cast<long long>(header->width), static_cast<long long>(header->height),
                          static_cast<long long>(peak), static_cast<long long>(estimate),
                          image ? "decoded" : qPrintable(image.error().message.left(60)));
            fuzzFailure(what);
        }
    }
    if (!image) {
        FUZZ_CHECK(image.error().kind != InferenceError::Kind::InvalidModel);
        FUZZ_CHECK(!image.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(header.ok());
    FUZZ_CHECK(!header->truncated);
    FUZZ_CHECK(header->width * header->height <= kMaxPixels);
    if (header->format == ImageHeader::Format::Jpeg) {
        FUZZ_CHECK(header->scans <= ImageDecoder::kMaxJpegScans);
        const qint64 libjpeg = scansLibjpegReads(file);
        if (libjpeg > header->scans) {
            char what[160];
            std::snprintf(what, sizeof what, "ImageHeader counted %lld scans, libjpeg read %lld",
                          static_cast<long long>(header->scans), static_cast<long long>(libjpeg));
            fuzzFailure(what);
        }
    }
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
