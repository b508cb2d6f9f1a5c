/*
 * Flushing (spec store.md 5.8) and the housekeeping thread.
 *
 * Commit-log flush thread:
 *   ASYNC_FLUSH: every flushIntervalCommitLog ms force the segments if at least
 *   flushCommitLogLeastPages pages are dirty (any amount every
 *   flushCommitLogThoroughInterval ms).
 *   SYNC_FLUSH (group commit): appenders queue "durable up to offset X" requests; the
 *   thread swaps the request list, forces once, completes every request the force
 *   covered, fails overdue ones with -ETIMEDOUT, and wakes the dispatcher (whose limit is
 *   the flushed offset in this mode).
 * After each force the checkpoint's physicMsgTimestamp gets the store time of the last
 * record appended before the force started.
 *
 * Housekeeping thread (once per flushIntervalConsumeQueue): flush consume queues and the
 * checkpoint, create the next commit-log segment ahead of the writer, run retention
 * every cleanResourceInterval.
 */
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "store/store_internal.h"

#include <errno.h>
#include <string.h>

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
    int rc = store_mfq_flush(&s->cl.mfq, least_pages);
    if (rc == 0 && store_mfq_flushed(&s->cl.mfq) > before && ts > 0)
        store_checkpoint_set(&s->ck, STORE_CKPT_PHYSIC_TS, ts);
    return rc;
}

int store_flush_cqs(store_t *s, int least_pages) {
    int64_t ts = atomic_load(&s->logics_ts);
    size_t n;
    store_cq_t **cqs = store_cq_table_list(&s->cqs, &n);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int r = store_cq_flush(cqs[i], least_pages);
        if (r < 0)
            rc = r;
    }
    rmq_free(cqs);
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

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    int status;
} sync_waiter_t;

static void sync_done(void *arg, int status) {
    sync_waiter_t *w = arg;
    pthread_mutex_lock(&w->lock);
    w->done = true;
    w->status = status;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

int store_wait_flush_sync(store_t *s, int64_t offset) {
    sync_waiter_t w = {.done = false};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    store_wait_flush(s, offset, sync_done, &w);
    pthread_mutex_lock(&w.lock);
    while (!w.done)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.cond);
    return w.status;
}

/* One group commit: force, then complete what the force covered. */
static void group_commit(store_t *s, bool final) {
    pthread_mutex_lock(&s->flush_lock);
    flush_reqs_t batch = s->flush_reqs;
    s->flush_reqs = s->flush_swap;
    s->flush_reqs.count = 0;
    pthread_mutex_unlock(&s->flush_lock);

    int rc = store_flush_commitlog(s, 0);
    int64_t flushed = store_mfq_flushed(&s->cl.mfq);
    store_dispatch_wake(s);
    int64_t now = rmq_mono_ms();
    flush_reqs_t keep = {0};
    for (size_t i = 0; i < batch.count; i++) {
        flush_req_t *r = &batch.items[i];
        if (r->offset <= flushed)
            r->cb(r->arg, 0);
        else if (final)
            r->cb(r->arg, -ECANCELED);
        else if (now >= r->deadline_ms || rc < 0)
            r->cb(r->arg, rc < 0 ? rc : -ETIMEDOUT);
        else
            reqs_push(&keep, *r);
    }
    batch.count = 0;
    pthread_mutex_lock(&s->flush_lock);
    for (size_t i = 0; i < keep.count; i++)
        reqs_push(&s->flush_reqs, keep.items[i]);
    s->flush_swap = batch;
    pthread_mutex_unlock(&s->flush_lock);
    rmq_free(keep.items);
}

static void *flush_main(void *arg) {
    store_t *s = arg;
    bool sync = s->cfg.flush_disk_type == STORE_FLUSH_SYNC;
    int64_t last_thorough = rmq_mono_ms();
    while (atomic_load(&s->running)) {
        if (sync) {
            pthread_mutex_lock(&s->flush_lock);
            if (s->flush_reqs.count == 0 && atomic_load(&s->running)) {
                struct timespec ts;
                deadline_in(&ts, 10);
                pthread_cond_timedwait(&s->flush_cond, &s->flush_lock, &ts);
            }
            pthread_mutex_unlock(&s->flush_lock);
            group_commit(s, false);
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
        store_flush_commitlog(s, least);
    }
    if (sync)
        group_commit(s, true);
    else
        store_flush_commitlog(s, 0);
    return NULL;
}

static void *house_main(void *arg) {
    store_t *s = arg;
    int64_t last_thorough = rmq_mono_ms(), last_clean = rmq_mono_ms();
    while (atomic_load(&s->running)) {
        pthread_mutex_lock(&s->house_lock);
        struct timespec ts;
        deadline_in(&ts, s->cfg.flush_interval_cq_ms);
        if (atomic_load(&s->running))
            pthread_cond_timedwait(&s->house_cond, &s->house_lock, &ts);
        pthread_mutex_unlock(&s->house_lock);
        if (!atomic_load(&s->running))
            break;
        int64_t now = rmq_mono_ms();
        int least = s->cfg.flush_cq_least_pages;
        if (now - last_thorough >= s->cfg.flush_cq_thorough_interval_ms) {
            least = 0;
            last_thorough = now;
        }
        store_flush_cqs(s, least);
        store_checkpoint_flush(&s->ck);
        store_mfq_prepare_next(&s->cl.mfq);
        if (now - last_clean >= s->cfg.clean_resource_interval_ms) {
            last_clean = now;
            store_clean_run(s, false, rmq_now_ms());
        }
    }
    return NULL;
}

int store_flush_start(store_t *s) {
    int rc = pthread_create(&s->flush_thread, NULL, flush_main, s);
    if (rc)
        return -rc;
    rc = pthread_create(&s->house_thread, NULL, house_main, s);
    if (rc) {
        atomic_store(&s->running, false);
        pthread_join(s->flush_thread, NULL);
        return -rc;
    }
    return 0;
}

void store_flush_stop(store_t *s) {
    pthread_mutex_lock(&s->house_lock);
    pthread_cond_broadcast(&s->house_cond);
    pthread_mutex_unlock(&s->house_lock);
    pthread_join(s->house_thread, NULL);
    pthread_mutex_lock(&s->flush_lock);
    pthread_cond_broadcast(&s->flush_cond);
    pthread_mutex_unlock(&s->flush_lock);
    pthread_join(s->flush_thread, NULL);
}
