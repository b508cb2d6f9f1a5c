/*
 * Reads: messages of a queue by queue offset (the pull path), a record by physical
 * offset, keys through the index, queue min/max offsets and offset by time.
 *
 * Pull path: the consume queue gives (physical offset, size, tag code) per entry; the
 * tag code is filtered first, then the record is returned as a reference into the mapped
 * commit-log segment (retained), so the broker can writev it to the socket without a
 * copy. Runs on: any thread. Locks: only the segment-list mutexes, briefly.
 */
#include "common/alloc.h"
#include "store/store_internal.h"

#include <errno.h>
#include <string.h>

/* Entries examined per get at most (upstream: maxFilterMessageSize 16000 bytes / 20). */
#define MAX_SCAN_ENTRIES 800

bool store_filter_tags(void *tag_set, int64_t tag_code) {
    const store_tag_set_t *ts = tag_set;
    if (ts->n == 0)
        return true;
    for (size_t i = 0; i < ts->n; i++)
        if (ts->codes[i] == tag_code)
            return true;
    return false;
}

void store_get_result_init(store_get_result_t *r) {
    memset(r, 0, sizeof *r);
}

void store_get_result_init_buf(store_get_result_t *r, store_ref_t *buf, size_t cap) {
    memset(r, 0, sizeof *r);
    r->refs = buf;
    r->cap = cap;
    r->is_refs_borrowed = true;
}

void store_get_result_release(store_get_result_t *r) {
    for (size_t i = 0; i < r->count; i++)
        store_mf_release(r->refs[i].mf);
    r->count = 0;
    r->bytes = 0;
}

void store_get_result_close(store_get_result_t *r) {
    store_get_result_release(r);
    if (!r->is_refs_borrowed)
        rmq_free(r->refs);
    memset(r, 0, sizeof *r);
}

static void push_ref(store_get_result_t *r, const store_ref_t *ref) {
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        if (r->is_refs_borrowed) {
            store_ref_t *refs = rmq_malloc(cap * sizeof *refs);
            memcpy(refs, r->refs, r->count * sizeof *refs);
            r->refs = refs;
            r->is_refs_borrowed = false;
        } else {
            r->refs = rmq_realloc(r->refs, cap * sizeof *r->refs);
        }
        r->cap = cap;
    }
    r->refs[r->count++] = *ref;
    r->bytes += ref->len;
}

static bool is_filler(const store_cq_entry_t *e) {
    return e->size == STORE_CQ_FILLER_SIZE && e->phys_offset == 0;
}

/* Walks the queue from offset, collecting matching records. */
static void collect(store_t *s, store_cq_t *cq, int64_t offset, int max_msgs, int64_t max_bytes,
                    const store_filter_t *f, store_get_result_t *r) {
    int64_t max = r->max_offset, min_phys = store_commitlog_min_offset(&s->cl);
    int scan_limit = max_msgs > MAX_SCAN_ENTRIES ? max_msgs : MAX_SCAN_ENTRIES;
    store_mf_t *cache = NULL;
    bool removing = false, found_null = false;
    int64_t i = offset;
    for (int scanned = 0; i < max && (int)r->count < max_msgs && scanned < scan_limit; scanned++) {
        store_cq_entry_t e;
        if (store_cq_read(cq, i, &e, &cache) < 0) {
            found_null = true;
            break;
        }
        if (is_filler(&e) || e.phys_offset < min_phys) {
            removing = removing || !is_filler(&e);
            i++;
            continue;
        }
        if (r->count > 0 && r->bytes + e.size > max_bytes)
            break;
        if (f && f->cq_match && !f->cq_match(f->arg, e.tag_code)) {
            i++;
            continue;
        }
        store_ref_t ref = {.phys_offset = e.phys_offset, .queue_offset = i, .tag_code = e.tag_code};
        if (store_commitlog_ref(&s->cl, e.phys_offset, e.size, &ref.mf, &ref.ptr) < 0) {
            removing = true;
            i++;
            continue;
        }
        ref.len = e.size;
        if (f && f->msg_match && !f->msg_match(f->arg, ref.ptr, ref.len)) {
            store_mf_release(ref.mf);
            i++;
            continue;
        }
        push_ref(r, &ref);
        i++;
    }
    store_mf_release(cache);
    r->next_begin_offset = i;
    if (r->count > 0)
        r->status = STORE_GET_FOUND;
    else if (found_null && i == offset)
        r->status = STORE_GET_OFFSET_FOUND_NULL;
    else if (removing)
        r->status = STORE_GET_MESSAGE_WAS_REMOVING;
    else
        r->status = STORE_GET_NO_MATCHED_MESSAGE;
}

