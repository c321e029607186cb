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

/** The committed default model, version 1 of the shipped repository: models/fashion-mnist/1. */
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

/**
 * The TIFF tile bomb of issue 12: a valid little-endian TIFF of 1 × 1 pixel, 1 bit, whose
 * one tile is tileSide × tileSide pixels of Deflate-compressed zeros. 23168 gives a 68 KB
 * file for which OpenCV 4.6 allocated (and libtiff filled) a 2 GB RGBA tile buffer.
 */
QByteArray tiffTileBomb(quint32 tileSide);

/**
 * The progressive-JPEG scan bomb of issue 12: a grayscale progressive JPEG of
 * width × height pixels made of `scans` empty DC scans (FF DA 0008 01 01 00 00 00 00 each).
 * libjpeg runs every scan over the whole image: 2.5 ms each at 6324 × 6324.
 */
QByteArray progressiveScanBomb(quint16 width, quint16 height, int scans);

/**
 * An 8 x 8 gray PNG with `chunks` zTXt chunks, each textBytes of 'a' deflated (7.9 MB
 * inflate from 8 KB). libpng inflates and keeps every one: 100 cost 777 MB.
 */
QByteArray pngWithTextChunks(int chunks, int textBytes);

} // namespace testimages
