/*
 * CONSUMER_SEND_MSG_BACK (36): a push consumer hands back a message it failed to consume
 * (spec remoting.md 5.2.4, 7.4; store.md 7.2; upstream
 * AbstractSendMessageProcessor.consumerSendMsgBack).
 *
 * The failed message is read by its commit-log offset and stored again, same body, flag,
 * sysFlag, born time and host, with RECONSUMETIMES + 1, into
 *
 *   %RETRY%<group>   (a random one of the group's retryQueueNums queues) with delay level
 *                    `delayLevel`, or 3 + reconsumeTimes when the consumer sent 0; the
 *                    level parks it in SCHEDULE_TOPIC_XXXX (queue level-1, REAL_TOPIC,
 *                    REAL_QID) until schedule.c delivers it, or
 *   %DLQ%<group>     (1 queue, perm 6) when the stored reconsumeTimes reached
 *                    maxReconsumeTimes (the header's when the request's version is at least
 *                    V3_4_9 = 121, else the group's retryMaxTimes) or delayLevel < 0.
 *
 * Properties are the original's as Java re-serialises its map (last value of a repeated
 * name wins, empty values dropped) with RETRY_TOPIC = original topic and
 * ORIGIN_MESSAGE_ID = original offset msgId when absent, WAIT=false and DELAY = the level
 * (0 for the DLQ); a delayed one also gets REAL_TOPIC/REAL_QID replaced.
 *
 * Runs on: an I/O loop. Locks: none of its own (the store serialises appends).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/lookup_header.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROP_ORIGIN_MESSAGE_ID "ORIGIN_MESSAGE_ID"
#define VERSION_V3_4_9         121

/* ---- properties ---- */

typedef struct {
    rmq_slice_t name, value;
} pair_t;

typedef struct {
    pair_t *items;
    size_t count, cap;
} pairs_t;

static void collect_pair(void *arg, rmq_slice_t name, rmq_slice_t value) {
    pairs_t *p = arg;
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->items = rmq_realloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->count++] = (pair_t){name, value};
}

static bool name_in(rmq_slice_t name, const char *const *names) {
    for (; *names; names++)
        if (rmq_slice_eq_cstr(name, *names))
            return true;
    return false;
}

/*
 * Appends props to out as Java's string2messageProperties + messageProperties2String
 * round trip leaves them (the last of repeated names), without the names in `drop`.
 */
static void copy_props(rmq_slice_t props, const char *const *drop, rmq_buf_t *out) {
    pairs_t p = {0};
    store_props_foreach(props, collect_pair, &p);
    for (size_t i = 0; i < p.count; i++) {
        if (name_in(p.items[i].name, drop))
            continue;
        bool later = false;
        for (size_t j = i + 1; j < p.count && !later; j++)
            later = rmq_slice_eq(p.items[i].name, p.items[j].name);
        if (later)
            continue;
        rmq_buf_append(out, p.items[i].name.ptr, p.items[i].name.len);
        rmq_buf_append_u8(out, PROTO_PROP_NAME_SEP);
        rmq_buf_append(out, p.items[i].value.ptr, p.items[i].value.len);
        rmq_buf_append_u8(out, PROTO_PROP_VALUE_SEP);
    }
    rmq_free(p.items);
}

static void add_prop(rmq_buf_t *out, const char *name, const char *value) {
    proto_props_append(out, name, value, strlen(value));
}

/* ---- the request ---- */

static int fail(remoting_cmd_t *resp, int code, const char *remark) {
    resp->code = code;
    remoting_cmd_set_remark(resp, remark);
    return 0;
}

/* PutMessageStatus names, as the Java broker puts them in the remark. */
static const char *put_status_name(int rc) {
    switch (rc) {
    case -EMSGSIZE:
    case -EINVAL:
    case -EBADMSG:
        return "MESSAGE_ILLEGAL";
    case -ENOSPC:
    case -EROFS:
        return "SERVICE_NOT_AVAILABLE";
    case -EAGAIN:
        return "OS_PAGE_CACHE_BUSY";
    default:
        return "UNKNOWN_ERROR";
    }
}

