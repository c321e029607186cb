#pragma once

#include <string>
#include <vector>

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <opencv2/core/mat.hpp>

// Images and paths the inference tests share. Everything is generated in memory (or found
// in the source tree), so no test depends on files outside the repository.
namespace testimages {

/** <source>/<relative>. */
QString sourcePath(const QString &relative);

/** The committed default model, models/fashion-mnist. */
QString defaultModelDirectory();

/** The files in resources/samples (PNG), sorted by name. */
QStringList samplePaths();

QByteArray readFile(const QString &path);

/** cv::imencode with the extension's codec ("png", "jpg", ...). */
QByteArray encode(
    const cv::Mat &image, const std::string &extension, const std::vector<int> &parameters = {});

/** A smooth colour image with some texture, like a photo rather than flat colour. */
cv::Mat photoLike(int width, int height, unsigned seed = 1);

/**
 * A complete, valid 1-bit grayscale PNG of width × height pixels: a few hundred KB that
 * OpenCV would expand into width × height bytes. The pixel-limit test's weapon.
 */
QByteArray bilevelPng(quint32 width, quint32 height);

/** A PNG chunk with its length and CRC, for building hostile files by hand. */
QByteArray pngChunk(const char type[4], const QByteArray &data);

} // namespace testimages
