/*
 * Connection I/O: reading and decoding frames, running handlers, matching responses, and
 * batching writes. Runs on: the connection's I/O loop. Locks: none.
 *
 * Read path: libuv reads into the free tail of the connection's buffer; every whole frame
 * in it is decoded in place into the connection's reused request command (the body stays
 * a slice of the buffer) and handled before the next is decoded. The buffer is compacted
 * or grown only when its tail is too small for the next read or for the frame whose length
 * is already known, so in steady state reading allocates nothing. A request's handler runs
 * right here on the loop. A response is moved out into its own command (the callback owns
 * it) with a copy of its body.
 *
 * Malformed input closes only this connection, with one warn line saying why: a length
 * that is negative or below 4, a frame over max_frame, a header length past the frame, a
 * serialize type other than 0 or 1, or a header that does not decode.
 *
 * Write path: frames are encoded into the batch `out`; at the end of the loop iteration
 * (deferred work) `out` is swapped with the idle `wout` and written as one vector (own
 * bytes and external segments, e.g. mapped CommitLog records of a pull response), so
 * every frame produced in one iteration leaves in one system call. uv_try_write first:
 * when the socket takes everything, the segments are released at once and nothing is
 * allocated; the rest of a partial write goes through uv_write and completes in
 * on_write. While that write is in flight new frames gather in `out` and go in the next
 * write. Segments still queued when the connection closes are released with the buffers
 * (the close callback runs after libuv cancelled the write).
 */
#include "remoting/transport.h"

#include "common/alloc.h"
#include "common/log.h"
#include "remoting/frame.h"

#include <errno.h>
#include <stddef.h>

#define RBUF_INITIAL  (16 * 1024)
#define RBUF_READ_MIN (8 * 1024)
#define RBUF_SHRINK   (1024 * 1024) /* an empty buffer above this goes back to RBUF_INITIAL */
#define WBUF_SHRINK   (1024 * 1024)

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void on_write(uv_write_t *req, int status);
static void process_frames(remoting_conn_t *conn);
static void handle_request(remoting_conn_t *conn);
static void handle_response(remoting_conn_t *conn);

/* ------------------------------------------------------------------ reading */

void remoting_conn_read_start(remoting_conn_t *conn) {
    int rc = uv_read_start((uv_stream_t *)&conn->tcp, on_alloc, on_read);
    if (rc)
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN, "cannot read: %s", uv_strerror(rc));
}

/* Bytes the next read should have room for: at least the rest of a frame whose length
 * is known (within max_frame, else it is refused before it is read). */
static size_t read_want(const remoting_conn_t *conn) {
    const conn_rbuf_t *r = &conn->rbuf;
    size_t have = r->len - r->start, want = RBUF_READ_MIN;
    if (have >= REMOTING_FRAME_PREFIX) {
        size_t frame = (size_t)rmq_get_u32be(r->data + r->start) + REMOTING_FRAME_PREFIX;
        if (frame <= conn->ep->max_frame && frame > have && frame - have > want)
            want = frame - have;
    }
    return want;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    remoting_conn_t *conn = h->data;
    conn_rbuf_t *r = &conn->rbuf;
    size_t want = read_want(conn);
    if (r->cap - r->len < want && r->start > 0) {
        memmove(r->data, r->data + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->cap - r->len < want) {
        size_t cap = r->cap ? r->cap * 2 : RBUF_INITIAL;
        if (cap < r->len + want)
            cap = r->len + want;
        r->data = rmq_realloc(r->data, cap);
        r->cap = cap;
    }
    *buf = uv_buf_init(r->data + r->len, (unsigned)(r->cap - r->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    remoting_conn_t *conn = s->data;
    if (nread == UV_EOF) {
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "closed by peer");
        return;
    }
    if (nread < 0) {
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "read failed: %s",
                           uv_strerror((int)nread));
        return;
    }
    if (nread == 0 || conn->state != CONN_OPEN)
        return;
    conn->rbuf.len += (size_t)nread;
    conn->last_active = uv_now(s->loop);
    process_frames(conn);
}

/* One warn line naming what is wrong with a frame the codec refused. */
static void refuse_frame(remoting_conn_t *conn, const uint8_t *p, size_t flen) {
    uint32_t hdrword = rmq_get_u32be(p + 4);
    unsigned type = hdrword >> 24;
    size_t header_len = hdrword & 0xFFFFFF;
    if (type != REMOTING_SERIALIZE_JSON && type != REMOTING_SERIALIZE_ROCKETMQ)
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN, "unknown serialize type %u", type);
    else if (header_len > flen - 8)
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN,
                           "header length %zu exceeds frame length %zu", header_len, flen - 4);
    else
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN, "malformed %s header",
                           type == REMOTING_SERIALIZE_JSON ? "JSON" : "ROCKETMQ");
}

