/*
 * ConsumeQueue segments; layout in consume_queue.h. Appends come from the dispatch
 * thread; reads from pull threads; truncation and deletion from recovery and the
 * cleaner, both of which hold no lock the dispatcher needs.
 */
#include "store/consume_queue.h"

#include "common/alloc.h"
#include "common/buf.h"
#include "common/log.h"
#include "store/fsutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

store_cq_t *store_cq_new(const store_fileops_t *ops, const char *cq_root, const char *topic,
                         int32_t queue_id, int64_t file_size) {
    store_cq_t *cq = RMQ_NEW(store_cq_t);
    cq->topic = rmq_strdup(topic);
    cq->queue_id = queue_id;
    char qid[16];
    snprintf(qid, sizeof qid, "%d", queue_id);
    char *tdir = store_path_join(cq_root, topic);
    char *dir = store_path_join(tdir, qid);
    store_mfq_init(&cq->mfq, ops, dir, file_size);
    /* Entries are appended 20 bytes at a time: without this, the first fault on a new
     * segment reads around read_ahead_kb and zeroes the whole 6 MB file in one
     * non-preemptible step on the dispatch thread (20-90 ms on fresh VM memory). */
    store_mfq_set_append_pages(&cq->mfq, STORE_PAGES_SMALL);
    rmq_free(tdir);
    rmq_free(dir);
    return cq;
}

void store_cq_destroy(store_cq_t *cq) {
    if (!cq)
        return;
    store_mfq_close(&cq->mfq);
    rmq_free(cq->topic);
    rmq_free(cq);
}

int store_cq_load(store_cq_t *cq) {
    int rc = store_mfq_load(&cq->mfq);
    store_mfq_set_append_pages(&cq->mfq, STORE_PAGES_SMALL); /* the loaded last segment */
    return rc;
}

static void read_entry(const char *p, store_cq_entry_t *e) {
    e->phys_offset = (int64_t)rmq_get_u64be(p);
    e->size = (int32_t)rmq_get_u32be(p + 8);
    e->tag_code = (int64_t)rmq_get_u64be(p + 12);
}

static void write_entry(char *p, int64_t phys, int32_t size, int64_t tag) {
    rmq_put_u64be(p, (uint64_t)phys);
    rmq_put_u32be(p + 8, (uint32_t)size);
    rmq_put_u64be(p + 12, (uint64_t)tag);
}

void store_cq_recover(store_cq_t *cq) {
    size_t n = store_mfq_count(&cq->mfq);
    if (n == 0)
        return;
    size_t i = n > 3 ? n - 3 : 0;
    int64_t end = 0, max_phys = 0;
    for (; i < n; i++) {
        store_mf_t *mf = store_mfq_at(&cq->mfq, i);
        int64_t pos = 0;
        for (; pos + STORE_CQ_UNIT <= mf->size; pos += STORE_CQ_UNIT) {
            store_cq_entry_t e;
            read_entry(mf->base + pos, &e);
            if (e.phys_offset < 0 || e.size <= 0)
                break;
            if (e.size != STORE_CQ_FILLER_SIZE)
                max_phys = e.phys_offset + e.size;
        }
        end = mf->from + pos;
        bool whole = pos + STORE_CQ_UNIT > mf->size;
        store_mf_release(mf);
        if (!whole)
            break;
    }
    atomic_store(&cq->max_phys, max_phys);
    store_mfq_truncate(&cq->mfq, end);
}

/* First write of a queue that starts at a non-zero offset: pad the file head. */
static void fill_head(store_mf_t *mf, int64_t upto) {
    for (int64_t pos = 0; pos < upto; pos += STORE_CQ_UNIT)
        write_entry(mf->base + pos, 0, STORE_CQ_FILLER_SIZE, 0);
    atomic_store_explicit(&mf->wrote, upto, memory_order_release);
}

int store_cq_put(store_cq_t *cq, int64_t phys_offset, int32_t size, int64_t tag_code,
                 int64_t queue_offset) {
    /* Values come from commit-log records on disk: reject what cannot be an entry. */
    if (phys_offset < 0 || size <= 0 || queue_offset < 0 ||
        queue_offset > INT64_MAX / STORE_CQ_UNIT / 2 || phys_offset > INT64_MAX / 2)
        return -EINVAL;
    if (phys_offset + size <= atomic_load(&cq->max_phys))
        return 0;
    int64_t expect = queue_offset * STORE_CQ_UNIT;
    int64_t fs = cq->mfq.file_size;
    store_mf_t *mf = store_mfq_last(&cq->mfq);
    if (!mf) {
        int rc = store_mfq_create(&cq->mfq, expect - expect % fs, &mf);
        if (rc < 0)
            return rc;
        store_mf_retain(mf);
        if (expect % fs)
            fill_head(mf, expect % fs);
        atomic_store(&cq->min_logic, expect);
    } else if (store_mf_is_full(mf)) {
        int64_t next = mf->from + fs;
        store_mf_release(mf);
        int rc = store_mfq_create(&cq->mfq, next, &mf);
        if (rc < 0)
            return rc;
        store_mf_retain(mf);
    }
    int64_t pos = store_mf_wrote(mf);
    int64_t cur = mf->from + pos;
    if (pos % STORE_CQ_UNIT != 0 || pos + STORE_CQ_UNIT > mf->size) {
        store_mf_release(mf);
        return -EIO; /* never happens for files this code wrote */
    }
    if (expect < cur) {
        rmq_log_warn("store", "cq %s-%d: entry for offset %" PRId64 " built repeatedly", cq->topic,
                     cq->queue_id, queue_offset);
        store_mf_release(mf);
        return 0;
    }
    if (expect != cur)
        rmq_log_warn("store", "cq %s-%d: queue offset %" PRId64 " but next slot is %" PRId64,
                     cq->topic, cq->queue_id, queue_offset, cur / STORE_CQ_UNIT);
    write_entry(mf->base + pos, phys_offset, size, tag_code);
    atomic_store_explicit(&mf->wrote, pos + STORE_CQ_UNIT, memory_order_release);
    atomic_store(&cq->max_phys, phys_offset + size);
    store_mf_release(mf);
    return 0;
}