/* Where the message goes: topic, queue and delay level (0 = none). */
typedef struct {
    char topic[320];
    int32_t queue_id;
    int32_t level;
    bool is_dlq;
} target_t;

/* Chooses retry or DLQ and creates the topic. Returns false with resp filled. */
static bool choose_target(broker_t *b, const remoting_cmd_t *req,
                          const proto_consumer_send_msg_back_request_header_t *h,
                          const broker_group_info_t *gi, int32_t reconsume_times, target_t *t,
                          remoting_cmd_t *resp) {
    int32_t max = gi->retry_max_times;
    if (req->version >= VERSION_V3_4_9 && h->has_maxReconsumeTimes)
        max = h->maxReconsumeTimes;
    broker_topic_info_t ti;
    if (reconsume_times >= max || h->delayLevel < 0) {
        t->is_dlq = true;
        snprintf(t->topic, sizeof t->topic, "%s%s", PROTO_DLQ_GROUP_TOPIC_PREFIX, h->group);
        t->queue_id = 0;
        t->level = 0;
        if (!broker_topics_create_if_absent(b, t->topic, 1, STORE_PERM_READ | STORE_PERM_WRITE,
                                            &ti)) {
            resp->code = PROTO_SYSTEM_ERROR;
            remoting_cmd_set_remarkf(resp, "topic[%s] not exist", t->topic);
            return false;
        }
        return true;
    }
    t->level = h->delayLevel == 0 ? 3 + reconsume_times : h->delayLevel;
    int32_t max_level = broker_schedule_max_level(b->schedule);
    if (t->level > max_level)
        t->level = max_level;
    return true;
}

/* Builds the new record's properties from the original record into out. */
static void build_props(broker_t *b, const store_record_t *rec, const target_t *t,
                        const char *retry_topic, int32_t retry_qid, rmq_buf_t *out) {
    static const char *const drop_delayed[] = {PROTO_PROP_WAIT, PROTO_PROP_DELAY,
                                               PROTO_PROP_REAL_TOPIC, PROTO_PROP_REAL_QID, NULL};
    static const char *const drop_dlq[] = {PROTO_PROP_WAIT, PROTO_PROP_DELAY, NULL};
    copy_props(rec->props, t->level > 0 ? drop_delayed : drop_dlq, out);
    rmq_slice_t v;
    if (!proto_props_get(rec->props, PROTO_PROP_RETRY_TOPIC, &v))
        proto_props_append(out, PROTO_PROP_RETRY_TOPIC, rec->topic.ptr, rec->topic.len);
    if (!proto_props_get(rec->props, PROP_ORIGIN_MESSAGE_ID, &v)) {
        char id[57];
        size_t n = store_msg_id(&rec->store_host, rec->phys_offset, id);
        proto_props_append(out, PROP_ORIGIN_MESSAGE_ID, id, n);
    }
    add_prop(out, PROTO_PROP_WAIT, "false");
    char num[16];
    snprintf(num, sizeof num, "%d", t->level);
    add_prop(out, PROTO_PROP_DELAY, num);
    if (t->level > 0) {
        add_prop(out, PROTO_PROP_REAL_TOPIC, retry_topic);
        snprintf(num, sizeof num, "%d", retry_qid);
        add_prop(out, PROTO_PROP_REAL_QID, num);
    }
    (void)b;
}

