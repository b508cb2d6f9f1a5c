/*
 * An ordered list of equal-sized segment files that together form one log: the commit
 * log, or one consume queue. Implements the load rules of spec store.md 1.2 (sorted
 * 20-digit names, a zero-length last file is deleted, any other size mismatch fails the
 * load), lookup by offset, flushing, truncation after recovery, deletion from the head
 * and creation of the next segment ahead of the writer.
 *
 * Warming (commit log only): pages ahead of the write position are faulted in and made
 * writable before the writer gets there, so the appenders' critical section takes no
 * page fault (Java's AllocateMappedFileService and warm-up, done incrementally).
 * Under ASYNC_FLUSH a "warm" thread does it, STORE_WARM_AHEAD bytes at a time, and
 * creates the next segment (with its first pages warmed) before the writer needs it; the
 * writer kicks it with store_mfq_hint() when it comes within STORE_WARM_AHEAD / 2 of the
 * warmed end. Under SYNC_FLUSH the flush thread calls store_mfq_warm_ahead() between two
 * forces instead (faulting pages in while a force is in flight delays the force) and
 * the housekeeping thread prepares the next segment.
 *
 * Threads: one writer appends segments; any thread may look up, flush or delete. A
 * mutex guards the list; lookups return a retained segment so the list can change
 * under a reader.
 */
#ifndef STORE_MAPPED_FILE_QUEUE_H
#define STORE_MAPPED_FILE_QUEUE_H

#include "store/mapped_file.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *dir;
    int64_t file_size;
    const store_fileops_t *ops;
    pthread_mutex_t lock;
    pthread_cond_t prepared_cond;
    store_mf_t **files;
    size_t count, cap;
    store_mf_t *prepared;   /* next segment, created ahead of time */
    int64_t preparing_from; /* >= 0 while a segment is being opened outside the lock */
    _Atomic int64_t flushed_where;
    /* warm thread */
    pthread_t warm_thread;
    pthread_cond_t warm_cond; /* with lock */
    bool warm_stop;           /* under lock */
    bool warm_started;        /* the thread exists (start/stop callers only) */
    _Atomic bool warm_running;
    _Atomic bool warm_kicked;   /* set by the writer, cleared by the warm thread */
    store_pages_t append_pages; /* for segments being appended to (store_mf_advise) */
} store_mfq_t;

/* Bytes kept warm ahead of the writer. */
#define STORE_WARM_AHEAD (8 * 1024 * 1024)

void store_mfq_init(store_mfq_t *q, const store_fileops_t *ops, const char *dir, int64_t file_size);
/* Unmaps (releases) every segment; files stay on disk. */
void store_mfq_close(store_mfq_t *q);
/* Loads existing segments; each starts with wrote = flushed = size until recovery
 * truncates. Returns -EINVAL on a size mismatch. */
int store_mfq_load(store_mfq_t *q);
/* Retained last segment, or NULL. */
store_mf_t *store_mfq_last(store_mfq_t *q);
/* Retained first segment, or NULL. */
store_mf_t *store_mfq_first(store_mfq_t *q);
/*
 * Appends a new segment starting at `from` (taking the prepared one when it matches).
 * Returns a borrowed pointer (the queue's reference) in *out. Writer only.
 */
int store_mfq_create(store_mfq_t *q, int64_t from, store_mf_t **out);
/* Creates the segment after the last one ahead of time. Housekeeping thread. */
int store_mfq_prepare_next(store_mfq_t *q);
/*
 * Builds the page cache of the segment being appended to (and of the prepared one) as
 * `pages` says; the segment gets STORE_PAGES_NORMAL back when the next one starts. The
 * commit log uses STORE_PAGES_SMALL under SYNC_FLUSH and STORE_PAGES_PMD under
 * ASYNC_FLUSH. Call before the writer and the warm thread run.
 */
void store_mfq_set_append_pages(store_mfq_t *q, store_pages_t pages);
/*
 * Warms the last segment up to `ahead` bytes past its write position, at most
 * `max_step` bytes per call, once less than ahead / 2 is left: the flush thread's way
 * of warming under SYNC_FLUSH, between two forces (see flush.c).
 */
void store_mfq_warm_ahead(store_mfq_t *q, int64_t ahead, int64_t max_step);
/* Starts / stops the warm thread (see the top of this file). */
int store_mfq_warm_start(store_mfq_t *q);
void store_mfq_warm_stop(store_mfq_t *q);
void store_mfq_warm_kick(store_mfq_t *q);
/* The writer has written mf up to pos: wakes the warm thread if it is running and the
 * warmed pages are running out (the pass that warms a segment to its end also prepares
 * the next one). Cheap (relaxed loads) when nothing is needed. */
static inline void store_mfq_hint(store_mfq_t *q, store_mf_t *mf, int64_t pos) {
    int64_t warm_to = atomic_load_explicit(&mf->warm_to, memory_order_relaxed);
    if (pos + STORE_WARM_AHEAD / 2 > warm_to && warm_to < mf->size &&
        atomic_load_explicit(&q->warm_running, memory_order_relaxed) &&
        !atomic_load_explicit(&q->warm_kicked, memory_order_relaxed))
        store_mfq_warm_kick(q);
}
/*
 * Unmaps the pages of [min offset, upto) from this process (MADV_DONTNEED) while the page
 * cache keeps them: they leave the broker's resident set, and a later reader faults them
 * back in from the page cache. Dirty pages stay dirty in the page cache (MAP_SHARED) and
 * are forced by the next msync of their range. Any thread.
 */
void store_mfq_drop_resident(store_mfq_t *q, int64_t upto);
/* Retained segment holding offset, or NULL. */
store_mf_t *store_mfq_find(store_mfq_t *q, int64_t offset);
/* Retained segment at list index i, or NULL (for scans). */
store_mf_t *store_mfq_at(store_mfq_t *q, size_t i);
size_t store_mfq_count(store_mfq_t *q);
/* First byte of the first segment, or 0 when empty. */
int64_t store_mfq_min_offset(store_mfq_t *q);
/* End of written data (last segment's from + wrote), or 0 when empty. */
int64_t store_mfq_max_offset(store_mfq_t *q);
/* Flushes from the flushed position; least_pages and align as store_mf_flush. Returns 0 or
 * -errno. */
int store_mfq_flush(store_mfq_t *q, int least_pages, int64_t align);
static inline int64_t store_mfq_flushed(store_mfq_t *q) {
    return atomic_load(&q->flushed_where);
}
/* Sets the end of valid data to `offset`: later segments are deleted, the segment holding
 * it gets wrote = flushed = offset - from and its stale tail is zeroed. */
void store_mfq_truncate(store_mfq_t *q, int64_t offset);
/* Removes and deletes the first segment unless it is the last one. Returns 1 if deleted. */
int store_mfq_delete_first(store_mfq_t *q);
/* Deletes every segment and forgets them. */
void store_mfq_destroy(store_mfq_t *q);

#endif
