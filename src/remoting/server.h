/*
 * Remoting server: accepts connections on a TCP port and spreads them over a fixed set of
 * I/O loops (threads), each owning its connections. Requests are decoded on the loop and
 * handed to the role's handler there; responses are encoded and written by the same loop.
 *
 * Malformed input (bad length, bad header length, invalid JSON, unknown serialize type,
 * a frame over max_frame) closes that one connection with one log line. Connections idle
 * (no read and no write) for idle_timeout_ms are closed.
 */
#ifndef RMQ_REMOTING_SERVER_H
#define RMQ_REMOTING_SERVER_H

#include "remoting/conn.h"

#include <stddef.h>

/* A handler's "I will answer later" (long polling, group commit, replica ack). */
#define REMOTING_PENDING 1

/*
 * Handles one request on the connection's loop thread. `resp` is already a response to
 * it (code 0 SUCCESS, same opaque, flag response) and empty otherwise. Return 0 to send
 * resp now (nothing is sent for one-way requests), REMOTING_PENDING when the handler
 * keeps the connection (retained) and answers later with remoting_conn_send(), or a
 * negative errno to close the connection. req (body included: it points into the read
 * buffer) and resp are reused for the next frame: copy what must outlive the call.
 */
typedef int (*remoting_request_handler)(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                        remoting_cmd_t *resp);
typedef void (*remoting_conn_event)(void *ctx, remoting_conn_t *conn);

typedef struct {
    const char *host;    /* bind address; NULL = "0.0.0.0" */
    int port;            /* 0 = any free port (read it back with remoting_server_port) */
    int io_threads;      /* 0 = one per core, at most 4 */
    int idle_timeout_ms; /* 0 = 120000; < 0 = never */
    size_t max_frame;    /* 0 = REMOTING_FRAME_MAX_DEFAULT */
    remoting_request_handler on_request;
    remoting_conn_event on_open;  /* optional */
    remoting_conn_event on_close; /* optional; after on_open only; the conn is still valid
                                     during the call and its pending requests have completed */
    void *ctx;
} remoting_server_opts_t;

typedef struct remoting_server remoting_server_t;

/* Binds, listens and starts the loops. Returns 0 or a negative errno (-EADDRINUSE, ...). */
int remoting_server_start(const remoting_server_opts_t *opts, remoting_server_t **out);
int remoting_server_port(const remoting_server_t *server);
/* Stops accepting, closes every connection (pending request callbacks get -ECANCELED),
 * joins the loop threads and frees the server. Not from one of its own loop threads. */
void remoting_server_stop(remoting_server_t *server);

#endif
