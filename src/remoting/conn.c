/*
 * Connection lifecycle and the thread-safe connection API (conn.h): creation, adopting an
 * accepted socket, connecting, closing, reference counts, and routing sends, requests and
 * closes from other threads to the owning loop. Reading and writing are in conn_io.c.
 *
 * From a foreign thread a frame is encoded on that thread into one allocation that also
 * carries the work item, then posted to the loop's bounded queue; on the loop thread it is
 * encoded straight into the connection's output buffer. Opaques are assigned before the
 * post, so the caller sees them at once.
 */
#include "remoting/transport.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/log.h"
#include "common/time.h"
#include "remoting/frame.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum { WORK_SEND, WORK_SEND_SEGMENTS, WORK_REQUEST, WORK_CLOSE } work_kind_t;

/* A cross-thread operation; the encoded frame (for WORK_SEND_SEGMENTS its head, then the
 * segment array at segs_at) follows the struct in the same block. */
typedef struct {
    remoting_conn_t *conn; /* retained for the item */
    work_kind_t kind;
    int32_t opaque;
    int64_t deadline_ms;
    remoting_response_cb cb;
    void *arg;
    size_t frame_len;
    size_t segs_at, seg_count;
    char frame[];
} conn_work_t;

static atomic_uint_fast64_t next_conn_id = 1;
static atomic_uint next_opaque;

static void on_sweep(remoting_loop_member_t *m, uint64_t now);
static void on_stop(remoting_loop_member_t *m);
static void on_closed(uv_handle_t *h);
static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res);
static void on_connect(uv_connect_t *req, int status);
static int post_item(remoting_conn_t *conn, conn_work_t *w);

/* ------------------------------------------------------------------ lifecycle */

remoting_conn_t *remoting_conn_new(remoting_loop_t *loop, remoting_endpoint_t *ep,
                                   const char *peer) {
    remoting_conn_t *conn = RMQ_NEW(remoting_conn_t);
    conn->loop = loop;
    remoting_loop_retain(loop);
    conn->ep = ep;
    atomic_init(&conn->refs, 1);
    atomic_init(&conn->is_closed, false);
    atomic_init(&conn->close_requested, false);
    conn->id = atomic_fetch_add(&next_conn_id, 1);
    snprintf(conn->peer, sizeof conn->peer, "%s", peer ? peer : "?");
    snprintf(conn->local, sizeof conn->local, "?");
    conn->member.on_sweep = on_sweep;
    conn->member.on_stop = on_stop;
    conn->flush.fn = remoting_conn_flush_deferred;
    conn->state = CONN_NEW;
    conn->tcp.data = conn;
    conn->wreq.data = conn;
    conn->creq.data = conn;
    conn->gai.data = conn;
    remoting_cmd_init(&conn->req);
    remoting_cmd_init(&conn->resp);
    rmq_buf_init(&conn->out.bytes);
    rmq_buf_init(&conn->wout.bytes);
    remoting_pending_table_init(&conn->pending);
    return conn;
}

void remoting_conn_retain(remoting_conn_t *conn) {
    atomic_fetch_add_explicit(&conn->refs, 1, memory_order_relaxed);
}

void remoting_conn_release(remoting_conn_t *conn) {
    if (atomic_fetch_sub_explicit(&conn->refs, 1, memory_order_acq_rel) != 1)
        return;
    /* A connection whose loop never touched it still owns its (empty) buffers. */
    if (conn->state != CONN_CLOSED)
        remoting_conn_free_buffers(conn);
    remoting_loop_t *loop = conn->loop;
    rmq_free(conn);
    remoting_loop_release(loop);
}

static void format_addr(const struct sockaddr_storage *ss, char *out, size_t n) {
    char ip[64] = "?";
    int port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        uv_ip4_name(a, ip, sizeof ip);
        port = ntohs(a->sin_port);
        snprintf(out, n, "%s:%d", ip, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        uv_ip6_name(a, ip, sizeof ip);
        port = ntohs(a->sin6_port);
        snprintf(out, n, "[%s]:%d", ip, port);
    }
}

