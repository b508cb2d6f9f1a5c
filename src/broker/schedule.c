/*
 * The delay-level scheduler (upstream ScheduleMessageService; spec store.md 6.5, 7.1,
 * remoting.md 7.6): messages parked in SCHEDULE_TOPIC_XXXX queue level-1 (by send.c for a
 * DELAY property, by send_back.c for retries) are stored again in their REAL_TOPIC /
 * REAL_QID when due, so consumers of the real topic (or of %RETRY%<group>) see them.
 *
 * One cursor per level: the first queue offset not yet delivered, persisted in
 * <storePathRootDir>/config/delayOffset.json ({"offsetTable":{level:offset}}, the Java
 * broker's file, so either broker continues the other's progress) and clamped to the
 * queue's [min, max] on load. A pass reads each level's queue from its cursor: the
 * consume-queue tag field holds the delivery time (store time + level duration, written by
 * the store's dispatch); a time further ahead than now + the level's duration counts as
 * due now, as upstream corrects clock jumps. A due record is copied with its body, flag,
 * sysFlag, born time and host, store host, reconsume times and its properties string
 * unchanged (so it keeps DELAY, REAL_TOPIC and REAL_QID, as the Java broker's copies do).
 * The pass stops at the first entry not yet due, or at a put the store refuses (back
 * pressure: retried on the next pass); records that can never be stored are skipped.
 *
 * The clock is the broker's (broker_now), so tests drive delivery without sleeping.
 *
 * Runs on: the management thread (broker_schedule_run every tick, persistence with the
 * consumer offsets); tests call it directly. Locks: the cursor mutex (admin readers).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store/fileops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRANS_HALF_TOPIC   "RMQ_SYS_TRANS_HALF_TOPIC"
#define MAX_LEVELS         64
#define BATCH              32
#define MAX_PER_LEVEL_PASS 4096
#define GET_MAX_BYTES      (4 << 20)

struct broker_schedule {
    broker_t *b;
    int32_t max_level;
    int64_t delay_ms[MAX_LEVELS + 1]; /* by level, 1-based */
    pthread_mutex_t mu;
    store_delay_offsets_t offsets; /* level -> next queue offset (-1 = from the start) */
    bool dirty;
    char *path;
    store_get_result_t get; /* reused by passes */
};

/* messageDelayLevel: "1s 5s 10s ..." with units s, m, h, d. Returns the level count. */
static int32_t parse_levels(const char *spec, int64_t *delay_ms) {
    int32_t n = 0;
    const char *p = spec ? spec : "";
    while (*p && n < MAX_LEVELS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        int64_t unit = *end == 's'   ? 1000
                       : *end == 'm' ? 60000
                       : *end == 'h' ? 3600000
                       : *end == 'd' ? 86400000
                                     : 0;
        if (end == p || unit == 0) {
            rmq_log_warn("broker", "bad messageDelayLevel entry in \"%s\"", spec);
            break;
        }
        delay_ms[++n] = (int64_t)v * unit;
        p = end + 1;
    }
    return n;
}

/* Clamps each stored cursor into its queue's [min, max] (correctDelayOffset). */
static void correct_offsets(broker_schedule_t *s) {
    for (int32_t level = 1; level <= s->max_level; level++) {
        int64_t cur = store_delay_offsets_get(&s->offsets, level);
        if (cur < 0)
            continue;
        rmq_slice_t topic = rmq_slice_cstr(PROTO_SCHEDULE_TOPIC);
        int64_t min = store_min_offset(s->b->store, topic, level - 1);
        int64_t max = store_max_offset(s->b->store, topic, level - 1);
        int64_t fixed = cur < min ? min : cur > max ? max : cur;
        if (fixed != cur) {
            rmq_log_warn("broker", "correct delay offset [ delayLevel %d ] from %lld to %lld",
                         level, (long long)cur, (long long)fixed);
            store_delay_offsets_set(&s->offsets, level, fixed);
            s->dirty = true;
        }
    }
}

