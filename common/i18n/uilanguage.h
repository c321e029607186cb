#pragma once

#include <QList>
#include <QLocale>
#include <QString>

namespace orchard {

/**
 * The language Orchard's windows speak: the system's by default, or one the user chose.
 *
 * A window's catalog ("orchard-client", "orchard-monitor") is compiled from its .ts files
 * at build time and embedded under :/i18n; Qt's own catalog (the buttons of QMessageBox,
 * QFileDialog, the context menus of text fields) comes from Qt's translations folder.
 * apply() swaps both at run time: installing a translator sends QEvent::LanguageChange to
 * every widget, and each window retranslates itself in changeEvent(), so no restart is
 * needed. English is the source language; its catalog holds only the plural forms.
 */
class UiLanguage
{
public:
    struct Language
    {
        QString code; ///< "en", "zh_CN"
        QString name; ///< in its own language, as a chooser lists it: "English", "简体中文"
    };

    /** The languages there are catalogs for, English first. */
    static QList<Language> available();

    /**
     * The language a setting stands for: code itself when there is a catalog for it,
     * otherwise (empty: "as the system") the first of the system's UI languages there is
     * one for, otherwise English.
     */
    static QString resolve(const QString &code);

    /**
     * Speaks code (empty: the system's language) in every window of catalog: replaces
     * the translators installed before and sets the default QLocale, so that numbers and
     * dates follow. Returns the language now spoken ("en" or "zh_CN").
     */
    static QString apply(const QString &catalog, const QString &code);

    /** The language apply() installed last ("en" before any call). */
    static QString current();

private:
    /** The locale numbers and dates are written in while language is spoken. */
    static QLocale localeFor(const QString &language);
};

} // namespace orchard