/* Runs on: loop. Socket options and names of a connected socket. */
static void socket_ready(remoting_conn_t *conn, bool set_peer) {
    uv_tcp_nodelay(&conn->tcp, 1);
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (set_peer && uv_tcp_getpeername(&conn->tcp, (struct sockaddr *)&ss, &len) == 0)
        format_addr(&ss, conn->peer, sizeof conn->peer);
    len = sizeof ss;
    if (uv_tcp_getsockname(&conn->tcp, (struct sockaddr *)&ss, &len) == 0)
        format_addr(&ss, conn->local, sizeof conn->local);
    conn->last_active = uv_now(remoting_loop_uv(conn->loop));
}

int remoting_conn_adopt(remoting_conn_t *conn, int fd) {
    uv_loop_t *uv = remoting_loop_uv(conn->loop);
    if (fd >= 0) {
        uv_tcp_init(uv, &conn->tcp);
        conn->state = CONN_CONNECTING; /* the handle exists from here on */
        int rc = uv_tcp_open(&conn->tcp, fd);
        if (rc) {
            close(fd);
            remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN, "cannot adopt socket: %s",
                               uv_strerror(rc));
            return rc;
        }
    }
    conn->state = CONN_OPEN;
    socket_ready(conn, true);
    remoting_loop_add_member(conn->loop, &conn->member);
    remoting_conn_read_start(conn);
    rmq_log_debug("remoting", "peer=%s id=%llu accepted", conn->peer, (unsigned long long)conn->id);
    if (conn->state == CONN_OPEN) {
        conn->is_announced = true;
        if (conn->ep->on_open)
            conn->ep->on_open(conn->ep->ctx, conn);
    }
    return 0;
}

/* ------------------------------------------------------------------ connecting (client) */

void remoting_conn_connect(remoting_conn_t *conn, const char *host, int port) {
    uv_loop_t *uv = remoting_loop_uv(conn->loop);
    uv_tcp_init(uv, &conn->tcp);
    conn->state = CONN_CONNECTING;
    conn->connect_deadline = (int64_t)uv_now(uv) + conn->ep->connect_timeout_ms;
    remoting_loop_add_member(conn->loop, &conn->member);
    struct sockaddr_storage ss;
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&ss) == 0 ||
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) == 0) {
        int rc = uv_tcp_connect(&conn->creq, &conn->tcp, (struct sockaddr *)&ss, on_connect);
        if (rc)
            remoting_conn_shut(conn, rc, RMQ_LOG_INFO, "connect failed: %s", uv_strerror(rc));
        return;
    }
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    remoting_conn_retain(conn); /* the resolver callback may outlive the socket handle */
    conn->is_resolving = true;
    int rc = uv_getaddrinfo(uv, &conn->gai, on_resolved, host, service, &hints);
    if (rc) {
        conn->is_resolving = false;
        remoting_conn_release(conn);
        remoting_conn_shut(conn, -EINVAL, RMQ_LOG_INFO, "cannot resolve: %s", uv_strerror(rc));
    }
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
    remoting_conn_t *conn = req->data;
    conn->is_resolving = false;
    if (conn->state == CONN_CONNECTING) {
        /* Like Java (java.net.preferIPv6Addresses=false): IPv4 first, else the first. */
        struct addrinfo *ai = res;
        for (struct addrinfo *a = res; a; a = a->ai_next)
            if (a->ai_family == AF_INET) {
                ai = a;
                break;
            }
        int rc = status ? status : -EINVAL;
        if (status == 0 && ai)
            rc = uv_tcp_connect(&conn->creq, &conn->tcp, ai->ai_addr, on_connect);
        if (rc)
            remoting_conn_shut(conn, status ? -EINVAL : rc, RMQ_LOG_INFO, "cannot connect: %s",
                               uv_strerror(rc));
    }
    uv_freeaddrinfo(res);
    remoting_conn_release(conn);
}

static void on_connect(uv_connect_t *req, int status) {
    remoting_conn_t *conn = req->data;
    if (conn->state != CONN_CONNECTING)
        return; /* closing: status is UV_ECANCELED */
    if (status) {
        remoting_conn_shut(conn, status, RMQ_LOG_INFO, "connect failed: %s", uv_strerror(status));
        return;
    }
    conn->state = CONN_OPEN;
    socket_ready(conn, false);
    rmq_log_debug("remoting", "peer=%s local=%s connected", conn->peer, conn->local);
    remoting_conn_read_start(conn);
    remoting_conn_schedule_flush(conn); /* requests queued while connecting */
}

