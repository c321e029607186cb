#pragma once
// What a screen reader would say a widget is called: the walk every window's
// accessibility test makes over its controls.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStringList>
#include <QTabBar>
#include <QTextEdit>
#include <QWidget>

namespace orchard::test {

/** The name assistive technology reads for the widget (its own, or its text's, or its label's). */
inline QString accessibleNameOf(QWidget *widget)
{
    QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(widget);
    return accessible ? accessible->text(QAccessible::Name).trimmed() : QString();
}

/** Whether a person can operate the widget: type, click, choose, scroll through items. */
inline bool isInteractive(QWidget *widget)
{
    return qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget)
            || qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractSpinBox *>(widget)
            || qobject_cast<QAbstractItemView *>(widget) || qobject_cast<QAbstractSlider *>(widget)
            || qobject_cast<QTabBar *>(widget) || qobject_cast<QTextEdit *>(widget)
            || qobject_cast<QPlainTextEdit *>(widget);
}

/**
 * "QToolButton qt_toolbar_ext_button" for every interactive widget under root, shown or
 * not, that has no accessible name. Qt's own parts that no one reaches on their own are
 * left out: scroll bars and headers (parts of their view, read with it), a combo box's
 * or spin box's inner line edit and a combo box's popup list (named by their box), a line
 * edit's clear button, a tab bar's scroll arrows, a table's corner button, the toolbar's
 * and menu bar's "more" arrows.
 */
inline QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!isInteractive(widget) || widget->inherits("QScrollBar"))
            continue;
        QWidget *parent = widget->parentWidget();
        if (qobject_cast<QLineEdit *>(widget) && (qobject_cast<QComboBox *>(parent) || qobject_cast<QAbstractSpinBox *>(parent)))
            continue;
        if (qobject_cast<QTabBar *>(parent) || widget->inherits("QTableCornerButton")
            || widget->inherits("QHeaderView") || widget->inherits("QComboBoxListView")
            || widget->inherits("QLineEditIconButton")
            || widget->objectName() == QLatin1String("qt_toolbar_ext_button")
            || widget->objectName() == QLatin1String("qt_menubar_ext_button")
            || widget->objectName().startsWith(QLatin1String("qt_scrollarea")))
            continue;
        if (accessibleNameOf(widget).isEmpty())
            unnamed.append(QStringLiteral("%1 %2 (in %3)")
                                   .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName(),
                                        parent ? QString::fromLatin1(parent->metaObject()->className()) + QLatin1Char(' ')
                                                         + parent->objectName()
                                               : QString()));
    }
    return unnamed;
}

} // namespace orchard::test
