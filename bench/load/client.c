/* client.c: the measuring client. Sends exactly REQUESTS keep-alive requests
 * over CONNECTIONS connections and reads every answer, so a server started
 * with the same MAX_REQUESTS exits right after the last one.
 *
 *   hello_client PORT CONNECTIONS REQUESTS
 *
 * Each round sends one request on every connection, then reads one answer
 * from every connection (blocking sockets, TCP_NODELAY). With one connection
 * the server sees one request per wake-up, which makes its work per request
 * exact and repeatable; wrk is used for throughput instead. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "hello.h"

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

static int connect_to(int port) {
    /* The server may still be starting: retry for up to 20 s. */
    for (int attempt = 0; attempt < 2000; ++attempt) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                                   .sin_addr = {htonl(INADDR_LOOPBACK)}};
        if (connect(fd, (struct sockaddr*)&addr, sizeof addr) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            /* A server that stops answering fails the run in 10 s, not never. */
            struct timeval limit = {10, 0};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
            return fd;
        }
        close(fd);
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "hello_client: cannot connect to port %d\n", port);
    exit(1);
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: hello_client PORT CONNECTIONS REQUESTS\n");
        return 2;
    }
    const int port = atoi(argv[1]);
    const int count = atoi(argv[2]);
    long long remaining = atoll(argv[3]);
    if (port <= 0 || count <= 0 || count > 1000 || remaining <= 0) {
        fprintf(stderr, "hello_client: bad arguments\n");
        return 2;
    }
    int fds[1000];
    for (int i = 0; i < count; ++i) fds[i] = connect_to(port);
    char buffer[4096];
    while (remaining > 0) {
        const int round = remaining < count ? (int)remaining : count;
        for (int i = 0; i < round; ++i) {
            if (send(fds[i], request, sizeof request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof request - 1)) {
                perror("hello_client: send");
                return 1;
            }
        }
        for (int i = 0; i < round; ++i) {
            size_t have = 0;
            while (have < hello_response_length) {
                const ssize_t got = read(fds[i], buffer, sizeof buffer);
                if (got < 0 && errno == EINTR) continue;
                if (got < 0 && errno == EAGAIN) {
                    fprintf(stderr, "hello_client: no answer within 10 s on connection %d (%lld requests to go)\n", i,
                            remaining);
                    return 1;
                }
                if (got <= 0) {
                    fprintf(stderr, "hello_client: connection %d ended with %lld requests to go\n", i, remaining);
                    return 1;
                }
                have += (size_t)got;
            }
        }
        remaining -= round;
    }
    return 0;
}
