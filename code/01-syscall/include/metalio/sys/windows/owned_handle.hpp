/// @file
/// OwnedHandle: a Windows HANDLE with exactly one owner (Windows only).
#pragma once

#include <windows.h>

#include <utility>

namespace metalio::sys::windows {

// [owned-handle]
/// Owns one kernel object handle (a completion port, an `\Device\Afd`
/// handle) and closes it with CloseHandle() when destroyed: the Windows
/// sibling of sys::OwnedFd. Move-only; a moved-from OwnedHandle holds
/// `nullptr` and closes nothing. (Win32 has two "no handle" values, `NULL` and
/// `INVALID_HANDLE_VALUE`, depending on the function; neither is closed.)
/// Introduced in chapter 01 (syscall).
class OwnedHandle {
public:
    /// Takes ownership of @p handle.
    explicit OwnedHandle(HANDLE handle) noexcept : handle_(handle) {}
    /// Takes the handle of @p other, which is left holding nothing.
    OwnedHandle(OwnedHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    /// Closes the handle held now, then takes the one of @p other.
    OwnedHandle& operator=(OwnedHandle&& other) noexcept {
        if (this != &other) reset(std::exchange(other.handle_, nullptr));
        return *this;
    }
    OwnedHandle(const OwnedHandle&) = delete;
    OwnedHandle& operator=(const OwnedHandle&) = delete;
    ~OwnedHandle() { reset(nullptr); }

    /// The handle, still owned by this object.
    [[nodiscard]] HANDLE get() const noexcept { return handle_; }
    /// Gives up ownership: the caller must close the returned handle.
    [[nodiscard]] HANDLE release() noexcept { return std::exchange(handle_, nullptr); }

private:
    void reset(HANDLE handle) noexcept {
        if (handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE) ::CloseHandle(handle_);
        handle_ = handle;
    }

    HANDLE handle_;
};
// [owned-handle]

}  // namespace metalio::sys::windows
