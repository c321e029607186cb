#include "client/core/diagnosistext.h"

namespace orchard {

QString DiagnosisText::label(const QString &label, bool uncertain)
{
    return uncertain ? tr("Not sure: %1").arg(label) : label;
}

QString DiagnosisText::percent(double share, int decimals)
{
    return tr("%1 %").arg(share * 100.0, 0, 'f', decimals);
}

} // namespace orchard
