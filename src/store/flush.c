/*
 * Flushing (spec store.md 5.8) and the housekeeping thread.
 *
 * Commit-log flush thread:
 *   ASYNC_FLUSH: every flushIntervalCommitLog ms force the segments if at least
 *   flushCommitLogLeastPages pages are dirty (any amount every
 *   flushCommitLogThoroughInterval ms), but only whole 2 MiB blocks behind the writer
 *   (flush_behind() says why); at close everything.
 *   SYNC_FLUSH (group commit): appenders queue "durable up to offset X" requests; the
 *   thread gathers a batch (gather() below), swaps the request list, forces once,
 *   completes every request the force covered, fails overdue ones with -ETIMEDOUT, and
 *   then wakes the dispatcher (whose limit is the flushed offset in this mode). The
 *   force is msync over the range, which the kernel turns into a ranged fdatasync
 *   (writeback of the range, then the journal commit); mapped_file.h explains why the
 *   segment being appended to is kept in 4 KiB page-cache pages.
 * After each force the checkpoint's physicMsgTimestamp gets the store time of the last
 * record appended before the force started.
 *
 * Housekeeping thread (once per flushIntervalConsumeQueue): flush consume queues and the
 * checkpoint, create the next commit-log segment ahead of the writer (when the warm
 * thread of mapped_file_queue.h has not already), run retention every
 * cleanResourceInterval. Every STORE_DROP_INTERVAL_MS it also drops the commit-log pages
 * more than STORE_RESIDENT_WINDOW behind the writer from the process (they stay in the
 * page cache; without this the broker's RSS grows by every byte written, up to the size
 * of the mapped segments); consume queues and index files the same way once a second.
 */
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "store/store_internal.h"

#include <sys/resource.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <time.h>
#include <string.h>

/* Commit-log bytes behind the flushed position that stay mapped in the process: the
 * part consumers near the tail read. Older pages are read through the page cache. */
#define STORE_RESIDENT_WINDOW  (64 * 1024 * 1024)
#define STORE_DROP_INTERVAL_MS 100
/* The same for consume queues (1 MiB = 52,428 entries of each queue) and the index
 * file's entries. */
#define STORE_CQ_RESIDENT_WINDOW    (1024 * 1024)
#define STORE_INDEX_RESIDENT_WINDOW (1024 * 1024)

static void deadline_in(struct timespec *ts, int ms) {
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

int store_flush_commitlog(store_t *s, int least_pages) {
    int64_t ts = atomic_load(&s->cl.last_store_ts);
    int64_t before = store_mfq_flushed(&s->cl.mfq);
    int rc = store_mfq_flush(&s->cl.mfq, least_pages, 0);
    if (rc == 0 && store_mfq_flushed(&s->cl.mfq) > before && ts > 0)
        store_checkpoint_set(&s->ck, STORE_CKPT_PHYSIC_TS, ts);
    return rc;
}

int store_flush_cqs(store_t *s, int least_pages) {
    int64_t ts = atomic_load(&s->logics_ts);
    size_t n;
    store_cq_t **cqs = store_cq_table_snapshot(&s->cqs, &n);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int r = store_cq_flush(cqs[i], least_pages);
        if (r < 0)
            rc = r;
        int64_t cold = store_mfq_flushed(&cqs[i]->mfq) - STORE_CQ_RESIDENT_WINDOW;
        if (cold > 0)
            store_mfq_drop_resident(&cqs[i]->mfq, cold);
    }
    store_cq_table_snapshot_release(&s->cqs, cqs, n);
    if (rc == 0 && least_pages == 0 && ts > 0)
        store_checkpoint_set(&s->ck, STORE_CKPT_LOGICS_TS, ts);
    return rc;
}

static void reqs_push(flush_reqs_t *v, flush_req_t r) {
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->items = rmq_realloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->count++] = r;
}

void store_wait_flush(store_t *s, int64_t offset, store_flush_cb cb, void *arg) {
    if (s->cfg.flush_disk_type != STORE_FLUSH_SYNC || store_mfq_flushed(&s->cl.mfq) >= offset) {
        cb(arg, 0);
        return;
    }
    pthread_mutex_lock(&s->flush_lock);
    if (!atomic_load(&s->running) || !s->threads_started) {
        pthread_mutex_unlock(&s->flush_lock);
        /* No flush thread: force here so the caller still gets a durable answer. */
        int rc = store_flush_commitlog(s, 0);
        cb(arg, rc);
        return;
    }
    flush_req_t r = {offset, rmq_mono_ms() + s->cfg.sync_flush_timeout_ms, cb, arg};
    reqs_push(&s->flush_reqs, r);
    pthread_cond_signal(&s->flush_cond);
    pthread_mutex_unlock(&s->flush_lock);
}

