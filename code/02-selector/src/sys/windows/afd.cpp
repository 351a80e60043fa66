#include "metalio/sys/windows/afd.hpp"

#include "metalio/sys/windows/syscall.hpp"

// Exported by ntdll (and in mingw-w64's libntdll.a), declared by no header
// of mingw-w64's user-mode set.
extern "C" NTSTATUS NTAPI NtCancelIoFileEx(HANDLE file, PIO_STATUS_BLOCK request, PIO_STATUS_BLOCK status);

namespace metalio::sys::windows::afd {
namespace {

// The IOCTL code of a poll request: device FILE_DEVICE_NETWORK (0x12),
// function 9, METHOD_BUFFERED (what AFD's headers call IOCTL_AFD_POLL).
constexpr ULONG kIoctlAfdPoll = 0x00012024;
constexpr NTSTATUS kStatusNotFound = static_cast<NTSTATUS>(0xC0000225);

}  // namespace

// [create]
io::Result<Afd> Afd::create(HANDLE port, ULONG_PTR key) noexcept {
    // Any name below \Device\Afd opens the driver; the part after it only
    // shows up in handle listings.
    wchar_t name[] = L"\\Device\\Afd\\Metalio";
    UNICODE_STRING path{static_cast<USHORT>(sizeof name - sizeof(wchar_t)), static_cast<USHORT>(sizeof name), name};
    OBJECT_ATTRIBUTES attributes{};
    attributes.Length = sizeof attributes;
    attributes.ObjectName = &path;
    attributes.Attributes = 0;
    IO_STATUS_BLOCK iosb{};
    HANDLE handle = nullptr;
    const auto opened = METALIO_WINCALL(fails_with_ntstatus, NtCreateFile, &handle, ACCESS_MASK{SYNCHRONIZE},
                                        &attributes, &iosb, PLARGE_INTEGER{nullptr}, ULONG{0},
                                        ULONG{FILE_SHARE_READ | FILE_SHARE_WRITE}, ULONG{FILE_OPEN}, ULONG{0},
                                        PVOID{nullptr}, ULONG{0});
    if (!opened) return std::unexpected(opened.error());
    Afd afd{OwnedHandle(handle)};
    // Completions of this handle's requests go to the selector's port...
    const auto associated = METALIO_WINCALL(fails_with_null, CreateIoCompletionPort, handle, port, key, DWORD{0});
    if (!associated) return std::unexpected(associated.error());
    // ...and nobody waits on the handle itself, so the kernel need not
    // signal it on every completion.
    const auto mode = METALIO_WINCALL(fails_with_false, SetFileCompletionNotificationModes, handle,
                                      UCHAR{FILE_SKIP_SET_EVENT_ON_HANDLE});
    if (!mode) return std::unexpected(mode.error());
    return afd;
}
// [create]

// [poll]
io::Result<void> Afd::poll(PollInfo& info, IO_STATUS_BLOCK& iosb, void* context) const noexcept {
    iosb.Status = kStatusPending;
    const auto started = METALIO_WINCALL(fails_with_ntstatus, NtDeviceIoControlFile, handle_.get(), HANDLE{nullptr},
                                         PIO_APC_ROUTINE{nullptr}, context, &iosb, kIoctlAfdPoll,
                                         static_cast<void*>(&info), ULONG{sizeof info}, static_cast<void*>(&info),
                                         ULONG{sizeof info});
    // STATUS_SUCCESS (done at once) and STATUS_PENDING both queue a completion.
    if (!started) return std::unexpected(started.error());
    return {};
}
// [poll]

// [cancel]
io::Result<void> Afd::cancel(IO_STATUS_BLOCK& iosb) const noexcept {
    if (iosb.Status != kStatusPending) return {};  // completed already: its packet is on the way
    IO_STATUS_BLOCK cancel_iosb{};
    const auto cancelled = METALIO_WINCALL(fails_with_ntstatus, NtCancelIoFileEx, handle_.get(), &iosb, &cancel_iosb);
    // STATUS_NOT_FOUND: it completed between the check and the cancel.
    if (cancelled || cancelled.error() == error_from_ntstatus(kStatusNotFound)) return {};
    return std::unexpected(cancelled.error());
}
// [cancel]

}  // namespace metalio::sys::windows::afd
