/*
 * Dispatch ("reput"): follows the commit log behind the writer and, for every record,
 * appends its consume-queue entry, indexes its keys and calls the broker's hook (which
 * wakes held pulls). Runs on: the dispatch thread, and on the opening thread during
 * recovery. dispatch_lock serialises passes so recovery, store_dispatch_catch_up and the
 * thread never interleave.
 *
 * The dispatch limit ("confirm offset", spec 5.9) is the written end of the commit log
 * under ASYNC_FLUSH and the flushed end under SYNC_FLUSH, so consumers never see a record
 * that a crash could still take away.
 */
#include "common/checksum.h"
#include "common/log.h"
#include "common/str.h"
#include "common/time.h"
#include "store/store_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

static int64_t tag_code_of(store_t *s, const store_record_t *r) {
    rmq_slice_t v;
    if (r->topic.len == sizeof STORE_SCHEDULE_TOPIC - 1 &&
        memcmp(r->topic.ptr, STORE_SCHEDULE_TOPIC, r->topic.len) == 0 &&
        store_props_get(r->props, "DELAY", &v)) {
        int32_t level;
        if (rmq_parse_i32(v.ptr, v.len, &level) == 0) {
            if (level > s->max_delay_level)
                level = s->max_delay_level;
            if (level > 0)
                return r->store_ts + s->delay_ms[level];
        }
    }
    if (store_props_get(r->props, "TAGS", &v))
        return (int64_t)rmq_java_string_hash(v.ptr, v.len);
    return 0;
}

/* Builds the queue entry, the index entries and calls the hook for one record. */
static void dispatch_one(store_t *s, const store_record_t *r, int64_t phys) {
    int32_t tx = r->sys_flag & STORE_SYSFLAG_TX_MASK;
    store_dispatch_req_t req = {
        .topic = r->topic,
        .queue_id = r->queue_id,
        .queue_offset = r->queue_offset,
        .phys_offset = phys,
        .size = r->total_size,
        .tag_code = tag_code_of(s, r),
        .store_ts = r->store_ts,
        .born_ts = r->born_ts,
        .sys_flag = r->sys_flag,
        .prepared_tx_offset = r->prepared_tx_offset,
        .props = r->props,
    };
    store_props_get(r->props, "KEYS", &req.keys);
    store_props_get(r->props, "UNIQ_KEY", &req.uniq_key);
    if (tx == STORE_SYSFLAG_TX_NOT_TYPE || tx == STORE_SYSFLAG_TX_COMMIT) {
        store_cq_t *cq = store_cq_table_get(&s->cqs, r->topic, r->queue_id, true);
        int rc =
            cq ? store_cq_put(cq, phys, r->total_size, req.tag_code, r->queue_offset) : -EINVAL;
        if (rc < 0)
            rmq_log_error("store", "consume queue append failed at %" PRId64 ": %s", phys,
                          strerror(-rc));
        if (cq)
            store_cq_table_release(&s->cqs, cq);
        atomic_store_explicit(&s->logics_ts, r->store_ts, memory_order_relaxed);
    }
    if (s->cfg.message_index_enable && tx != STORE_SYSFLAG_TX_ROLLBACK) {
        int rc = store_index_put(&s->index, r->topic, req.uniq_key, req.keys, phys, r->store_ts);
        if (rc < 0)
            rmq_log_error("store", "index build failed at %" PRId64 ": %s", phys, strerror(-rc));
    }
    if (s->cfg.on_dispatch && (tx == STORE_SYSFLAG_TX_NOT_TYPE || tx == STORE_SYSFLAG_TX_COMMIT))
        s->cfg.on_dispatch(s->cfg.on_dispatch_arg, &req);
}

int64_t store_dispatch_limit(store_t *s) {
    if (s->cfg.flush_disk_type == STORE_FLUSH_SYNC)
        return store_mfq_flushed(&s->cl.mfq);
    return store_commitlog_max_offset(&s->cl);
}

