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
 * The one exception is store_cq_table_list(), the borrowed listing the housekeeping
 * thread's consume-queue flush (flush.c) takes without references. Its pointers stay
 * valid until the next store_cq_table_list() call starts, so such listings must come
 * from one thread at a time (the housekeeping thread while it runs, store_close()
 * after it stopped). A deleted queue whose references are gone while a listing taken
 * before its deletion may still be in use waits in a short graveyard that the next
 * listing (or the close, or store_cq_table_reap() in a store running without its
 * threads) empties. Everything else uses the snapshot. (flush.c could take the snapshot
 * too; then store_cq_table_list(), the graveyard and the one-thread rule go.)
 *
 * Threads: any; a mutex guards the map and the graveyard, never held across I/O on a
 * queue.
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
    rmq_map_t topics;       /* topic -> cq_topic (array indexed by queue id) */
    uint64_t list_gen;      /* store_cq_table_list() calls so far */
    store_cq_t **graveyard; /* deleted, unreferenced, maybe in a borrowed listing */
    size_t graveyard_count, graveyard_cap;
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
 * the last. Lock-free unless it was the last reference. */
void store_cq_table_release(store_cq_table_t *t, store_cq_t *cq);
/* Every queue, each with a reference; give them back with
 * store_cq_table_snapshot_release(), which also frees the array. */
store_cq_t **store_cq_table_snapshot(store_cq_table_t *t, size_t *count);
void store_cq_table_snapshot_release(store_cq_table_t *t, store_cq_t **cqs, size_t count);
/* Every queue, borrowed (no references; free the array with rmq_free): for the
 * housekeeping thread's flush only, see the lifetime rule above. */
store_cq_t **store_cq_table_list(store_cq_table_t *t, size_t *count);
/* Frees the deleted queues that waited for borrowed listings: the caller says none is
 * in use (the housekeeping thread is not running). */
void store_cq_table_reap(store_cq_table_t *t);
/* Deletes a topic's queues and files. */
void store_cq_table_delete_topic(store_cq_table_t *t, const char *topic);

/* Deletes every topic drop(arg, topic, expired) picks, where expired says that each of the
 * topic's queues indexes only commit-log data below min_phys (all deleted). Returns how
 * many topics went. drop runs without the table's lock. */
int store_cq_table_delete_where(store_cq_table_t *t, int64_t min_phys,
                                bool (*drop)(void *arg, const char *topic, bool expired),
                                void *arg);

/* Queue structs allocated and not yet freed (in the map, held, or in the graveyard). */
size_t store_cq_table_live(store_cq_table_t *t);

#endif
