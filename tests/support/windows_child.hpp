// ChildProcess: an example program started as a Windows child process
// (under Wine: in the same Wine session as the test) whose stdout the test
// reads line by line, for the Windows tests that drive an example as a
// reader would (stages 06 and 08). The Windows sibling of line_reader.hpp.
#pragma once

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "metalio/sys/windows/owned_handle.hpp"

namespace metalio::test {

/// CMake gives a program's path as the build host sees it. Under Wine a
/// Unix path is reachable through the drive Z:, which maps "/".
inline std::string windows_path(std::string path) {
    if (!path.empty() && path.front() == '/') path = "Z:" + path;
    for (char& c : path) {
        if (c == '/') c = '\\';
    }
    return path;
}

/// A running program with its stdout on a pipe; terminated (if still
/// running) when the object goes.
class ChildProcess {
public:
    /// Starts @p program (a path as CMake gives it) with @p arguments.
    ChildProcess(const std::string& program, const std::string& arguments) {
        SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
        HANDLE read_end = nullptr, write_end = nullptr;
        REQUIRE(::CreatePipe(&read_end, &write_end, &inherit, 0));
        output_ = sys::windows::OwnedHandle(read_end);
        const sys::windows::OwnedHandle child_end(write_end);
        REQUIRE(::SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));

        STARTUPINFOA startup{};
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = write_end;
        startup.hStdError = ::GetStdHandle(STD_ERROR_HANDLE);
        startup.hStdInput = nullptr;
        const std::string path = windows_path(program);
        std::string command = "\"" + path + "\" " + arguments;
        PROCESS_INFORMATION started{};
        REQUIRE_MESSAGE(::CreateProcessA(path.c_str(), command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                                         &startup, &started),
                        "CreateProcess failed: ", ::GetLastError());
        process_ = sys::windows::OwnedHandle(started.hProcess);
        const sys::windows::OwnedHandle thread(started.hThread);
    }
    ~ChildProcess() {
        ::TerminateProcess(process_.get(), 0);
        ::WaitForSingleObject(process_.get(), 10000);
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The next line the program printed (without "\r\n"), or "" after 10 s
    /// of silence or when its output ended.
    std::string next_line() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            if (const auto end = buffered_.find('\n'); end != std::string::npos) {
                std::string line = buffered_.substr(0, end);
                buffered_.erase(0, end + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return line;
            }
            DWORD available = 0;
            if (!::PeekNamedPipe(output_.get(), nullptr, 0, nullptr, &available, nullptr)) return "";
            if (available == 0) {
                if (std::chrono::steady_clock::now() > deadline) return "";
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            char chunk[65536];
            DWORD got = 0;
            if (!::ReadFile(output_.get(), chunk, std::min<DWORD>(available, sizeof chunk), &got, nullptr) || got == 0)
                return "";
            buffered_.append(chunk, got);
        }
    }

    /// The exit code once the program ended by itself within 10 s; nullopt
    /// if it is still running then.
    std::optional<DWORD> exit_code() {
        if (::WaitForSingleObject(process_.get(), 10000) != WAIT_OBJECT_0) return std::nullopt;
        DWORD code = 0;
        REQUIRE(::GetExitCodeProcess(process_.get(), &code));
        return code;
    }

private:
    sys::windows::OwnedHandle output_{nullptr};
    sys::windows::OwnedHandle process_{nullptr};
    std::string buffered_;
};

}  // namespace metalio::test
