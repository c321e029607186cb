#pragma once

#include <QCoreApplication>
#include <QString>

namespace orchard {

/**
 * How a diagnosis is written wherever the client lists one (image captions, the results
 * table, the history), so that an answer the model did not stand by never reads like one
 * it did.
 */
class DiagnosisText
{
    Q_DECLARE_TR_FUNCTIONS(DiagnosisText)

public:
    /** "Scab", or "Not sure: Scab" when the reply was uncertain. */
    static QString label(const QString &label, bool uncertain);
    /** "91.2 %" (decimals: how many after the point). */
    static QString percent(double share, int decimals = 1);
};

} // namespace orchard
