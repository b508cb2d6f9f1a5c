/*
 * Remoting server (server.h): one listening socket, N I/O loops, connections spread
 * round-robin.
 *
 * The listening socket is created, bound and put in listen mode on the caller's thread, so
 * remoting_server_start() reports -EADDRINUSE and friends directly and knows the port;
 * loop 0 then watches it. Each accepted socket is handed to the next loop in turn: loop 0
 * accepts it into a throw-away handle, duplicates the descriptor, closes the handle and
 * posts the duplicate to the target loop, which opens it in the connection's own handle.
 * libuv offers no way to move a handle between loops, and this costs two system calls per
 * connection (connections are long-lived in RocketMQ) while working with any kernel and
 * keeping the balance exact, unlike SO_REUSEPORT's hashing. If the target loop's queue is
 * full or it is stopping, the socket is closed (the client retries).
 */
#include "remoting/transport.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 1024
#define IO_THREADS_MAX 4

struct remoting_server {
    remoting_endpoint_t ep;
    remoting_loop_t **loops;
    int nloops;
    int port;
    int listen_fd; /* until loop 0 opens it */
    uv_tcp_t listener;
    remoting_loop_member_t member; /* the listener, on loop 0 */
    unsigned next_loop;            /* loop 0 only */
};

typedef struct {
    remoting_endpoint_t *ep;
    int fd;
} adopt_work_t;

static int open_listen_socket(const char *host, int port, int *out_port);
static void start_listening(remoting_loop_t *loop, void *arg);
static void on_connection(uv_stream_t *listener, int status);
static void on_listener_stop(remoting_loop_member_t *m);

int remoting_sweep_period_ms(int idle_timeout_ms, int connect_timeout_ms) {
    int period = 1000;
    if (idle_timeout_ms > 0 && idle_timeout_ms / 4 < period)
        period = idle_timeout_ms / 4;
    if (connect_timeout_ms > 0 && connect_timeout_ms / 4 < period)
        period = connect_timeout_ms / 4;
    return period < 5 ? 5 : period;
}

int remoting_server_start(const remoting_server_opts_t *opts, remoting_server_t **out) {
    int port = 0, fd = open_listen_socket(opts->host, opts->port, &port);
    if (fd < 0)
        return fd;
    remoting_server_t *server = RMQ_NEW(remoting_server_t);
    server->ep = (remoting_endpoint_t){
        .on_request = opts->on_request,
        .on_open = opts->on_open,
        .on_close = opts->on_close,
        .ctx = opts->ctx,
        .max_frame = opts->max_frame ? opts->max_frame : REMOTING_FRAME_MAX_DEFAULT,
        .idle_timeout_ms =
            opts->idle_timeout_ms == 0 ? REMOTING_IDLE_TIMEOUT_DEFAULT : opts->idle_timeout_ms,
    };
    server->port = port;
    server->listen_fd = fd;
    int n = opts->io_threads;
    if (n <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores < 1 ? 1 : cores > IO_THREADS_MAX ? IO_THREADS_MAX : (int)cores;
    }
    server->nloops = n;
    server->loops = rmq_calloc((size_t)n, sizeof *server->loops);
    int sweep = remoting_sweep_period_ms(server->ep.idle_timeout_ms, 0);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "rmq-srv-%d", i);
        server->loops[i] = remoting_loop_new(name, sweep);
    }
    RMQ_ASSERT(remoting_loop_post(server->loops[0], start_listening, server) == 0);
    rmq_log_info("remoting", "listening on %s:%d with %d I/O threads",
                 opts->host ? opts->host : "0.0.0.0", port, n);
    *out = server;
    return 0;
}

int remoting_server_port(const remoting_server_t *server) {
    return server->port;
}

