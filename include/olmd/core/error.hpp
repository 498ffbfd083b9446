#pragma once
// Errors as values: every fallible function returns Result<T> carrying either
// a value or an Error that says what failed, where, and what to do.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace olmd {

/// What went wrong, with the context an operator needs to act on it.
struct Error {
    std::string message;  ///< what failed and, where useful, what to do
    int code = 1;         ///< the process exit status this error maps to (cli.md)

    /// Returns a copy with "context: " put in front of the message.
    [[nodiscard]] Error with_context(const std::string& context) const {
        return Error{context + ": " + message, code};
    }
};

/// Exit codes of cli.md.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failure = 1;       ///< a job failed, or the config is invalid or missing
inline constexpr int usage = 2;         ///< unknown command/option, bad TIME, bad --jobs
inline constexpr int locked = 3;        ///< another instance holds the lock
inline constexpr int database = 4;      ///< database cannot be opened / newer schema
}  // namespace exit_code

/// Either a T or an Error.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}                       // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}                   // NOLINT: implicit by design

    /// True when a value is held.
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    /// The value; only valid when ok().
    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    /// The error; only valid when !ok().
    const Error& error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : e_(std::move(error)) {}  // NOLINT: implicit by design
    /// True on success.
    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    /// The error; only valid when !ok().
    const Error& error() const { assert(!ok()); return *e_; }

private:
    std::optional<Error> e_;
};

/// Success value for Status-returning functions.
inline Status ok_status() { return {}; }

}  // namespace olmd
