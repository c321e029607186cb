#pragma once

#include <QString>

namespace orchard {

/**
 * Why the inference engine produced no answer: a kind the server maps to a wire error
 * code, and a sentence a person can act on ("the image is 30000 × 30000 pixels, more than
 * the 40 megapixel limit").
 *
 * Nothing inside the engine lets an exception escape; OpenCV's and LibTorch's exceptions
 * are caught where they happen and become one of these.
 */
struct InferenceError
{
    enum class Kind {
        BadImage, ///< the bytes are not an acceptable image: the server answers BAD_IMAGE
        InvalidModel, ///< the model folder is missing, malformed or inconsistent
        Internal, ///< the engine failed on acceptable input: the server answers INTERNAL
    };

    Kind kind = Kind::Internal;
    QString message;

    static InferenceError badImage(const QString &message) { return { Kind::BadImage, message }; }
    static InferenceError invalidModel(const QString &message)
    {
        return { Kind::InvalidModel, message };
    }
    static InferenceError internal(const QString &message) { return { Kind::Internal, message }; }
};

} // namespace orchard
