/*
 * The admin API's broker requests (rocketmq/admin.h): topic and subscription group
 * create/delete, topic and consume statistics, client connections, broker configuration.
 * Each is one request to the broker address the caller names, built from the protocol
 * layer's typed headers and bodies, as MQClientAPIImpl sends them.
 */
#include "client/admin_int.h"
#include "client/client.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/json.h"
#include "common/props.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"
#include "protocol/offset_header.h"

#include <string.h>

/* ------------------------------------------------------------------ results */

struct rmq_topic_stats_s {
    proto_topic_stats_t ts;
};

struct rmq_consume_stats_s {
    proto_consume_stats_t cs;
};

struct rmq_connections_s {
    proto_client_connection_t cc;
};

size_t rmq_topic_stats_count(const rmq_topic_stats_t *ts) {
    return ts ? ts->ts.count : 0;
}

#define TS_ITEM(ts, i) ((ts) && (i) < (ts)->ts.count ? &(ts)->ts.items[i] : NULL)

const char *rmq_topic_stats_topic(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->mq.topic : NULL;
}

const char *rmq_topic_stats_broker_name(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->mq.brokerName : NULL;
}

int rmq_topic_stats_queue_id(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->mq.queueId : -1;
}

int64_t rmq_topic_stats_min_offset(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->minOffset : -1;
}

int64_t rmq_topic_stats_max_offset(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->maxOffset : -1;
}

int64_t rmq_topic_stats_last_update(const rmq_topic_stats_t *ts, size_t i) {
    const proto_topic_offset_t *o = TS_ITEM(ts, i);
    return o ? o->lastUpdateTimestamp : 0;
}

double rmq_topic_stats_put_tps(const rmq_topic_stats_t *ts) {
    return ts ? ts->ts.topicPutTps : 0;
}

void rmq_topic_stats_destroy(rmq_topic_stats_t *ts) {
    if (!ts)
        return;
    proto_topic_stats_close(&ts->ts);
    rmq_free(ts);
}

#define CS_ITEM(cs, i) ((cs) && (i) < (cs)->cs.count ? &(cs)->cs.items[i] : NULL)

size_t rmq_consume_stats_count(const rmq_consume_stats_t *cs) {
    return cs ? cs->cs.count : 0;
}

const char *rmq_consume_stats_topic(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->mq.topic : NULL;
}

const char *rmq_consume_stats_broker_name(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->mq.brokerName : NULL;
}

int rmq_consume_stats_queue_id(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->mq.queueId : -1;
}

int64_t rmq_consume_stats_broker_offset(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->brokerOffset : -1;
}

int64_t rmq_consume_stats_consumer_offset(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->consumerOffset : -1;
}

int64_t rmq_consume_stats_pull_offset(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->pullOffset : -1;
}

int64_t rmq_consume_stats_last_timestamp(const rmq_consume_stats_t *cs, size_t i) {
    const proto_offset_wrapper_t *o = CS_ITEM(cs, i);
    return o ? o->lastTimestamp : 0;
}

double rmq_consume_stats_consume_tps(const rmq_consume_stats_t *cs) {
    return cs ? cs->cs.consumeTps : 0;
}

void rmq_consume_stats_destroy(rmq_consume_stats_t *cs) {
    if (!cs)
        return;
    proto_consume_stats_close(&cs->cs);
    rmq_free(cs);
}

#define CONN(c, i) ((c) && (i) < (c)->cc.nconn ? &(c)->cc.conns[i] : NULL)
#define SUB(c, i)  ((c) && (i) < (c)->cc.nsub ? &(c)->cc.subs[i] : NULL)

size_t rmq_connections_count(const rmq_connections_t *c) {
    return c ? c->cc.nconn : 0;
}

const char *rmq_connections_client_id(const rmq_connections_t *c, size_t i) {
    const proto_connection_t *x = CONN(c, i);
    return x ? x->clientId : NULL;
}

const char *rmq_connections_client_addr(const rmq_connections_t *c, size_t i) {
    const proto_connection_t *x = CONN(c, i);
    return x ? x->clientAddr : NULL;
}

const char *rmq_connections_language(const rmq_connections_t *c, size_t i) {
    const proto_connection_t *x = CONN(c, i);
    return x ? x->language : NULL;
}

int rmq_connections_version(const rmq_connections_t *c, size_t i) {
    const proto_connection_t *x = CONN(c, i);
    return x ? x->version : -1;
}

const char *rmq_connections_consume_type(const rmq_connections_t *c) {
    return c ? c->cc.consumeType : NULL;
}

