/* hello.h: the request logic every hello server of the benchmark shares.
 *
 * A request is complete when its head ends ("\r\n\r\n"); the servers answer
 * each complete request with the same fixed response and keep the
 * connection open (HTTP/1.1 keep-alive). The matcher keeps four states per
 * connection, so a head split across reads is still counted once. The mio
 * peer (servers/mio/src/main.rs) is a line-by-line port of hello.c.
 *
 * The two functions are compiled once, in hello.c, and linked into every C
 * and C++ server (raw epoll, libuv, libevent, metalio, Asio): the same
 * machine code, so instruction counts differ only by the event loop. */
#ifndef METALIO_BENCH_HELLO_H
#define METALIO_BENCH_HELLO_H

#include <stddef.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The response, and its length (what the measuring client waits for). */
enum { hello_response_length = 77 };

/* Feeds bytes to the end-of-head matcher; returns how many heads ended. */
size_t hello_feed(unsigned char* state, const char* data, size_t length);

/* Fills out (room for `capacity` bytes) with `count` responses; returns the
 * length, or 0 if they do not fit (the servers then close the connection:
 * a benchmark client never sends that many requests at once). */
size_t hello_answer(char* out, size_t capacity, size_t count);

/* The command line of every server: PORT [MAX_REQUESTS]. After MAX_REQUESTS
 * answers (0: never) the server exits, so a measurement can run it to the end. */
struct hello_args {
    int port;
    unsigned long long max_requests;
};

static inline struct hello_args hello_parse_args(int argc, char** argv) {
    struct hello_args args = {0, 0};
    if (argc < 2) return args;
    args.port = atoi(argv[1]);
    if (argc > 2) args.max_requests = strtoull(argv[2], NULL, 10);
    return args;
}

/* Counts answers; true when the server should exit now. */
static inline int hello_count(struct hello_args* args, unsigned long long* answered, size_t count) {
    *answered += count;
    return args->max_requests != 0 && *answered >= args->max_requests;
}

#ifdef __cplusplus
}
#endif

#endif
