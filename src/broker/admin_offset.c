/*
 * Offset and group queries of the administration tools (upstream AdminBrokerProcessor):
 * GET_ALL_CONSUMER_OFFSET (43: consumerOffset.json's content), GET_ALL_DELAY_OFFSET (45:
 * delayOffset.json's content), GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305), QUERY_TOPICS_BY_CONSUMER
 * (343), QUERY_SUBSCRIPTION_BY_CONSUMER (345), CLONE_GROUP_OFFSET (314, mqadmin
 * cloneGroupOffset), GET_BROKER_CONSUME_STATS (317, mqadmin brokerConsumeStats) and
 * QUERY_CONSUME_TIME_SPAN (303, the dashboard's queryConsumeTimeSpan).
 *
 * Bodies as fastjson writes them (members by name, nulls omitted):
 *   TopicList                   {"brokerAddr":"ip:port","topicList":["T",..]}
 *   QuerySubscriptionResponseBody {"group":"G","subscriptionData":{..},"topic":"T"}
 *   ConsumeStatsList            {"brokerAddr":..,"consumeStatsList":[{"G":[ConsumeStats,..]},..],
 *                                "totalDiff":n,"totalInflightDiff":n}
 *
 * Runs on: I/O loops. Locks: the offsets table's mutex, groups_lock, clients.lock (in the
 * copy functions), the schedule's cursor mutex; never two at once.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"
#include "common/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The group's subscription to topic in its live registration, or NULL. */
static const proto_subscription_t *find_sub(const broker_client_group_t *cg, const char *topic) {
    for (size_t i = 0; i < cg->nsub; i++)
        if (cg->subs[i].topic && strcmp(cg->subs[i].topic, topic) == 0)
            return &cg->subs[i];
    return NULL;
}

/* ConsumerManager.findSubscriptionData == null && findSubscriptionDataCount > 0: an
 * online group that does not subscribe to topic. */
static bool online_without(broker_t *b, const char *group, const char *topic) {
    broker_client_group_t cg;
    if (broker_clients_consumer_copy(b, group, &cg) != 0)
        return false;
    bool skip = cg.nsub > 0 && !find_sub(&cg, topic);
    broker_client_group_close(b, &cg);
    return skip;
}

/* ---- whole tables ---- */

int broker_admin_get_all_consumer_offset(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                         remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_consumer_offsets_encode(&b->offsets, &out);
    broker_take_body(resp, &out);
    return 0;
}

int broker_admin_get_all_delay_offset(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_buf_t out;
    rmq_buf_init(&out);
    broker_schedule_encode(b->schedule, &out);
    broker_take_body(resp, &out);
    return 0;
}

static void write_topic_list(const char *broker_addr, const proto_strs_t *topics, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    if (broker_addr)
        rmq_jw_kv_str(&w, "brokerAddr", broker_addr);
    rmq_jw_key(&w, "topicList");
    proto_strs_write(topics, &w, true);
    rmq_jw_obj_end(&w);
}

int broker_admin_system_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_strs_t topics = {0};
    broker_admin_system_topics(b, &topics);
    rmq_buf_t out;
    rmq_buf_init(&out);
    write_topic_list(NULL, &topics, &out);
    proto_strs_close(&topics);
    broker_take_body(resp, &out);
    return 0;
}

int broker_admin_topics_by_consumer(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                    remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_group_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_group_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_strs_t topics = {0};
    broker_admin_offset_keys(b, NULL, h.group, &topics);
    rmq_buf_t out;
    rmq_buf_init(&out);
    write_topic_list(b->addr, &topics, &out);
    proto_strs_close(&topics);
    broker_take_body(resp, &out);
    return 0;
}