/* ------------------------------------------------------------------ closing */

/* Warnings about peers (malformed frames, resets) are limited: a hostile or broken
 * client opening connection after connection must not flood the log. */
static rmq_log_limit_t shut_warnings = RMQ_LOG_LIMIT_INIT(20, 10000);

void remoting_conn_shut(remoting_conn_t *conn, int reason, int level, const char *fmt, ...) {
    if (conn->state >= CONN_CLOSING)
        return;
    conn_state_t prev = conn->state;
    conn->state = CONN_CLOSING;
    conn->close_reason = reason;
    atomic_store(&conn->is_closed, true);
    int dropped = 0;
    if (level == RMQ_LOG_WARN)
        dropped = rmq_log_limit(&shut_warnings, rmq_mono_ms());
    if (level >= 0 && dropped >= 0 &&
        (level != RMQ_LOG_DEBUG || rmq_log_debug_enabled("remoting"))) {
        char why[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, sizeof why, fmt, ap);
        va_end(ap);
        if (dropped)
            rmq_log((rmq_log_level_t)level, "remoting",
                    "peer=%s closing: %s (%d similar lines suppressed)", conn->peer, why, dropped);
        else
            rmq_log((rmq_log_level_t)level, "remoting", "peer=%s closing: %s", conn->peer, why);
    }
    remoting_loop_remove_member(&conn->member);
    if (conn->is_resolving)
        uv_cancel((uv_req_t *)&conn->gai);

    uint32_t n;
    remoting_pending_t **all = remoting_pending_table_steal(&conn->pending, &n);
    for (uint32_t i = 0; i < n; i++) {
        all[i]->cb(all[i]->arg, reason, NULL);
        rmq_free(all[i]);
    }
    rmq_free(all);

    if (conn->is_announced && conn->ep->on_close)
        conn->ep->on_close(conn->ep->ctx, conn);
    if (conn->ep->on_detach)
        conn->ep->on_detach(conn->ep, conn);
    if (prev == CONN_NEW) {
        conn->state = CONN_CLOSED;
        remoting_conn_free_buffers(conn);
        remoting_conn_release(conn);
    } else {
        uv_close((uv_handle_t *)&conn->tcp, on_closed);
    }
}

static void on_closed(uv_handle_t *h) {
    remoting_conn_t *conn = h->data;
    conn->state = CONN_CLOSED;
    remoting_conn_free_buffers(conn);
    remoting_conn_release(conn);
}

/* Runs on: loop. Idle close, connect time-out and closes requested from other threads. */
static void on_sweep(remoting_loop_member_t *m, uint64_t now) {
    remoting_conn_t *conn = (remoting_conn_t *)((char *)m - offsetof(remoting_conn_t, member));
    if (atomic_load(&conn->close_requested)) {
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "closed by owner");
        return;
    }
    if (conn->state == CONN_CONNECTING && (int64_t)now >= conn->connect_deadline) {
        remoting_conn_shut(conn, -ETIMEDOUT, RMQ_LOG_INFO, "connect timed out after %d ms",
                           conn->ep->connect_timeout_ms);
        return;
    }
    /* A connection waiting for responses is not idle, whatever the socket says. */
    int idle = conn->ep->idle_timeout_ms;
    if (conn->state == CONN_OPEN && idle > 0 && conn->pending.count == 0 && !conn->is_writing &&
        now - conn->last_active >= (uint64_t)idle)
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_INFO, "idle for %llu ms",
                           (unsigned long long)(now - conn->last_active));
}

static void on_stop(remoting_loop_member_t *m) {
    remoting_conn_t *conn = (remoting_conn_t *)((char *)m - offsetof(remoting_conn_t, member));
    remoting_conn_shut(conn, -ECANCELED, RMQ_LOG_DEBUG, "shutting down");
}

/* ------------------------------------------------------------------ requests on the loop */

