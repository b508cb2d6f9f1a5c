/*
 * Start-up recovery (spec store.md 5.2-5.7). Runs on the thread calling store_open,
 * before any service starts, so it needs no locks of its own.
 *
 *   1. consume queues: find each queue's valid end; dispatch_from = the furthest record
 *      end any queue indexes;
 *   2. commit log: choose a start segment (normal: the newest whose first record is at or
 *      before dispatch_from; after a crash: the newest whose first record is older than
 *      the checkpoint's minimum timestamp), scan records with CRC checks to the first
 *      invalid one: that is the valid end;
 *   3. truncate the commit log there (zeroing the stale tail, so a second crash cannot
 *      resurrect old records) and cut queue entries beyond it;
 *   4. re-dispatch from the start point to the valid end (queues and index skip what they
 *      already hold), then rebuild the next-offset table from the queues and correct
 *      their min offsets.
 */
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "store/store_internal.h"

#include <errno.h>
#include <inttypes.h>

/* Store time of the first record of segment mf, or -1 if it does not parse. */
static int64_t first_record_ts(store_mf_t *mf) {
    store_record_t r;
    if (store_record_decode(mf->base, (size_t)store_mf_wrote(mf), false, &r) != 0)
        return -1;
    return r.store_ts;
}

static size_t choose_start(store_t *s, size_t n, int64_t dispatch_from) {
    int64_t min_ts = store_checkpoint_min_ts(&s->ck);
    int64_t index_ts = store_checkpoint_get(&s->ck, STORE_CKPT_INDEX_TS);
    bool index_rule = s->cfg.message_index_enable && s->cfg.message_index_safe;
    for (size_t i = n; i-- > 0;) {
        if (s->last_exit_ok && i == 0)
            break;
        store_mf_t *mf = store_mfq_at(&s->cl.mfq, i);
        int64_t ts = first_record_ts(mf);
        bool ok = ts >= 0;
        if (ok && s->last_exit_ok)
            ok = mf->from <= dispatch_from;
        if (ok && !s->last_exit_ok)
            ok = ts <= min_ts;
        if (ok && index_rule)
            ok = ts <= index_ts;
        store_mf_release(mf);
        if (ok)
            return i;
    }
    return 0;
}

/* Scans from segment `start` with CRC checks; returns the valid end. */
static int64_t scan_valid_end(store_t *s, size_t start, size_t n) {
    int64_t t0 = rmq_mono_ms(), scanned = 0, next_report = 1LL << 30;
    int64_t end = 0;
    for (size_t i = start; i < n; i++) {
        store_mf_t *mf = store_mfq_at(&s->cl.mfq, i);
        int64_t pos = 0;
        bool stop = false;
        if (i > start && mf->from != end) {
            /* A gap between segments: what follows cannot be trusted. */
            store_mf_release(mf);
            break;
        }
        while (pos < mf->size) {
            store_record_t r;
            int rc = store_record_decode(mf->base + pos, (size_t)(mf->size - pos),
                                         s->cfg.check_crc_on_recover, &r);
            if (rc == STORE_RECORD_BLANK) {
                pos = mf->size;
                break;
            }
            if (rc < 0 || r.phys_offset != mf->from + pos) {
                stop = true;
                break;
            }
            pos += r.total_size;
        }
        end = mf->from + pos;
        scanned += pos;
        store_mf_release(mf);
        if (scanned >= next_report) {
            int64_t ms = rmq_mono_ms() - t0;
            rmq_log_info("store", "recovery: scanned %" PRId64 " MiB (%.0f MiB/s)", scanned >> 20,
                         ms > 0 ? (double)(scanned >> 20) * 1000.0 / (double)ms : 0.0);
            next_report += 1LL << 30;
        }
        if (stop)
            break;
    }
    int64_t ms = rmq_mono_ms() - t0;
    rmq_log_info("store",
                 "recovery: commit log valid to %" PRId64 ", scanned %" PRId64 " bytes in %" PRId64
                 " ms",
                 end, scanned, ms);
    return end;
}

static void rebuild_offsets(store_t *s) {
    size_t n;
    store_cq_t **cqs = store_cq_table_snapshot(&s->cqs, &n);
    int64_t min_phys = store_commitlog_min_offset(&s->cl);
    for (size_t i = 0; i < n; i++) {
        store_cq_t *cq = cqs[i];
        store_commitlog_set_next_offset(&s->cl, rmq_slice_cstr(cq->topic), cq->queue_id,
                                        store_cq_max_offset(cq));
        store_cq_correct_min(cq, min_phys);
    }
    store_cq_table_snapshot_release(&s->cqs, cqs, n);
}

int store_recover(store_t *s) {
    size_t ncq;
    store_cq_t **cqs = store_cq_table_snapshot(&s->cqs, &ncq);
    int64_t dispatch_from = 0;
    for (size_t i = 0; i < ncq; i++) {
        store_cq_recover(cqs[i]);
        int64_t mp = atomic_load(&cqs[i]->max_phys);
        if (mp > dispatch_from)
            dispatch_from = mp;
    }

    size_t n = store_mfq_count(&s->cl.mfq);
    int64_t valid_end = 0, reput = 0;
    if (n == 0) {
        /* No commit log: nothing the queues or index point at exists. */
        for (size_t i = 0; i < ncq; i++)
            store_cq_destroy_files(cqs[i]);
        store_index_destroy_all(&s->index);
    } else {
        size_t start = choose_start(s, n, dispatch_from);
        store_mf_t *first = store_mfq_at(&s->cl.mfq, start);
        int64_t start_off = first->from;
        store_mf_release(first);
        rmq_log_info("store",
                     "recovery (%s exit): start at segment %" PRId64
                     ", queues dispatched to %" PRId64,
                     s->last_exit_ok ? "normal" : "abnormal", start_off, dispatch_from);
        valid_end = scan_valid_end(s, start, n);
        store_mfq_truncate(&s->cl.mfq, valid_end);
        for (size_t i = 0; i < ncq; i++)
            store_cq_truncate(cqs[i], valid_end);
        if (s->last_exit_ok)
            reput = dispatch_from < start_off ? start_off : dispatch_from;
        else
            reput = start_off;
        if (reput > valid_end)
            reput = valid_end;
    }
    store_cq_table_snapshot_release(&s->cqs, cqs, ncq);
    store_commitlog_reset_writer(&s->cl);

    atomic_store(&s->reput_offset, reput);
    int64_t t0 = rmq_mono_ms();
    int64_t done = store_dispatch_run(s, valid_end);
    if (done > 0)
        rmq_log_info("store", "recovery: re-dispatched %" PRId64 " bytes in %" PRId64 " ms", done,
                     rmq_mono_ms() - t0);
    if (atomic_load(&s->reput_offset) < valid_end)
        rmq_log_warn("store", "recovery: dispatch stopped at %" PRId64 " before %" PRId64,
                     atomic_load(&s->reput_offset), valid_end);
    rebuild_offsets(s);
    store_checkpoint_set(&s->ck, STORE_CKPT_CONFIRM_OFFSET, valid_end);
    return 0;
}