const char *rmq_connections_message_model(const rmq_connections_t *c) {
    return c ? c->cc.messageModel : NULL;
}

const char *rmq_connections_consume_from_where(const rmq_connections_t *c) {
    return c ? c->cc.consumeFromWhere : NULL;
}

size_t rmq_connections_sub_count(const rmq_connections_t *c) {
    return c ? c->cc.nsub : 0;
}

const char *rmq_connections_sub_topic(const rmq_connections_t *c, size_t i) {
    const proto_subscription_t *s = SUB(c, i);
    return s ? s->topic : NULL;
}

const char *rmq_connections_sub_expression(const rmq_connections_t *c, size_t i) {
    const proto_subscription_t *s = SUB(c, i);
    return s ? s->subString : NULL;
}

void rmq_connections_destroy(rmq_connections_t *c) {
    if (!c)
        return;
    proto_client_connection_close(&c->cc);
    rmq_free(c);
}

/* ------------------------------------------------------------------ topics */

void rmq_admin_topic_config_init(rmq_admin_topic_config_t *tc, const char *topic) {
    if (!tc)
        return;
    memset(tc, 0, sizeof *tc);
    tc->topic = topic;
    tc->read_queue_nums = 8;
    tc->write_queue_nums = 8;
    tc->perm = RMQ_PERM_READ | RMQ_PERM_WRITE;
}