static remoting_pending_t *pending_new(remoting_conn_t *conn, int32_t opaque, int64_t deadline_ms,
                                       remoting_response_cb cb, void *arg) {
    remoting_pending_t *p = rmq_malloc(sizeof *p);
    p->opaque = opaque;
    p->deadline_ms = deadline_ms;
    p->cb = cb;
    p->arg = arg;
    p->peer = conn->peer;
    return p;
}

int remoting_conn_request_on_loop(remoting_conn_t *conn, const remoting_cmd_t *req,
                                  int64_t deadline_ms, remoting_response_cb cb, void *arg) {
    if (conn->state >= CONN_CLOSING)
        return conn->close_reason;
    remoting_loop_add_pending(conn->loop, &conn->pending,
                              pending_new(conn, req->opaque, deadline_ms, cb, arg));
    return remoting_conn_queue(conn, req);
}

/* Runs on: loop. A cross-thread item; runs during a stop too, when the connection is
 * either still open (and then closed with the rest) or already closed. */
static void run_work(remoting_loop_t *loop, void *arg) {
    conn_work_t *w = arg;
    remoting_conn_t *conn = w->conn;
    switch (w->kind) {
    case WORK_SEND:
        if (conn->state < CONN_CLOSING)
            remoting_conn_queue_raw(conn, w->frame, w->frame_len);
        break;
    case WORK_SEND_SEGMENTS: {
        const remoting_segment_t *segs = (const remoting_segment_t *)((char *)w + w->segs_at);
        if (conn->state < CONN_CLOSING) {
            remoting_conn_queue_segments(conn, w->frame, w->frame_len, segs, w->seg_count);
            break;
        }
        for (size_t i = 0; i < w->seg_count; i++)
            if (segs[i].release)
                segs[i].release(segs[i].arg);
        break;
    }
    case WORK_REQUEST:
        if (conn->state >= CONN_CLOSING) {
            w->cb(w->arg, conn->close_reason, NULL);
            break;
        }
        remoting_loop_add_pending(loop, &conn->pending,
                                  pending_new(conn, w->opaque, w->deadline_ms, w->cb, w->arg));
        remoting_conn_queue_raw(conn, w->frame, w->frame_len);
        break;
    case WORK_CLOSE:
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "closed by owner");
        break;
    }
    remoting_conn_release(conn);
    rmq_free(w);
}

/* Any thread: encodes cmd (when given) with a work item in one block and posts it. */
static int post_work(remoting_conn_t *conn, work_kind_t kind, const remoting_cmd_t *cmd,
                     int64_t deadline_ms, remoting_response_cb cb, void *arg) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    size_t head = offsetof(conn_work_t, frame);
    rmq_buf_reserve(&b, head + (cmd ? 256 + cmd->body.len : 0));
    b.len = head;
    if (cmd)
        remoting_frame_encode(cmd, REMOTING_SERIALIZE_JSON, &b);
    size_t total;
    conn_work_t *w = (conn_work_t *)rmq_buf_steal(&b, &total);
    *w = (conn_work_t){.conn = conn,
                       .kind = kind,
                       .opaque = cmd ? cmd->opaque : 0,
                       .deadline_ms = deadline_ms,
                       .cb = cb,
                       .arg = arg,
                       .frame_len = total - head};
    return post_item(conn, w);
}

/* Any thread: posts a frame head and its segments in one block. */
static int post_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                         const remoting_segment_t *segs, size_t n, size_t body_len) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    size_t head = offsetof(conn_work_t, frame);
    b.len = head;
    rmq_buf_reserve(&b, 256);
    remoting_frame_encode_head(cmd, REMOTING_SERIALIZE_JSON, body_len, &b);
    size_t frame_len = b.len - head;
    size_t align = _Alignof(remoting_segment_t);
    size_t segs_at = (b.len + align - 1) / align * align;
    rmq_buf_reserve(&b, segs_at - b.len + n * sizeof *segs);
    b.len = segs_at;
    rmq_buf_append(&b, segs, n * sizeof *segs);
    conn_work_t *w = (conn_work_t *)rmq_buf_steal(&b, NULL);
    *w = (conn_work_t){.conn = conn,
                       .kind = WORK_SEND_SEGMENTS,
                       .frame_len = frame_len,
                       .segs_at = segs_at,
                       .seg_count = n};
    return post_item(conn, w);
}