/* Stores the copy of rec at its target. Returns 0 or the store's -errno. */
static int store_copy(broker_t *b, const store_record_t *rec, const target_t *t,
                      rmq_slice_t props) {
    int32_t tx = rec->sys_flag & STORE_SYSFLAG_TX_MASK;
    bool delayed =
        t->level > 0 && (tx == STORE_SYSFLAG_TX_NOT_TYPE || tx == STORE_SYSFLAG_TX_COMMIT);
    store_msg_t m = {
        .topic = rmq_slice_cstr(delayed ? PROTO_SCHEDULE_TOPIC : t->topic),
        .queue_id = delayed ? t->level - 1 : t->queue_id,
        .flag = rec->flag,
        .body = rec->body,
        .props = props,
        .sys_flag = rec->sys_flag,
        .born_ts = rec->born_ts,
        .born_host = rec->born_host,
        .store_host = b->store_host,
        .reconsume_times = rec->reconsume_times + 1,
    };
    store_append_result_t res;
    return store_put(b->store, &m, &res);
}

int broker_send_back_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_consumer_send_msg_back_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_consumer_send_msg_back_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    broker_group_info_t gi;
    if (!broker_groups_get(b, h.group, true, &gi)) { /* upstream findSubscriptionGroupConfig */
        resp->code = PROTO_SUBSCRIPTION_GROUP_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "subscription group not exist, %s %s", h.group,
                                 BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST);
        return 0;
    }
    if (!(b->cfg.brokerPermission & STORE_PERM_WRITE)) {
        resp->code = PROTO_NO_PERMISSION;
        remoting_cmd_set_remarkf(resp, "the broker[%s] sending message is forbidden",
                                 b->cfg.brokerIP1);
        return 0;
    }
    if (gi.retry_queue_nums <= 0)
        return fail(resp, PROTO_SUCCESS, NULL);

    char retry[320];
    snprintf(retry, sizeof retry, "%s%s", PROTO_RETRY_GROUP_TOPIC_PREFIX, h.group);
    int32_t retry_qid = rand() % gi.retry_queue_nums;
    broker_topic_info_t ti;
    if (!broker_topics_create_if_absent(b, retry, gi.retry_queue_nums,
                                        STORE_PERM_READ | STORE_PERM_WRITE, &ti)) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "topic[%s] not exist", retry);
        return 0;
    }
    if (!(ti.perm & STORE_PERM_WRITE)) {
        resp->code = PROTO_NO_PERMISSION;
        remoting_cmd_set_remarkf(resp, "the topic[%s] sending message is forbidden", retry);
        return 0;
    }

    store_ref_t ref;
    store_record_t rec;
    if (store_get_by_offset(b->store, h.offset, &ref) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "look message by offset failed, %lld", (long long)h.offset);
        return 0;
    }
    if (store_ref_decode(&ref, &rec) != 0) {
        store_mf_release(ref.mf);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "look message by offset failed, %lld", (long long)h.offset);
        return 0;
    }

    target_t t = {0};
    if (!choose_target(b, req, &h, &gi, rec.reconsume_times, &t, resp)) {
        store_mf_release(ref.mf);
        return 0;
    }
    if (!t.is_dlq) {
        snprintf(t.topic, sizeof t.topic, "%s", retry);
        t.queue_id = retry_qid;
    }
    rmq_buf_t props;
    rmq_buf_init(&props);
    build_props(b, &rec, &t, retry, retry_qid, &props);
    int rc = store_copy(b, &rec, &t, rmq_buf_slice(&props));
    rmq_buf_close(&props);
    store_mf_release(ref.mf);
    if (rc != 0) {
        rmq_log_warn("broker", "send back of offset %lld for group %s failed: %s",
                     (long long)h.offset, h.group, put_status_name(rc));
        return fail(resp, PROTO_SYSTEM_ERROR, put_status_name(rc));
    }
    if (t.is_dlq)
        rmq_log_info("broker", "send msg to DLQ %s, originalTopic=%s, consumerId=%s, offset=%lld",
                     t.topic, h.originTopic ? h.originTopic : "", h.group, (long long)h.offset);
    return fail(resp, PROTO_SUCCESS, NULL);
}
