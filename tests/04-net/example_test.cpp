// Stage 04: the tcp_hello example, driven the way a learner drives it with nc.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "net_helpers.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpStream;

TEST_CASE("tcp_hello greets a client, prints what it sends and exits when it closes") {
    const metalio::test::FdLeakCheck no_leak;
    // Port 0: the example prints the port the kernel chose.
    FILE* output = ::popen(METALIO_EXAMPLE_TCP_HELLO " 0", "re");
    REQUIRE_MESSAGE(output != nullptr, "could not start " METALIO_EXAMPLE_TCP_HELLO);
    char line[256] = {};
    REQUIRE_MESSAGE(std::fgets(line, sizeof line, output) != nullptr, "the example printed nothing");
    const std::string first = line;
    const auto start = first.find("127.0.0.1:");
    const auto end = first.find(';');
    REQUIRE_MESSAGE((start != std::string::npos && end != std::string::npos),
                    "the first line should name the address: ", first);
    const auto address = SocketAddr::parse(first.substr(start, end - start));
    REQUIRE_MESSAGE(address.has_value(), "not an address in: ", first);

    const net_test::WaitableRegistry registry = net_test::make_registry();
    const auto client = TcpStream::connect(*address);
    REQUIRE(client.has_value());
    REQUIRE(registry.register_(*client, Token{1}, Interest::READABLE));
    std::string greeting;
    std::byte buffer[256];
    while (greeting.find('\n') == std::string::npos) {
        const auto read = client->read(buffer);
        if (read && *read == 0) break;
        if (read) {
            greeting.append(reinterpret_cast<const char*>(buffer), *read);
            continue;
        }
        REQUIRE(metalio::io::is_would_block(read.error()));
        REQUIRE_MESSAGE(net_test::wait_for(registry, Token{1}).has_value(), "no greeting within 5 s");
    }
    CHECK(greeting.starts_with("hello from metalio"));
    REQUIRE(client->write(std::string_view("ping\n")) == 5u);
    REQUIRE(client->shutdown(metalio::net::Shutdown::Write));

    std::string rest;
    while (std::fgets(line, sizeof line, output) != nullptr) rest += line;
    const int status = ::pclose(output);
    CHECK_MESSAGE(rest.find("connection from " + client->local_addr()->to_string()) != std::string::npos,
                  "the example should print the client's address; it printed:\n", rest);
    CHECK_MESSAGE(rest.find("received 5 bytes: ping") != std::string::npos, "it printed:\n", rest);
    CHECK_MESSAGE(rest.find("closed the connection after 5 bytes") != std::string::npos, "it printed:\n", rest);
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the example did not exit with 0");
}
