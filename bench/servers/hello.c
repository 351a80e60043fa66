/* hello.c: the request logic of every C and C++ hello server (see hello.h). */
#include "hello.h"

#include <string.h>

static const char response[] = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nHello world!";
_Static_assert(sizeof response - 1 == hello_response_length, "hello_response_length is the response's length");

/* Feeds bytes to the end-of-head matcher; returns how many heads ended. */
size_t hello_feed(unsigned char* state, const char* data, size_t length) {
    size_t ended = 0;
    for (size_t i = 0; i < length; ++i) {
        const char expected = (*state % 2 == 0) ? '\r' : '\n';
        if (data[i] == expected) {
            if (++*state == 4) {
                ++ended;
                *state = 0;
            }
        } else {
            *state = data[i] == '\r' ? 1 : 0;
        }
    }
    return ended;
}

/* Fills out (room for `capacity` bytes) with `count` responses; returns the
 * length, or 0 if they do not fit (the servers then close the connection:
 * a benchmark client never sends that many requests at once). */
size_t hello_answer(char* out, size_t capacity, size_t count) {
    if (count * hello_response_length > capacity) return 0;
    for (size_t i = 0; i < count; ++i) memcpy(out + i * hello_response_length, response, hello_response_length);
    return count * hello_response_length;
}

