/*
 * Transport internals shared by conn.c, conn_io.c, server.c and client.c. Roles never
 * include this file: they see conn.h, server.h and client.h.
 *
 * A connection's life, all on its loop thread except where noted:
 *
 *   remoting_conn_new (any thread, refs = 1: the loop's reference)
 *     -> server: remoting_conn_adopt() an accepted socket   -> OPEN
 *     -> client: remoting_conn_connect() (CONNECTING)       -> OPEN or closed
 *   remoting_conn_shut(reason): CLOSING. Pending requests complete with `reason`, the
 *     endpoint's on_close runs, uv_close() the socket.
 *   close callback: buffers freed, state CLOSED, the loop's reference released.
 *   last release (any thread): the struct is freed.
 *
 * Reading decodes frames in place from one per-connection buffer into one reused request
 * command; writing encodes frames into an output batch that is written once per loop
 * iteration (loop deferred work), double-buffered so encoding continues while a write is
 * in flight. A batch is the connection's own bytes plus external segments (bytes the
 * connection does not own, e.g. records in a mapped CommitLog) spliced in at recorded
 * positions; it leaves as one writev, and each segment's release runs once the batch is
 * written or the connection is closed.
 */
#ifndef RMQ_REMOTING_TRANSPORT_H
#define RMQ_REMOTING_TRANSPORT_H

#include "remoting/frame.h"
#include "remoting/loop.h"
#include "remoting/server.h"

#include <stdatomic.h>

/* What a connection calls back into: its server or client. Outlives its connections'
 * loop-side life (the owner joins the loops before freeing it). */
typedef struct remoting_endpoint {
    remoting_request_handler on_request; /* NULL: answer REQUEST_CODE_NOT_SUPPORTED */
    remoting_conn_event on_open;         /* optional */
    remoting_conn_event on_close;        /* optional */
    void *ctx;
    size_t max_frame;
    int idle_timeout_ms; /* <= 0: never */
    int connect_timeout_ms;
    /* Internal hook after on_close (the client forgets the connection). Optional. */
    void (*on_detach)(struct remoting_endpoint *ep, remoting_conn_t *conn);
} remoting_endpoint_t;

typedef enum {
    CONN_NEW,        /* no socket handle yet */
    CONN_CONNECTING, /* client: resolving or connecting */
    CONN_OPEN,
    CONN_CLOSING, /* uv_close() called */
    CONN_CLOSED,  /* close callback ran */
} conn_state_t;

typedef struct {
    char *data;
    size_t start, len, cap; /* unread bytes are data[start, len) */
} conn_rbuf_t;

/* An external segment in a batch: written after the batch's own bytes [0, at). */
typedef struct {
    size_t at;
    remoting_segment_t seg;
} conn_ext_t;

/* Frames queued for one write: own bytes with external segments spliced in. */
typedef struct {
    rmq_buf_t bytes;
    conn_ext_t *ext; /* ascending `at` */
    size_t ext_count, ext_cap;
} conn_batch_t;

struct remoting_conn {
    remoting_loop_member_t member;
    remoting_deferred_t flush;
    remoting_loop_t *loop;
    remoting_endpoint_t *ep;
    atomic_int refs;
    atomic_bool is_closed;       /* any thread: set when shutting starts */
    atomic_bool close_requested; /* any thread: remoting_conn_close() from another thread */
    uint64_t id;
    char peer[128];
    char local[64];
    void *data;

    /* Loop thread only from here. */
    conn_state_t state;
    int close_reason; /* what pending requests complete with */
    bool is_writing;
    bool is_resolving;    /* uv_getaddrinfo in flight (holds a reference) */
    bool is_announced;    /* on_open ran, so on_close will */
    uint64_t last_active; /* uv_now() of the last read or write */
    int64_t connect_deadline;
    uv_tcp_t tcp;
    uv_write_t wreq;
    uv_connect_t creq;
    uv_getaddrinfo_t gai;
    conn_rbuf_t rbuf;
    remoting_cmd_t req;  /* reused for each received frame */
    remoting_cmd_t resp; /* reused for each answer */
    conn_batch_t out;    /* frames queued since the last write */
    conn_batch_t wout;   /* frames being written */
    uv_buf_t *iov;       /* wout as a writev vector; reused */
    size_t iov_cap;
    remoting_pending_table_t pending;
};

/* conn.c */
remoting_conn_t *remoting_conn_new(remoting_loop_t *loop, remoting_endpoint_t *ep,
                                   const char *peer);
/* Runs on: loop. Takes the accepted socket in conn->tcp (already initialised) or, when
 * fd >= 0, opens fd in a new handle. Starts reading and calls on_open. 0 or -errno (the
 * connection is then closed). */
int remoting_conn_adopt(remoting_conn_t *conn, int fd);
/* Runs on: loop. Starts resolving and connecting host:port (client). */
void remoting_conn_connect(remoting_conn_t *conn, const char *host, int port);
/* Runs on: loop. Closes with `reason` for the pending requests and logs one line
 * "peer=... closing: <fmt>" at `level` (an rmq_log_level_t; < 0 for none). Idempotent. */
void remoting_conn_shut(remoting_conn_t *conn, int reason, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Runs on: loop. Registers the request and queues its frame; 0 or -ECONNRESET/-ECANCELED. */
int remoting_conn_request_on_loop(remoting_conn_t *conn, const remoting_cmd_t *req,
                                  int64_t deadline_ms, remoting_response_cb cb, void *arg);

/* conn_io.c; all run on the loop thread */
void remoting_conn_read_start(remoting_conn_t *conn);
/* Encodes a frame into the output buffer and schedules a write. 0 or -EPIPE. */
int remoting_conn_queue(remoting_conn_t *conn, const remoting_cmd_t *cmd);
/* Appends an already encoded frame. */
void remoting_conn_queue_raw(remoting_conn_t *conn, const void *frame, size_t len);
/* Appends a frame head (prefix and header, counting the segments' bytes as body; may be
 * already in out.bytes, then head_len is 0) and the segments, which are released once
 * written or at close. */
void remoting_conn_queue_segments(remoting_conn_t *conn, const void *head, size_t head_len,
                                  const remoting_segment_t *segs, size_t n);
/* Skips `written` bytes of iov[0, n): returns the index of the first buffer with bytes
 * left (n when none) and trims that buffer's start. */
size_t remoting_iov_advance(uv_buf_t *iov, size_t n, size_t written);
/* Schedules a write of what is queued (deferred to the end of the iteration). */
void remoting_conn_schedule_flush(remoting_conn_t *conn);
void remoting_conn_flush_deferred(remoting_deferred_t *d);
void remoting_conn_free_buffers(remoting_conn_t *conn);

/* Defaults shared by server and client options. */
#define REMOTING_IDLE_TIMEOUT_DEFAULT    120000
#define REMOTING_CONNECT_TIMEOUT_DEFAULT 3000
/* REQUEST_CODE_NOT_SUPPORTED, answered when an endpoint has no handler. */
#define REMOTING_CODE_NOT_SUPPORTED 3

/* Sweep period for a loop whose connections use these time-outs. */
int remoting_sweep_period_ms(int idle_timeout_ms, int connect_timeout_ms);

#endif
