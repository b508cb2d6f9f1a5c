/*
 * verify_store: opens a store directory with our store (src/store), which recovers it,
 * and checks every message of a manifest (manifest.h) against it. Used by
 * tests/interop/test_store_apache_to_ours*.sh on a store the Apache broker wrote.
 *
 *   verify_store [--cl-size N] [--cq-size N] [--index-slots N] [--index-num N]
 *                [--expect-abort yes|no] [--reopen] ROOT MANIFEST
 *
 * The sizes must be those the writer used (mappedFileSizeCommitLog,
 * mappedFileSizeConsumeQueue, maxHashSlotNum, maxIndexNum). --expect-abort checks
 * whether ROOT/abort exists before opening (a killed broker leaves it: abnormal
 * recovery). --reopen closes the store after the checks and opens and checks it again
 * (normal recovery of what our store just closed).
 *
 * Per message: the read by topic/queue/queue offset finds exactly that record (queue id,
 * queue offset, topic); the record decodes with a valid body CRC; the body (inflated
 * when the COMPRESSED flag is set) has the manifest's length and CRC32; TAGS, KEYS,
 * UNIQ_KEY (when the manifest knows it) and every user property are intact; the consume-queue tag
 * code is Java's hash of the tag; the offset message id is store host + physical offset, and the
 * read by physical offset gives the same record; every key and the UNIQ_KEY a Java reader sees (the
 * last one of the record) are found through the IndexFile. Per queue: min offset, max offset, every
 * offset present in the manifest, and a sequential pull-style scan returns max-min records in
 * order.
 *
 * Prints "verify_store: result=PASS ..." (or the first 20 problems and result=FAIL) and
 * exits 0 on success, 1 on a mismatch, 2 on bad arguments or an open failure.
 */
#include "common/checksum.h"
#include "manifest.h"
#include "store/consumer_offset.h"
#include "store/store.h"
#include "store/sub_group.h"
#include "store/topic_config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

typedef struct {
    const char *topic;
    int32_t queue_id;
    int64_t min, max; /* manifest queue offsets */
    size_t count;
} queue_t;

typedef struct {
    size_t errors;
    size_t messages, lookups, compressed, batches_checked;
} stats_t;

static stats_t st;

static void fail(const char *fmt, ...) {
    st.errors++;
    if (st.errors > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("verify_store: MISMATCH ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool slice_is(rmq_slice_t s, const char *c) {
    return c ? s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0 : false;
}

/* Checks a property: absent in the manifest (NULL) means absent in the record. */
static void check_prop(const manifest_entry_t *e, rmq_slice_t props, const char *name,
                       const char *want) {
    rmq_slice_t v;
    bool has = store_props_get(props, name, &v);
    if (!want && has)
        fail("%s/%d/%" PRId64 ": unexpected %s=%.*s", e->topic, e->queue_id, e->queue_offset, name,
             (int)v.len, v.ptr);
    else if (want && (!has || !slice_is(v, want)))
        fail("%s/%d/%" PRId64 ": %s is %.*s, want %s", e->topic, e->queue_id, e->queue_offset, name,
             has ? (int)v.len : 6, has ? v.ptr : "absent", want);
}

static void check_user_props(const manifest_entry_t *e, rmq_slice_t props) {
    if (!e->props)
        return;
    char *copy = strdup(e->props), *save = NULL;
    for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = '\0';
        check_prop(e, props, kv, eq + 1);
    }
    free(copy);
}

static void check_body(const manifest_entry_t *e, const store_record_t *rec) {
    const unsigned char *body = (const unsigned char *)rec->body.ptr;
    size_t len = rec->body.len;
    unsigned char *inflated = NULL;
    if (rec->sys_flag & STORE_SYSFLAG_COMPRESSED) {
        int type = (rec->sys_flag & 0x700) >> 8;
        if (type != 0 && type != 3) {
            fail("%s/%d/%" PRId64 ": compression type %d (only zlib expected)", e->topic,
                 e->queue_id, e->queue_offset, type);
            return;
        }
        uLongf out_len = (uLongf)e->body_len + 1;
        inflated = malloc(out_len);
        if (uncompress(inflated, &out_len, body, (uLong)len) != Z_OK) {
            fail("%s/%d/%" PRId64 ": body does not inflate", e->topic, e->queue_id,
                 e->queue_offset);
            free(inflated);
            return;
        }
        body = inflated;
        len = out_len;
        st.compressed++;
    }
    uint32_t crc = (uint32_t)crc32(0L, body, (uInt)len);
    if (len != (size_t)e->body_len || crc != e->body_crc)
        fail("%s/%d/%" PRId64 ": body len %zu crc %" PRIu32 ", want %" PRId32 " %" PRIu32, e->topic,
             e->queue_id, e->queue_offset, len, crc, e->body_len, e->body_crc);
    free(inflated);
}

static void check_lookup(store_t *s, const manifest_entry_t *e, const char *key, size_t klen,
                         int64_t phys) {
    int64_t offs[64];
    size_t n =
        store_lookup(s, rmq_slice_cstr(e->topic), rmq_slice(key, klen), 64, 0, INT64_MAX, offs);
    st.lookups++;
    for (size_t i = 0; i < n; i++)
        if (offs[i] == phys)
            return;
    fail("%s/%d/%" PRId64 ": key \"%.*s\" not found through the index (%zu hits)", e->topic,
         e->queue_id, e->queue_offset, (int)klen, key, n);
}

/* Every key and the UNIQ_KEY a Java reader sees (the last one, see manifest.h). */
static void check_index(store_t *s, const manifest_entry_t *e, rmq_slice_t props, int64_t phys) {
    rmq_slice_t uniq;
    if (store_props_get(props, "UNIQ_KEY", &uniq))
        check_lookup(s, e, uniq.ptr, uniq.len, phys);
    if (!e->keys)
        return;
    const char *p = e->keys;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (n > 0)
            check_lookup(s, e, p, n, phys);
        p += n;
        if (*p == ' ')
            p++;
    }
}