/*
 * Blocked callers of store_wait_flush_sync. Their callback only marks the waiter done;
 * the flush thread then wakes every sleeping waiter with one futex call per group
 * commit (wake_sync_waiters) instead of one wake-up per request, each of which could
 * preempt it: with 64 blocked threads that was as long as the force. The generation
 * word is process-wide, so a store's group commit may wake another store's waiters;
 * they find themselves not done and sleep again.
 */
typedef struct {
    int status;
    _Atomic bool done;
} sync_waiter_t;

static _Atomic uint32_t sync_gen;
static _Atomic int sync_sleepers;
static _Thread_local bool sync_wake_pending; /* on the thread running callbacks */

static void futex_wait_gen(uint32_t seen) {
    syscall(SYS_futex, &sync_gen, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void futex_wake_gen(void) {
    syscall(SYS_futex, &sync_gen, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void sync_done(void *arg, int status) {
    sync_waiter_t *w = arg;
    w->status = status;
    atomic_store(&w->done, true); /* w may be gone right after this */
    sync_wake_pending = true;
}

/* After a round of callbacks: wakes the waiters they completed. */
static void wake_sync_waiters(void) {
    if (!sync_wake_pending)
        return;
    sync_wake_pending = false;
    atomic_fetch_add(&sync_gen, 1);
    if (atomic_load(&sync_sleepers) > 0)
        futex_wake_gen();
}

int store_wait_flush_sync(store_t *s, int64_t offset) {
    sync_waiter_t w = {.status = 0, .done = false};
    store_wait_flush(s, offset, sync_done, &w);
    /* Pairs with sync_done + wake_sync_waiters (all sequentially consistent): either
     * the flush thread sees us among the sleepers, or we see done or a new generation
     * (then FUTEX_WAIT returns at once). */
    while (!atomic_load(&w.done)) {
        uint32_t seen = atomic_load(&sync_gen);
        atomic_fetch_add(&sync_sleepers, 1);
        if (!atomic_load(&w.done))
            futex_wait_gen(seen);
        atomic_fetch_sub(&sync_sleepers, 1);
    }
    sync_wake_pending = false; /* completed on this thread (no flush thread) */
    return w.status;
}

/* Under SYNC_FLUSH the flush thread warms the commit log itself (mapped_file_queue.h),
 * between two forces: pre-faulting pages while a force is in flight, as the warm thread
 * would, stalls that force by milliseconds now and then (measured: p99 x2-4). */
#define SYNC_WARM_AHEAD (1024 * 1024)
#define SYNC_WARM_STEP  (256 * 1024)

/* What the flush thread learned from its last group commit. */
typedef struct {
    size_t completed; /* requests the last force completed */
    int64_t force_ns; /* how long it took */
} gc_stats_t;

/* One group commit: force, then complete what the force covered. */
static void group_commit(store_t *s, bool final, gc_stats_t *gs) {
    pthread_mutex_lock(&s->flush_lock);
    flush_reqs_t batch = s->flush_reqs;
    s->flush_reqs = s->flush_swap;
    s->flush_reqs.count = 0;
    pthread_mutex_unlock(&s->flush_lock);

    int64_t t0 = rmq_mono_ns();
    int rc = store_flush_commitlog(s, 0);
    int64_t flushed = store_mfq_flushed(&s->cl.mfq);
    gs->force_ns = rmq_mono_ns() - t0;
    int64_t now = rmq_mono_ms();
    flush_reqs_t keep = {0};
    size_t done = 0;
    for (size_t i = 0; i < batch.count; i++) {
        flush_req_t *r = &batch.items[i];
        if (r->offset <= flushed) {
            r->cb(r->arg, 0);
            done++;
        } else if (final) {
            r->cb(r->arg, -ECANCELED);
        } else if (now >= r->deadline_ms || rc < 0) {
            r->cb(r->arg, rc < 0 ? rc : -ETIMEDOUT);
        } else {
            reqs_push(&keep, *r);
        }
    }
    gs->completed = done;
    wake_sync_waiters();
    /* Acknowledgements first, then the dispatcher (whose limit is the flushed offset):
     * the appenders' next records are what the next force is waiting for. */
    store_dispatch_wake(s);
    batch.count = 0;
    pthread_mutex_lock(&s->flush_lock);
    for (size_t i = 0; i < keep.count; i++)
        reqs_push(&s->flush_reqs, keep.items[i]);
    s->flush_swap = batch;
    pthread_mutex_unlock(&s->flush_lock);
    rmq_free(keep.items);
}

static size_t pending_reqs(store_t *s) {
    pthread_mutex_lock(&s->flush_lock);
    size_t n = s->flush_reqs.count;
    pthread_mutex_unlock(&s->flush_lock);
    return n;
}

/*
 * Gathers the next batch. Appenders whose records the last force completed come back
 * with new records within tens of microseconds (an I/O loop sends its replies and takes
 * the next requests), but the first of them would otherwise start the next force alone
 * and the rest would wait a whole force for the one after: batches alternate small and
 * large. So when fewer than 3/4 of the last batch are back, wait for them a little:
 * at most a quarter of the last force's duration and 200 us, in short sleeps (no
 * wake-up per request), which bounds the added latency. A lone appender (a batch of
 * fewer than 4) never waits.
 */
static void gather(store_t *s, const gc_stats_t *gs) {
    /* First the pages the next records will land in, so the appenders' critical
     * section takes no page fault; this costs about what the faults would have. */
    store_mfq_warm_ahead(&s->cl.mfq, SYNC_WARM_AHEAD, SYNC_WARM_STEP);
    if (gs->completed < 4)
        return;
    size_t want = gs->completed - gs->completed / 4;
    int64_t wait = gs->force_ns / 4;
    if (wait > 200000)
        wait = 200000;
    int64_t until = rmq_mono_ns() + wait;
    for (;;) {
        if (pending_reqs(s) >= want)
            break;
        int64_t left = until - rmq_mono_ns();
        if (left <= 0)
            break;
        struct timespec ts = {0, left < 25000 ? left : 25000};
        nanosleep(&ts, NULL);
    }
}

/* A point the writer had reached: records stored at or before ts lie below phys. */
typedef struct {
    int64_t ts, phys;
} flush_mark_t;

/* ASYNC_FLUSH forces whole blocks of this size behind the writer: the largest page-cache
 * folio the kernel builds for a file mapping (a PMD, 2 MiB on x86-64 and arm64 with 4 KiB
 * pages), so the folio being written into is never part of a force even where the
 * segment is built of smaller folios (store_mfq_set_append_pages). */
#define ASYNC_FLUSH_ALIGN (2 * 1024 * 1024)

/*
 * One ASYNC_FLUSH round. Forcing the folio the writer is in would write-protect it, and
 * the writer's next store would fault inside the append lock (page_mkwrite: the file
 * system's journal, dirty throttling, and on a busy machine a preemption with the lock
 * held: measured as 10-60 ms stalls of every send). So only whole ASYNC_FLUSH_ALIGN blocks
 * behind the write position are forced; a thorough round that finds none (a slow writer)
 * forces everything. The checkpoint gets the newest mark the forced range covers (the
 * mark of an earlier round until this round's is covered).
 */
static void flush_behind(store_t *s, int least, bool thorough, flush_mark_t *prev) {
    flush_mark_t now = {atomic_load(&s->cl.last_store_ts), 0};
    now.phys = store_commitlog_max_offset(&s->cl);
    int64_t before = store_mfq_flushed(&s->cl.mfq);
    int rc = store_mfq_flush(&s->cl.mfq, least, ASYNC_FLUSH_ALIGN);
    int64_t reached = store_mfq_flushed(&s->cl.mfq);
    if (rc == 0 && thorough && reached == before && reached < now.phys) {
        rc = store_mfq_flush(&s->cl.mfq, 0, 0);
        reached = store_mfq_flushed(&s->cl.mfq);
    }
    if (rc != 0)
        return;
    if (now.ts > 0 && reached >= now.phys) {
        store_checkpoint_set(&s->ck, STORE_CKPT_PHYSIC_TS, now.ts);
        *prev = (flush_mark_t){0, 0};
        return;
    }
    if (prev->ts > 0 && reached >= prev->phys)
        store_checkpoint_set(&s->ck, STORE_CKPT_PHYSIC_TS, prev->ts);
    if (prev->ts == 0 || reached >= prev->phys)
        *prev = now;
}

static void *flush_main(void *arg) {
    flush_mark_t prev = {0, 0};
    store_t *s = arg;
    pthread_setname_np(pthread_self(), "store-flush");
    bool sync = s->cfg.flush_disk_type == STORE_FLUSH_SYNC;
    int64_t last_thorough = rmq_mono_ms();
    gc_stats_t gs = {0};
#ifdef PR_SET_TIMERSLACK
    if (sync)
        prctl(PR_SET_TIMERSLACK, 1000UL); /* gather()'s short sleeps */
#endif
    if (!sync) /* background work under ASYNC_FLUSH: yields to the I/O loops (see warm_main) */
        setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
    while (atomic_load(&s->running)) {
        if (sync) {
            pthread_mutex_lock(&s->flush_lock);
            if (s->flush_reqs.count == 0 && atomic_load(&s->running)) {
                struct timespec ts;
                deadline_in(&ts, 10);
                pthread_cond_timedwait(&s->flush_cond, &s->flush_lock, &ts);
            }
            pthread_mutex_unlock(&s->flush_lock);
            gather(s, &gs);
            group_commit(s, false, &gs);
            continue;
        }
        pthread_mutex_lock(&s->flush_lock);
        struct timespec ts;
        deadline_in(&ts, s->cfg.flush_interval_commitlog_ms);
        if (atomic_load(&s->running))
            pthread_cond_timedwait(&s->flush_cond, &s->flush_lock, &ts);
        pthread_mutex_unlock(&s->flush_lock);
        int least = s->cfg.flush_commitlog_least_pages;
        int64_t now = rmq_mono_ms();
        if (now - last_thorough >= s->cfg.flush_commitlog_thorough_interval_ms) {
            least = 0;
            last_thorough = now;
        }
        flush_behind(s, least, least == 0, &prev);
    }
    if (sync)
        group_commit(s, true, &gs);
    else
        store_flush_commitlog(s, 0);
    return NULL;
}

static void *house_main(void *arg) {
    store_t *s = arg;
    pthread_setname_np(pthread_self(), "store-house");
    int64_t last_cq = rmq_mono_ms(), last_thorough = last_cq, last_clean = last_cq;
    while (atomic_load(&s->running)) {
        pthread_mutex_lock(&s->house_lock);
        struct timespec ts;
        deadline_in(&ts, STORE_DROP_INTERVAL_MS < s->cfg.flush_interval_cq_ms
                             ? STORE_DROP_INTERVAL_MS
                             : s->cfg.flush_interval_cq_ms);
        if (atomic_load(&s->running))
            pthread_cond_timedwait(&s->house_cond, &s->house_lock, &ts);
        pthread_mutex_unlock(&s->house_lock);
        if (!atomic_load(&s->running))
            break;
        /* Behind the writer, not the flush: a MAP_SHARED page dropped while dirty stays
         * dirty in the page cache and is forced by the next msync of its range. */
        int64_t cold = store_mfq_max_offset(&s->cl.mfq) - STORE_RESIDENT_WINDOW;
        if (cold > 0)
            store_mfq_drop_resident(&s->cl.mfq, cold);
        int64_t now = rmq_mono_ms();
        if (now - last_cq < s->cfg.flush_interval_cq_ms)
            continue;
        last_cq = now;
        int least = s->cfg.flush_cq_least_pages;
        if (now - last_thorough >= s->cfg.flush_cq_thorough_interval_ms) {
            least = 0;
            last_thorough = now;
        }
        store_flush_cqs(s, least);
        store_checkpoint_flush(&s->ck);
        store_mfq_prepare_next(&s->cl.mfq);
        store_index_drop_resident(&s->index, STORE_INDEX_RESIDENT_WINDOW);
        if (now - last_clean >= s->cfg.clean_resource_interval_ms) {
            last_clean = now;
            store_clean_run(s, false, rmq_now_ms());
        }
    }
    return NULL;
}

int store_flush_start(store_t *s) {
    bool sync = s->cfg.flush_disk_type == STORE_FLUSH_SYNC;
    store_mfq_set_append_pages(&s->cl.mfq, sync ? STORE_PAGES_SMALL : STORE_PAGES_PMD);
    int rc = sync ? 0 : store_mfq_warm_start(&s->cl.mfq);
    if (rc < 0)
        return rc;
    rc = pthread_create(&s->flush_thread, NULL, flush_main, s);
    if (rc) {
        store_mfq_warm_stop(&s->cl.mfq);
        return -rc;
    }
    rc = pthread_create(&s->house_thread, NULL, house_main, s);
    if (rc) {
        atomic_store(&s->running, false);
        pthread_join(s->flush_thread, NULL);
        store_mfq_warm_stop(&s->cl.mfq);
        return -rc;
    }
    return 0;
}

void store_flush_stop(store_t *s) {
    store_mfq_warm_stop(&s->cl.mfq);
    pthread_mutex_lock(&s->house_lock);
    pthread_cond_broadcast(&s->house_cond);
    pthread_mutex_unlock(&s->house_lock);
    pthread_join(s->house_thread, NULL);
    pthread_mutex_lock(&s->flush_lock);
    pthread_cond_broadcast(&s->flush_cond);
    pthread_mutex_unlock(&s->flush_lock);
    pthread_join(s->flush_thread, NULL);
}
