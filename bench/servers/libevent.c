/* libevent.c: the hello server on libevent (Debian's libevent-dev).
 * Plain events, not bufferevents (which would copy every byte through an
 * evbuffer): one persistent, level-triggered read event per connection and
 * one read per callback, the way libevent is usually driven. */
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hello.h"

typedef struct {
    struct event* event;
    unsigned char state;
} connection;

static struct hello_args args;
static unsigned long long answered;
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

static void on_accept(struct evconnlistener* listener, evutil_socket_t fd, struct sockaddr* addr, int len, void* arg) {
    (void)listener;
    (void)addr;
    (void)len;
    struct event_base* base = arg;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connection* conn = calloc(1, sizeof *conn);
    conn->event = event_new(base, fd, EV_READ | EV_PERSIST, on_read, conn);
    event_add(conn->event, NULL);
}

int main(int argc, char** argv) {
    args = hello_parse_args(argc, argv);
    if (args.port == 0) {
        fprintf(stderr, "usage: hello_libevent PORT [MAX_REQUESTS]\n");
        return 2;
    }
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
