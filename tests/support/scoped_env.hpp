#pragma once
// An environment variable set (or unset) for one scope, the previous value put back at its
// end: for tests of what olmd reads from the environment ($CREDENTIALS_DIRECTORY, $NOTIFY_SOCKET, ...).

#include <cstdlib>
#include <optional>
#include <string>

namespace olmd::test {

class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            ::setenv(name, value->c_str(), 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace olmd::test
