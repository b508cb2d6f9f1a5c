/*
 * CommitLog appends and reads by physical offset; see commitlog.h for the append path.
 * Runs on: callers' threads (append, read). Locks: put_lock for appends only; readers
 * take the segment-list mutex briefly through the mapped-file queue.
 */
#include "store/commitlog.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/log.h"
#include "common/time.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Inner messages of a batch held on the stack up to this count. */
#define BATCH_STACK 64

typedef struct {
    int32_t flag;
    rmq_slice_t body;
    rmq_slice_t props;
    int32_t crc;
    uint32_t size;
} inner_msg_t;

void store_commitlog_init(store_commitlog_t *cl, const store_fileops_t *ops, const char *dir,
                          int64_t file_size, int32_t max_record) {
    memset(cl, 0, sizeof *cl);
    store_mfq_init(&cl->mfq, ops, dir, file_size);
    pthread_mutex_init(&cl->put_lock, NULL);
    rmq_map_init(&cl->next_offsets);
    cl->max_record = max_record;
}

void store_commitlog_close(store_commitlog_t *cl) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&cl->next_offsets, &i, &e);)
        rmq_free(e->value);
    rmq_map_close(&cl->next_offsets);
    pthread_mutex_destroy(&cl->put_lock);
    store_mfq_close(&cl->mfq);
}

/* "topic-queueId", RocketMQ's key for the topic-queue table. Returns its length. Hot path:
 * no printf. */