static void check_by_phys(store_t *s, const manifest_entry_t *e, const store_record_t *rec,
                          const store_ref_t *ref) {
    char id[64];
    store_msg_id(&rec->store_host, ref->phys_offset, id);
    if (e->offset_msg_id && strcmp(id, e->offset_msg_id) != 0)
        fail("%s/%d/%" PRId64 ": offset msg id %s, want %s", e->topic, e->queue_id, e->queue_offset,
             id, e->offset_msg_id);
    store_ref_t by;
    if (store_get_by_offset(s, ref->phys_offset, &by) < 0) {
        fail("%s/%d/%" PRId64 ": no record by physical offset %" PRId64, e->topic, e->queue_id,
             e->queue_offset, ref->phys_offset);
        return;
    }
    if (by.len != ref->len || memcmp(by.ptr, ref->ptr, (size_t)by.len) != 0)
        fail("%s/%d/%" PRId64 ": record by physical offset differs", e->topic, e->queue_id,
             e->queue_offset);
    store_mf_release(by.mf);
}

static void check_message(store_t *s, const manifest_entry_t *e, store_get_result_t *r) {
    st.messages++;
    int rc =
        store_get(s, rmq_slice_cstr(e->topic), e->queue_id, e->queue_offset, 1, INT64_MAX, NULL, r);
    if (rc < 0 || r->status != STORE_GET_FOUND || r->count != 1) {
        fail("%s/%d/%" PRId64 ": get status %d count %zu (queue [%" PRId64 ", %" PRId64 "))",
             e->topic, e->queue_id, e->queue_offset, (int)r->status, r->count, r->min_offset,
             r->max_offset);
        return;
    }
    const store_ref_t *ref = &r->refs[0];
    store_record_t rec;
    if (store_record_decode(ref->ptr, (size_t)ref->len, true, &rec) != 0) {
        fail("%s/%d/%" PRId64 ": record at %" PRId64 " does not decode (or bad body CRC)", e->topic,
             e->queue_id, e->queue_offset, ref->phys_offset);
        return;
    }
    if (!slice_is(rec.topic, e->topic) || rec.queue_id != e->queue_id ||
        rec.queue_offset != e->queue_offset || ref->queue_offset != e->queue_offset ||
        rec.phys_offset != ref->phys_offset)
        fail("%s/%d/%" PRId64 ": record says %.*s/%d/%" PRId64 " at %" PRId64 " (read at %" PRId64
             ")",
             e->topic, e->queue_id, e->queue_offset, (int)rec.topic.len, rec.topic.ptr,
             rec.queue_id, rec.queue_offset, rec.phys_offset, ref->phys_offset);
    check_body(e, &rec);
    check_prop(e, rec.props, "TAGS", e->tags);
    check_prop(e, rec.props, "KEYS", e->keys);
    if (e->uniq_key)
        check_prop(e, rec.props, "UNIQ_KEY", e->uniq_key);
    check_user_props(e, rec.props);
    int64_t want_tag = e->tags ? rmq_java_string_hash(e->tags, strlen(e->tags)) : 0;
    if (ref->tag_code != want_tag)
        fail("%s/%d/%" PRId64 ": consume-queue tag code %" PRId64 ", want %" PRId64, e->topic,
             e->queue_id, e->queue_offset, ref->tag_code, want_tag);
    check_by_phys(s, e, &rec, ref);
    check_index(s, e, rec.props, ref->phys_offset);
}

