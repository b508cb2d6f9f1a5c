/*
 * An I/O loop: one thread running one libuv loop, plus what every remoting loop needs.
 *
 * - A bounded cross-thread work queue: remoting_loop_post() from any thread queues
 *   (fn, arg) and wakes the loop with uv_async_send(); the loop runs the items in order.
 * - Deferred work run once per loop iteration, after I/O callbacks (uv_check) and before
 *   blocking (uv_prepare): connections use it to gather every frame queued during an
 *   iteration into one write.
 * - Members (connections, listeners) swept periodically (idle close, connect time-out)
 *   and told to close when the loop stops.
 * - The deadline heap of pending requests and the one timer that expires them.
 *
 * Stopping: remoting_loop_stop() refuses further posts (-ECANCELED), then the loop runs
 * what was queued, asks every member to close, closes its own handles and its thread
 * ends; remoting_loop_join() waits for that. The struct is reference counted (the owner
 * and every connection on the loop hold one) so a connection retained after its loop
 * ended can still be asked things safely: posts fail with -ECANCELED.
 *
 * SIGPIPE is blocked in loop threads (inherited from the mask at thread creation): libuv
 * writes sockets with write(2), so a peer reset would otherwise raise SIGPIPE. Blocked, it
 * stays pending on that thread and write(2) fails with EPIPE, which closes the connection.
 * This keeps the library from changing the process's signal dispositions.
 */
#ifndef RMQ_REMOTING_LOOP_H
#define RMQ_REMOTING_LOOP_H

#include "remoting/pending.h"

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* Work items a loop's queue holds; beyond this remoting_loop_post() fails with -EAGAIN. */
#define REMOTING_LOOP_QUEUE_CAP 65536

typedef struct remoting_loop remoting_loop_t;

/* A queued item; runs on the loop thread, also while the loop stops (check
 * remoting_loop_is_stopping and release what arg holds). */
typedef void (*remoting_work_fn)(remoting_loop_t *loop, void *arg);

typedef struct remoting_loop_member {
    struct remoting_loop_member *prev, *next;
    /* Periodic check with uv_now(); may close (and so remove) the member. */
    void (*on_sweep)(struct remoting_loop_member *m, uint64_t now);
    /* The loop is stopping: close handles and remove the member from the loop. */
    void (*on_stop)(struct remoting_loop_member *m);
} remoting_loop_member_t;

typedef struct remoting_deferred {
    struct remoting_deferred *next;
    void (*fn)(struct remoting_deferred *d);
    bool is_queued;
} remoting_deferred_t;

/* Creates the loop and starts its thread. sweep_ms is the member sweep period. */
remoting_loop_t *remoting_loop_new(const char *name, int sweep_ms);
/* Asks the loop to stop. Any thread. */
void remoting_loop_stop(remoting_loop_t *loop);
/* Waits for the thread to end. Not from the loop's own thread. */
void remoting_loop_join(remoting_loop_t *loop);
void remoting_loop_retain(remoting_loop_t *loop);
/* The last release frees the struct; the thread must have been joined. */
void remoting_loop_release(remoting_loop_t *loop);

/* Queues fn(loop, arg). Any thread. 0, -EAGAIN (queue full) or -ECANCELED (stopping);
 * on error fn never runs. */
int remoting_loop_post(remoting_loop_t *loop, remoting_work_fn fn, void *arg);
/* True on the loop's own thread. */
bool remoting_loop_on_thread(const remoting_loop_t *loop);

/* The rest runs on the loop thread only. */
uv_loop_t *remoting_loop_uv(remoting_loop_t *loop);
bool remoting_loop_is_stopping(const remoting_loop_t *loop);
void remoting_loop_add_member(remoting_loop_t *loop, remoting_loop_member_t *m);
void remoting_loop_remove_member(remoting_loop_member_t *m);
/* Runs d->fn once later in this iteration; no-op when already queued. */
void remoting_loop_defer(remoting_loop_t *loop, remoting_deferred_t *d);
/* Registers a pending request (deadline set) and makes sure the timer will see it. */
void remoting_loop_add_pending(remoting_loop_t *loop, remoting_pending_table_t *t,
                               remoting_pending_t *p);

#endif