int store_get(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t offset, int max_msgs,
              int64_t max_bytes, const store_filter_t *filter, store_get_result_t *r) {
    store_get_result_release(r);
    r->min_offset = r->max_offset = 0;
    store_cq_t *cq = store_cq_table_get(&s->cqs, topic, queue_id, false);
    if (!cq) {
        r->status = STORE_GET_NO_MATCHED_LOGIC_QUEUE;
        r->next_begin_offset = 0;
        return 0;
    }
    int64_t min = store_cq_min_offset(cq), max = store_cq_max_offset(cq);
    r->min_offset = min;
    r->max_offset = max;
    if (max == 0) {
        r->status = STORE_GET_NO_MESSAGE_IN_QUEUE;
        r->next_begin_offset = 0;
    } else if (offset < min) {
        r->status = STORE_GET_OFFSET_TOO_SMALL;
        r->next_begin_offset = min;
    } else if (offset == max) {
        r->status = STORE_GET_OFFSET_OVERFLOW_ONE;
        r->next_begin_offset = offset;
    } else if (offset > max) {
        r->status = STORE_GET_OFFSET_OVERFLOW_BADLY;
        r->next_begin_offset = min == 0 ? min : max;
    } else {
        collect(s, cq, offset, max_msgs, max_bytes, filter, r);
    }
    store_cq_table_release(&s->cqs, cq);
    return 0;
}

int store_get_by_offset(store_t *s, int64_t phys_offset, store_ref_t *ref) {
    store_record_t rec;
    store_mf_t *mf;
    int rc = store_commitlog_read(&s->cl, phys_offset, false, &rec, &mf);
    if (rc < 0)
        return rc;
    ref->mf = mf;
    ref->ptr = mf->base + (phys_offset - mf->from);
    ref->len = rec.total_size;
    ref->phys_offset = phys_offset;
    ref->queue_offset = rec.queue_offset;
    ref->tag_code = 0;
    return 0;
}

int store_ref_decode(const store_ref_t *ref, store_record_t *rec) {
    return store_record_decode(ref->ptr, (size_t)ref->len, false, rec);
}

size_t store_lookup(store_t *s, rmq_slice_t topic, rmq_slice_t key, size_t max_num, int64_t begin,
                    int64_t end, int64_t *offsets) {
    if (max_num > (size_t)s->cfg.max_msgs_num_batch)
        max_num = (size_t)s->cfg.max_msgs_num_batch;
    return store_index_query(&s->index, topic, key, max_num, begin, end, offsets);
}

int64_t store_min_offset(store_t *s, rmq_slice_t topic, int32_t queue_id) {
    store_cq_t *cq = store_cq_table_get(&s->cqs, topic, queue_id, false);
    if (!cq)
        return 0;
    int64_t min = store_cq_min_offset(cq);
    store_cq_table_release(&s->cqs, cq);
    return min;
}

int64_t store_max_offset(store_t *s, rmq_slice_t topic, int32_t queue_id) {
    store_cq_t *cq = store_cq_table_get(&s->cqs, topic, queue_id, false);
    if (!cq)
        return 0;
    int64_t max = store_cq_max_offset(cq);
    store_cq_table_release(&s->cqs, cq);
    return max;
}

/* Store time of queue entry i (-1 if unreadable); cache as store_cq_read. */
static int64_t entry_time(store_t *s, store_cq_t *cq, int64_t i, store_mf_t **cache) {
    store_cq_entry_t e;
    if (store_cq_read(cq, i, &e, cache) < 0 || is_filler(&e))
        return -1;
    return store_commitlog_store_ts(&s->cl, e.phys_offset, e.size);
}

int64_t store_offset_by_time(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t ts,
                             store_boundary_t boundary) {
    store_cq_t *cq = store_cq_table_get(&s->cqs, topic, queue_id, false);
    if (!cq)
        return 0;
    int64_t lo = store_cq_min_offset(cq), hi = store_cq_max_offset(cq) - 1;
    int64_t min_phys = store_commitlog_min_offset(&s->cl);
    store_mf_t *cache = NULL;
    /* Skip entries whose records were deleted. */
    while (lo <= hi && entry_time(s, cq, lo, &cache) < 0)
        lo++;
    (void)min_phys;
    int64_t result;
    if (boundary == STORE_BOUNDARY_LOWER) {
        /* first offset with time >= ts */
        int64_t l = lo, h = hi + 1;
        while (l < h) {
            int64_t mid = l + (h - l) / 2;
            int64_t t = entry_time(s, cq, mid, &cache);
            if (t >= ts)
                h = mid;
            else
                l = mid + 1;
        }
        result = l;
    } else {
        /* last offset with time <= ts */
        int64_t l = lo - 1, h = hi;
        while (l < h) {
            int64_t mid = h - (h - l) / 2;
            int64_t t = entry_time(s, cq, mid, &cache);
            if (t >= 0 && t <= ts)
                l = mid;
            else
                h = mid - 1;
        }
        result = l < lo ? lo : l;
    }
    store_mf_release(cache);
    store_cq_table_release(&s->cqs, cq);
    return result;
}

/* Store time of queue entry `offset`, or of the first live one when offset < 0 (-1 if
 * there is none). */
static int64_t queue_entry_time(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t offset) {
    store_cq_t *cq = store_cq_table_get(&s->cqs, topic, queue_id, false);
    if (!cq)
        return -1;
    store_mf_t *cache = NULL;
    int64_t t = entry_time(s, cq, offset < 0 ? store_cq_min_offset(cq) : offset, &cache);
    store_mf_release(cache);
    store_cq_table_release(&s->cqs, cq);
    return t;
}

int64_t store_msg_store_time(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t offset) {
    return offset < 0 ? -1 : queue_entry_time(s, topic, queue_id, offset);
}

int64_t store_earliest_time(store_t *s, rmq_slice_t topic, int32_t queue_id) {
    return queue_entry_time(s, topic, queue_id, -1);
}