static queue_t *queue_of(queue_t **qs, size_t *nq, const manifest_entry_t *e) {
    for (size_t i = 0; i < *nq; i++)
        if ((*qs)[i].queue_id == e->queue_id && strcmp((*qs)[i].topic, e->topic) == 0)
            return &(*qs)[i];
    *qs = realloc(*qs, (*nq + 1) * sizeof **qs);
    queue_t *q = &(*qs)[(*nq)++];
    *q = (queue_t){.topic = e->topic, .queue_id = e->queue_id, .min = INT64_MAX, .max = -1};
    return q;
}

/* min/max offsets and a sequential scan of one queue, as a consumer pulls it. */
static void check_queue(store_t *s, const queue_t *q, store_get_result_t *r) {
    rmq_slice_t topic = rmq_slice_cstr(q->topic);
    int64_t min = store_min_offset(s, topic, q->queue_id);
    int64_t max = store_max_offset(s, topic, q->queue_id);
    if (min != q->min || max != q->max + 1)
        fail("queue %s/%d: offsets [%" PRId64 ", %" PRId64 "), manifest [%" PRId64 ", %" PRId64 "]",
             q->topic, q->queue_id, min, max, q->min, q->max);
    if ((int64_t)q->count != q->max - q->min + 1)
        fail("queue %s/%d: manifest has %zu of offsets %" PRId64 "..%" PRId64, q->topic,
             q->queue_id, q->count, q->min, q->max);
    int64_t off = min, seen = 0;
    while (off < max) {
        if (store_get(s, topic, q->queue_id, off, 32, 1 << 20, NULL, r) < 0 ||
            r->status != STORE_GET_FOUND) {
            fail("queue %s/%d: scan stopped at %" PRId64 " (status %d)", q->topic, q->queue_id, off,
                 (int)r->status);
            return;
        }
        for (size_t i = 0; i < r->count; i++) {
            if (r->refs[i].queue_offset != off + (int64_t)i)
                fail("queue %s/%d: scan got offset %" PRId64 " at %" PRId64, q->topic, q->queue_id,
                     r->refs[i].queue_offset, off + (int64_t)i);
        }
        seen += (int64_t)r->count;
        off = r->next_begin_offset;
    }
    if (seen != max - min)
        fail("queue %s/%d: scan returned %" PRId64 " records, want %" PRId64, q->topic, q->queue_id,
             seen, max - min);
}

static void verify_all(store_t *s, const manifest_t *m) {
    store_get_result_t r;
    store_get_result_init(&r);
    queue_t *qs = NULL;
    size_t nq = 0;
    for (size_t i = 0; i < m->count; i++) {
        const manifest_entry_t *e = &m->items[i];
        check_message(s, e, &r);
        queue_t *q = queue_of(&qs, &nq, e);
        q->count++;
        if (e->queue_offset < q->min)
            q->min = e->queue_offset;
        if (e->queue_offset > q->max)
            q->max = e->queue_offset;
    }
    for (size_t i = 0; i < nq; i++)
        check_queue(s, &qs[i], &r);
    printf("verify_store: checked %zu messages in %zu queues, %zu index lookups, %zu compressed "
           "bodies; commit log [%" PRId64 ", %" PRId64 ")\n",
           st.messages, nq, st.lookups, st.compressed, store_min_phys_offset(s),
           store_max_phys_offset(s));
    free(qs);
    store_get_result_close(&r);
}

/*
 * The config JSON files the writer left (spec store.md 6) load with our config code, and
 * topics.json declares every manifest topic with enough queues.
 */
