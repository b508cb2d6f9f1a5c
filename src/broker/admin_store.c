/*
 * Store maintenance and inspection for the administration tools (upstream
 * AdminBrokerProcessor): CLEAN_EXPIRED_CONSUMEQUEUE (306, mqadmin cleanExpiredCQ),
 * DELETE_EXPIRED_COMMITLOG (329, mqadmin deleteExpiredCommitLog), CLEAN_UNUSED_TOPIC (316,
 * mqadmin cleanUnusedTopic), QUERY_CONSUME_QUEUE (321, mqadmin queryCq) and
 * VIEW_BROKER_STATS_DATA (315, mqadmin statsAll).
 *
 *   QueryConsumeQueueResponseBody {"filterData":..,"maxQueueIndex":n,"minQueueIndex":n,
 *       "queueData":[{"eval":false,"physicOffset":n,"physicSize":n,"tagsCode":n}],
 *       "subscriptionData":{..}}
 *   BrokerStatsData {"statsDay":{"avgpt":0.0,"sum":n,"tps":x},"statsHour":..,"statsMinute":..}
 *
 * Stats: the Java broker keeps sampled counters per topic and group; ours keeps broker-wide
 * counters only. TOPIC_PUT_NUMS (key: the topic) and BROKER_PUT_NUMS (key: the cluster
 * name) are answered from the store itself (messages stored in the last minute / hour /
 * day, found by store time in each queue; avgpt, the mean put batch, is left 0.0); every
 * other stats name (GROUP_GET_NUMS, ...) is answered as upstream answers an unknown one.
 *
 * Runs on: I/O loops (the cleaning requests do the file work inline, as upstream's
 * processor thread does). Locks: those of the store and the topic table.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define QUERY_CQ_MAX 4096 /* entries per answer */

/* ---- cleaning ---- */

static bool drop_expired(void *arg, const char *topic, bool expired) {
    return expired && !broker_admin_is_system_topic(arg, topic);
}

int broker_admin_clean_expired_cq(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_log_info("broker", "cleanExpiredConsumeQueue: start, caller=%s", b->conn_ops->peer(conn));
    int n = store_delete_topics_where(b->store, drop_expired, b);
    rmq_log_info("broker", "cleanExpiredConsumeQueue: end, %d topic(s) destroyed", n);
    return 0;
}

int broker_admin_delete_expired_commitlog(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                          remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_log_warn("broker", "invoke deleteExpiredCommitLog start, caller=%s",
                 b->conn_ops->peer(conn));
    int n = store_clean(b->store, true); /* executeDeleteFilesManually: any hour */
    rmq_log_warn("broker", "invoke deleteExpiredCommitLog end, %d file(s) deleted", n);
    return 0;
}

static bool drop_unused(void *arg, const char *topic, bool expired) {
    broker_t *b = arg;
    broker_topic_info_t ti;
    return !broker_admin_is_system_topic(b, topic) && strncmp(topic, "%LMQ%", 5) != 0 &&
           !broker_topics_get(b, topic, &ti);
}

int broker_admin_clean_unused_topic(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                    remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_log_warn("broker", "invoke cleanUnusedTopic start, caller=%s", b->conn_ops->peer(conn));
    int n = store_delete_topics_where(b->store, drop_unused, b);
    rmq_log_warn("broker", "invoke cleanUnusedTopic end, %d topic(s) deleted", n);
    return 0;
}

/* ---- QUERY_CONSUME_QUEUE ---- */

/* subscriptionData and filterData for the group's subscription to topic. */
static void write_filter(broker_t *b, const char *group, const char *topic, rmq_jw_t *w) {
    broker_client_group_t cg;
    const proto_subscription_t *sub = NULL;
    bool online = broker_clients_consumer_copy(b, group, &cg) == 0;
    for (size_t i = 0; online && i < cg.nsub && !sub; i++)
        if (cg.subs[i].topic && strcmp(cg.subs[i].topic, topic) == 0)
            sub = &cg.subs[i];
    if (sub) {
        rmq_jw_kv_str(w, "filterData", "null"); /* no ConsumerFilterData for TAG */
    } else {
        char msg[512];
        snprintf(msg, sizeof msg, "%s@%s is not online!", group, topic);
        rmq_jw_kv_str(w, "filterData", msg);
    }
    if (sub) {
        rmq_jw_key(w, "subscriptionData");
        proto_subscription_write(sub, w);
    }
    if (online)
        broker_client_group_close(b, &cg);
}

