/*
 * One remoting connection (server- or client-side); both ends may send requests.
 *
 * A connection belongs to one I/O loop for its whole life. The functions below are
 * thread-safe unless marked: from another thread the work is handed to the owning loop
 * through a bounded queue and uv_async_send(). Connections are reference counted: the
 * loop holds one reference until the close callbacks have run; anyone keeping a pointer
 * beyond a callback (a held pull, a broker's registered channel) retains it.
 */
#ifndef RMQ_REMOTING_CONN_H
#define RMQ_REMOTING_CONN_H

#include "remoting/cmd.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct remoting_conn remoting_conn_t;

/*
 * Completion of a request. Runs on the connection's loop thread, exactly once: status 0
 * with the response (the callback owns it: free with remoting_cmd_destroy), or a negative
 * errno (-ETIMEDOUT, -ECONNRESET when the connection closed first, -ECANCELED at shutdown)
 * with resp NULL.
 */
typedef void (*remoting_response_cb)(void *arg, int status, remoting_cmd_t *resp);

/* Remote "ip:port" (IPv6 as "[addr]:port"); valid for the connection's life. */
const char *remoting_conn_peer(const remoting_conn_t *conn);
/* Local "ip:port" ("?" until the connection is open). */
const char *remoting_conn_local(const remoting_conn_t *conn);
/* Process-unique, never reused. */
uint64_t remoting_conn_id(const remoting_conn_t *conn);
bool remoting_conn_is_closed(const remoting_conn_t *conn);

void remoting_conn_retain(remoting_conn_t *conn);
void remoting_conn_release(remoting_conn_t *conn);

/* Per-connection slot for the role's own state (e.g. the client id of a channel).
 * Runs on: the connection's loop only. */
void remoting_conn_set_data(remoting_conn_t *conn, void *data);
void *remoting_conn_get_data(const remoting_conn_t *conn);

/* Encodes cmd now (always with a JSON header) and queues the frame; frames queued in one
 * loop iteration leave in one write. Returns 0, -EPIPE when closed, or from another
 * thread -EAGAIN when the loop's queue is full. */
int remoting_conn_send(remoting_conn_t *conn, const remoting_cmd_t *cmd);

/*
 * A body segment the connection does not own (e.g. records in a mapped file): its bytes
 * must stay valid and unchanged until release(arg) runs (release may be NULL).
 */
typedef struct {
    const void *ptr;
    size_t len;
    void (*release)(void *arg);
    void *arg;
} remoting_segment_t;

/*
 * Sends cmd (header only; cmd->body is ignored) with the segments, in order, as its body,
 * without copying them: the frame goes out as one writev of its head and the segments.
 * On 0 every segment's release runs exactly once, on the connection's loop thread, after
 * its bytes were written or when the connection closes first. On an error (-EPIPE when
 * closed, -EAGAIN from another thread when the loop's queue is full) none runs: the
 * caller still owns the segments.
 */
int remoting_conn_send_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                                const remoting_segment_t *segs, size_t n);

/* A piece of work for a connection's loop thread, embedded in the caller's struct. */
typedef struct remoting_task {
    void (*run)(struct remoting_task *task);
} remoting_task_t;

/*
 * Runs task->run(task) on the connection's loop thread, later (from the loop's queue, even
 * when called on that thread), also while the loop stops (the connection may be closed by
 * then). Nothing is allocated. Returns 0, or -EAGAIN when the loop's queue is full or
 * -ECANCELED when the loop has stopped: then it never runs. The task must stay valid
 * until it runs.
 */
int remoting_conn_run(remoting_conn_t *conn, remoting_task_t *task);

/*
 * Sends a request (its opaque is assigned here) and calls cb once as described above.
 * Returns 0, or a negative errno without calling cb (-ECONNRESET when already closed,
 * -EAGAIN when the loop's queue is full, -ECANCELED when the loop is stopping). The
 * time-out runs from this call; one timer per loop expires requests.
 */
int remoting_conn_request(remoting_conn_t *conn, remoting_cmd_t *req, int timeout_ms,
                          remoting_response_cb cb, void *arg);

/* Sends a one-way request (flag set here). */
int remoting_conn_oneway(remoting_conn_t *conn, remoting_cmd_t *req);

/* Closes asynchronously; the role's close callback follows on the loop thread. */
void remoting_conn_close(remoting_conn_t *conn);

/* Next opaque from the process-wide counter (wraps like Java's int). */
int32_t remoting_next_opaque(void);

#endif
