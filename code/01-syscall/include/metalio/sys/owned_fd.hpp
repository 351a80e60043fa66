/// @file
/// OwnedFd: a file descriptor with exactly one owner, closed exactly once.
#pragma once

#include <unistd.h>

#include <utility>

namespace metalio::sys {

// [owned_fd]
/// Owns one file descriptor and closes it when destroyed.
///
/// Rust's `OwnedFd` closes in `Drop`; here the destructor does it. Every
/// type in metalio that holds an fd (the selector, sockets, the waker) holds
/// one of these, so an fd is released on every path, including the error
/// paths in the middle of a constructor. Move-only: a moved-from OwnedFd
/// holds -1 and closes nothing. Introduced in chapter 01 (syscall).
class OwnedFd {
public:
    /// Takes ownership of @p fd (which may be -1, meaning "nothing").
    explicit OwnedFd(int fd) noexcept : fd_(fd) {}
    /// Takes the fd of @p other, which is left holding -1.
    OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    /// Closes the fd held now, then takes the fd of @p other.
    OwnedFd& operator=(OwnedFd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd() { reset(-1); }

    /// The descriptor, still owned by this object.
    [[nodiscard]] int get() const noexcept { return fd_; }
    /// Gives up ownership: the caller must close the returned fd.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

private:
    void reset(int fd) noexcept {
        // close() is not retried on EINTR: on Linux the fd is gone either way,
        // and a retry could close an fd another thread just opened.
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

    int fd_;
};
// [owned_fd]

}  // namespace metalio::sys
