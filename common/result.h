#pragma once

#include <utility>
#include <variant>

#include "protocolerror.h"

namespace orchard {

/**
 * A value or the ProtocolError that explains why there is none.
 *
 * Errors cross the protocol library's boundary as values, never as exceptions, so a
 * session can always turn them into a SERVER_ERROR reply (C++17 has no std::expected).
 */
template<typename T>
class Result
{
public:
    Result(T value) : m_state(std::move(value)) { }
    Result(ProtocolError error) : m_state(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const ProtocolError &error() const { return std::get<ProtocolError>(m_state); }

private:
    std::variant<T, ProtocolError> m_state;
};

} // namespace orchard
