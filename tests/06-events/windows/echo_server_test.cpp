// Stage 06 on Windows: the echo server program itself, started as a child
// process (under Wine: in the same Wine session as this test) and driven
// through real sockets as `nc` would, as tests/06-events/echo_server_test.cpp
// does on Unix.
#include <winsock2.h>
#include <windows.h>

#include <chrono>
#include <string>
#include <thread>

#include "metalio/sys/windows/owned_handle.hpp"
#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio_test.hpp"

using metalio::sys::windows::OwnedHandle;
using metalio::sys::windows::OwnedSocket;

namespace {

// CMake gives the program's path as the build host sees it. Under Wine a
// Unix path is reachable through the drive Z:, which maps "/".
std::string windows_path(std::string path) {
    if (!path.empty() && path.front() == '/') path = "Z:" + path;
    for (char& c : path) {
        if (c == '/') c = '\\';
    }
    return path;
}

// The server as a child process whose stdout we read line by line.
class Server {
public:
    Server() {
        SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
        HANDLE read_end = nullptr, write_end = nullptr;
        REQUIRE(::CreatePipe(&read_end, &write_end, &inherit, 0));
        output_ = OwnedHandle(read_end);
        const OwnedHandle child_end(write_end);
        REQUIRE(::SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));

        STARTUPINFOA startup{};
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = write_end;
        startup.hStdError = ::GetStdHandle(STD_ERROR_HANDLE);
        startup.hStdInput = nullptr;
        const std::string program = windows_path(METALIO_EXAMPLE_ECHO_SERVER);
        std::string command = "\"" + program + "\" 127.0.0.1:0";
        PROCESS_INFORMATION started{};
        REQUIRE_MESSAGE(::CreateProcessA(program.c_str(), command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                                         &startup, &started),
                        "CreateProcess failed: ", ::GetLastError());
        process_ = OwnedHandle(started.hProcess);
        const OwnedHandle thread(started.hThread);
        // " $ nc 127.0.0.1 PORT" tells us where it listens.
        for (int i = 0; i < 4; ++i) {  // the banner's four lines
            const std::string line = next_line();
            if (line.rfind(" $ nc ", 0) == 0) port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(' '))));
        }
        REQUIRE_MESSAGE(port_ != 0, "the server did not print the nc command with its port");
    }
    ~Server() {
        ::TerminateProcess(process_.get(), 0);
        ::WaitForSingleObject(process_.get(), 10000);
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }

    // The next line the server printed, or "" after 10 s of silence.
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

private:
    OwnedHandle output_{nullptr};
    OwnedHandle process_{nullptr};
    std::uint16_t port_ = 0;
    std::string buffered_;
};

// A blocking client socket with a 10 s receive timeout, like nc.
OwnedSocket connect_to(std::uint16_t port) {
    REQUIRE(metalio::sys::windows::init_winsock().has_value());
    OwnedSocket client(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    REQUIRE(client.get() != INVALID_SOCKET);
    const DWORD ten_seconds = 10000;
    ::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&ten_seconds), sizeof ten_seconds);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return client;
}

std::string receive(SOCKET socket, std::size_t want) {
    std::string got;
    char buffer[4096];
    while (got.size() < want) {
        const int n = ::recv(socket, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

void send_all(SOCKET socket, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const int n = ::send(socket, data.data() + sent, static_cast<int>(data.size() - sent), 0);
        REQUIRE(n > 0);
        sent += static_cast<std::size_t>(n);
    }
}

}  // namespace

TEST_CASE("like nc: the greeting arrives, typed text is printed, the close is noticed") {
    Server server;
    {
        const OwnedSocket client = connect_to(server.port());
        CHECK(receive(client.get(), 13) == "Hello world!\n");
        CHECK(server.next_line().rfind("Accepted connection from: 127.0.0.1:", 0) == 0);
        send_all(client.get(), "hi there\n");
        CHECK(server.next_line() == "Received data: hi there");
    }
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("two clients at once are told apart by their tokens") {
    Server server;
    const OwnedSocket first = connect_to(server.port());
    CHECK(receive(first.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    const OwnedSocket second = connect_to(server.port());
    CHECK(receive(second.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    send_all(second.get(), "from the second\n");
    CHECK(server.next_line() == "Received data: from the second");
    send_all(first.get(), "from the first\n");
    CHECK(server.next_line() == "Received data: from the first");
}

TEST_CASE("a peer that sends 1 MiB at once loses no byte: the server drains to WouldBlock on every event") {
    Server server;
    const OwnedSocket client = connect_to(server.port());
    CHECK(receive(client.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    send_all(client.get(), std::string(1 << 20, 'x'));
    REQUIRE(::shutdown(client.get(), SD_SEND) == 0);
    // The server prints "Received data: xxx..." per drained chunk; count the x.
    std::size_t received = 0;
    for (std::string line = server.next_line(); !line.empty() && line != "Connection closed"; line = server.next_line()) {
        const std::string prefix = "Received data: ";
        REQUIRE(line.rfind(prefix, 0) == 0);
        received += line.size() - prefix.size();
    }
    CHECK(received == (1u << 20));
}