int broker_admin_query_consume_queue(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_query_consume_queue_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_query_consume_queue_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    const char *topic = h.topic ? h.topic : "null";
    broker_topic_info_t ti;
    if (!broker_topics_get(b, topic, &ti) || h.queueId < 0 ||
        (h.queueId >= ti.read_queue_nums && h.queueId >= ti.write_queue_nums)) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "%d@%s is not exist!", h.queueId, topic);
        return 0;
    }
    rmq_slice_t ts = rmq_slice_cstr(topic);
    int64_t min = store_min_offset(b->store, ts, h.queueId);
    int64_t max = store_max_offset(b->store, ts, h.queueId);
    min = min < 0 ? 0 : min;
    max = max < 0 ? 0 : max;
    if (h.index < min || h.index >= max) {
        remoting_cmd_set_remarkf(resp, "Index %lld of %d@%s is not exist!", (long long)h.index,
                                 h.queueId, topic);
        return 0;
    }
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    if (h.consumerGroup)
        write_filter(b, h.consumerGroup, topic, &w);
    rmq_jw_kv_i64(&w, "maxQueueIndex", max);
    rmq_jw_kv_i64(&w, "minQueueIndex", min);
    rmq_jw_key(&w, "queueData");
    rmq_jw_arr_begin(&w);
    int want = h.count < 0 ? 0 : h.count > QUERY_CQ_MAX ? QUERY_CQ_MAX : h.count;
    store_get_result_t r;
    store_get_result_init(&r);
    if (want > 0 && store_get(b->store, ts, h.queueId, h.index, want, INT64_MAX, NULL, &r) == 0) {
        for (size_t i = 0; i < r.count; i++) {
            const store_ref_t *ref = &r.refs[i];
            if (ref->queue_offset - h.index >= want)
                break;
            rmq_jw_obj_begin(&w);
            rmq_jw_kv_bool(&w, "eval", false);
            rmq_jw_kv_i64(&w, "physicOffset", ref->phys_offset);
            rmq_jw_kv_i64(&w, "physicSize", ref->len);
            rmq_jw_kv_i64(&w, "tagsCode", ref->tag_code);
            rmq_jw_obj_end(&w);
        }
    }
    store_get_result_close(&r);
    rmq_jw_arr_end(&w);
    rmq_jw_obj_end(&w);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- VIEW_BROKER_STATS_DATA ---- */

/* Messages of topic stored since `since` (wall clock ms), over all its queues. */
static int64_t topic_puts_since(broker_t *b, const char *topic, const broker_topic_info_t *ti,
                                int64_t since) {
    rmq_slice_t ts = rmq_slice_cstr(topic);
    int64_t sum = 0;
    for (int32_t q = 0; q < ti->write_queue_nums; q++) {
        int64_t max = store_max_offset(b->store, ts, q);
        if (max <= 0)
            continue;
        int64_t last = store_msg_store_time(b->store, ts, q, max - 1);
        if (last < since)
            continue; /* nothing stored since */
        int64_t from = store_offset_by_time(b->store, ts, q, since, STORE_BOUNDARY_LOWER);
        int64_t min = store_min_offset(b->store, ts, q);
        if (from < min)
            from = min < 0 ? 0 : min;
        if (from < max)
            sum += max - from;
    }
    return sum;
}

static void write_item(rmq_jw_t *w, const char *key, int64_t sum, int64_t span_ms) {
    rmq_jw_key(w, key);
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "avgpt");
    rmq_jw_double(w, 0.0);
    rmq_jw_kv_i64(w, "sum", sum);
    rmq_jw_key(w, "tps");
    rmq_jw_double(w, (double)sum * 1000.0 / (double)span_ms);
    rmq_jw_obj_end(w);
}

/* Messages stored since `since` in the topics the stats key names: one topic
 * (TOPIC_PUT_NUMS) or all of them (BROKER_PUT_NUMS). */
static int64_t puts_since(broker_t *b, const proto_strs_t *topics, int64_t since) {
    int64_t sum = 0;
    for (size_t i = 0; i < topics->count; i++) {
        broker_topic_info_t ti;
        if (broker_topics_get(b, topics->items[i], &ti))
            sum += topic_puts_since(b, topics->items[i], &ti, since);
    }
    return sum;
}

/* The topics of a stats item we can answer; false for any other name or key. */
static bool stats_topics(broker_t *b, const char *name, const char *key, proto_strs_t *topics) {
    broker_topic_info_t ti;
    if (strcmp(name, "TOPIC_PUT_NUMS") == 0 && broker_topics_get(b, key, &ti)) {
        proto_strs_add(topics, key, strlen(key));
        return true;
    }
    if (strcmp(name, "BROKER_PUT_NUMS") == 0 && strcmp(key, b->cfg.brokerClusterName) == 0) {
        pthread_rwlock_rdlock(&b->topics.lock);
        rmq_map_entry_t *e;
        for (size_t i = 0; rmq_map_next(&b->topics.table.table, &i, &e);)
            proto_strs_add(topics, e->key, strlen(e->key));
        pthread_rwlock_unlock(&b->topics.lock);
        return true;
    }
    return false;
}

int broker_admin_view_stats(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                            remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_view_broker_stats_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_view_broker_stats_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_strs_t topics = {0};
    if (!stats_topics(b, h.statsName, h.statsKey, &topics)) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "The stats <%s> <%s> not exist", h.statsName, h.statsKey);
        return 0;
    }
    int64_t now = rmq_now_ms();
    static const struct {
        const char *key;
        int64_t span_ms;
    } items[] = {
        {"statsDay", 24LL * 3600 * 1000},
        {"statsHour", 3600LL * 1000},
        {"statsMinute", 60LL * 1000},
    };
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        write_item(&w, items[i].key, puts_since(b, &topics, now - items[i].span_ms),
                   items[i].span_ms);
    rmq_jw_obj_end(&w);
    proto_strs_close(&topics);
    broker_take_body(resp, &out);
    return 0;
}
