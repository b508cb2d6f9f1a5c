/*
 * Pending requests: per-connection opaque table and per-loop deadline heap; see pending.h.
 * Runs on: the owning I/O loop. Locks: none.
 */
#include "remoting/pending.h"

#include "common/alloc.h"
#include "common/assert.h"

#include <string.h>

#define TABLE_MIN_CAP 16
#define HEAP_MIN_CAP  16

static void table_insert(remoting_pending_table_t *t, remoting_pending_t *p);
static void heap_push(remoting_pending_heap_t *h, remoting_pending_t *p);
static void heap_remove(remoting_pending_heap_t *h, remoting_pending_t *p);

/* ------------------------------------------------------------------ table */

void remoting_pending_table_init(remoting_pending_table_t *t) {
    memset(t, 0, sizeof *t);
}

void remoting_pending_table_close(remoting_pending_table_t *t) {
    RMQ_ASSERT(t->count == 0);
    rmq_free(t->slots);
    memset(t, 0, sizeof *t);
}

/* Opaques are mostly consecutive: a multiplicative hash spreads them over the slots. */
static uint32_t slot_of(const remoting_pending_table_t *t, int32_t opaque) {
    return ((uint32_t)opaque * 2654435761u) & (t->cap - 1);
}

static void table_grow(remoting_pending_table_t *t) {
    remoting_pending_t **old = t->slots;
    uint32_t old_cap = t->cap;
    t->cap = old_cap ? old_cap * 2 : TABLE_MIN_CAP;
    t->slots = rmq_calloc(t->cap, sizeof *t->slots);
    t->count = 0;
    for (uint32_t i = 0; i < old_cap; i++)
        if (old[i])
            table_insert(t, old[i]);
    rmq_free(old);
}

static void table_insert(remoting_pending_table_t *t, remoting_pending_t *p) {
    uint32_t i = slot_of(t, p->opaque);
    while (t->slots[i]) {
        /* Opaques come from one process-wide counter: a duplicate is our bug. */
        RMQ_ASSERT(t->slots[i]->opaque != p->opaque);
        i = (i + 1) & (t->cap - 1);
    }
    t->slots[i] = p;
    t->count++;
}

/* Deletes slot i and shifts later members of its probe run back (no tombstones). */
static void table_delete_at(remoting_pending_table_t *t, uint32_t i) {
    uint32_t mask = t->cap - 1;
    t->slots[i] = NULL;
    t->count--;
    for (uint32_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
        uint32_t home = slot_of(t, t->slots[j]->opaque);
        /* Move j into the hole unless its home lies cyclically in (i, j]. */
        bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            t->slots[i] = t->slots[j];
            t->slots[j] = NULL;
            i = j;
        }
    }
}

void remoting_pending_add(remoting_pending_table_t *t, remoting_pending_heap_t *h,
                          remoting_pending_t *p) {
    if ((t->count + 1) * 2 > t->cap)
        table_grow(t);
    p->table = t;
    p->heap = h;
    table_insert(t, p);
    heap_push(h, p);
}

/* Slot holding opaque, or -1. */
static int64_t table_find(const remoting_pending_table_t *t, int32_t opaque) {
    if (t->count == 0)
        return -1;
    for (uint32_t i = slot_of(t, opaque); t->slots[i]; i = (i + 1) & (t->cap - 1))
        if (t->slots[i]->opaque == opaque)
            return i;
    return -1;
}

remoting_pending_t *remoting_pending_take(remoting_pending_table_t *t, int32_t opaque) {
    int64_t i = table_find(t, opaque);
    if (i < 0)
        return NULL;
    remoting_pending_t *p = t->slots[i];
    table_delete_at(t, (uint32_t)i);
    heap_remove(p->heap, p);
    return p;
}

remoting_pending_t **remoting_pending_table_steal(remoting_pending_table_t *t, uint32_t *n) {
    *n = 0;
    if (t->count == 0)
        return NULL;
    remoting_pending_t **all = rmq_malloc(t->count * sizeof *all);
    for (uint32_t i = 0; i < t->cap; i++) {
        if (t->slots[i]) {
            heap_remove(t->slots[i]->heap, t->slots[i]);
            all[(*n)++] = t->slots[i];
            t->slots[i] = NULL;
        }
    }
    t->count = 0;
    return all;
}

/* ------------------------------------------------------------------ heap */

void remoting_pending_heap_init(remoting_pending_heap_t *h) {
    memset(h, 0, sizeof *h);
}

void remoting_pending_heap_close(remoting_pending_heap_t *h) {
    RMQ_ASSERT(h->count == 0);
    rmq_free(h->items);
    memset(h, 0, sizeof *h);
}

static void heap_set(remoting_pending_heap_t *h, uint32_t i, remoting_pending_t *p) {
    h->items[i] = p;
    p->heap_idx = i;
}

static void sift_up(remoting_pending_heap_t *h, uint32_t i) {
    remoting_pending_t *p = h->items[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (h->items[parent]->deadline_ms <= p->deadline_ms)
            break;
        heap_set(h, i, h->items[parent]);
        i = parent;
    }
    heap_set(h, i, p);
}

static void sift_down(remoting_pending_heap_t *h, uint32_t i) {
    remoting_pending_t *p = h->items[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= h->count)
            break;
        if (child + 1 < h->count && h->items[child + 1]->deadline_ms < h->items[child]->deadline_ms)
            child++;
        if (p->deadline_ms <= h->items[child]->deadline_ms)
            break;
        heap_set(h, i, h->items[child]);
        i = child;
    }
    heap_set(h, i, p);
}

static void heap_push(remoting_pending_heap_t *h, remoting_pending_t *p) {
    if (h->count == h->cap) {
        h->cap = h->cap ? h->cap * 2 : HEAP_MIN_CAP;
        h->items = rmq_realloc(h->items, h->cap * sizeof *h->items);
    }
    heap_set(h, h->count++, p);
    sift_up(h, h->count - 1);
}

static void heap_remove(remoting_pending_heap_t *h, remoting_pending_t *p) {
    uint32_t i = p->heap_idx;
    RMQ_ASSERT(i < h->count && h->items[i] == p);
    remoting_pending_t *last = h->items[--h->count];
    if (i == h->count)
        return;
    heap_set(h, i, last);
    if (i > 0 && h->items[(i - 1) / 2]->deadline_ms > last->deadline_ms)
        sift_up(h, i);
    else
        sift_down(h, i);
}

remoting_pending_t *remoting_pending_take_expired(remoting_pending_heap_t *h, int64_t now_ms) {
    if (h->count == 0 || h->items[0]->deadline_ms > now_ms)
        return NULL;
    remoting_pending_t *p = h->items[0];
    heap_remove(h, p);
    int64_t i = table_find(p->table, p->opaque);
    RMQ_ASSERT(i >= 0);
    table_delete_at(p->table, (uint32_t)i);
    return p;
}

int64_t remoting_pending_next_deadline(const remoting_pending_heap_t *h) {
    return h->count ? h->items[0]->deadline_ms : -1;
}