int store_cq_read(store_cq_t *cq, int64_t index, store_cq_entry_t *e, store_mf_t **cache) {
    int64_t off = index * STORE_CQ_UNIT;
    if (index < 0 || off < atomic_load(&cq->min_logic))
        return -ENOENT;
    store_mf_t *mf = *cache;
    if (!mf || off < mf->from || off >= mf->from + mf->size) {
        store_mf_release(mf);
        mf = *cache = store_mfq_find(&cq->mfq, off);
        if (!mf)
            return -ENOENT;
    }
    int64_t pos = off - mf->from;
    if (pos + STORE_CQ_UNIT > store_mf_wrote(mf))
        return -ENOENT;
    read_entry(mf->base + pos, e);
    return 0;
}

int64_t store_cq_max_offset(store_cq_t *cq) {
    return store_mfq_max_offset(&cq->mfq) / STORE_CQ_UNIT;
}

int64_t store_cq_min_offset(store_cq_t *cq) {
    return atomic_load(&cq->min_logic) / STORE_CQ_UNIT;
}

void store_cq_truncate(store_cq_t *cq, int64_t phys_offset) {
    size_t n = store_mfq_count(&cq->mfq);
    int64_t end = -1, max_phys = 0;
    for (size_t i = n; i-- > 0 && end < 0;) {
        store_mf_t *mf = store_mfq_at(&cq->mfq, i);
        int64_t wrote = store_mf_wrote(mf);
        for (int64_t pos = 0; pos + STORE_CQ_UNIT <= wrote; pos += STORE_CQ_UNIT) {
            store_cq_entry_t e;
            read_entry(mf->base + pos, &e);
            bool filler = e.size == STORE_CQ_FILLER_SIZE && e.phys_offset == 0;
            if (!filler && e.phys_offset >= phys_offset) {
                if (pos > 0)
                    end = mf->from + pos;
                break;
            }
            if (!filler)
                max_phys = e.phys_offset + e.size;
            end = mf->from + pos + STORE_CQ_UNIT;
        }
        if (wrote == 0 && i == 0)
            end = mf->from;
        store_mf_release(mf);
    }
    if (end < 0) {
        /* Every entry is beyond the new end of the commit log. */
        store_mfq_destroy(&cq->mfq);
        atomic_store(&cq->min_logic, 0);
        atomic_store(&cq->max_phys, 0);
        return;
    }
    store_mfq_truncate(&cq->mfq, end);
    atomic_store(&cq->max_phys, max_phys);
}

/* Queue offset of the last entry in mf that is not a filler, or -1. */
static int64_t last_phys_in(store_mf_t *mf, store_cq_entry_t *e) {
    int64_t wrote = store_mf_wrote(mf);
    if (wrote < STORE_CQ_UNIT)
        return -1;
    read_entry(mf->base + wrote - STORE_CQ_UNIT, e);
    return e->phys_offset;
}

void store_cq_correct_min(store_cq_t *cq, int64_t min_phys) {
    size_t n = store_mfq_count(&cq->mfq);
    for (size_t i = 0; i < n; i++) {
        store_mf_t *mf = store_mfq_at(&cq->mfq, i);
        store_cq_entry_t e;
        if (!mf)
            break;
        if (last_phys_in(mf, &e) < min_phys) {
            store_mf_release(mf);
            continue;
        }
        /* Binary search: first entry with phys >= min_phys (fillers sort first: phys 0). */
        int64_t lo = 0, hi = store_mf_wrote(mf) / STORE_CQ_UNIT - 1;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            read_entry(mf->base + mid * STORE_CQ_UNIT, &e);
            bool filler = e.size == STORE_CQ_FILLER_SIZE && e.phys_offset == 0;
            if (!filler && e.phys_offset >= min_phys)
                hi = mid;
            else
                lo = mid + 1;
        }
        int64_t logic = mf->from + lo * STORE_CQ_UNIT;
        store_mf_release(mf);
        if (logic > atomic_load(&cq->min_logic))
            atomic_store(&cq->min_logic, logic);
        return;
    }
    int64_t max = store_mfq_max_offset(&cq->mfq);
    if (max > atomic_load(&cq->min_logic))
        atomic_store(&cq->min_logic, max);
}

int store_cq_delete_expired(store_cq_t *cq, int64_t min_phys) {
    int deleted = 0;
    for (;;) {
        if (store_mfq_count(&cq->mfq) <= 1)
            break;
        store_mf_t *mf = store_mfq_first(&cq->mfq);
        store_cq_entry_t e;
        bool expired = store_mf_is_full(mf) && last_phys_in(mf, &e) < min_phys;
        store_mf_release(mf);
        if (!expired || !store_mfq_delete_first(&cq->mfq))
            break;
        deleted++;
    }
    if (deleted)
        store_cq_correct_min(cq, min_phys);
    return deleted;
}

int store_cq_flush(store_cq_t *cq, int least_pages) {
    return store_mfq_flush(&cq->mfq, least_pages, 0);
}

void store_cq_destroy_files(store_cq_t *cq) {
    store_mfq_destroy(&cq->mfq);
    atomic_store(&cq->min_logic, 0);
    atomic_store(&cq->max_phys, 0);
}