broker_schedule_t *broker_schedule_new(broker_t *b) {
    broker_schedule_t *s = RMQ_NEW(broker_schedule_t);
    s->b = b;
    s->max_level = parse_levels(b->cfg.messageDelayLevel, s->delay_ms);
    pthread_mutex_init(&s->mu, NULL);
    store_delay_offsets_init(&s->offsets);
    store_get_result_init(&s->get);
    rmq_buf_t path;
    rmq_buf_init(&path);
    rmq_buf_appendf(&path, "%s/config/delayOffset.json", b->cfg.storePathRootDir);
    s->path = rmq_buf_steal(&path, NULL);
    int rc = store_delay_offsets_load(&s->offsets, store_fileops_default(), s->path);
    if (rc != 0)
        rmq_log_warn("broker", "load %s failed: %s; delivering from the start", s->path,
                     strerror(-rc));
    correct_offsets(s);
    return s;
}

void broker_schedule_destroy(broker_schedule_t *s) {
    if (!s)
        return;
    store_get_result_close(&s->get);
    store_delay_offsets_close(&s->offsets);
    pthread_mutex_destroy(&s->mu);
    rmq_free(s->path);
    rmq_free(s);
}

int32_t broker_schedule_max_level(const broker_schedule_t *s) {
    return s->max_level;
}

int64_t broker_schedule_offset(broker_schedule_t *s, int32_t level) {
    pthread_mutex_lock(&s->mu);
    int64_t off = store_delay_offsets_get(&s->offsets, level);
    pthread_mutex_unlock(&s->mu);
    return off < 0 ? 0 : off;
}

static void set_offset(broker_schedule_t *s, int32_t level, int64_t off) {
    pthread_mutex_lock(&s->mu);
    if (store_delay_offsets_get(&s->offsets, level) != off) {
        store_delay_offsets_set(&s->offsets, level, off);
        s->dirty = true;
    }
    pthread_mutex_unlock(&s->mu);
}

void broker_schedule_encode(broker_schedule_t *s, rmq_buf_t *out) {
    pthread_mutex_lock(&s->mu);
    store_delay_offsets_encode(&s->offsets, out);
    pthread_mutex_unlock(&s->mu);
}

int broker_schedule_persist(broker_schedule_t *s, bool force) {
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    if (s->dirty || force) {
        if (s->dirty)
            store_data_version_next(&s->offsets.data_version);
        rc = store_delay_offsets_save(&s->offsets, store_fileops_default(), s->path);
        if (rc == 0)
            s->dirty = false;
    }
    pthread_mutex_unlock(&s->mu);
    if (rc != 0)
        rmq_log_warn("broker", "persist %s failed: %s", s->path, strerror(-rc));
    return rc;
}

/* ---- delivery ---- */

typedef enum { DELIVER_OK, DELIVER_SKIP, DELIVER_RETRY } deliver_t;