int broker_admin_subscription_by_consumer(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                          remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_group_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_group_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_kv_str(&w, "group", h.group);
    broker_client_group_t cg;
    if (h.topic && broker_clients_consumer_copy(b, h.group, &cg) == 0) {
        const proto_subscription_t *s = find_sub(&cg, h.topic);
        if (s) {
            rmq_jw_key(&w, "subscriptionData");
            proto_subscription_write(s, &w);
        }
        broker_client_group_close(b, &cg);
    }
    if (h.topic)
        rmq_jw_kv_str(&w, "topic", h.topic);
    rmq_jw_obj_end(&w);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- CLONE_GROUP_OFFSET ---- */

int broker_admin_clone_group_offset(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                    remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_clone_group_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_clone_group_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_strs_t topics = {0};
    bool blank = !h.topic || !h.topic[strspn(h.topic, " \t")];
    if (blank)
        broker_admin_offset_keys(b, NULL, h.srcGroup, &topics);
    else
        proto_strs_add(&topics, h.topic, strlen(h.topic));
    for (size_t t = 0; t < topics.count; t++) {
        const char *topic = topics.items[t];
        broker_topic_info_t ti;
        if (!broker_topics_get(b, topic, &ti)) {
            rmq_log_warn("broker", "[cloneGroupOffset] topic config not exist, %s", topic);
            continue;
        }
        if (!h.offline && online_without(b, h.srcGroup, topic))
            continue;
        /* As upstream, cloneOffset gets the header's topic (null when blank: nothing). */
        if (!blank)
            store_consumer_offsets_clone(&b->offsets, topic, h.srcGroup, h.destGroup);
    }
    rmq_log_info("broker", "clone offsets of %s to %s (topic %s), caller=%s", h.srcGroup,
                 h.destGroup, blank ? "*" : h.topic, b->conn_ops->peer(conn));
    proto_strs_close(&topics);
    return 0;
}

/* ---- GET_BROKER_CONSUME_STATS ---- */

/* One group's ConsumeStats per topic; adds to *diff. */
static void write_group_stats(broker_t *b, const char *group, bool only_order, rmq_jw_t *w,
                              int64_t *diff) {
    proto_strs_t topics = {0};
    broker_admin_offset_keys(b, NULL, group, &topics);
    rmq_jw_arr_begin(w);
    for (size_t t = 0; t < topics.count; t++) {
        const char *topic = topics.items[t];
        broker_topic_info_t ti;
        if (!broker_topics_get(b, topic, &ti) || (only_order && !ti.order) ||
            online_without(b, group, topic))
            continue;
        proto_consume_stats_t cs = {0};
        rmq_slice_t ts = rmq_slice_cstr(topic);
        for (int32_t i = 0; i < ti.write_queue_nums; i++) {
            proto_offset_wrapper_t *ow = proto_consume_stats_add(&cs, topic, b->cfg.brokerName, i);
            int64_t max = store_max_offset(b->store, ts, i);
            ow->brokerOffset = max < 0 ? 0 : max;
            int64_t co = store_consumer_offsets_query(&b->offsets, topic, group, i);
            ow->consumerOffset = co < 0 ? 0 : co;
            if (ow->consumerOffset > 0) {
                int64_t last = store_msg_store_time(b->store, ts, i, ow->consumerOffset - 1);
                if (last > 0)
                    ow->lastTimestamp = last;
            }
            *diff += ow->brokerOffset - ow->consumerOffset;
        }
        rmq_buf_t one;
        rmq_buf_init(&one);
        proto_consume_stats_encode(&cs, &one);
        rmq_jw_raw(w, (const char *)one.data, one.len);
        rmq_buf_close(&one);
        proto_consume_stats_close(&cs);
    }
    rmq_jw_arr_end(w);
    proto_strs_close(&topics);
}

int broker_admin_broker_consume_stats(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consume_stats_in_broker_header_t h = {0};
    const char *bad = NULL;
    if (proto_consume_stats_in_broker_header_decode(req, &h, &bad) != 0 || !h.has_isOrder)
        return broker_bad_header(resp, bad ? bad : "isOrder");
    proto_strs_t groups = {0};
    pthread_mutex_lock(&b->groups_lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&b->groups.table, &i, &e);)
        proto_strs_add(&groups, e->key, strlen(e->key));
    pthread_mutex_unlock(&b->groups_lock);

    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    int64_t diff = 0;
    rmq_jw_obj_begin(&w);
    rmq_jw_kv_str(&w, "brokerAddr", b->addr);
    rmq_jw_key(&w, "consumeStatsList");
    rmq_jw_arr_begin(&w);
    for (size_t g = 0; g < groups.count; g++) {
        rmq_jw_obj_begin(&w);
        rmq_jw_key(&w, groups.items[g]);
        write_group_stats(b, groups.items[g], h.isOrder, &w, &diff);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    rmq_jw_kv_i64(&w, "totalDiff", diff);
    rmq_jw_kv_i64(&w, "totalInflightDiff", diff); /* no pull offsets apart from commits */
    rmq_jw_obj_end(&w);
    proto_strs_close(&groups);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- QUERY_CONSUME_TIME_SPAN ---- */

/* UtilAll.formatDate(ts, "yyyy-MM-dd#HH:mm:ss:SSS") in local time. */
static void write_time_str(rmq_jw_t *w, const char *key, int64_t ms) {
    time_t sec = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)sec * 1000);
    struct tm tm;
    localtime_r(&sec, &tm);
    char buf[64];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d#%02d:%02d:%02d:%03d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    rmq_jw_kv_str(w, key, buf);
}

/* AdminBrokerProcessor.queryConsumeTimeSpan: per write queue the first and last store
 * times, the store time of the last consumed message and how far behind the next one is.
 * QueueTimeSpan also has the *Str getters fastjson writes. */
int broker_admin_consume_time_span(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_group_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_group_topic_request_header_decode(req, &h, &bad) != 0 || !h.topic)
        return broker_bad_header(resp, bad ? bad : "topic");
    broker_topic_info_t ti;
    if (!broker_topics_get(b, h.topic, &ti)) {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "topic[%s] not exist", h.topic);
        return 0;
    }
    rmq_slice_t ts = rmq_slice_cstr(h.topic);
    int64_t now = rmq_now_ms();
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "consumeTimeSpanSet");
    rmq_jw_arr_begin(&w);
    for (int32_t i = 0; i < ti.write_queue_nums; i++) {
        int64_t min_time = store_earliest_time(b->store, ts, i);
        int64_t max = store_max_offset(b->store, ts, i);
        int64_t max_time = store_msg_store_time(b->store, ts, i, max - 1);
        int64_t co = store_consumer_offsets_query(&b->offsets, h.topic, h.group, i);
        int64_t consume_time = co > 0 ? store_msg_store_time(b->store, ts, i, co - 1) : min_time;
        int64_t delay = 0;
        if (co < max)
            delay = now - store_msg_store_time(b->store, ts, i, co);
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_i64(&w, "consumeTimeStamp", consume_time);
        write_time_str(&w, "consumeTimeStampStr", consume_time);
        rmq_jw_kv_i64(&w, "delayTime", delay);
        rmq_jw_kv_i64(&w, "maxTimeStamp", max_time);
        write_time_str(&w, "maxTimeStampStr", max_time);
        rmq_jw_key(&w, "messageQueue");
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_str(&w, "brokerName", b->cfg.brokerName);
        rmq_jw_kv_i64(&w, "queueId", i);
        rmq_jw_kv_str(&w, "topic", h.topic);
        rmq_jw_obj_end(&w);
        rmq_jw_kv_i64(&w, "minTimeStamp", min_time);
        write_time_str(&w, "minTimeStampStr", min_time);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    rmq_jw_obj_end(&w);
    broker_take_body(resp, &out);
    return 0;
}
