#pragma once
// OPS-4: one olmd per database, by an exclusive flock on a lock file.

#include <memory>
#include <string>

#include "olmd/core/error.hpp"

namespace olmd {

/// Holds the lock until destroyed.
class InstanceLock {
public:
    /// Takes the lock on path without waiting; held by another process = Error with exit code 3.
    static Result<std::unique_ptr<InstanceLock>> acquire(const std::string& path);
    ~InstanceLock();
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

private:
    explicit InstanceLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace olmd
