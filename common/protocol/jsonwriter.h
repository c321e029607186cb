#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace orchard {

/**
 * Writes compact JSON straight into a byte buffer, the same bytes QJsonDocument's compact
 * form gives for the same members (when the caller writes keys in sorted order, as
 * QJsonObject keeps them).
 *
 * Why not QJsonObject: building the reply as QJsonObject/QJsonArray and serialising it
 * through QJsonDocument (a CBOR container, then text) was 5.9 % of a 2-worker server's CPU
 * on the small workload, about 30 µs of the ~140 µs a request costs beside the engine
 * (perf, docs/performance.md); writing the text directly takes a few.
 *
 * Nothing here checks nesting: the caller opens and closes what it writes.
 */
class JsonWriter
{
public:
    explicit JsonWriter(qsizetype reserve = 512);

    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();
    /** The member's name, then its value with one of the calls below. */
    JsonWriter &key(const char *latin1Key);
    JsonWriter &value(const QString &text);
    JsonWriter &value(qint64 number);
    JsonWriter &value(int number) { return value(qint64(number)); }
    /** Shortest text that reads back as the same double; null when not finite (as Qt). */
    JsonWriter &value(double number);
    JsonWriter &value(bool flag);

    const QByteArray &bytes() const { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    /** A comma before every element but the first of its object or array. */
    void separate();
    void appendString(const QString &text);

    QByteArray m_out;
    bool m_first = true; ///< the next element is its container's first
    bool m_afterKey = false; ///< a key was written: its value needs no comma
};

} // namespace orchard