/* Any thread: posts an item built by the two functions above (which it frees when the
 * post fails). */
static int post_item(remoting_conn_t *conn, conn_work_t *w) {
    remoting_conn_retain(conn);
    int rc = remoting_loop_post(conn->loop, run_work, w);
    if (rc) {
        remoting_conn_release(conn);
        rmq_free(w);
    }
    return rc;
}

/* ------------------------------------------------------------------ public API (conn.h) */

const char *remoting_conn_peer(const remoting_conn_t *conn) {
    return conn->peer;
}

const char *remoting_conn_local(const remoting_conn_t *conn) {
    return conn->local;
}

uint64_t remoting_conn_id(const remoting_conn_t *conn) {
    return conn->id;
}

bool remoting_conn_is_closed(const remoting_conn_t *conn) {
    return atomic_load(&((remoting_conn_t *)conn)->is_closed);
}

void remoting_conn_set_data(remoting_conn_t *conn, void *data) {
    conn->data = data;
}

void *remoting_conn_get_data(const remoting_conn_t *conn) {
    return conn->data;
}

int32_t remoting_next_opaque(void) {
    return (int32_t)atomic_fetch_add_explicit(&next_opaque, 1, memory_order_relaxed);
}

int remoting_conn_send(remoting_conn_t *conn, const remoting_cmd_t *cmd) {
    if (remoting_conn_is_closed(conn))
        return -EPIPE;
    if (remoting_loop_on_thread(conn->loop))
        return remoting_conn_queue(conn, cmd);
    int rc = post_work(conn, WORK_SEND, cmd, 0, NULL, NULL);
    return rc == -ECANCELED ? -EPIPE : rc;
}

static void run_task(remoting_loop_t *loop, void *arg) {
    remoting_task_t *task = arg;
    task->run(task);
}

int remoting_conn_run(remoting_conn_t *conn, remoting_task_t *task) {
    return remoting_loop_post(conn->loop, run_task, task);
}

int remoting_conn_send_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                                const remoting_segment_t *segs, size_t n) {
    if (remoting_conn_is_closed(conn))
        return -EPIPE;
    size_t body_len = 0;
    for (size_t i = 0; i < n; i++)
        body_len += segs[i].len;
    if (!remoting_loop_on_thread(conn->loop)) {
        int rc = post_segments(conn, cmd, segs, n, body_len);
        return rc == -ECANCELED ? -EPIPE : rc;
    }
    if (conn->state >= CONN_CLOSING)
        return -EPIPE;
    /* The head is encoded straight into the batch (nothing allocated in steady state). */
    remoting_frame_encode_head(cmd, REMOTING_SERIALIZE_JSON, body_len, &conn->out.bytes);
    remoting_conn_queue_segments(conn, NULL, 0, segs, n);
    return 0;
}

int remoting_conn_request(remoting_conn_t *conn, remoting_cmd_t *req, int timeout_ms,
                          remoting_response_cb cb, void *arg) {
    req->opaque = remoting_next_opaque();
    req->flag &= ~(REMOTING_FLAG_RESPONSE | REMOTING_FLAG_ONEWAY);
    if (remoting_conn_is_closed(conn))
        return -ECONNRESET;
    int64_t deadline = rmq_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (remoting_loop_on_thread(conn->loop))
        return remoting_conn_request_on_loop(conn, req, deadline, cb, arg);
    return post_work(conn, WORK_REQUEST, req, deadline, cb, arg);
}

int remoting_conn_oneway(remoting_conn_t *conn, remoting_cmd_t *req) {
    req->opaque = remoting_next_opaque();
    req->flag = (req->flag & ~REMOTING_FLAG_RESPONSE) | REMOTING_FLAG_ONEWAY;
    return remoting_conn_send(conn, req);
}

void remoting_conn_close(remoting_conn_t *conn) {
    if (remoting_loop_on_thread(conn->loop)) {
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "closed by owner");
        return;
    }
    if (atomic_exchange(&conn->close_requested, true))
        return;
    /* When the queue is full the next sweep sees close_requested instead. */
    post_work(conn, WORK_CLOSE, NULL, 0, NULL, NULL);
}
