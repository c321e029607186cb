#pragma once

#include <QByteArray>
#include <QJsonObject>

#include "common/protocol/result.h"

namespace orchard {

/** A body that must be one JSON object; what names the body in the error message. */
Result<QJsonObject> parseJsonObject(const QByteArray &body, ErrorCode code, const QString &what);

QByteArray compactJson(const QJsonObject &object);

/** Whether the first byte that is not ASCII white space is '{' (a JSON object body). */
bool startsWithJsonObject(const QByteArray &body);

} // namespace orchard
