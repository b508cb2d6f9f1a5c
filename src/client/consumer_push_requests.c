/*
 * The requests brokers send to a push consumer (Java's ClientRemotingProcessor):
 * NOTIFY_CONSUMER_IDS_CHANGED (rebalance now), GET_CONSUMER_RUNNING_INFO (properties,
 * subscriptions, one ProcessQueueInfo per queue), GET_CONSUMER_STATUS_FROM_CLIENT (the
 * cached offsets of a topic), RESET_CONSUMER_CLIENT_OFFSET (handed to the timer thread,
 * which drops the topic's queues, stores and persists the new offsets and rebalances) and
 * CONSUME_MESSAGE_DIRECTLY (the message in the body through the listener).
 *
 * Runs on: the I/O thread; nothing here blocks on the network. Locks: takes mu briefly.
 */
#include "client/consumer_push.h"

#include "common/alloc.h"
#include "common/json.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"

#include <stdio.h>
#include <string.h>

static void write_mq_key(rmq_jw_t *w, const client_cmq_t *mq) {
    proto_mq_write_key(w, mq->topic, mq->broker_name, mq->queue_id);
}

/* The lowest offset pq caches (ProcessQueueInfo.cachedMsgMinOffset), 0 when none. Locks: mu. */
static int64_t cached_min_offset(const pq_t *pq) {
    if (pq->inflight_count > 0)
        return pq->inflight[pq->inflight_head].offset;
    if (pq->taken.count > 0)
        return pq->taken.items[0]->queue_offset;
    return pq->pending.count > 0 ? pq->pending.items[0]->queue_offset : 0;
}

/* ConsumerRunningInfo: properties, subscriptionSet, mqTable (ProcessQueueInfo) and an
 * empty statusTable. Locks: takes mu. */
static void running_info(rmq_push_consumer_t *c, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "mqTable");
    rmq_jw_obj_begin(&w);
    pthread_mutex_lock(&c->mu);
    const char **keys = rmq_map_keys_sorted(&c->pqs);
    for (size_t i = 0; i < rmq_map_count(&c->pqs); i++) {
        pq_t *pq = rmq_map_get(&c->pqs, keys[i]);
        rmq_err_t err;
        int64_t committed = client_offset_store_read(&c->offsets, &pq->mq, false, &err);
        write_mq_key(&w, &pq->mq);
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_i64(&w, "cachedMsgCount", (int64_t)push_pq_cached(pq));
        rmq_jw_kv_i64(&w, "cachedMsgMaxOffset", pq->max_offset);
        rmq_jw_kv_i64(&w, "cachedMsgMinOffset", cached_min_offset(pq));
        rmq_jw_kv_i64(&w, "cachedMsgSizeInMiB", (int64_t)(pq->cached_bytes / (1024 * 1024)));
        rmq_jw_kv_i64(&w, "commitOffset", committed);
        rmq_jw_kv_bool(&w, "droped", pq->is_dropped);
        /* Monotonic times shown as wall-clock times. */
        int64_t wall = rmq_now_ms(), mono = rmq_mono_ms();
        rmq_jw_kv_i64(&w, "lastConsumeTimestamp", pq->last_consume_ms);
        rmq_jw_kv_i64(&w, "lastLockTimestamp", wall - (mono - pq->last_lock_ms));
        rmq_jw_kv_i64(&w, "lastPullTimestamp",
                      pq->last_pull_ms ? wall - (mono - pq->last_pull_ms) : 0);
        rmq_jw_kv_bool(&w, "locked", pq->is_locked);
        rmq_jw_obj_end(&w);
    }
    rmq_free(keys);
    pthread_mutex_unlock(&c->mu);
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "properties");
    rmq_jw_obj_begin(&w);
    char num[32];
    rmq_jw_kv_str(&w, "PROP_CONSUMEORDERLY", c->is_orderly ? "true" : "false");
    rmq_jw_kv_str(&w, "PROP_CONSUME_TYPE", "CONSUME_PASSIVELY");
    snprintf(num, sizeof num, "%lld", (long long)c->start_ms);
    rmq_jw_kv_str(&w, "PROP_CONSUMER_START_TIMESTAMP", num);
    snprintf(num, sizeof num, "%d", c->threads);
    rmq_jw_kv_str(&w, "PROP_THREADPOOL_CORE_SIZE", num);
    rmq_jw_kv_str(&w, "consumerGroup", c->group);
    rmq_jw_kv_str(&w, "consumeFromWhere", c->from_where);
    rmq_jw_kv_str(&w, "messageModel", c->model);
    rmq_jw_kv_str(&w, "language", "C");
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "statusTable");
    rmq_jw_obj_begin(&w);
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "subscriptionSet");
    rmq_jw_arr_begin(&w);
    for (size_t i = 0; i < c->sub_count; i++) {
        const proto_subscription_t *s = &c->subs[i];
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_bool(&w, "classFilterMode", false);
        rmq_jw_key(&w, "codeSet");
        rmq_jw_arr_begin(&w);
        for (size_t j = 0; j < s->code_count; j++)
            rmq_jw_i64(&w, s->codes[j]);
        rmq_jw_arr_end(&w);
        rmq_jw_kv_str(&w, "expressionType", s->expressionType ? s->expressionType : "TAG");
        rmq_jw_kv_str(&w, "subString", s->subString ? s->subString : "*");
        rmq_jw_kv_i64(&w, "subVersion", s->subVersion);
        rmq_jw_key(&w, "tagsSet");
        proto_strs_write(&s->tags, &w, true);
        rmq_jw_kv_str(&w, "topic", s->topic);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    rmq_jw_obj_end(&w);
}

