/*
 * The set of consume queues, keyed by topic and queue id, rooted at consumequeue/.
 * Queues are created on first dispatch or found on disk at load; they live until the
 * store closes, so callers may keep the pointers they get. Deleting a topic deletes its
 * files and takes its queues out of the map, but keeps their structs (empty) until the
 * table closes: the flush, clean and dispatch threads and readers may still hold them.
 * Threads: any; a mutex guards the map, never held across I/O on a queue.
 */
#ifndef STORE_CQ_TABLE_H
#define STORE_CQ_TABLE_H

#include "common/buf.h"
#include "common/map.h"
#include "store/consume_queue.h"

#include <pthread.h>
#include <stdbool.h>

typedef struct {
    char *root;
    int64_t file_size;
    const store_fileops_t *ops;
    pthread_mutex_t lock;
    rmq_map_t topics; /* topic -> cq_topic (array indexed by queue id) */
    void **retired;   /* cq_topics of deleted topics, freed at close */
    size_t retired_count, retired_cap;
} store_cq_table_t;

void store_cq_table_init(store_cq_table_t *t, const store_fileops_t *ops, const char *root,
                         int64_t file_size);
void store_cq_table_close(store_cq_table_t *t);
/* Loads every consumequeue/<topic>/<numeric id>/ directory. */
int store_cq_table_load(store_cq_table_t *t);
/* The queue, created (empty, no files yet) when `create`; NULL otherwise. */
store_cq_t *store_cq_table_get(store_cq_table_t *t, rmq_slice_t topic, int32_t queue_id,
                               bool create);
/* A snapshot of every queue (free the array with rmq_free). */
store_cq_t **store_cq_table_list(store_cq_table_t *t, size_t *count);
/* Deletes a topic's queues and files. */
void store_cq_table_delete_topic(store_cq_table_t *t, const char *topic);

/* Deletes every topic drop(arg, topic, expired) picks, where expired says that each of the
 * topic's queues indexes only commit-log data below min_phys (all deleted). Returns how
 * many topics went. drop runs without the table's lock. */
int store_cq_table_delete_where(store_cq_table_t *t, int64_t min_phys,
                                bool (*drop)(void *arg, const char *topic, bool expired),
                                void *arg);

#endif
