/*
 * The store's private state, shared by the files that implement store.h: store.c (open,
 * close, put), recovery.c, dispatch.c, flush.c, clean.c and read.c. Not for use outside
 * src/store.
 */
#ifndef STORE_STORE_INTERNAL_H
#define STORE_STORE_INTERNAL_H

#include "store/checkpoint.h"
#include "store/commitlog.h"
#include "store/cq_table.h"
#include "store/index_file.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>

#define STORE_MAX_DELAY_LEVELS 64
#define STORE_SCHEDULE_TOPIC   "SCHEDULE_TOPIC_XXXX"

typedef struct {
    int64_t offset;
    int64_t deadline_ms;
    store_flush_cb cb;
    void *arg;
} flush_req_t;

typedef struct {
    flush_req_t *items;
    size_t count, cap;
} flush_reqs_t;

struct store {
    store_config_t cfg; /* strings below are owned copies */
    char *root_dir;
    char *commitlog_dir;
    char *delete_when;
    const store_fileops_t *ops;
    int64_t delay_ms[STORE_MAX_DELAY_LEVELS + 1]; /* by level, 1-based */
    int max_delay_level;

    store_commitlog_t cl;
    store_cq_table_t cqs;
    store_index_t index;
    store_checkpoint_t ck;
    int lock_fd;
    char *abort_path;
    bool last_exit_ok;

    _Atomic bool running;
    _Atomic bool disk_full;
    _Atomic bool writeable;

    /* dispatch */
    pthread_t dispatch_thread;
    pthread_mutex_t dispatch_lock; /* serialises dispatch passes; guards dispatch_cond */
    pthread_cond_t dispatch_cond;
    _Atomic bool dispatch_sleeping;
    _Atomic int64_t reput_offset;
    _Atomic int64_t logics_ts;

    /* commit-log flush and group commit */
    pthread_t flush_thread;
    pthread_mutex_t flush_lock;
    pthread_cond_t flush_cond;
    flush_reqs_t flush_reqs, flush_swap;

    /* housekeeping: consume-queue flush, checkpoint, next segment, retention */
    pthread_t house_thread;
    pthread_mutex_t house_lock;
    pthread_cond_t house_cond;
    bool threads_started;
};

/* recovery.c */
int store_recover(store_t *s);
/* dispatch.c */
int store_dispatch_start(store_t *s);
void store_dispatch_stop(store_t *s);
void store_dispatch_wake(store_t *s);
int64_t store_dispatch_limit(store_t *s);
/* Dispatches records in [reput_offset, limit); returns bytes consumed. */
int64_t store_dispatch_run(store_t *s, int64_t limit);
/* flush.c */
int store_flush_start(store_t *s);
void store_flush_stop(store_t *s);
int store_flush_commitlog(store_t *s, int least_pages);
int store_flush_cqs(store_t *s, int least_pages);
/* clean.c */
int store_clean_run(store_t *s, bool manual, int64_t now_ms);
void store_parse_delay_levels(store_t *s, const char *spec);

#endif