/* GetConsumerStatusBody: the cached offsets of `topic`. Locks: takes mu. */
static void consumer_status(rmq_push_consumer_t *c, const char *topic, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "consumerTable");
    rmq_jw_obj_begin(&w);
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "messageQueueTable");
    rmq_jw_obj_begin(&w);
    pthread_mutex_lock(&c->mu);
    const char **keys = rmq_map_keys_sorted(&c->pqs);
    for (size_t i = 0; i < rmq_map_count(&c->pqs); i++) {
        pq_t *pq = rmq_map_get(&c->pqs, keys[i]);
        if (topic && strcmp(pq->mq.topic, topic) != 0)
            continue;
        rmq_err_t err;
        write_mq_key(&w, &pq->mq);
        rmq_jw_i64(&w, client_offset_store_read(&c->offsets, &pq->mq, false, &err));
    }
    rmq_free(keys);
    pthread_mutex_unlock(&c->mu);
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

/* CONSUME_MESSAGE_DIRECTLY: the message in the body is handed to the listener here.
 * Runs on: the I/O thread (the listener must not block for long). */
static void consume_directly(rmq_push_consumer_t *c, remoting_cmd_t *req, remoting_cmd_t *resp) {
    client_msgs_t msgs = {0};
    const char *bname = remoting_cmd_ext_get(req, "brokerName");
    client_msgs_decode(req->body, bname ? bname : "", &msgs);
    if (msgs.count == 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "no message in the request body");
        return;
    }
    client_msg_ext_reset_retry_topic(msgs.items[0], c->group);
    int64_t t0 = rmq_mono_ms();
    const char *result;
    if (c->is_orderly)
        result = c->on_orderly((const rmq_message_ext_t *const *)msgs.items, 1, c->opaque) ==
                         RMQ_ORDERLY_SUCCESS
                     ? "CR_SUCCESS"
                     : "CR_LATER";
    else
        result = c->on_concurrently((const rmq_message_ext_t *const *)msgs.items, 1, c->opaque) ==
                         RMQ_CONSUME_SUCCESS
                     ? "CR_SUCCESS"
                     : "CR_LATER";
    rmq_buf_t body;
    rmq_buf_init(&body);
    rmq_jw_t w;
    rmq_jw_init(&w, &body, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_kv_bool(&w, "autoCommit", true);
    rmq_jw_kv_str(&w, "consumeResult", result);
    rmq_jw_kv_bool(&w, "order", c->is_orderly);
    rmq_jw_kv_str(&w, "remark", "");
    rmq_jw_kv_i64(&w, "spentTimeMills", rmq_mono_ms() - t0);
    rmq_jw_obj_end(&w);
    size_t len;
    char *data = rmq_buf_steal(&body, &len);
    remoting_cmd_take_body(resp, data, len);
    client_msgs_close(&msgs);
}

/* Runs on: the I/O thread. Locks: takes mu briefly. */
int push_on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    (void)conn;
    rmq_push_consumer_t *c = ctx;
    rmq_buf_t body;
    rmq_buf_init(&body);
    switch (req->code) {
    case PROTO_NOTIFY_CONSUMER_IDS_CHANGED:
        rmq_log_info("consumer", "group=%s: consumer ids changed, rebalancing", c->group);
        pthread_mutex_lock(&c->mu);
        c->want_rebalance = true;
        pthread_cond_signal(&c->timer_cv);
        pthread_mutex_unlock(&c->mu);
        break;
    case PROTO_GET_CONSUMER_RUNNING_INFO:
        running_info(c, &body);
        break;
    case PROTO_GET_CONSUMER_STATUS_FROM_CLIENT:
        consumer_status(c, remoting_cmd_ext_get(req, "topic"), &body);
        break;
    case PROTO_RESET_CONSUMER_CLIENT_OFFSET: {
        proto_reset_offset_request_header_t h = {0};
        const char *bad = NULL;
        proto_reset_offset_t *ro = RMQ_NEW(proto_reset_offset_t);
        if (proto_reset_offset_request_header_decode(req, &h, &bad) != 0 || !req->body.ptr ||
            proto_reset_offset_decode(req->body.ptr, req->body.len, ro) != 0) {
            rmq_free(ro);
            resp->code = PROTO_SYSTEM_ERROR;
            remoting_cmd_set_remark(resp, "malformed reset offset request");
            break;
        }
        pthread_mutex_lock(&c->mu);
        if (c->pending_reset) {
            proto_reset_offset_close(c->pending_reset);
            rmq_free(c->pending_reset);
            rmq_free(c->pending_reset_topic);
        }
        c->pending_reset = ro;
        c->pending_reset_topic = rmq_strdup(h.topic);
        pthread_cond_signal(&c->timer_cv);
        pthread_mutex_unlock(&c->mu);
        break;
    }
    case PROTO_CONSUME_MESSAGE_DIRECTLY:
        consume_directly(c, req, resp);
        break;
    default:
        resp->code = PROTO_REQUEST_CODE_NOT_SUPPORTED;
        remoting_cmd_set_remarkf(resp, " request type %d not supported", (int)req->code);
        break;
    }
    if (body.len > 0) {
        size_t len;
        char *data = rmq_buf_steal(&body, &len);
        remoting_cmd_take_body(resp, data, len);
    }
    rmq_buf_close(&body);
    return 0;
}
