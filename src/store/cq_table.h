/*
 * The set of consume queues, keyed by topic and queue id, rooted at consumequeue/.
 * Queues are created on first dispatch or found on disk at load.
 *
 * Lifetime. A queue is reference-counted: the table holds one reference while the queue
 * is in its map, and every pointer handed out by store_cq_table_get() or
 * store_cq_table_snapshot() carries one more, which the holder gives back with
 * store_cq_table_release() (or store_cq_table_snapshot_release()) when done: a pull, an
 * admin lookup, one dispatched record, one flush or clean round. Holders never keep a
 * pointer beyond that; the next request looks the queue up again (a mutex and an atomic
 * increment). Deleting a topic takes its queues out of the map and deletes their files
 * at once; a queue still held stays usable (empty, no files) and is freed when its last
 * holder releases it.
 *
 * Threads: any; a mutex guards the map, never held across I/O on a queue.
 */
#ifndef STORE_CQ_TABLE_H
#define STORE_CQ_TABLE_H

#include "common/buf.h"
#include "common/map.h"
#include "store/consume_queue.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

typedef struct {
    char *root;
    int64_t file_size;
    const store_fileops_t *ops;
    pthread_mutex_t lock;
    rmq_map_t topics;    /* topic -> cq_topic (array indexed by queue id) */
    _Atomic size_t live; /* store_cq_t structs allocated and not yet freed */
} store_cq_table_t;

void store_cq_table_init(store_cq_table_t *t, const store_fileops_t *ops, const char *root,
                         int64_t file_size);
/* Frees every queue; no holder may remain. */
void store_cq_table_close(store_cq_table_t *t);
/* Loads every consumequeue/<topic>/<numeric id>/ directory. */
int store_cq_table_load(store_cq_table_t *t);
/* The queue, created (empty, no files yet) when `create`; NULL otherwise. The caller
 * owns one reference: give it back with store_cq_table_release(). */
store_cq_t *store_cq_table_get(store_cq_table_t *t, rmq_slice_t topic, int32_t queue_id,
                               bool create);
/* Gives back a reference from store_cq_table_get(); frees a deleted queue when it was
 * the last. Lock-free. */
void store_cq_table_release(store_cq_table_t *t, store_cq_t *cq);
/* Every queue, each with a reference; give them back with
 * store_cq_table_snapshot_release(), which also frees the array. */
store_cq_t **store_cq_table_snapshot(store_cq_table_t *t, size_t *count);
void store_cq_table_snapshot_release(store_cq_table_t *t, store_cq_t **cqs, size_t count);
/* Deletes a topic's queues and files. */
void store_cq_table_delete_topic(store_cq_table_t *t, const char *topic);

/* Deletes every topic drop(arg, topic, expired) picks, where expired says that each of the
 * topic's queues indexes only commit-log data below min_phys (all deleted). Returns how
 * many topics went. drop runs without the table's lock. */
int store_cq_table_delete_where(store_cq_table_t *t, int64_t min_phys,
                                bool (*drop)(void *arg, const char *topic, bool expired),
                                void *arg);

/* Queue structs allocated and not yet freed (in the map or held). */
size_t store_cq_table_live(store_cq_table_t *t);

#endif
