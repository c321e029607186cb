#include "common/protocol/jsonwriter.h"

#include <cmath>

#include <QLocale>

namespace orchard {

JsonWriter::JsonWriter(qsizetype reserve)
{
    m_out.reserve(reserve);
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first)
        m_out.append(',');
    m_first = false;
}

JsonWriter &JsonWriter::beginObject()
{
    separate();
    m_out.append('{');
    m_first = true;
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    m_out.append('}');
    m_first = false;
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    separate();
    m_out.append('[');
    m_first = true;
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    m_out.append(']');
    m_first = false;
    return *this;
}

JsonWriter &JsonWriter::key(const char *latin1Key)
{
    separate();
    m_out.append('"').append(latin1Key).append("\":");
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(const QString &text)
{
    separate();
    appendString(text);
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    separate();
    m_out.append(QByteArray::number(number));
    return *this;
}

JsonWriter &JsonWriter::value(double number)
{
    separate();
    // What QJsonDocument writes for a double: the shortest round-trip form, or null.
    if (std::isfinite(number))
        m_out.append(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
    else
        m_out.append("null");
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    separate();
    m_out.append(flag ? "true" : "false");
    return *this;
}

void JsonWriter::appendString(const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    const auto escapeUnit = [this](char16_t unit) {
        const char escaped[] = { '\\', 'u', hex[(unit >> 12) & 0xf], hex[(unit >> 8) & 0xf], hex[(unit >> 4) & 0xf],
                                 hex[unit & 0xf] };
        m_out.append(escaped, sizeof escaped);
    };
    m_out.append('"');
    const char16_t *units = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = units[i];
        if (unit < 0x80) {
            switch (unit) {
            case u'"': m_out.append("\\\""); break;
            case u'\\': m_out.append("\\\\"); break;
            case u'\b': m_out.append("\\b"); break;
            case u'\f': m_out.append("\\f"); break;
            case u'\n': m_out.append("\\n"); break;
            case u'\r': m_out.append("\\r"); break;
            case u'\t': m_out.append("\\t"); break;
            default:
                if (unit < 0x20)
                    escapeUnit(unit);
                else
                    m_out.append(char(unit));
            }
        } else if (QChar::isHighSurrogate(unit) && i + 1 < size && QChar::isLowSurrogate(units[i + 1])) {
            const char32_t code = QChar::surrogateToUcs4(unit, units[++i]);
            const char bytes[] = { char(0xf0 | (code >> 18)), char(0x80 | ((code >> 12) & 0x3f)),
                                   char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f)) };
            m_out.append(bytes, sizeof bytes);
        } else if (QChar::isSurrogate(unit)) {
            // A lone surrogate has no UTF-8 form; Qt writes it escaped, and reads the escape
            // back as the same unit, so a name round-trips exactly (the fuzzer checks it).
            escapeUnit(unit);
        } else if (unit < 0x800) {
            const char bytes[] = { char(0xc0 | (unit >> 6)), char(0x80 | (unit & 0x3f)) };
            m_out.append(bytes, sizeof bytes);
        } else {
            const char bytes[] = { char(0xe0 | (unit >> 12)), char(0x80 | ((unit >> 6) & 0x3f)),
                                   char(0x80 | (unit & 0x3f)) };
            m_out.append(bytes, sizeof bytes);
        }
    }
    m_out.append('"');
}

} // namespace orchard
