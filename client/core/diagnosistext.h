#pragma once

#include <QCoreApplication>
#include <QString>

namespace orchard {

/**
 * How a diagnosis is written wherever the client lists one (image captions, the results
 * table, the history), so that an answer the model did not stand by never reads like one
 * it did, and a number reads as the language in use writes it.
 */
class DiagnosisText
{
    Q_DECLARE_TR_FUNCTIONS(DiagnosisText)

public:
    /** "Scab", or "Not sure: Scab" when the reply was uncertain. */
    static QString label(const QString &label, bool uncertain);
    /** "91.2 %" (decimals: how many after the point), the number as QLocale() writes it. */
    static QString percent(double share, int decimals = 1);
    /**
     * A quality warning of the wire ("blurry", "dark", "overexposed", "small") as a word of
     * the language in use; a word a newer server sends is shown as it is.
     */
    static QString warningWord(const QString &warning);
};

} // namespace orchard
