#pragma once
// The error a reader returns for input it cannot use: where, what was expected there, and what was
// found. Readers return Result<T>; nothing throws across a reader's boundary.

#include <string>
#include <utility>
#include <variant>

#include "core/source_location.hpp"

namespace bootmap {

struct InputError {
    SourceLocation where;
    std::string message;  // "expected ..., found ..." or a plain statement of the problem
    std::string hint;     // what the user can do about it; may be empty

    bool operator==(const InputError&) const = default;
};

// "file:line:col: error: message" plus the hint on its own line, the form printed to stderr.
std::string format_input_error(const InputError& error);

template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor): return-by-value ergonomics
    Result(InputError error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] T& value() & { return std::get<T>(state_); }
    [[nodiscard]] const T& value() const& { return std::get<T>(state_); }
    [[nodiscard]] T&& value() && { return std::get<T>(std::move(state_)); }
    [[nodiscard]] const InputError& error() const { return std::get<InputError>(state_); }

private:
    std::variant<T, InputError> state_;
};

}  // namespace bootmap
