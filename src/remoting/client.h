/*
 * Remoting client: connections to servers by "host:port", created on first use and
 * reused, driven by the client's own I/O loop thread(s). Requests from the server on
 * the same connection (NOTIFY_CONSUMER_IDS_CHANGED, CHECK_TRANSACTION_STATE, ...) go to
 * on_request as in the server.
 */
#ifndef RMQ_REMOTING_CLIENT_H
#define RMQ_REMOTING_CLIENT_H

#include "remoting/server.h"

typedef struct {
    int io_threads;                      /* 0 = 1 */
    int connect_timeout_ms;              /* 0 = 3000 */
    int idle_timeout_ms;                 /* 0 = 120000; < 0 = never */
    size_t max_frame;                    /* 0 = REMOTING_FRAME_MAX_DEFAULT */
    remoting_request_handler on_request; /* optional: NULL answers REQUEST_CODE_NOT_SUPPORTED */
    void *ctx;
} remoting_client_opts_t;

typedef struct remoting_client remoting_client_t;

int remoting_client_new(const remoting_client_opts_t *opts, remoting_client_t **out);
/* Closes every connection (pending callbacks get -ECANCELED) and joins the threads.
 * Not from one of the client's own loop threads (a callback). */
void remoting_client_destroy(remoting_client_t *client);

/*
 * Sends req to addr and waits for the answer. Blocks the calling thread, which must not
 * be one of the client's loops. On 0, *resp is the response (free with
 * remoting_cmd_destroy). Errors: -ETIMEDOUT, -ECONNREFUSED, -ECONNRESET, -EINVAL (bad addr),
 * -ECANCELED (client being destroyed), -EDEADLK (called on a client loop thread).
 * The request's opaque is assigned here; the caller keeps req.
 */
int remoting_client_invoke_sync(remoting_client_t *client, const char *addr, remoting_cmd_t *req,
                                int timeout_ms, remoting_cmd_t **resp);
/* As above, completing through cb on a loop thread (see remoting_response_cb). */
int remoting_client_invoke_async(remoting_client_t *client, const char *addr, remoting_cmd_t *req,
                                 int timeout_ms, remoting_response_cb cb, void *arg);
int remoting_client_invoke_oneway(remoting_client_t *client, const char *addr, remoting_cmd_t *req);
/* Closes the connection to addr, if any (the next call reconnects). */
void remoting_client_close_addr(remoting_client_t *client, const char *addr);

#endif