static void check_config(const char *root, const manifest_t *m) {
    const store_fileops_t *ops = store_fileops_default();
    char path[4096];
    snprintf(path, sizeof path, "%s/config/topics.json", root);
    store_topics_t topics;
    store_topics_init(&topics);
    if (store_topics_load(&topics, ops, path) < 0)
        fail("%s does not load", path);
    for (size_t i = 0; i < m->count; i++) {
        const manifest_entry_t *e = &m->items[i];
        const store_topic_config_t *tc = store_topics_get(&topics, e->topic);
        if (!tc || tc->read_queue_nums <= e->queue_id || tc->write_queue_nums <= e->queue_id) {
            fail("topics.json: %s %s queue %d", e->topic, tc ? "lacks" : "missing, needed for",
                 e->queue_id);
            break;
        }
    }
    size_t ntopics = rmq_map_count(&topics.table);
    store_topics_close(&topics);

    snprintf(path, sizeof path, "%s/config/consumerOffset.json", root);
    store_consumer_offsets_t offsets;
    store_consumer_offsets_init(&offsets);
    if (store_consumer_offsets_load(&offsets, ops, path) < 0)
        fail("%s does not load", path);
    store_consumer_offsets_close(&offsets);
    snprintf(path, sizeof path, "%s/config/delayOffset.json", root);
    store_delay_offsets_t delays;
    store_delay_offsets_init(&delays);
    if (store_delay_offsets_load(&delays, ops, path) < 0)
        fail("%s does not load", path);
    store_delay_offsets_close(&delays);
    snprintf(path, sizeof path, "%s/config/subscriptionGroup.json", root);
    store_sub_groups_t groups;
    store_sub_groups_init(&groups);
    if (store_sub_groups_load(&groups, ops, path) < 0)
        fail("%s does not load", path);
    store_sub_groups_close(&groups);
    printf("verify_store: config files load; topics.json has %zu topics\n", ntopics);
}

static int open_store(const store_config_t *cfg, store_t **s) {
    double t0 = now_s();
    int rc = store_open(cfg, s);
    if (rc < 0) {
        printf("verify_store: result=FAIL cannot open %s: %s\n", cfg->root_dir, strerror(-rc));
        return rc;
    }
    /* Recovery dispatched what the queues lacked; make sure nothing is pending. */
    store_dispatch_catch_up(*s);
    printf("verify_store: opened (and recovered) %s in %.0f ms\n", cfg->root_dir,
           (now_s() - t0) * 1000);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: verify_store [--cl-size N] [--cq-size N] [--index-slots N] "
                    "[--index-num N] [--expect-abort yes|no] [--reopen] ROOT MANIFEST\n");
    exit(2);
}

int main(int argc, char **argv) {
    store_config_t cfg;
    store_config_init(&cfg, NULL);
    cfg.start_services = false;
    const char *expect_abort = NULL;
    bool reopen = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--reopen") == 0) {
            reopen = true;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(opt, "--cl-size") == 0)
            cfg.mapped_file_size_commitlog = strtoll(v, NULL, 10);
        else if (strcmp(opt, "--cq-size") == 0)
            cfg.mapped_file_size_cq = strtoll(v, NULL, 10);
        else if (strcmp(opt, "--index-slots") == 0)
            cfg.max_hash_slot_num = (int32_t)strtol(v, NULL, 10);
        else if (strcmp(opt, "--index-num") == 0)
            cfg.max_index_num = (int32_t)strtol(v, NULL, 10);
        else if (strcmp(opt, "--expect-abort") == 0)
            expect_abort = v;
        else
            usage();
    }
    if (argc - i != 2)
        usage();
    cfg.root_dir = argv[i];
    manifest_t m;
    if (manifest_read(argv[i + 1], &m) < 0)
        return 2;
    if (m.count == 0) {
        printf("verify_store: result=FAIL empty manifest\n");
        return 2;
    }

    char abort_path[4096];
    snprintf(abort_path, sizeof abort_path, "%s/abort", cfg.root_dir);
    bool has_abort = access(abort_path, F_OK) == 0;
    printf("verify_store: %s, abort file %s\n", cfg.root_dir, has_abort ? "present" : "absent");
    if (expect_abort && has_abort != (strcmp(expect_abort, "yes") == 0))
        fail("abort file %s, expected %s", has_abort ? "present" : "absent",
             strcmp(expect_abort, "yes") == 0 ? "present" : "absent");

    check_config(cfg.root_dir, &m);
    store_t *s;
    if (open_store(&cfg, &s) < 0)
        return 2;
    verify_all(s, &m);
    store_close(s);
    if (reopen) {
        if (access(abort_path, F_OK) == 0)
            fail("our store_close left the abort file");
        if (open_store(&cfg, &s) < 0)
            return 2;
        st.messages = st.lookups = st.compressed = 0;
        verify_all(s, &m);
        store_close(s);
    }
    printf("verify_store: result=%s messages=%zu mismatches=%zu\n", st.errors ? "FAIL" : "PASS",
           m.count, st.errors);
    manifest_free(&m);
    return st.errors ? 1 : 0;
}
