/* liburing.c: the hello server on raw io_uring in C, through liburing.
 *
 *   hello_liburing PORT [MAX]
 *
 * What a C programmer would write for completion I/O: liburing's own calls
 * (io_uring_prep_*, io_uring_submit_and_wait, io_uring_for_each_cqe), the
 * same ring flags as metalio's Driver (DEFER_TASKRUN and friends where the
 * kernel has them), one multishot accept, one operation in flight per
 * connection, and one io_uring_enter per turn. A connection's user data is
 * its fd and whether a send is in flight; its buffers are static arrays. */
#define _GNU_SOURCE
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hello.h"

enum { max_fds = 4096, buffer_size = 4096, listener_data = 1 };

static char in[max_fds][buffer_size];
static char out[max_fds][buffer_size];
static unsigned char states[max_fds];
static size_t answers[max_fds]; /* in the send in flight: counted once sent */

/* user data: (fd + 1) << 1 | 1 for a send, | 0 for a recv; 1 is the listener. */
static void submit_recv(struct io_uring* ring, int fd) {
    struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
    if (sqe == NULL) { io_uring_submit(ring); sqe = io_uring_get_sqe(ring); }
    io_uring_prep_recv(sqe, fd, in[fd], buffer_size, 0);
    io_uring_sqe_set_data64(sqe, (unsigned long long)(fd + 1) << 1);
}

static void submit_send(struct io_uring* ring, int fd, size_t length) {
    struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
    if (sqe == NULL) { io_uring_submit(ring); sqe = io_uring_get_sqe(ring); }
    io_uring_prep_send(sqe, fd, out[fd], length, MSG_NOSIGNAL | MSG_WAITALL);
    io_uring_sqe_set_data64(sqe, (unsigned long long)(fd + 1) << 1 | 1);
}

static void submit_accept(struct io_uring* ring, int listener) {
    struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
    if (sqe == NULL) { io_uring_submit(ring); sqe = io_uring_get_sqe(ring); }
    io_uring_prep_multishot_accept(sqe, listener, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, listener_data);
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
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

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: hello_liburing PORT [MAX_REQUESTS]\n");
        return 2;
    }
    struct hello_args args = hello_parse_args(argc, argv);
    unsigned long long answered = 0;
    const int listener = listen_on(args.port);
    struct io_uring ring;
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    params.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER |
                   IORING_SETUP_DEFER_TASKRUN;
    int error = io_uring_queue_init_params(1024, &ring, &params);
    if (error == -EINVAL) {
        memset(&params, 0, sizeof params);
        error = io_uring_queue_init_params(1024, &ring, &params);
    }
    if (error < 0) {
        fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-error));
        return 1;
    }
    submit_accept(&ring, listener);
    for (;;) {
        error = io_uring_submit_and_wait(&ring, 1);
        if (error < 0 && error != -EINTR) {
            fprintf(stderr, "io_uring_submit_and_wait: %s\n", strerror(-error));
            return 1;
        }
        struct io_uring_cqe* cqe;
        unsigned head;
        unsigned seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            ++seen;
            const unsigned long long data = io_uring_cqe_get_data64(cqe);
            const int result = cqe->res;
            if (data == listener_data) {
                if (result >= 0 && result < max_fds) {
                    int one = 1;
                    setsockopt(result, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    states[result] = 0;
                    submit_recv(&ring, result);
                } else if (result >= 0) {
                    close(result);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE)) submit_accept(&ring, listener);
                continue;
            }
            const int fd = (int)(data >> 1) - 1;
            if (result <= 0) {
                close(fd); /* end of stream or an error */
                continue;
            }
            if (data & 1) { /* the answers went out: receive again */
                if (hello_count(&args, &answered, answers[fd])) return 0;
                submit_recv(&ring, fd);
                continue;
            }
            const size_t ended = hello_feed(&states[fd], in[fd], (size_t)result);
            if (ended == 0) {
                submit_recv(&ring, fd);
                continue;
            }
            const size_t length = hello_answer(out[fd], buffer_size, ended);
            if (length == 0) {
                close(fd);
                continue;
            }
            answers[fd] = ended;
            submit_send(&ring, fd, length);
        }
        io_uring_cq_advance(&ring, seen);
    }
}
