/* libuv.c: the hello server on libuv (Debian's libuv1-dev).
 * libuv reads into a buffer the loop asks for with alloc_cb; one static
 * buffer is handed out every time, so no allocation happens per request.
 * Writes use uv_try_write, which writes at once like the other servers. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "hello.h"

typedef struct {
    uv_tcp_t handle;
    unsigned char state;
} connection;

static struct hello_args args;
static unsigned long long answered;
static char buffer[4096];
static char out[4096];

static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf) {
    (void)handle;
    (void)suggested;
    *buf = uv_buf_init(buffer, sizeof buffer);
}

static void on_close(uv_handle_t* handle) { free(handle); }

static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    connection* conn = (connection*)stream;
    if (nread < 0) {
        uv_close((uv_handle_t*)stream, on_close);
        return;
    }
    const size_t ended = hello_feed(&conn->state, buf->base, (size_t)nread);
    if (ended == 0) return;
    const size_t length = hello_answer(out, sizeof out, ended);
    uv_buf_t reply = uv_buf_init(out, (unsigned)length);
    if (length == 0 || uv_try_write(stream, &reply, 1) != (int)length) {
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
    uv_tcp_nodelay(&conn->handle, 1);
    uv_read_start((uv_stream_t*)&conn->handle, on_alloc, on_read);
}

int main(int argc, char** argv) {
    args = hello_parse_args(argc, argv);
    if (args.port == 0) {
        fprintf(stderr, "usage: hello_libuv PORT [MAX_REQUESTS]\n");
        return 2;
    }
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
