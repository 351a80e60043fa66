/* libevent.c: the hello server on libevent (Debian's libevent-dev).
 *
 *   hello_libevent lean PORT [MAX]        one persistent level-triggered read
 *                                         event, one read per callback, TCP_NODELAY
 *   hello_libevent realistic PORT [MAX]   one persistent edge-triggered read and
 *                                         write event (EV_ET, registered once),
 *                                         output kept on a partial write, Nagle on
 *
 * Plain events, not bufferevents (which would copy every byte through an
 * evbuffer): the way the other libraries are driven here. */
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hello.h"

typedef struct {
    struct event* event;
    unsigned char state;
    size_t pending; /* realistic mode: what a partial write left */
    char queue[8192];
} connection;

static struct hello_args args;
static unsigned long long answered;
static int realistic;
static char buffer[4096];
static char out[4096];

static void drop(connection* conn, evutil_socket_t fd) {
    event_free(conn->event);
    free(conn);
    close(fd);
}

static void on_read(evutil_socket_t fd, short what, void* arg) {
    (void)what;
    connection* conn = arg;
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) {
        drop(conn, fd);
        return;
    }
    const size_t ended = hello_feed(&conn->state, buffer, (size_t)got);
    if (ended == 0) return;
    const size_t length = hello_answer(out, sizeof out, ended);
    if (length == 0 || send(fd, out, length, MSG_NOSIGNAL) != (ssize_t)length) {
        drop(conn, fd);
        return;
    }
    if (hello_count(&args, &answered, ended)) exit(0);
}

/* Realistic mode: sends what is pending; 0 when the connection failed. */
static int flush(connection* conn, evutil_socket_t fd) {
    while (conn->pending > 0) {
        const ssize_t n = send(fd, conn->queue, conn->pending, MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN;
        memmove(conn->queue, conn->queue + n, conn->pending - (size_t)n);
        conn->pending -= (size_t)n;
    }
    return 1;
}

/* Realistic mode: sends after what is pending, keeps the rest; 0 on failure. */
static int send_buffered(connection* conn, evutil_socket_t fd, const char* data, size_t length) {
    size_t sent = 0;
    if (conn->pending == 0) {
        const ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) return 0;
        sent = n < 0 ? 0 : (size_t)n;
    }
    if (conn->pending + length - sent > sizeof conn->queue) return 0; /* a client that never reads */
    memcpy(conn->queue + conn->pending, data + sent, length - sent);
    conn->pending += length - sent;
    return 1;
}

static void on_event(evutil_socket_t fd, short what, void* arg) {
    connection* conn = arg;
    if ((what & EV_WRITE) && !flush(conn, fd)) {
        drop(conn, fd);
        return;
    }
    if (!(what & EV_READ)) return;
    for (;;) { /* edge-triggered: read until a short read, as the other servers */
        const ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == EAGAIN) return;
        if (got <= 0) {
            drop(conn, fd);
            return;
        }
        const size_t ended = hello_feed(&conn->state, buffer, (size_t)got);
        if (ended > 0) {
            const size_t length = hello_answer(out, sizeof out, ended);
            if (length == 0 || !send_buffered(conn, fd, out, length)) {
                drop(conn, fd);
                return;
            }
            if (hello_count(&args, &answered, ended)) exit(0);
        }
        if ((size_t)got < sizeof buffer) return;
    }
}

static void on_accept(struct evconnlistener* listener, evutil_socket_t fd, struct sockaddr* addr, int len, void* arg) {
    (void)listener;
    (void)addr;
    (void)len;
    struct event_base* base = arg;
    connection* conn = calloc(1, sizeof *conn);
    if (realistic) {
        conn->event = event_new(base, fd, EV_READ | EV_WRITE | EV_ET | EV_PERSIST, on_event, conn);
    } else {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn->event = event_new(base, fd, EV_READ | EV_PERSIST, on_read, conn);
    }
    event_add(conn->event, NULL);
}

int main(int argc, char** argv) {
    if (argc < 3 || (strcmp(argv[1], "lean") != 0 && strcmp(argv[1], "realistic") != 0)) {
        fprintf(stderr, "usage: hello_libevent lean|realistic PORT [MAX_REQUESTS]\n");
        return 2;
    }
    realistic = strcmp(argv[1], "realistic") == 0;
    args = hello_parse_args(argc - 1, argv + 1);
    struct event_base* base = event_base_new();
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)args.port),
                               .sin_addr = {htonl(INADDR_LOOPBACK)}};
    struct evconnlistener* listener =
        evconnlistener_new_bind(base, on_accept, base, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
                                (struct sockaddr*)&addr, sizeof addr);
    if (listener == NULL) {
        fprintf(stderr, "hello_libevent: cannot listen on port %d\n", args.port);
        return 1;
    }
    return event_base_dispatch(base);
}
