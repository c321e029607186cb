#pragma once

#include <QString>

namespace orchard {

/**
 * One entry of a top-k list: a label and its softmax probability. The engine produces
 * these and the protocol carries them as they are, so both sides use this one type.
 */
struct LabelScore
{
    QString label;
    int index = 0;
    double score = 0.0;

    bool operator==(const LabelScore &other) const
    {
        return label == other.label && index == other.index && score == other.score;
    }
};

} // namespace orchard
