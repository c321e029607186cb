// orchard-scale-icon: writes the window's icon (resources/icons/orchard.png, 256 px) at one
// of the sizes a desktop looks up in the hicolor theme, so that every installed PNG is made
// from the one artwork the client shows and never drifts from it. Run by the build
// (cmake/OrchardPackaging.cmake), never installed.
//
// Usage: orchard-scale-icon SOURCE.png SIZE OUTPUT.png
#include <cstdio>

#include <QByteArray>
#include <QImage>
#include <QString>

namespace {

/** EX_USAGE, as for every Orchard command. */
constexpr int kExitUsage = 64;
constexpr int kExitFailed = 1;

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: orchard-scale-icon SOURCE.png SIZE OUTPUT.png\n");
        return kExitUsage;
    }
    bool sizeIsNumber = false;
    const int size = QByteArray(argv[2]).toInt(&sizeIsNumber);
    if (!sizeIsNumber || size < 1 || size > 1024) {
        std::fprintf(stderr, "orchard-scale-icon: SIZE must be a number of pixels from 1 to 1024, not '%s'\n",
                     argv[2]);
        return kExitUsage;
    }
    const QImage source(QString::fromLocal8Bit(argv[1]));
    if (source.isNull()) {
        std::fprintf(stderr, "orchard-scale-icon: cannot read '%s' as an image\n", argv[1]);
        return kExitFailed;
    }
    // SmoothTransformation averages the source pixels under each target pixel when
    // shrinking, so the 16 px icon keeps the leaf's shape instead of aliasing its veins.
    const QImage scaled = source.width() == size && source.height() == size
            ? source
            : source.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (!scaled.save(QString::fromLocal8Bit(argv[3]), "PNG")) {
        std::fprintf(stderr, "orchard-scale-icon: cannot write '%s'\n", argv[3]);
        return kExitFailed;
    }
    return 0;
}
