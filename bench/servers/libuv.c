/* libuv.c: the hello server on libuv (Debian's libuv1-dev).
 *
 *   hello_libuv lean PORT [MAX]        uv_try_write, TCP_NODELAY
 *   hello_libuv realistic PORT [MAX]   uv_write (libuv keeps what the socket
 *                                      does not take), Nagle left on
 *
 * libuv reads into a buffer the loop asks for with alloc_cb; one static
 * buffer is handed out every time, so no allocation happens per request.
 * In realistic mode each connection owns its write request and two
 * buffers (the one being written, and answers that came meanwhile), so
 * uv_write does not allocate either. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "hello.h"

typedef struct {
    uv_tcp_t handle;
    unsigned char state;
    uv_write_t write;    /* realistic mode: the write in flight, if `writing` */
    int writing;
    size_t queued;       /* answers that came while a write was in flight */
    char sending[4096];
    char queue[8192];
} connection;

static struct hello_args args;
static unsigned long long answered;
static int realistic;
static char buffer[4096];
static char out[4096];

static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf) {
    (void)handle;
    (void)suggested;
    *buf = uv_buf_init(buffer, sizeof buffer);
}

static void on_close(uv_handle_t* handle) { free(handle); }

static void on_write(uv_write_t* req, int status);

/* Realistic mode: starts a uv_write of `length` bytes of `data`. */
static int start_write(connection* conn, const char* data, size_t length) {
    memcpy(conn->sending, data, length);
    uv_buf_t buf = uv_buf_init(conn->sending, (unsigned)length);
    conn->writing = 1;
    return uv_write(&conn->write, (uv_stream_t*)&conn->handle, &buf, 1, on_write);
}

static void on_write(uv_write_t* req, int status) {
    connection* conn = (connection*)((char*)req - offsetof(connection, write));
    conn->writing = 0;
    if (status < 0) {
        if (!uv_is_closing((uv_handle_t*)&conn->handle)) uv_close((uv_handle_t*)&conn->handle, on_close);
        return;
    }
    if (conn->queued > 0) {
        const size_t length = conn->queued;
        conn->queued = 0;
        if (start_write(conn, conn->queue, length) != 0) uv_close((uv_handle_t*)&conn->handle, on_close);
    }
}

/* Realistic mode: writes now, or after the write in flight. 0 on failure. */
static int send_buffered(connection* conn, const char* data, size_t length) {
    if (!conn->writing) return start_write(conn, data, length) == 0;
    if (conn->queued + length > sizeof conn->queue) return 0; /* a client that never reads */
    memcpy(conn->queue + conn->queued, data, length);
    conn->queued += length;
    return 1;
}

static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    connection* conn = (connection*)stream;
    if (nread < 0) {
        /* A write in flight is cancelled by uv_close; on_write then sees it closing. */
        uv_close((uv_handle_t*)stream, on_close);
        return;
    }
    const size_t ended = hello_feed(&conn->state, buf->base, (size_t)nread);
    if (ended == 0) return;
    const size_t length = hello_answer(out, sizeof out, ended);
    int sent;
    if (realistic) {
        sent = length != 0 && send_buffered(conn, out, length);
    } else {
        uv_buf_t reply = uv_buf_init(out, (unsigned)length);
        sent = length != 0 && uv_try_write(stream, &reply, 1) == (int)length;
    }
    if (!sent) {
        uv_close((uv_handle_t*)stream, on_close);
        return;
    }
    if (hello_count(&args, &answered, ended)) exit(0);
}

static void on_connection(uv_stream_t* server, int status) {
    if (status < 0) return;
    connection* conn = calloc(1, sizeof *conn);
    uv_tcp_init(server->loop, &conn->handle);
    if (uv_accept(server, (uv_stream_t*)&conn->handle) != 0) {
        uv_close((uv_handle_t*)&conn->handle, on_close);
        return;
    }
    if (!realistic) uv_tcp_nodelay(&conn->handle, 1);
    uv_read_start((uv_stream_t*)&conn->handle, on_alloc, on_read);
}

int main(int argc, char** argv) {
    if (argc < 3 || (strcmp(argv[1], "lean") != 0 && strcmp(argv[1], "realistic") != 0)) {
        fprintf(stderr, "usage: hello_libuv lean|realistic PORT [MAX_REQUESTS]\n");
        return 2;
    }
    realistic = strcmp(argv[1], "realistic") == 0;
    args = hello_parse_args(argc - 1, argv + 1);
    uv_loop_t* loop = uv_default_loop();
    uv_tcp_t server;
    uv_tcp_init(loop, &server);
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", args.port, &addr);
    if (uv_tcp_bind(&server, (const struct sockaddr*)&addr, 0) != 0 ||
        uv_listen((uv_stream_t*)&server, 1024, on_connection) != 0) {
        fprintf(stderr, "hello_libuv: cannot listen on port %d\n", args.port);
        return 1;
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
