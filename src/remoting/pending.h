/*
 * Requests waiting for their response: found by opaque in their connection's table, and
 * ordered by deadline in their loop's heap so that one timer per loop expires them.
 *
 * A pending request is in exactly one table and one heap from remoting_pending_add() until
 * a take function removes it from both; whoever takes it calls its callback once and frees
 * it. Both structures belong to one I/O loop thread and take no locks. Plain data
 * structures: no libuv here (the loop arms its timer from remoting_pending_next_deadline).
 */
#ifndef RMQ_REMOTING_PENDING_H
#define RMQ_REMOTING_PENDING_H

#include "remoting/conn.h"

#include <stdint.h>

typedef struct remoting_pending_table remoting_pending_table_t;
typedef struct remoting_pending_heap remoting_pending_heap_t;

typedef struct remoting_pending {
    int32_t opaque;
    int64_t deadline_ms; /* rmq_mono_ms() clock */
    remoting_response_cb cb;
    void *arg;
    const char *peer; /* the connection's, for log lines */
    uint32_t heap_idx;
    remoting_pending_table_t *table;
    remoting_pending_heap_t *heap;
} remoting_pending_t;

/* Open addressing by opaque, linear probing, deletion by backward shift (no tombstones). */
struct remoting_pending_table {
    remoting_pending_t **slots;
    uint32_t cap; /* power of two, or 0 before the first add */
    uint32_t count;
};

/* Binary min-heap on deadline_ms. */
struct remoting_pending_heap {
    remoting_pending_t **items;
    uint32_t count, cap;
};

void remoting_pending_table_init(remoting_pending_table_t *t);
/* The table must be empty (drained with remoting_pending_table_steal). */
void remoting_pending_table_close(remoting_pending_table_t *t);
void remoting_pending_heap_init(remoting_pending_heap_t *h);
void remoting_pending_heap_close(remoting_pending_heap_t *h);

/* Inserts p (opaque, deadline_ms, cb, arg set by the caller) into t and h. */
void remoting_pending_add(remoting_pending_table_t *t, remoting_pending_heap_t *h,
                          remoting_pending_t *p);
/* Removes and returns the request with this opaque, or NULL. */
remoting_pending_t *remoting_pending_take(remoting_pending_table_t *t, int32_t opaque);
/* Removes and returns the earliest request whose deadline is <= now_ms, or NULL. */
remoting_pending_t *remoting_pending_take_expired(remoting_pending_heap_t *h, int64_t now_ms);
/* Earliest deadline in h, or -1 when h is empty. */
int64_t remoting_pending_next_deadline(const remoting_pending_heap_t *h);
/*
 * Empties t: every request is removed from its heap too and returned in an array of
 * *n entries (free it with rmq_free; NULL when empty). Used when a connection closes.
 */
remoting_pending_t **remoting_pending_table_steal(remoting_pending_table_t *t, uint32_t *n);

#endif