/* Stores the parked record again in its real topic and queue (messageTimeUp). */
static deliver_t deliver(broker_schedule_t *s, const store_ref_t *ref, int32_t level) {
    store_record_t rec;
    if (store_ref_decode(ref, &rec) != 0) {
        rmq_log_warn("broker", "schedule: unreadable record at %lld (level %d), skipped",
                     (long long)ref->phys_offset, level);
        return DELIVER_SKIP;
    }
    rmq_slice_t real_topic, real_qid;
    char qid[16];
    if (!store_props_get(rec.props, PROTO_PROP_REAL_TOPIC, &real_topic) ||
        !store_props_get(rec.props, PROTO_PROP_REAL_QID, &real_qid) || real_qid.len == 0 ||
        real_qid.len >= sizeof qid) {
        rmq_log_warn("broker", "schedule: record at %lld has no REAL_TOPIC/REAL_QID, skipped",
                     (long long)ref->phys_offset);
        return DELIVER_SKIP;
    }
    memcpy(qid, real_qid.ptr, real_qid.len);
    qid[real_qid.len] = 0;
    char *end;
    long q = strtol(qid, &end, 10);
    if (*end || q < 0 || q > INT32_MAX) {
        rmq_log_warn("broker", "schedule: record at %lld has REAL_QID %s, skipped",
                     (long long)ref->phys_offset, qid);
        return DELIVER_SKIP;
    }
    if (rmq_slice_eq_cstr(real_topic, TRANS_HALF_TOPIC)) {
        rmq_log_error("broker", "[BUG] the real topic of schedule msg is %s, discard the msg",
                      TRANS_HALF_TOPIC);
        return DELIVER_SKIP;
    }
    store_msg_t m = {
        .topic = real_topic,
        .queue_id = (int32_t)q,
        .flag = rec.flag,
        .body = rec.body,
        .props = rec.props,
        .sys_flag = rec.sys_flag,
        .born_ts = rec.born_ts,
        .born_host = rec.born_host,
        .store_host = rec.store_host,
        .reconsume_times = rec.reconsume_times,
    };
    store_append_result_t res;
    int rc = store_put(s->b->store, &m, &res);
    if (rc == 0)
        return DELIVER_OK;
    if (rc == -EMSGSIZE || rc == -EINVAL || rc == -EBADMSG) {
        rmq_log_error("broker", "schedule: message at %lld for %.*s is illegal (%d), skipped",
                      (long long)ref->phys_offset, (int)real_topic.len, real_topic.ptr, rc);
        return DELIVER_SKIP;
    }
    return DELIVER_RETRY;
}

/* One level: delivers what is due from its cursor. Returns the number delivered. */
static int run_level(broker_schedule_t *s, int32_t level, int64_t now) {
    rmq_slice_t topic = rmq_slice_cstr(PROTO_SCHEDULE_TOPIC);
    int64_t off = broker_schedule_offset(s, level);
    int delivered = 0, seen = 0;
    store_get_result_t *r = &s->get;
    while (seen < MAX_PER_LEVEL_PASS) {
        if (store_get(s->b->store, topic, level - 1, off, BATCH, GET_MAX_BYTES, NULL, r) != 0)
            break;
        if (r->status == STORE_GET_OFFSET_TOO_SMALL) {
            off = r->min_offset;
            continue;
        }
        if (r->status == STORE_GET_OFFSET_OVERFLOW_BADLY) {
            off = r->max_offset;
            break;
        }
        if (r->status != STORE_GET_FOUND || r->count == 0) {
            if (r->status == STORE_GET_FOUND || r->status == STORE_GET_NO_MATCHED_MESSAGE)
                off = r->next_begin_offset;
            break;
        }
        bool stop = false;
        for (size_t i = 0; i < r->count && !stop; i++) {
            const store_ref_t *ref = &r->refs[i];
            int64_t due = ref->tag_code;
            if (due > now + s->delay_ms[level])
                due = now;
            if (due > now) {
                off = ref->queue_offset;
                stop = true;
                break;
            }
            deliver_t d = deliver(s, ref, level);
            if (d == DELIVER_RETRY) {
                off = ref->queue_offset;
                stop = true;
                break;
            }
            delivered += d == DELIVER_OK;
            seen++;
            off = ref->queue_offset + 1;
        }
        if (stop)
            break;
        off = r->next_begin_offset;
    }
    store_get_result_release(r);
    set_offset(s, level, off);
    return delivered;
}

int broker_schedule_run(broker_schedule_t *s) {
    int64_t now = broker_now(s->b);
    int delivered = 0;
    for (int32_t level = 1; level <= s->max_level; level++) {
        rmq_slice_t topic = rmq_slice_cstr(PROTO_SCHEDULE_TOPIC);
        if (store_max_offset(s->b->store, topic, level - 1) <= broker_schedule_offset(s, level))
            continue;
        delivered += run_level(s, level, now);
    }
    return delivered;
}