static void process_frames(remoting_conn_t *conn) {
    conn_rbuf_t *r = &conn->rbuf;
    size_t max_frame = conn->ep->max_frame;
    while (conn->state == CONN_OPEN) {
        const uint8_t *p = (const uint8_t *)r->data + r->start;
        size_t flen;
        int rc = remoting_frame_peek(p, r->len - r->start, max_frame, &flen);
        if (rc == -EAGAIN)
            break;
        if (rc == -EMSGSIZE) {
            remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN,
                               "frame of %zu bytes exceeds max_frame %zu",
                               (size_t)rmq_get_u32be(p) + REMOTING_FRAME_PREFIX, max_frame);
            return;
        }
        if (rc < 0) {
            remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_WARN, "bad frame length %d",
                               (int)rmq_get_u32be(p));
            return;
        }
        if (remoting_frame_decode(p, flen, &conn->req) != 0) {
            refuse_frame(conn, p, flen);
            return;
        }
        /* The body is a slice of the buffer; it stays put until this loop returns. */
        r->start += flen;
        if (remoting_cmd_is_response(&conn->req))
            handle_response(conn);
        else
            handle_request(conn);
    }
    if (r->start == r->len) {
        r->start = r->len = 0;
        if (r->cap > RBUF_SHRINK) {
            rmq_free(r->data);
            r->data = NULL;
            r->cap = 0;
        }
    }
}

/* Runs the endpoint's handler; answers unless one-way, pending or failed. */
static void handle_request(remoting_conn_t *conn) {
    remoting_cmd_t *req = &conn->req, *resp = &conn->resp;
    remoting_cmd_reset(resp);
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    int rc = 0;
    if (conn->ep->on_request) {
        rc = conn->ep->on_request(conn->ep->ctx, conn, req, resp);
    } else {
        resp->code = REMOTING_CODE_NOT_SUPPORTED;
        remoting_cmd_set_remarkf(resp, " request type %d not supported", (int)req->code);
    }
    if (rc < 0) {
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_INFO, "handler for code %d failed: %s",
                           (int)req->code, strerror(-rc));
        return;
    }
    if (rc == 0 && !remoting_cmd_is_oneway(req))
        remoting_conn_queue(conn, resp);
}

static void handle_response(remoting_conn_t *conn) {
    remoting_pending_t *p = remoting_pending_take(&conn->pending, conn->req.opaque);
    if (!p) {
        rmq_log_debug("remoting", "peer=%s opaque=%d response without request (timed out?)",
                      conn->peer, (int)conn->req.opaque);
        return;
    }
    /* The callback owns the response: hand it the decoded command itself, body copied
     * out of the read buffer, and start the connection a fresh one. */
    remoting_cmd_t *resp = rmq_malloc(sizeof *resp);
    *resp = conn->req;
    remoting_cmd_init(&conn->req);
    if (resp->body.len)
        remoting_cmd_copy_body(resp, resp->body.ptr, resp->body.len);
    p->cb(p->arg, 0, resp);
    rmq_free(p);
}

/* ------------------------------------------------------------------ writing */

static void batch_release(conn_batch_t *b) {
    for (size_t i = 0; i < b->ext_count; i++)
        if (b->ext[i].seg.release)
            b->ext[i].seg.release(b->ext[i].seg.arg);
    b->ext_count = 0;
    rmq_buf_reset(&b->bytes);
}

static void batch_close(conn_batch_t *b) {
    batch_release(b);
    rmq_buf_close(&b->bytes);
    rmq_free(b->ext);
    b->ext = NULL;
    b->ext_cap = 0;
}

static bool batch_is_empty(const conn_batch_t *b) {
    return b->bytes.len == 0 && b->ext_count == 0;
}

int remoting_conn_queue(remoting_conn_t *conn, const remoting_cmd_t *cmd) {
    if (conn->state >= CONN_CLOSING)
        return -EPIPE;
    remoting_frame_encode(cmd, REMOTING_SERIALIZE_JSON, &conn->out.bytes);
    remoting_conn_schedule_flush(conn);
    return 0;
}

void remoting_conn_queue_raw(remoting_conn_t *conn, const void *frame, size_t len) {
    rmq_buf_append(&conn->out.bytes, frame, len);
    remoting_conn_schedule_flush(conn);
}

void remoting_conn_queue_segments(remoting_conn_t *conn, const void *head, size_t head_len,
                                  const remoting_segment_t *segs, size_t n) {
    conn_batch_t *b = &conn->out;
    if (head_len)
        rmq_buf_append(&b->bytes, head, head_len);
    if (b->ext_count + n > b->ext_cap) {
        size_t cap = b->ext_cap ? b->ext_cap * 2 : 16;
        while (cap < b->ext_count + n)
            cap *= 2;
        b->ext = rmq_realloc(b->ext, cap * sizeof *b->ext);
        b->ext_cap = cap;
    }
    for (size_t i = 0; i < n; i++)
        b->ext[b->ext_count++] = (conn_ext_t){.at = b->bytes.len, .seg = segs[i]};
    remoting_conn_schedule_flush(conn);
}