rmq_err_t rmq_admin_topic_create(rmq_admin_t *admin, const char *broker_addr,
                                 const rmq_admin_topic_config_t *tc, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, tc, errstr, errlen) ||
        admin_bad_args(tc->topic, tc->topic, tc->topic, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_UPDATE_AND_CREATE_TOPIC);
    /* MQClientAPIImpl.createTopic: the default topic is TBW102, the filter type
     * SINGLE_TAG. */
    proto_create_topic_request_header_t hdr = {
        .topic = tc->topic,
        .defaultTopic = "TBW102",
        .topicFilterType = "SINGLE_TAG",
        .attributes = tc->attributes,
        .readQueueNums = tc->read_queue_nums,
        .writeQueueNums = tc->write_queue_nums,
        .perm = tc->perm,
        .topicSysFlag = tc->topic_sys_flag,
        .has_topicSysFlag = true,
        .order = tc->order != 0,
        .has_order = true,
    };
    proto_create_topic_request_header_encode(&hdr, req);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_topic_delete_in_broker(rmq_admin_t *admin, const char *broker_addr,
                                           const char *topic, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_DELETE_TOPIC_IN_BROKER);
    proto_topic_request_header_t hdr = {.topic = topic};
    proto_topic_request_header_encode(&hdr, req);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_topic_delete_in_namesrv(rmq_admin_t *admin, const char *namesrv_addr,
                                            const char *cluster, const char *topic, char *errstr,
                                            size_t errlen) {
    if (admin_bad_args(admin, topic, topic, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_DELETE_TOPIC_IN_NAMESRV);
    proto_delete_topic_from_namesrv_request_header_t hdr = {.topic = topic, .clusterName = cluster};
    proto_delete_topic_from_namesrv_request_header_encode(&hdr, req);
    if (namesrv_addr)
        return admin_call(admin, namesrv_addr, req, NULL, errstr, errlen);
    return admin_call_all(admin, req, errstr, errlen);
}

rmq_err_t rmq_admin_topic_stats(rmq_admin_t *admin, const char *broker_addr, const char *topic,
                                rmq_topic_stats_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_TOPIC_STATS_INFO);
    proto_topic_request_header_t hdr = {.topic = topic};
    proto_topic_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    rmq_topic_stats_t *ts = RMQ_NEW(rmq_topic_stats_t);
    if (!resp->body.ptr || proto_topic_stats_decode(resp->body.ptr, resp->body.len, &ts->ts) != 0) {
        rmq_topic_stats_destroy(ts);
        return admin_bad_body(resp, "TopicStatsTable", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    *out = ts;
    return RMQ_ERR_NO_ERROR;
}

/* ------------------------------------------------------------------ groups */

void rmq_admin_sub_group_config_init(rmq_admin_sub_group_config_t *sg, const char *group) {
    if (!sg)
        return;
    memset(sg, 0, sizeof *sg);
    sg->group = group;
    sg->consume_enable = 1;
    sg->consume_from_min_enable = 1;
    sg->consume_broadcast_enable = 1;
    sg->retry_queue_nums = 1;
    sg->retry_max_times = 16;
    sg->which_broker_when_consume_slowly = 1;
    sg->notify_consumer_ids_changed_enable = 1;
    sg->consume_timeout_minute = 15;
}

rmq_err_t rmq_admin_sub_group_create(rmq_admin_t *admin, const char *broker_addr,
                                     const rmq_admin_sub_group_config_t *sg, char *errstr,
                                     size_t errlen) {
    if (admin_bad_args(admin, broker_addr, sg, errstr, errlen) ||
        admin_bad_args(sg->group, sg->group, sg->group, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    /* SubscriptionGroupConfig as fastjson writes it: properties sorted by name. */
    rmq_buf_t body;
    rmq_buf_init(&body);
    rmq_jw_t w;
    rmq_jw_init(&w, &body, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "attributes");
    rmq_jw_obj_begin(&w);
    rmq_jw_obj_end(&w);
    rmq_jw_kv_i64(&w, "brokerId", sg->broker_id);
    rmq_jw_kv_bool(&w, "consumeBroadcastEnable", sg->consume_broadcast_enable != 0);
    rmq_jw_kv_bool(&w, "consumeEnable", sg->consume_enable != 0);
    rmq_jw_kv_bool(&w, "consumeFromMinEnable", sg->consume_from_min_enable != 0);
    rmq_jw_kv_bool(&w, "consumeMessageOrderly", sg->consume_message_orderly != 0);
    rmq_jw_kv_i64(&w, "consumeTimeoutMinute", sg->consume_timeout_minute);
    rmq_jw_kv_str(&w, "groupName", sg->group);
    rmq_jw_key(&w, "groupRetryPolicy");
    if (sg->group_retry_policy_json) {
        rmq_jw_raw(&w, sg->group_retry_policy_json, strlen(sg->group_retry_policy_json));
    } else {
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_str(&w, "type", "CUSTOMIZED");
        rmq_jw_obj_end(&w);
    }
    rmq_jw_kv_i64(&w, "groupSysFlag", sg->group_sys_flag);
    rmq_jw_kv_bool(&w, "notifyConsumerIdsChangedEnable",
                   sg->notify_consumer_ids_changed_enable != 0);
    rmq_jw_kv_i64(&w, "retryMaxTimes", sg->retry_max_times);
    rmq_jw_kv_i64(&w, "retryQueueNums", sg->retry_queue_nums);
    rmq_jw_kv_i64(&w, "whichBrokerWhenConsumeSlowly", sg->which_broker_when_consume_slowly);
    rmq_jw_obj_end(&w);
    remoting_cmd_t *req = admin_request(PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP);
    size_t len = body.len;
    remoting_cmd_take_body(req, rmq_buf_steal(&body, NULL), len);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_sub_group_delete(rmq_admin_t *admin, const char *broker_addr, const char *group,
                                     int clean_offset, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, group, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_DELETE_SUBSCRIPTIONGROUP);
    proto_delete_sub_group_request_header_t hdr = {
        .groupName = group, .cleanOffset = clean_offset != 0, .has_cleanOffset = true};
    proto_delete_sub_group_request_header_encode(&hdr, req);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_consume_stats(rmq_admin_t *admin, const char *broker_addr, const char *group,
                                  const char *topic, rmq_consume_stats_t **out, char *errstr,
                                  size_t errlen) {
    if (admin_bad_args(admin, broker_addr, group, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_CONSUME_STATS);
    proto_get_consume_stats_request_header_t hdr = {.consumerGroup = group, .topic = topic};
    proto_get_consume_stats_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    rmq_consume_stats_t *cs = RMQ_NEW(rmq_consume_stats_t);
    if (!resp->body.ptr ||
        proto_consume_stats_decode(resp->body.ptr, resp->body.len, &cs->cs) != 0) {
        rmq_consume_stats_destroy(cs);
        return admin_bad_body(resp, "ConsumeStats", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    *out = cs;
    return RMQ_ERR_NO_ERROR;
}

/* ------------------------------------------------------------------ connections */

static rmq_err_t connections(rmq_admin_t *admin, const char *broker_addr, remoting_cmd_t *req,
                             rmq_connections_t **out, char *errstr, size_t errlen) {
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    rmq_connections_t *c = RMQ_NEW(rmq_connections_t);
    if (!resp->body.ptr ||
        proto_client_connection_decode(resp->body.ptr, resp->body.len, &c->cc) != 0) {
        rmq_connections_destroy(c);
        return admin_bad_body(resp, "ConsumerConnection", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    *out = c;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_consumer_connections(rmq_admin_t *admin, const char *broker_addr,
                                         const char *group, rmq_connections_t **out, char *errstr,
                                         size_t errlen) {
    if (admin_bad_args(admin, broker_addr, group, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_CONSUMER_CONNECTION_LIST);
    proto_consumer_group_header_t hdr = {.consumerGroup = group};
    proto_consumer_group_header_encode(&hdr, req);
    return connections(admin, broker_addr, req, out, errstr, errlen);
}

rmq_err_t rmq_admin_producer_connections(rmq_admin_t *admin, const char *broker_addr,
                                         const char *group, rmq_connections_t **out, char *errstr,
                                         size_t errlen) {
    if (admin_bad_args(admin, broker_addr, group, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_PRODUCER_CONNECTION_LIST);
    proto_producer_group_header_t hdr = {.producerGroup = group};
    proto_producer_group_header_encode(&hdr, req);
    return connections(admin, broker_addr, req, out, errstr, errlen);
}

/* ------------------------------------------------------------------ configuration */

rmq_err_t rmq_admin_broker_config_get(rmq_admin_t *admin, const char *broker_addr,
                                      rmq_kvlist_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    return admin_config_get(admin, broker_addr, PROTO_GET_BROKER_CONFIG, out, errstr, errlen);
}

rmq_err_t rmq_admin_broker_config_update(rmq_admin_t *admin, const char *broker_addr,
                                         const rmq_kvlist_t *props, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, props, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    if (props->kvs.count == 0)
        return RMQ_ERR_NO_ERROR;
    remoting_cmd_t *req = admin_config_update_request(PROTO_UPDATE_BROKER_CONFIG, props);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

/* ------------------------------------------------------------------ offsets */

struct rmq_offset_table_s {
    proto_reset_offset_t ro;
};

#define OT_ITEM(t, i) ((t) && (i) < (t)->ro.count ? &(t)->ro.items[i] : NULL)

size_t rmq_offset_table_count(const rmq_offset_table_t *t) {
    return t ? t->ro.count : 0;
}

const char *rmq_offset_table_topic(const rmq_offset_table_t *t, size_t i) {
    const proto_mq_offset_t *o = OT_ITEM(t, i);
    return o ? o->mq.topic : NULL;
}

const char *rmq_offset_table_broker_name(const rmq_offset_table_t *t, size_t i) {
    const proto_mq_offset_t *o = OT_ITEM(t, i);
    return o ? o->mq.brokerName : NULL;
}

int rmq_offset_table_queue_id(const rmq_offset_table_t *t, size_t i) {
    const proto_mq_offset_t *o = OT_ITEM(t, i);
    return o ? o->mq.queueId : -1;
}

int64_t rmq_offset_table_offset(const rmq_offset_table_t *t, size_t i) {
    const proto_mq_offset_t *o = OT_ITEM(t, i);
    return o ? o->offset : -1;
}

void rmq_offset_table_destroy(rmq_offset_table_t *t) {
    if (!t)
        return;
    proto_reset_offset_close(&t->ro);
    rmq_free(t);
}

/* HashMap bucket of a MessageQueue key (MessageQueue.hashCode, then HashMap.hash). */
static uint32_t mq_bucket(const proto_mq_t *mq, uint32_t table_size) {
    uint32_t h = 1;
    h = 31 * h + (uint32_t)rmq_java_string_hash(mq->brokerName, strlen(mq->brokerName));
    h = 31 * h + (uint32_t)mq->queueId;
    h = 31 * h + (uint32_t)rmq_java_string_hash(mq->topic, strlen(mq->topic));
    h ^= h >> 16;
    return h & (table_size - 1);
}

/* Reorders t's entries as a HashMap filled by putAll from a map of the same size
 * iterates them: table size tableSizeFor(n / 0.75 + 1), buckets ascending, insertion
 * order within a bucket. */
void admin_java_hash_map_order(proto_reset_offset_t *ro) {
    size_t n = ro->count;
    if (n < 2)
        return;
    uint32_t want = (uint32_t)((float)n / 0.75f + 1.0f), size = 1;
    while (size < want)
        size <<= 1;
    proto_mq_offset_t *sorted = rmq_calloc(n, sizeof *sorted);
    size_t k = 0;
    for (uint32_t b = 0; b < size; b++)
        for (size_t i = 0; i < n; i++)
            if (mq_bucket(&ro->items[i].mq, size) == b)
                sorted[k++] = ro->items[i];
    memcpy(ro->items, sorted, n * sizeof *sorted);
    rmq_free(sorted);
}

rmq_err_t rmq_admin_reset_offset_by_time(rmq_admin_t *admin, const char *broker_addr,
                                         const char *topic, const char *group, int64_t timestamp,
                                         int force, rmq_offset_table_t **out, char *errstr,
                                         size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(group, group, group, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    if (out)
        *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_INVOKE_BROKER_TO_RESET_OFFSET);
    /* A broker that resets through the clients (useServerSideResetOffset=false) writes
     * the body for C++ clients (ResetOffsetBodyForC) when the request says CPP, which
     * Java consumers cannot read: declare JAVA, as Java's admin does. */
    req->language = REMOTING_LANG_JAVA;
    proto_reset_offset_request_header_t hdr = {
        .topic = topic,
        .group = group,
        .timestamp = timestamp,
        .isForce = force != 0,
        .has_isForce = true,
    };
    proto_reset_offset_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    rmq_offset_table_t *t = RMQ_NEW(rmq_offset_table_t);
    if (resp->body.ptr && proto_reset_offset_decode(resp->body.ptr, resp->body.len, &t->ro) != 0) {
        rmq_offset_table_destroy(t);
        return admin_bad_body(resp, "ResetOffsetBody", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    admin_java_hash_map_order(&t->ro);
    if (out)
        *out = t;
    else
        rmq_offset_table_destroy(t);
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_reset_offset_by_queue(rmq_admin_t *admin, const char *broker_addr,
                                          const char *topic, const char *group, int queue_id,
                                          int64_t offset, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(group, group, group, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_INVOKE_BROKER_TO_RESET_OFFSET);
    req->language = REMOTING_LANG_JAVA; /* as in rmq_admin_reset_offset_by_time */
    /* MQClientAPIImpl's per-queue form: timestamp 0 and the primitive isForce false. */
    proto_reset_offset_request_header_t hdr = {
        .topic = topic,
        .group = group,
        .queueId = queue_id,
        .has_queueId = true,
        .offset = offset,
        .has_offset = true,
        .has_isForce = true,
    };
    proto_reset_offset_request_header_encode(&hdr, req);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_update_consumer_offset(rmq_admin_t *admin, const char *broker_addr,
                                           const char *group, const char *topic, int queue_id,
                                           int64_t offset, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(group, group, group, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_UPDATE_CONSUMER_OFFSET);
    proto_update_consumer_offset_request_header_t hdr = {
        .consumerGroup = group, .topic = topic, .queueId = queue_id, .commitOffset = offset};
    proto_update_consumer_offset_request_header_encode(&hdr, req);
    return admin_call(admin, broker_addr, req, NULL, errstr, errlen);
}

rmq_err_t rmq_admin_broker_search_offset(rmq_admin_t *admin, const char *broker_addr,
                                         const char *topic, int queue_id, int64_t timestamp,
                                         int64_t *out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    return admin_offset_call(admin, broker_addr,
                             admin_search_offset_request(topic, queue_id, timestamp), out, errstr,
                             errlen);
}

/* ------------------------------------------------------------------ consumers of a topic */

rmq_err_t rmq_admin_topic_consumers(rmq_admin_t *admin, const char *broker_addr, const char *topic,
                                    rmq_strlist_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_QUERY_TOPIC_CONSUME_BY_WHO);
    proto_topic_request_header_t hdr = {.topic = topic};
    proto_topic_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    /* GroupList: {"groupList":["g1","g2"]} */
    rmq_json_doc_t *doc = resp->body.ptr ? proto_json_parse(resp->body.ptr, resp->body.len) : NULL;
    proto_strs_t groups = {0};
    const rmq_json_t *arr = doc ? rmq_json_get(rmq_json_root(doc), "groupList") : NULL;
    if (!doc || (arr && proto_strs_read(arr, &groups) != 0)) {
        rmq_json_doc_destroy(doc);
        proto_strs_close(&groups);
        return admin_bad_body(resp, "GroupList", errstr, errlen);
    }
    rmq_json_doc_destroy(doc);
    remoting_cmd_destroy(resp);
    size_t n = groups.count;
    size_t *order = rmq_calloc(n ? n : 1, sizeof(size_t));
    proto_java_hash_order((const char *const *)groups.items, n, order);
    rmq_strlist_t *l = RMQ_NEW(rmq_strlist_t);
    for (size_t i = 0; i < n; i++)
        proto_strs_add(&l->strs, groups.items[order[i]], strlen(groups.items[order[i]]));
    rmq_free(order);
    proto_strs_close(&groups);
    *out = l;
    return RMQ_ERR_NO_ERROR;
}
