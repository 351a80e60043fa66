/* raw_epoll.c: the baseline, the hello server written directly on epoll.
 *
 *   raw_epoll drain PORT [MAX]       reads until EAGAIN after every event
 *   raw_epoll short PORT [MAX]       stops after a read shorter than the buffer
 *   raw_epoll realistic PORT [MAX]   short reads, EPOLLIN | EPOLLOUT registered
 *                                    once, output kept on a partial write and
 *                                    sent on the next EPOLLOUT, Nagle left on
 *
 * Edge-triggered (EPOLLET), like metalio and mio: "drain" is the textbook
 * rule (read until EAGAIN), "short" is the short-read rule (a read that
 * returns less than asked has emptied the socket for now, so the EAGAIN read
 * can be skipped; the next bytes raise a new edge). Everything else is the
 * least a C programmer would write: one epoll_wait per loop, one buffer. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hello.h"

enum { max_fds = 65536 };
static unsigned char states[max_fds];

/* Realistic mode: what a partial write left, per fd (allocated only then). */
struct pending {
    size_t length;
    char data[8192];
};
static struct pending* pendings[max_fds];

static void drop(int fd) {
    free(pendings[fd]);
    pendings[fd] = NULL;
    close(fd); /* close also removes it from epoll */
}

/* Realistic mode: sends data after what is pending, keeps what the socket
 * does not take; 0 when the connection failed. */
static int send_buffered(int fd, const char* data, size_t length) {
    struct pending* p = pendings[fd];
    size_t sent = 0;
    if (p == NULL || p->length == 0) {
        const ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) return 0;
        sent = n < 0 ? 0 : (size_t)n;
        if (sent == length) return 1;
    }
    if (p == NULL && (p = pendings[fd] = calloc(1, sizeof *p)) == NULL) return 0;
    if (p->length + length - sent > sizeof p->data) return 0; /* a client that never reads */
    memcpy(p->data + p->length, data + sent, length - sent);
    p->length += length - sent;
    return 1;
}

/* Realistic mode: EPOLLOUT sends what is pending; 0 when the connection failed. */
static int flush(int fd) {
    struct pending* p = pendings[fd];
    while (p != NULL && p->length > 0) {
        const ssize_t n = send(fd, p->data, p->length, MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN;
        memmove(p->data, p->data + n, p->length - (size_t)n);
        p->length -= (size_t)n;
    }
    return 1;
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                               .sin_addr = {htonl(INADDR_LOOPBACK)}};
    if (bind(fd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(fd, 1024) != 0) {
        perror("bind/listen");
        _exit(1);
    }
    return fd;
}

/* An epoll instance watching the listener (level-triggered: accept4 runs until EAGAIN anyway). */
static int epoll_with(int listener) {
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data = {.fd = listener}};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    return ep;
}

/* The realistic loop: what chapter 06 teaches, in C. */
static int serve_realistic(struct hello_args args) {
    unsigned long long answered = 0;
    const int listener = listen_on(args.port);
    const int ep = epoll_with(listener);
    struct epoll_event events[256];
    char buffer[4096];
    char out[4096];
    for (;;) {
        const int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            const uint32_t what = events[i].events;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (client >= max_fds) { close(client); continue; }
                    states[client] = 0;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data = {.fd = client}};
                    epoll_ctl(ep, EPOLL_CTL_ADD, client, &cev);
                }
                continue;
            }
            if ((what & EPOLLOUT) && !flush(fd)) {
                drop(fd);
                continue;
            }
            if (!(what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                const ssize_t got = read(fd, buffer, sizeof buffer);
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) {
                    if (got < 0 && errno == EAGAIN) break;
                    drop(fd);
                    break;
                }
                const size_t ended = hello_feed(&states[fd], buffer, (size_t)got);
                if (ended > 0) {
                    const size_t length = hello_answer(out, sizeof out, ended);
                    if (length == 0 || !send_buffered(fd, out, length)) {
                        drop(fd);
                        break;
                    }
                    if (hello_count(&args, &answered, ended)) return 0;
                }
                if ((size_t)got < sizeof buffer && !(what & EPOLLRDHUP)) break;
            }
        }
    }
}

int main(int argc, char** argv) {
    if (argc < 3 || (strcmp(argv[1], "drain") != 0 && strcmp(argv[1], "short") != 0 &&
                     strcmp(argv[1], "realistic") != 0)) {
        fprintf(stderr, "usage: raw_epoll drain|short|realistic PORT [MAX_REQUESTS]\n");
        return 2;
    }
    if (strcmp(argv[1], "realistic") == 0) return serve_realistic(hello_parse_args(argc - 1, argv + 1));
    const int stop_after_short_read = strcmp(argv[1], "short") == 0;
    struct hello_args args = hello_parse_args(argc - 1, argv + 1);
    unsigned long long answered = 0;
    const int listener = listen_on(args.port);
    const int ep = epoll_with(listener);
    struct epoll_event events[256];
    char buffer[4096];
    char out[4096];
    for (;;) {
        const int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (client >= max_fds) { close(client); continue; }
                    int one = 1;
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    states[client] = 0;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data = {.fd = client}};
                    epoll_ctl(ep, EPOLL_CTL_ADD, client, &cev);
                }
                continue;
            }
            for (;;) {
                const ssize_t got = read(fd, buffer, sizeof buffer);
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) {
                    if (got < 0 && errno == EAGAIN) break;
                    close(fd);  /* end of file or error; close also removes it from epoll */
                    break;
                }
                const size_t ended = hello_feed(&states[fd], buffer, (size_t)got);
                if (ended > 0) {
                    const size_t length = hello_answer(out, sizeof out, ended);
                    if (length == 0 || send(fd, out, length, MSG_NOSIGNAL) != (ssize_t)length) {
                        close(fd);
                        break;
                    }
                    if (hello_count(&args, &answered, ended)) return 0;
                }
                /* A short read emptied the socket, unless the peer has also
                 * closed (EPOLLRDHUP): then the end of file must be read now,
                 * because no new edge will come for it. */
                if (stop_after_short_read && (size_t)got < sizeof buffer && !(events[i].events & EPOLLRDHUP)) break;
            }
        }
    }
}