static size_t queue_key(char *buf, size_t cap, rmq_slice_t topic, int32_t qid) {
    size_t n = topic.len < cap - 16 ? topic.len : cap - 16;
    memcpy(buf, topic.ptr, n);
    buf[n++] = '-';
    uint32_t v = qid < 0 ? (uint32_t)(-(int64_t)qid) : (uint32_t)qid;
    if (qid < 0)
        buf[n++] = '-';
    char digits[12];
    size_t d = 0;
    do {
        digits[d++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (d)
        buf[n++] = digits[--d];
    return n;
}

static int64_t *next_offset_slot(store_commitlog_t *cl, rmq_slice_t topic, int32_t qid) {
    char key[STORE_MAX_TOPIC_LEN + 16];
    size_t kl = queue_key(key, sizeof key, topic, qid);
    int64_t *slot = rmq_map_getn(&cl->next_offsets, key, kl);
    if (!slot) {
        slot = rmq_calloc(1, sizeof *slot);
        rmq_map_putn(&cl->next_offsets, key, kl, slot);
    }
    return slot;
}

void store_commitlog_set_next_offset(store_commitlog_t *cl, rmq_slice_t topic, int32_t qid,
                                     int64_t next) {
    pthread_mutex_lock(&cl->put_lock);
    *next_offset_slot(cl, topic, qid) = next;
    pthread_mutex_unlock(&cl->put_lock);
}

int64_t store_commitlog_next_offset(store_commitlog_t *cl, rmq_slice_t topic, int32_t qid) {
    char key[STORE_MAX_TOPIC_LEN + 16];
    size_t kl = queue_key(key, sizeof key, topic, qid);
    pthread_mutex_lock(&cl->put_lock);
    int64_t *slot = rmq_map_getn(&cl->next_offsets, key, kl);
    int64_t v = slot ? *slot : 0;
    pthread_mutex_unlock(&cl->put_lock);
    return v;
}

void store_commitlog_reset_writer(store_commitlog_t *cl) {
    pthread_mutex_lock(&cl->put_lock);
    store_mf_t *last = store_mfq_last(&cl->mfq);
    cl->cur = last;
    store_mf_release(last); /* the queue keeps its own reference */
    pthread_mutex_unlock(&cl->put_lock);
}

static bool is_tx_skipped(int32_t sys_flag) {
    int32_t tx = sys_flag & STORE_SYSFLAG_TX_MASK;
    return tx == STORE_SYSFLAG_TX_PREPARED || tx == STORE_SYSFLAG_TX_ROLLBACK;
}

/*
 * Returns a segment with room for `need` bytes plus the 8-byte blank reserve, writing the
 * end-of-file blank into the current one when it is too full. Caller holds put_lock.
 */
static int segment_for(store_commitlog_t *cl, int64_t need, store_mf_t **out) {
    int64_t fs = cl->mfq.file_size;
    store_mf_t *mf = cl->cur;
    if (mf && !store_mf_is_full(mf)) {
        int64_t pos = store_mf_wrote(mf);
        if (need + STORE_BLANK_MIN <= fs - pos) {
            *out = mf;
            return 0;
        }
        rmq_put_u32be(mf->base + pos, (uint32_t)(fs - pos));
        rmq_put_u32be(mf->base + pos + 4, STORE_MAGIC_BLANK);
        atomic_store_explicit(&mf->wrote, fs, memory_order_release);
    }
    int64_t from = mf ? mf->from + fs : 0;
    int rc = store_mfq_create(&cl->mfq, from, &mf);
    if (rc < 0)
        return rc;
    cl->cur = mf;
    *out = mf;
    return 0;
}

static void lock_put(store_commitlog_t *cl) {
    pthread_mutex_lock(&cl->put_lock);
    atomic_store_explicit(&cl->lock_since_ms, rmq_mono_ms(), memory_order_relaxed);
}

static void unlock_put(store_commitlog_t *cl) {
    atomic_store_explicit(&cl->lock_since_ms, 0, memory_order_relaxed);
    pthread_mutex_unlock(&cl->put_lock);
}

int64_t store_commitlog_lock_held_ms(store_commitlog_t *cl) {
    int64_t since = atomic_load_explicit(&cl->lock_since_ms, memory_order_relaxed);
    return since ? rmq_mono_ms() - since : 0;
}

int store_commitlog_append(store_commitlog_t *cl, const store_msg_t *m,
                           store_append_result_t *res) {
    size_t size;
    uint32_t magic;
    int rc = store_record_size(m, &size, &magic);
    if (rc < 0)
        return rc;
    if (size > (size_t)cl->max_record || (int64_t)size + STORE_BLANK_MIN > cl->mfq.file_size)
        return -EMSGSIZE;
    int32_t crc = rmq_crc32_masked(m->body.ptr, m->body.len);

    lock_put(cl);
    store_mf_t *mf;
    rc = segment_for(cl, (int64_t)size, &mf);
    if (rc < 0) {
        unlock_put(cl);
        return rc;
    }
    int64_t pos = store_mf_wrote(mf);
    int64_t phys = mf->from + pos;
    int64_t *next = NULL, qoff = 0;
    if (!is_tx_skipped(m->sys_flag)) {
        next = next_offset_slot(cl, m->topic, m->queue_id);
        qoff = *next;
    }
    int64_t now = rmq_now_ms();
    store_record_encode(mf->base + pos, size, magic, m, crc, qoff, phys, now);
    atomic_store_explicit(&mf->last_store_ts, now, memory_order_relaxed);
    atomic_store_explicit(&mf->wrote, pos + (int64_t)size, memory_order_release);
    atomic_store_explicit(&cl->last_store_ts, now, memory_order_relaxed);
    if (next)
        (*next)++;
    unlock_put(cl);
    /* Outside the lock: a kick takes the queue's mutex, which readers hold too. */
    store_mfq_hint(&cl->mfq, mf, pos + (int64_t)size);

    res->phys_offset = phys;
    res->wrote_bytes = (int32_t)size;
    res->queue_offset = qoff;
    res->msg_num = 1;
    res->store_ts = now;
    return 0;
}

/* Validates a client batch body and sizes/CRCs its inner messages outside the lock. */
static int parse_batch(const store_msg_t *hdr, rmq_slice_t batch, inner_msg_t *msgs, size_t cap,
                       size_t *count, size_t *total, int32_t max_record) {
    const char *p = batch.ptr, *end = batch.ptr + batch.len;
    size_t n = 0, sum = 0;
    size_t hosts = (hdr->born_host.is_v6 ? 20 : 8) + (hdr->store_host.is_v6 ? 20 : 8);
    size_t tlen = hdr->topic.len > 127 ? 2 : 1;
    while (p < end) {
        if (end - p < 22)
            return -EBADMSG;
        int32_t inner_total = (int32_t)rmq_get_u32be(p);
        int32_t body_len = (int32_t)rmq_get_u32be(p + 16);
        if (body_len < 0 || (size_t)body_len > (size_t)(end - p) - 22)
            return -EBADMSG;
        const char *q = p + 20 + body_len;
        int16_t props_len = (int16_t)rmq_get_u16be(q);
        if (props_len < 0 || (size_t)props_len > (size_t)(end - q) - 2)
            return -EBADMSG;
        if (inner_total != 22 + body_len + props_len)
            return -EBADMSG;
        if (n < cap) {
            inner_msg_t *im = &msgs[n];
            im->flag = (int32_t)rmq_get_u32be(p + 12);
            im->body = rmq_slice(p + 20, (size_t)body_len);
            im->props = rmq_slice(q + 2, (size_t)props_len);
            im->crc = rmq_crc32_masked(im->body.ptr, im->body.len);
            size_t plen = (size_t)props_len + hdr->props.len;
            if (props_len > 0 && hdr->props.len > 0 && q[1 + props_len] != 2)
                plen++;
            if (plen > STORE_MAX_PROPS_LEN)
                return -EMSGSIZE;
            im->size = (uint32_t)(74 + hosts + tlen + (size_t)body_len + hdr->topic.len + plen);
            if (im->size > (uint32_t)max_record)
                return -EMSGSIZE;
            sum += im->size;
        }
        n++;
        p += inner_total;
    }
    if (n == 0)
        return -EBADMSG;
    *count = n;
    *total = sum;
    return 0;
}

/* Encodes one inner message; its properties are the inner ones plus the batch's. */
static void encode_inner(char *dst, const store_msg_t *hdr, const inner_msg_t *im, uint32_t magic,
                         int64_t qoff, int64_t phys, int64_t now, char *scratch) {
    store_msg_t m = *hdr;
    m.flag = im->flag;
    m.body = im->body;
    m.props = im->props;
    if (hdr->props.len > 0) {
        /* Assemble the combined properties in place at the record's properties field:
         * encode first with the inner props, then append the batch props after them. */
        size_t plen = im->props.len;
        memcpy(scratch, im->props.ptr, plen);
        if (plen > 0 && im->props.ptr[plen - 1] != 2)
            scratch[plen++] = 2;
        memcpy(scratch + plen, hdr->props.ptr, hdr->props.len);
        m.props = rmq_slice(scratch, plen + hdr->props.len);
    }
    store_record_encode(dst, im->size, magic, &m, im->crc, qoff, phys, now);
}

int store_commitlog_append_batch(store_commitlog_t *cl, const store_msg_t *hdr, rmq_slice_t batch,
                                 store_append_result_t *res) {
    if (hdr->topic.len == 0 || hdr->topic.len > STORE_MAX_TOPIC_LEN)
        return -EINVAL;
    inner_msg_t stack[BATCH_STACK], *msgs = stack;
    size_t n = 0, total = 0;
    int rc = parse_batch(hdr, batch, stack, BATCH_STACK, &n, &total, cl->max_record);
    if (rc == 0 && n > BATCH_STACK) {
        msgs = rmq_malloc(n * sizeof *msgs);
        rc = parse_batch(hdr, batch, msgs, n, &n, &total, cl->max_record);
    }
    if (rc == 0 && (int64_t)total + STORE_BLANK_MIN > cl->mfq.file_size)
        rc = -EMSGSIZE;
    if (rc < 0)
        goto out;
    uint32_t magic = hdr->topic.len > 127 ? STORE_MAGIC_V2 : STORE_MAGIC_V1;
    /* Combined properties are assembled in a per-thread scratch buffer. */
    static _Thread_local char scratch[STORE_MAX_PROPS_LEN + 2];

    lock_put(cl);
    store_mf_t *mf;
    int64_t hint_pos = -1;
    rc = segment_for(cl, (int64_t)total, &mf);
    if (rc == 0) {
        int64_t pos = store_mf_wrote(mf);
        int64_t phys = mf->from + pos;
        int64_t *next = next_offset_slot(cl, hdr->topic, hdr->queue_id);
        int64_t now = rmq_now_ms();
        res->phys_offset = phys;
        res->queue_offset = *next;
        res->wrote_bytes = (int32_t)total;
        res->msg_num = (int32_t)n;
        res->store_ts = now;
        for (size_t i = 0; i < n; i++) {
            encode_inner(mf->base + pos, hdr, &msgs[i], magic, *next, mf->from + pos, now, scratch);
            pos += msgs[i].size;
            (*next)++;
        }
        atomic_store_explicit(&mf->last_store_ts, now, memory_order_relaxed);
        atomic_store_explicit(&mf->wrote, pos, memory_order_release);
        atomic_store_explicit(&cl->last_store_ts, now, memory_order_relaxed);
        hint_pos = pos;
    }
    unlock_put(cl);
    if (hint_pos >= 0) /* outside the lock, as in store_commitlog_append */
        store_mfq_hint(&cl->mfq, mf, hint_pos);
out:
    if (msgs != stack)
        rmq_free(msgs);
    return rc;
}

int store_commitlog_ref(store_commitlog_t *cl, int64_t offset, int32_t len, store_mf_t **mfp,
                        const char **ptr) {
    store_mf_t *mf = store_mfq_find(&cl->mfq, offset);
    if (!mf)
        return -ENOENT;
    int64_t pos = offset - mf->from;
    if (len < 0 || pos + len > store_mf_wrote(mf)) {
        store_mf_release(mf);
        return -ENOENT;
    }
    *mfp = mf;
    *ptr = mf->base + pos;
    return 0;
}

int store_commitlog_read(store_commitlog_t *cl, int64_t offset, bool check_crc, store_record_t *r,
                         store_mf_t **mfp) {
    store_mf_t *mf = store_mfq_find(&cl->mfq, offset);
    if (!mf)
        return -ENOENT;
    int64_t pos = offset - mf->from;
    int64_t avail = store_mf_wrote(mf) - pos;
    int rc = avail > 0 ? store_record_decode(mf->base + pos, (size_t)avail, check_crc, r) : -ENOENT;
    if (rc != 0) {
        store_mf_release(mf);
        return rc > 0 ? -ENOENT : rc;
    }
    *mfp = mf;
    return 0;
}

int64_t store_commitlog_store_ts(store_commitlog_t *cl, int64_t offset, int32_t size) {
    store_mf_t *mf;
    store_record_t r;
    if (store_commitlog_read(cl, offset, false, &r, &mf) < 0)
        return -1;
    store_mf_release(mf);
    return r.store_ts;
}

int64_t store_commitlog_min_offset(store_commitlog_t *cl) {
    return store_mfq_min_offset(&cl->mfq);
}

int64_t store_commitlog_max_offset(store_commitlog_t *cl) {
    return store_mfq_max_offset(&cl->mfq);
}

int64_t store_commitlog_roll(store_commitlog_t *cl, int64_t offset) {
    int64_t fs = cl->mfq.file_size;
    return offset + fs - offset % fs;
}