void remoting_server_stop(remoting_server_t *server) {
    for (int i = 0; i < server->nloops; i++)
        remoting_loop_stop(server->loops[i]);
    for (int i = 0; i < server->nloops; i++)
        remoting_loop_join(server->loops[i]);
    for (int i = 0; i < server->nloops; i++)
        remoting_loop_release(server->loops[i]);
    rmq_free(server->loops);
    rmq_free(server);
}

/* Runs on: caller of remoting_server_start. Returns the listening fd or -errno. */
static int open_listen_socket(const char *host, int port, int *out_port) {
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res;
    int rc = getaddrinfo(host ? host : "0.0.0.0", service, &hints, &res);
    if (rc)
        return rc == EAI_SYSTEM ? -errno : -EINVAL;
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rc = -errno;
        goto fail;
    }
    int one = 1;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        rc = -errno;
        close(fd);
        goto fail;
    }
    freeaddrinfo(res);
    *out_port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                         : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return fd;
fail:
    freeaddrinfo(res);
    return rc;
}

/* Runs on: loop 0, first item of its queue. */
static void start_listening(remoting_loop_t *loop, void *arg) {
    remoting_server_t *server = arg;
    uv_tcp_init(remoting_loop_uv(loop), &server->listener);
    server->listener.data = server;
    server->member.on_stop = on_listener_stop;
    remoting_loop_add_member(loop, &server->member);
    int rc = uv_tcp_open(&server->listener, server->listen_fd);
    if (rc)
        close(server->listen_fd);
    else
        rc = uv_listen((uv_stream_t *)&server->listener, LISTEN_BACKLOG, on_connection);
    if (rc)
        rmq_log_error("remoting", "port %d: cannot watch listening socket: %s", server->port,
                      uv_strerror(rc));
}

static void on_listener_stop(remoting_loop_member_t *m) {
    remoting_server_t *server =
        (remoting_server_t *)((char *)m - offsetof(remoting_server_t, member));
    remoting_loop_remove_member(m);
    uv_close((uv_handle_t *)&server->listener, NULL);
}

/* Runs on: the target loop. */
static void adopt_socket(remoting_loop_t *loop, void *arg) {
    adopt_work_t *w = arg;
    if (remoting_loop_is_stopping(loop))
        close(w->fd);
    else
        remoting_conn_adopt(remoting_conn_new(loop, w->ep, NULL), w->fd);
    rmq_free(w);
}

static void free_handle(uv_handle_t *h) {
    rmq_free(h);
}

/* Runs on: loop 0. Accepts one connection and hands it to the next loop in turn. */
static void on_connection(uv_stream_t *listener, int status) {
    remoting_server_t *server = listener->data;
    if (status) {
        rmq_log_warn("remoting", "port %d: accept failed: %s", server->port, uv_strerror(status));
        return;
    }
    uv_tcp_t *tmp = rmq_malloc(sizeof *tmp);
    uv_tcp_init(listener->loop, tmp);
    uv_os_fd_t fd = -1;
    int rc = uv_accept(listener, (uv_stream_t *)tmp);
    if (rc == 0)
        rc = uv_fileno((uv_handle_t *)tmp, &fd);
    int dup_fd = rc == 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (rc == 0 && dup_fd < 0)
        rc = -errno;
    uv_close((uv_handle_t *)tmp, free_handle);
    if (rc) {
        rmq_log_warn("remoting", "port %d: accept failed: %s", server->port, uv_strerror(rc));
        return;
    }
    remoting_loop_t *target = server->loops[server->next_loop++ % (unsigned)server->nloops];
    if (remoting_loop_on_thread(target)) {
        remoting_conn_adopt(remoting_conn_new(target, &server->ep, NULL), dup_fd);
        return;
    }
    adopt_work_t *w = rmq_malloc(sizeof *w);
    *w = (adopt_work_t){&server->ep, dup_fd};
    rc = remoting_loop_post(target, adopt_socket, w);
    if (rc) {
        rmq_log_warn("remoting", "port %d: dropping new connection: %s", server->port,
                     strerror(-rc));
        close(dup_fd);
        rmq_free(w);
    }
}
