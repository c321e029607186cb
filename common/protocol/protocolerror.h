#pragma once

#include <optional>

#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include "common/protocol/errorcode.h"

namespace orchard {

/** What went wrong, as the code a SERVER_ERROR carries and a sentence a person understands. */
struct ProtocolError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    std::optional<qint64> messageId; ///< the request's msg_id, when it was readable
};

} // namespace orchard

Q_DECLARE_METATYPE(orchard::ProtocolError)