int64_t store_dispatch_run(store_t *s, int64_t limit) {
    pthread_mutex_lock(&s->dispatch_lock);
    int64_t reput = atomic_load(&s->reput_offset), start = reput;
    int64_t min = store_commitlog_min_offset(&s->cl);
    if (reput < min)
        reput = min;
    store_mf_t *mf = NULL;
    while (reput < limit) {
        if (!mf || reput < mf->from || reput >= mf->from + mf->size) {
            store_mf_release(mf);
            mf = store_mfq_find(&s->cl.mfq, reput);
            if (!mf)
                break;
        }
        int64_t end = store_mf_wrote(mf);
        if (mf->from + end > limit)
            end = limit - mf->from;
        int64_t pos = reput - mf->from;
        store_record_t r;
        int rc = store_record_decode(mf->base + pos, (size_t)(end - pos), false, &r);
        if (rc == STORE_RECORD_BLANK) {
            reput = mf->from + mf->size;
            continue;
        }
        if (rc < 0) {
            rmq_log_error("store", "dispatch stopped: invalid record at %" PRId64, reput);
            break;
        }
        dispatch_one(s, &r, reput);
        reput += r.total_size;
    }
    store_mf_release(mf);
    atomic_store(&s->reput_offset, reput);
    pthread_mutex_unlock(&s->dispatch_lock);
    return reput - start;
}

void store_dispatch_catch_up(store_t *s) {
    store_dispatch_run(s, store_dispatch_limit(s));
}

int64_t store_dispatch_behind(store_t *s) {
    int64_t behind = store_commitlog_max_offset(&s->cl) - atomic_load(&s->reput_offset);
    return behind > 0 ? behind : 0;
}

void store_dispatch_wake(store_t *s) {
    /* Pairs with the fence in dispatch_main: either we see it asleep or it sees our data. */
    atomic_thread_fence(memory_order_seq_cst);
    if (!atomic_load_explicit(&s->dispatch_sleeping, memory_order_relaxed))
        return;
    pthread_mutex_lock(&s->dispatch_lock);
    pthread_cond_signal(&s->dispatch_cond);
    pthread_mutex_unlock(&s->dispatch_lock);
}

/* How long the dispatcher polls after dispatching something before it sleeps until an
 * append wakes it (as the Java broker's ReputMessageService, which polls every 1 ms). */
#define DISPATCH_POLL_NS 1000000

static void *dispatch_main(void *arg) {
    store_t *s = arg;
    pthread_setname_np(pthread_self(), "store-dispatch");
    int64_t busy_at = 0; /* when the last run dispatched something */
    while (atomic_load(&s->running)) {
        if (store_dispatch_run(s, store_dispatch_limit(s)) > 0) {
            busy_at = rmq_mono_ns();
            continue;
        }
        /* Under load, poll instead of being woken by every append: a wake-up per append
         * (tens of thousands a second) preempted the I/O loops that made it, often
         * inside the append lock. */
        if (rmq_mono_ns() - busy_at < 4 * DISPATCH_POLL_NS) {
            struct timespec ts = {0, DISPATCH_POLL_NS};
            nanosleep(&ts, NULL);
            continue;
        }
        /* Nothing new: sleep until an append wakes us (or 10 ms pass, which covers a
         * wake-up that raced with going to sleep). */
        pthread_mutex_lock(&s->dispatch_lock);
        atomic_store_explicit(&s->dispatch_sleeping, true, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        if (atomic_load(&s->reput_offset) >= store_dispatch_limit(s) && atomic_load(&s->running)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 10 * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&s->dispatch_cond, &s->dispatch_lock, &ts);
        }
        atomic_store_explicit(&s->dispatch_sleeping, false, memory_order_relaxed);
        pthread_mutex_unlock(&s->dispatch_lock);
    }
    return NULL;
}

int store_dispatch_start(store_t *s) {
    int rc = pthread_create(&s->dispatch_thread, NULL, dispatch_main, s);
    return rc ? -rc : 0;
}

void store_dispatch_stop(store_t *s) {
    pthread_mutex_lock(&s->dispatch_lock);
    pthread_cond_broadcast(&s->dispatch_cond);
    pthread_mutex_unlock(&s->dispatch_lock);
    pthread_join(s->dispatch_thread, NULL);
}
