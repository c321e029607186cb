#include "client/core/diagnosistext.h"

#include <QLocale>

namespace orchard {

QString DiagnosisText::label(const QString &label, bool uncertain)
{
    return uncertain ? tr("Not sure: %1").arg(label) : label;
}

QString DiagnosisText::percent(double share, int decimals)
{
    return tr("%1 %").arg(QLocale().toString(share * 100.0, 'f', decimals));
}

QString DiagnosisText::warningWord(const QString &warning)
{
    if (warning == QLatin1String("blurry"))
        return tr("blurry");
    if (warning == QLatin1String("dark"))
        return tr("dark");
    if (warning == QLatin1String("overexposed"))
        return tr("overexposed");
    if (warning == QLatin1String("small"))
        return tr("small");
    return warning;
}

} // namespace orchard
