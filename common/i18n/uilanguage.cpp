#include "common/i18n/uilanguage.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLibraryInfo>
#include <QTranslator>

namespace orchard {

namespace {

const QString kEnglish = QStringLiteral("en");

/** The translators apply() installed; owned by the application so they live as long as it. */
struct InstalledCatalogs
{
    QTranslator *ours = nullptr;
    QTranslator *qts = nullptr;
    QString language = kEnglish;
};

InstalledCatalogs &installed()
{
    static InstalledCatalogs catalogs;
    return catalogs;
}

void remove(QTranslator *&translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator;
    translator = nullptr;
}

QTranslator *load(const QString &fileName, const QString &directory)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(fileName, directory)) {
        delete translator;
        return nullptr;
    }
    QCoreApplication::installTranslator(translator);
    return translator;
}

} // namespace

QList<UiLanguage::Language> UiLanguage::available()
{
    return { { kEnglish, QStringLiteral("English") }, { QStringLiteral("zh_CN"), QStringLiteral("简体中文") } };
}

QString UiLanguage::resolve(const QString &code)
{
    const QList<Language> languages = available();
    const auto known = [&languages](const QString &candidate) {
        for (const Language &language : languages) {
            if (language.code == candidate)
                return true;
        }
        return false;
    };
    if (known(code))
        return code;
    // uiLanguages() follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG, as "zh-Hans-CN", "zh-CN", "zh".
    for (QString wanted : QLocale::system().uiLanguages()) {
        wanted.replace(QLatin1Char('-'), QLatin1Char('_'));
        if (wanted.startsWith(QLatin1String("zh")) && !wanted.contains(QLatin1String("TW"))
            && !wanted.contains(QLatin1String("HK")) && !wanted.contains(QLatin1String("Hant")))
            return QStringLiteral("zh_CN");
        if (wanted.startsWith(kEnglish) || wanted == QLatin1String("C"))
            return kEnglish;
    }
    return kEnglish;
}

QLocale UiLanguage::localeFor(const QString &language)
{
    // The system's own locale when it speaks the same language (an en_GB system keeps its
    // dates), the language's usual one when the user chose another.
    const QLocale system = QLocale::system();
    const QLocale chosen(language);
    return system.language() == chosen.language() ? system : chosen;
}

QString UiLanguage::apply(const QString &catalog, const QString &code)
{
    InstalledCatalogs &catalogs = installed();
    const QString language = resolve(code);
    remove(catalogs.ours);
    remove(catalogs.qts);
    QLocale::setDefault(localeFor(language));
    // English's catalog holds the plural forms ("1 photo", "2 photos") of the source texts.
    catalogs.ours = load(QStringLiteral("%1_%2").arg(catalog, language), QStringLiteral(":/i18n"));
    if (language != kEnglish)
        catalogs.qts = load(QStringLiteral("qtbase_%1").arg(language),
                            QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    catalogs.language = language;
    // QApplication posts LanguageChange to each window; delivered now, every window speaks
    // the new language when apply() returns (the Settings dialog's OK, the tests).
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    return language;
}

QString UiLanguage::current()
{
    return installed().language;
}

} // namespace orchard
