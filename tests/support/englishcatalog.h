#pragma once
// For tests of orchard_client's texts without a window: the English catalog installed, as
// orchard-client and orchard-cli do first in main(), so that "%n photo(s)" reads
// "3 photos" as a user sees it. Call it where a test first makes a text; it installs once.

#include <QCoreApplication>

#include "common/i18n/uilanguage.h"

namespace orchard::test {

inline void useEnglishCatalog()
{
    static const bool installed = [] {
        UiLanguage::apply(QStringLiteral("orchard-client"), QStringLiteral("en"));
        return true;
    }();
    (void)installed;
}

} // namespace orchard::test