void remoting_conn_schedule_flush(remoting_conn_t *conn) {
    if (conn->state != CONN_OPEN || conn->is_writing || batch_is_empty(&conn->out) ||
        conn->flush.is_queued)
        return;
    remoting_conn_retain(conn); /* released by the deferred run */
    remoting_loop_defer(conn->loop, &conn->flush);
}

static void iov_push(remoting_conn_t *conn, size_t *n, const char *ptr, size_t len) {
    if (len == 0)
        return;
    if (*n == conn->iov_cap) {
        conn->iov_cap = conn->iov_cap ? conn->iov_cap * 2 : 16;
        conn->iov = rmq_realloc(conn->iov, conn->iov_cap * sizeof *conn->iov);
    }
    conn->iov[(*n)++] = uv_buf_init((char *)ptr, (unsigned)len);
}

/* wout as a vector: own bytes between the external segments. Returns the count. */
static size_t batch_iov(remoting_conn_t *conn) {
    const conn_batch_t *b = &conn->wout;
    size_t n = 0, pos = 0;
    for (size_t i = 0; i < b->ext_count; i++) {
        const conn_ext_t *e = &b->ext[i];
        iov_push(conn, &n, b->bytes.data + pos, e->at - pos);
        iov_push(conn, &n, e->seg.ptr, e->seg.len);
        pos = e->at;
    }
    iov_push(conn, &n, b->bytes.data + pos, b->bytes.len - pos);
    return n;
}

size_t remoting_iov_advance(uv_buf_t *iov, size_t n, size_t written) {
    size_t i = 0;
    while (i < n && written >= iov[i].len) {
        written -= iov[i].len;
        i++;
    }
    if (i < n) {
        iov[i].base += written;
        iov[i].len -= written;
    }
    return i;
}

/* The batch in wout is written: release its segments and get ready for the next. */
static void write_done(remoting_conn_t *conn) {
    conn->is_writing = false;
    conn->last_active = uv_now(remoting_loop_uv(conn->loop));
    batch_release(&conn->wout);
    if (conn->wout.bytes.cap > WBUF_SHRINK) {
        rmq_buf_close(&conn->wout.bytes);
        rmq_buf_init(&conn->wout.bytes);
    }
    remoting_conn_schedule_flush(conn);
}

/* Swaps the batches and writes wout: first directly (the usual case: the socket takes
 * it all and nothing is allocated), the rest, if any, through uv_write. */
static void flush(remoting_conn_t *conn) {
    if (conn->state != CONN_OPEN || conn->is_writing || batch_is_empty(&conn->out))
        return;
    conn_batch_t tmp = conn->wout;
    conn->wout = conn->out;
    conn->out = tmp;
    conn->is_writing = true;
    size_t n = batch_iov(conn);
    uv_stream_t *s = (uv_stream_t *)&conn->tcp;
    int rc = uv_try_write(s, conn->iov, (unsigned)n);
    size_t first = 0;
    if (rc >= 0) {
        first = remoting_iov_advance(conn->iov, n, (size_t)rc);
        if (first == n) {
            write_done(conn);
            return;
        }
    } else if (rc != UV_EAGAIN) {
        conn->is_writing = false;
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "write failed: %s", uv_strerror(rc));
        return;
    }
    rc = uv_write(&conn->wreq, s, conn->iov + first, (unsigned)(n - first), on_write);
    if (rc) {
        conn->is_writing = false;
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_INFO, "write failed: %s", uv_strerror(rc));
    }
}

void remoting_conn_flush_deferred(remoting_deferred_t *d) {
    remoting_conn_t *conn = (remoting_conn_t *)((char *)d - offsetof(remoting_conn_t, flush));
    flush(conn);
    remoting_conn_release(conn);
}

static void on_write(uv_write_t *req, int status) {
    remoting_conn_t *conn = req->data;
    if (conn->state != CONN_OPEN) {
        conn->is_writing = false;
        return; /* closing: status is UV_ECANCELED or the bytes went out anyway; the
                   segments are released with the buffers */
    }
    if (status) {
        conn->is_writing = false;
        remoting_conn_shut(conn, -ECONNRESET, RMQ_LOG_DEBUG, "write failed: %s",
                           uv_strerror(status));
        return;
    }
    write_done(conn);
}

void remoting_conn_free_buffers(remoting_conn_t *conn) {
    rmq_free(conn->rbuf.data);
    conn->rbuf = (conn_rbuf_t){0};
    remoting_cmd_close(&conn->req);
    remoting_cmd_close(&conn->resp);
    batch_close(&conn->out);
    batch_close(&conn->wout);
    rmq_free(conn->iov);
    conn->iov = NULL;
    conn->iov_cap = 0;
    remoting_pending_table_close(&conn->pending);
}
