// Failure messages print socket addresses as text ("127.0.0.1:4242"), not
// doctest's "{?}". One definition for every test that compares addresses.
#pragma once

#include "metalio/net/socket_addr.hpp"
#include "metalio_test.hpp"

template <>
struct doctest::StringMaker<metalio::net::SocketAddr> {
    static doctest::String convert(const metalio::net::SocketAddr& addr) { return addr.to_string().c_str(); }
};
