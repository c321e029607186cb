#pragma once

#include <utility>
#include <variant>

namespace orchard {

/**
 * A value, or the error that explains why there is none.
 *
 * Errors cross our libraries' boundaries as values, never as exceptions, so a session can
 * always turn them into a reply and a command-line tool into a message (C++17 has no
 * std::expected). Each library names its own: Result<T> (protocol), InferenceResult<T>.
 */
template<typename T, typename E>
class Expected
{
public:
    Expected(T value) : m_state(std::in_place_index<0>, std::move(value)) { }
    Expected(E error) : m_state(std::in_place_index<1>, std::move(error)) { }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const E &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, E> m_state;
};

} // namespace orchard
