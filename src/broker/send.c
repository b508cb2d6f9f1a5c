/*
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) (spec remoting.md
 * 5.2.1, upstream SendMessageProcessor): validate, auto-create the topic, rewrite the
 * properties (UNIQ_KEY if missing, CLUSTER; delay levels park the message in
 * SCHEDULE_TOPIC_XXXX), append through the store and answer with the Java broker's
 * response header and ext fields (MSG_REGION, TRACE_ON).
 *
 * Send path: decode (borrowed strings) -> checks -> properties built on the stack (heap
 * only past 4 KiB) -> store_put (the body is copied once, into the mapped commit log)
 * -> reply. ASYNC_FLUSH replies at once; SYNC_FLUSH (and WAIT not "false") keeps the
 * response and replies from the flush thread's group-commit callback. Waiting sends are
 * bounded by sendThreadPoolQueueCapacity: beyond it, SYSTEM_BUSY. The SYNC_FLUSH wait
 * context comes from a pool and the reply goes back to the connection's loop as a task
 * embedded in it, so in steady state neither mode allocates per message.
 *
 * Runs on: an I/O loop (the flush callback on the store's flush thread).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/msg_record.h"
#include "protocol/send_header.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROPS_STACK 4096

/* Properties under construction: a stack buffer that moves to the heap when it must. */
typedef struct {
    char stack[PROPS_STACK];
    char *ptr;
    size_t len, cap;
} props_buf_t;

static void pb_init(props_buf_t *pb) {
    pb->ptr = pb->stack;
    pb->len = 0;
    pb->cap = sizeof pb->stack;
}

static void pb_append(props_buf_t *pb, const char *data, size_t len) {
    if (pb->len + len > pb->cap) {
        size_t cap = (pb->len + len) * 2;
        char *p = rmq_malloc(cap);
        memcpy(p, pb->ptr, pb->len);
        if (pb->ptr != pb->stack)
            rmq_free(pb->ptr);
        pb->ptr = p;
        pb->cap = cap;
    }
    memcpy(pb->ptr + pb->len, data, len);
    pb->len += len;
}

static void pb_pair(props_buf_t *pb, const char *name, const char *value, size_t value_len) {
    char sep = PROTO_PROP_NAME_SEP, end = PROTO_PROP_VALUE_SEP;
    pb_append(pb, name, strlen(name));
    pb_append(pb, &sep, 1);
    pb_append(pb, value, value_len);
    pb_append(pb, &end, 1);
}

static void pb_close(props_buf_t *pb) {
    if (pb->ptr != pb->stack)
        rmq_free(pb->ptr);
}

static int fail(remoting_cmd_t *resp, int code, const char *remark) {
    resp->code = code;
    remoting_cmd_set_remark(resp, remark);
    return 0;
}

/* ---- checks (AbstractSendMessageProcessor.msgCheck) ---- */

static bool check_topic(broker_t *b, remoting_conn_t *conn,
                        const proto_send_message_request_header_t *h, broker_topic_info_t *ti,
                        remoting_cmd_t *resp) {
    char remark[512];
    if (!(b->cfg.brokerPermission & STORE_PERM_WRITE) && broker_topics_get(b, h->topic, ti) &&
        ti->order) {
        remoting_cmd_set_remarkf(resp, "the broker[%s] sending message is forbidden",
                                 b->cfg.brokerIP1);
        resp->code = PROTO_NO_PERMISSION;
        return false;
    }
    const char *bad = proto_topic_validate(h->topic, remark, sizeof remark);
    if (bad) {
        fail(resp, PROTO_INVALID_PARAMETER, bad);
        return false;
    }
    if (proto_topic_is_not_allowed_send(h->topic)) {
        resp->code = PROTO_NO_PERMISSION;
        remoting_cmd_set_remarkf(resp, "Sending message to topic[%s] is forbidden.", h->topic);
        return false;
    }
    if (!broker_topics_get(b, h->topic, ti)) {
        bool is_retry = strncmp(h->topic, PROTO_RETRY_GROUP_TOPIC_PREFIX, 7) == 0;
        int32_t sys_flag = 0;
        if (h->has_unitMode && h->unitMode)
            sys_flag = is_retry ? 2 : 1; /* TopicSysFlag unit-sub / unit */
        rmq_log_warn("broker", "the topic %s not exist, producer: %s", h->topic,
                     b->conn_ops->peer(conn));
        bool ok = broker_topics_create_in_send(b, h->topic, h->defaultTopic,
                                               h->defaultTopicQueueNums, sys_flag, ti);
        if (!ok && is_retry)
            ok = broker_topics_create_if_absent(b, h->topic, 1, STORE_PERM_READ | STORE_PERM_WRITE,
                                                ti);
        if (!ok) {
            resp->code = PROTO_TOPIC_NOT_EXIST;
            remoting_cmd_set_remarkf(resp, "topic[%s] not exist, apply first please!%s", h->topic,
                                     BROKER_FAQ_APPLY_TOPIC);
            return false;
        }
    }
    int32_t valid =
        ti->write_queue_nums > ti->read_queue_nums ? ti->write_queue_nums : ti->read_queue_nums;
    if (h->queueId >= valid) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remarkf(resp,
                                 "request queueId[%d] is illegal, TopicConfig [topicName=%s, "
                                 "readQueueNums=%d, writeQueueNums=%d, perm=%d] Producer: %s",
                                 h->queueId, h->topic, ti->read_queue_nums, ti->write_queue_nums,
                                 ti->perm, b->conn_ops->peer(conn));
        return false;
    }
    return true;
}

/* %RETRY%<group>: the group must exist (or be auto-created); too many reconsumes (the header's
 * limit from V3_4_9 = version 121 on), or a group holding unexpired orderly locks, go to
 * %DLQ%<group>. Returns false with resp filled when the send is refused. */
static bool route_retry(broker_t *b, const remoting_cmd_t *req,
                        const proto_send_message_request_header_t *h, char *topic_out, size_t cap,
                        int32_t *queue_id, broker_topic_info_t *ti, remoting_cmd_t *resp) {
    const char *group = h->topic + strlen(PROTO_RETRY_GROUP_TOPIC_PREFIX);
    broker_group_info_t gi;
    if (!broker_groups_get(b, group, true, &gi)) { /* upstream findSubscriptionGroupConfig */
        resp->code = PROTO_SUBSCRIPTION_GROUP_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "subscription group not exist, %s %s", group,
                                 BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST);
        return false;
    }
    int32_t max = gi.retry_max_times;
    if (req->version >= 121 && h->has_maxReconsumeTimes)
        max = h->maxReconsumeTimes;
    int32_t times = h->has_reconsumeTimes ? h->reconsumeTimes : 0;
    if (times > max || !broker_locks_all_expired(b, group)) {
        snprintf(topic_out, cap, "%s%s", PROTO_DLQ_GROUP_TOPIC_PREFIX, group);
        broker_topics_create_if_absent(b, topic_out, 1, STORE_PERM_READ | STORE_PERM_WRITE, ti);
        *queue_id = 0;
    }
    return true;
}

/* ---- store result -> response ---- */

static void put_failed(broker_t *b, int rc, remoting_cmd_t *resp) {
    switch (rc) {
    case -EMSGSIZE:
    case -EINVAL:
    case -EBADMSG:
        resp->code = PROTO_MESSAGE_ILLEGAL;
        remoting_cmd_set_remarkf(resp,
                                 "the message is illegal, maybe msg body or properties length "
                                 "not matched. msg body length limit %dB, msg properties length "
                                 "limit 32KB.",
                                 b->cfg.maxMessageSize);
        break;
    case -ENOSPC:
    case -EROFS:
        fail(resp, PROTO_SERVICE_NOT_AVAILABLE,
             "service not available now. It may be caused by one of the following reasons: the "
             "broker's disk is full, messages are put to the slave, message store has been shut "
             "down, etc.");
        break;
    case -EAGAIN:
        fail(resp, PROTO_SYSTEM_BUSY,
             "[PC_SYNCHRONIZED]broker busy, start flow control for a while");
        break;
    default:
        fail(resp, PROTO_SYSTEM_ERROR, "UNKNOWN_ERROR");
        break;
    }
}

#define SYNC_POOL_MAX 4096 /* finished waits kept for reuse */

/* A send waiting for the group commit. Pooled: its response's arena keeps its memory. */
struct sync_wait {
    remoting_task_t task; /* the reply, on the connection's loop */
    struct sync_wait *next;
    broker_t *b;
    remoting_conn_t *conn;
    remoting_cmd_t resp;
};

static struct sync_wait *wait_get(broker_t *b) {
    pthread_mutex_lock(&b->sync_pool_lock);
    struct sync_wait *w = b->sync_pool;
    if (w) {
        b->sync_pool = w->next;
        b->sync_pool_count--;
    }
    pthread_mutex_unlock(&b->sync_pool_lock);
    if (!w) {
        w = RMQ_NEW(struct sync_wait);
        remoting_cmd_init(&w->resp);
    }
    w->b = b;
    return w;
}

/* Releases the connection and returns the wait to the pool. */
static void wait_put(struct sync_wait *w) {
    broker_t *b = w->b;
    b->conn_ops->release(w->conn);
    w->conn = NULL;
    atomic_fetch_sub(&b->sync_waiters, 1);
    pthread_mutex_lock(&b->sync_pool_lock);
    if (b->sync_pool_count < SYNC_POOL_MAX) {
        w->next = b->sync_pool;
        b->sync_pool = w;
        b->sync_pool_count++;
        w = NULL;
    }
    pthread_mutex_unlock(&b->sync_pool_lock);
    if (w) {
        remoting_cmd_close(&w->resp);
        rmq_free(w);
    }
}

void broker_send_pool_close(broker_t *b) {
    for (struct sync_wait *w = b->sync_pool, *n; w; w = n) {
        n = w->next;
        remoting_cmd_close(&w->resp);
        rmq_free(w);
    }
    b->sync_pool = NULL;
    b->sync_pool_count = 0;
}

/* Runs on: the connection's loop. */
static void reply_on_loop(remoting_task_t *task) {
    struct sync_wait *w = (struct sync_wait *)task;
    w->b->conn_ops->send(w->conn, &w->resp);
    wait_put(w);
}

/* Runs on: the flush thread (or the caller's in ASYNC mode / at close). The reply is
 * encoded on the connection's loop, which needs no allocation to get there. */
static void on_flushed(void *arg, int status) {
    struct sync_wait *w = arg;
    broker_t *b = w->b;
    if (status == -ECANCELED) {
        wait_put(w);
        return;
    }
    if (status == -ETIMEDOUT)
        w->resp.code = PROTO_FLUSH_DISK_TIMEOUT;
    if (b->conn_ops->run(w->conn, &w->task) != 0) {
        b->conn_ops->send(w->conn, &w->resp); /* the loop's queue is full or stopping */
        wait_put(w);
    }
}

/* Replies now, or after the group commit. Returns the handler's result. */
static int reply(broker_t *b, remoting_conn_t *conn, const remoting_cmd_t *req,
                 remoting_cmd_t *resp, rmq_slice_t props, const store_append_result_t *res) {
    rmq_slice_t wait;
    bool wait_store =
        !(proto_props_get(props, PROTO_PROP_WAIT, &wait) && rmq_slice_eq_cstr(wait, "false"));
    if (!b->is_sync_flush || !wait_store || remoting_cmd_is_oneway(req))
        return 0;
    struct sync_wait *w = wait_get(b);
    w->task.run = reply_on_loop;
    w->conn = conn;
    remoting_cmd_reset(&w->resp);
    w->resp.code = resp->code;
    w->resp.opaque = resp->opaque;
    w->resp.flag = resp->flag;
    w->resp.language = resp->language;
    w->resp.version = resp->version;
    w->resp.has_ext = true;
    for (uint32_t i = 0; i < resp->ext_count; i++)
        remoting_cmd_ext_add(&w->resp, remoting_cmd_ext_key(resp, i), resp->ext[i].key_len,
                             remoting_cmd_ext_value(resp, i), resp->ext[i].value_len);
    b->conn_ops->retain(conn);
    atomic_fetch_add(&b->sync_waiters, 1);
    store_wait_flush(b->store, res->phys_offset + res->wrote_bytes, on_flushed, w);
    return REMOTING_PENDING;
}

static void set_common_ext(broker_t *b, remoting_cmd_t *resp) {
    remoting_cmd_ext_set(resp, PROTO_PROP_MSG_REGION, b->cfg.regionId);
    remoting_cmd_ext_set(resp, PROTO_PROP_TRACE_ON, b->cfg.traceOn ? "true" : "false");
}

static void fill_msg(broker_t *b, remoting_conn_t *conn,
                     const proto_send_message_request_header_t *h, int32_t sys_flag,
                     store_msg_t *m) {
    memset(m, 0, sizeof *m);
    m->sys_flag = sys_flag;
    m->flag = h->flag;
    m->born_ts = h->bornTimestamp;
    if (store_host_parse(b->conn_ops->peer(conn), &m->born_host) != 0)
        m->born_host = store_host_v4(127, 0, 0, 1, 0);
    m->store_host = b->store_host;
    m->reconsume_times = h->has_reconsumeTimes ? h->reconsumeTimes : 0;
}

/* ---- single message ---- */

/*
 * What the Apache broker's store refuses in a single message before appending it
 * (HookUtils.checkBeforePutMessage and checkInnerBatch, DefaultMessageStore.asyncPutMessage),
 * each with MESSAGE_ILLEGAL: no body (Java decodes an empty body as null), the "inner batch"
 * sysFlag bit on a topic whose queue type is not BatchCQ (we have none), and the INNER_NUM
 * property without that bit. The 5.3.3 broker answers an empty body with SYSTEM_ERROR
 * instead: a NullPointerException (buildMsgContext reads the body's length) fires before
 * its own check; the code here is the one the check means.
 */
static bool check_single(const proto_send_message_request_header_t *h, rmq_slice_t props,
                         const remoting_cmd_t *req, remoting_cmd_t *resp) {
    rmq_slice_t v;
    if (req->body.len == 0)
        fail(resp, PROTO_MESSAGE_ILLEGAL, "the message body is empty");
    else if (h->sysFlag & PROTO_MSG_SYSFLAG_INNER_BATCH)
        fail(resp, PROTO_MESSAGE_ILLEGAL,
             "the message is an inner batch (sysFlag 0x80) but the topic's queue type is not "
             "BatchCQ");
    else if (proto_props_get(props, PROTO_PROP_INNER_NUM, &v))
        fail(resp, PROTO_MESSAGE_ILLEGAL,
             "the message has the INNER_NUM property but is not an inner batch");
    else
        return true;
    return false;
}

static int send_one(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp,
                    const proto_send_message_request_header_t *h,
                    const broker_topic_info_t *ti_in) {
    broker_topic_info_t ti = *ti_in;
    char topic[320];
    snprintf(topic, sizeof topic, "%s", h->topic);
    int32_t queue_id = h->queueId;
    if (queue_id < 0)
        queue_id = ti.write_queue_nums > 0 ? rand() % ti.write_queue_nums : 0;
    if (strncmp(h->topic, PROTO_RETRY_GROUP_TOPIC_PREFIX, 7) == 0 &&
        !route_retry(b, req, h, topic, sizeof topic, &queue_id, &ti, resp))
        return 0;

    rmq_slice_t in = rmq_slice_cstr(h->properties);
    rmq_slice_t v;
    if (proto_props_get(in, PROTO_PROP_TRAN_MSG, &v) && rmq_slice_eq_cstr(v, "true")) {
        /* Half messages need the transaction service, which is not here yet: refuse them
         * the way a broker with rejectTransactionMessage does, rather than deliver them
         * uncommitted. */
        resp->code = PROTO_NO_PERMISSION;
        remoting_cmd_set_remarkf(resp, "the broker[%s] sending transaction message is forbidden",
                                 b->cfg.brokerIP1);
        return 0;
    }
    if (!check_single(h, in, req, resp))
        return 0;

    props_buf_t pb;
    pb_init(&pb);
    if (proto_props_get(in, PROTO_PROP_POP_CK, &v)) {
        rmq_buf_t tmp;
        rmq_buf_init(&tmp);
        proto_props_remove(in, PROTO_PROP_POP_CK, &tmp);
        pb_append(&pb, tmp.data ? tmp.data : "", tmp.len);
        rmq_buf_close(&tmp);
    } else {
        pb_append(&pb, in.ptr ? in.ptr : "", in.len);
    }
    if (pb.len && pb.ptr[pb.len - 1] != PROTO_PROP_VALUE_SEP) {
        char sep = PROTO_PROP_VALUE_SEP;
        pb_append(&pb, &sep, 1);
    }
    char uniq[33];
    rmq_slice_t uk;
    if (!proto_props_get(in, PROTO_PROP_UNIQ_KEY, &uk)) {
        pthread_mutex_lock(&b->uniq_lock);
        proto_uniq_gen_next(&b->uniq, broker_now(b), uniq);
        pthread_mutex_unlock(&b->uniq_lock);
        pb_pair(&pb, PROTO_PROP_UNIQ_KEY, uniq, 32);
    } else {
        size_t n = uk.len < 32 ? uk.len : 32;
        memcpy(uniq, uk.ptr, n);
        uniq[n] = 0;
    }
    pb_pair(&pb, PROTO_PROP_CLUSTER, b->cfg.brokerClusterName, strlen(b->cfg.brokerClusterName));

    /* Delay levels: park in SCHEDULE_TOPIC_XXXX (queue level-1) with the real topic and
     * queue in properties, as CommitLog.asyncPutMessage does; the store derives the
     * delivery time for the queue's tag field. */
    int32_t tx = h->sysFlag & STORE_SYSFLAG_TX_MASK;
    bool to_dlq = strncmp(topic, PROTO_DLQ_GROUP_TOPIC_PREFIX, 5) == 0; /* never delayed */
    if (!to_dlq && proto_props_get(in, PROTO_PROP_DELAY, &v) &&
        (tx == STORE_SYSFLAG_TX_NOT_TYPE || tx == STORE_SYSFLAG_TX_COMMIT)) {
        char lv[16];
        size_t n = v.len < sizeof lv - 1 ? v.len : sizeof lv - 1;
        memcpy(lv, v.ptr, n);
        lv[n] = 0;
        int level = atoi(lv);
        if (level > 0) {
            if (level > broker_schedule_max_level(b->schedule))
                level = broker_schedule_max_level(b->schedule);
            char qid[16];
            int qn = snprintf(qid, sizeof qid, "%d", queue_id);
            pb_pair(&pb, PROTO_PROP_REAL_TOPIC, topic, strlen(topic));
            pb_pair(&pb, PROTO_PROP_REAL_QID, qid, (size_t)qn);
            snprintf(topic, sizeof topic, "%s", PROTO_SCHEDULE_TOPIC);
            queue_id = level - 1;
        }
    }

    store_msg_t m;
    fill_msg(b, conn, h, h->sysFlag | (ti.multi_tag ? STORE_SYSFLAG_MULTI_TAGS : 0), &m);
    m.topic = rmq_slice_cstr(topic);
    m.queue_id = queue_id;
    m.body = req->body;
    m.props = rmq_slice(pb.ptr, pb.len);
    store_append_result_t res;
    int rc = store_put(b->store, &m, &res);
    if (rc != 0) {
        pb_close(&pb);
        broker_stats_on_put_failed(b);
        put_failed(b, rc, resp);
        return 0;
    }
    broker_stats_on_put(b, 1);
    char msg_id[57];
    proto_msg_id_encode(b->store_host.addr, b->store_host.is_v6 ? 16 : 4, b->store_host.port,
                        res.phys_offset, msg_id);
    proto_send_message_response_header_t rh = {
        .msgId = msg_id,
        .queueId = queue_id,
        .queueOffset = res.queue_offset,
        .transactionId = uniq,
    };
    proto_send_message_response_header_encode(&rh, resp);
    set_common_ext(b, resp);
    rc = reply(b, conn, req, resp, m.props, &res);
    pb_close(&pb);
    return rc;
}

/* ---- batch ---- */

static int send_batch(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp,
                      const proto_send_message_request_header_t *h, const broker_topic_info_t *ti) {
    if (strlen(h->topic) > 127) {
        resp->code = PROTO_MESSAGE_ILLEGAL;
        remoting_cmd_set_remarkf(resp, "message topic length too long %zu", strlen(h->topic));
        return 0;
    }
    if (strncmp(h->topic, PROTO_RETRY_GROUP_TOPIC_PREFIX, 7) == 0) {
        resp->code = PROTO_MESSAGE_ILLEGAL;
        remoting_cmd_set_remarkf(resp, "batch request does not support retry group %s", h->topic);
        return 0;
    }
    int32_t queue_id = h->queueId;
    if (queue_id < 0)
        queue_id = ti->write_queue_nums > 0 ? rand() % ti->write_queue_nums : 0;
    rmq_slice_t in = rmq_slice_cstr(h->properties);
    props_buf_t pb;
    pb_init(&pb);
    pb_append(&pb, in.ptr ? in.ptr : "", in.len);
    if (pb.len && pb.ptr[pb.len - 1] != PROTO_PROP_VALUE_SEP) {
        char sep = PROTO_PROP_VALUE_SEP;
        pb_append(&pb, &sep, 1);
    }
    pb_pair(&pb, PROTO_PROP_CLUSTER, b->cfg.brokerClusterName, strlen(b->cfg.brokerClusterName));

    store_msg_t m;
    fill_msg(b, conn, h, h->sysFlag | (ti->multi_tag ? STORE_SYSFLAG_MULTI_TAGS : 0), &m);
    m.topic = rmq_slice_cstr(h->topic);
    m.queue_id = queue_id;
    m.props = rmq_slice(pb.ptr, pb.len);
    store_append_result_t res;
    int rc = store_put_batch(b->store, &m, req->body, &res);
    if (rc != 0) {
        pb_close(&pb);
        broker_stats_on_put_failed(b);
        put_failed(b, rc, resp);
        return 0;
    }
    broker_stats_on_put(b, res.msg_num);
    /* Offset ids of every record: walk the records just written. */
    rmq_buf_t ids;
    rmq_buf_init(&ids);
    int64_t off = res.phys_offset;
    for (int32_t i = 0; i < res.msg_num; i++) {
        store_ref_t ref;
        if (store_get_by_offset(b->store, off, &ref) != 0)
            break;
        char id[57];
        size_t n = proto_msg_id_encode(b->store_host.addr, b->store_host.is_v6 ? 16 : 4,
                                       b->store_host.port, off, id);
        if (i)
            rmq_buf_append_u8(&ids, ',');
        rmq_buf_append(&ids, id, n);
        off += ref.len;
        store_mf_release(ref.mf);
    }
    rmq_slice_t uk;
    char uniq[80] = "";
    if (proto_props_get(in, PROTO_PROP_UNIQ_KEY, &uk) && uk.len < sizeof uniq)
        memcpy(uniq, uk.ptr, uk.len), uniq[uk.len] = 0;
    proto_send_message_response_header_t rh = {
        .msgId = rmq_buf_cstr(&ids),
        .queueId = queue_id,
        .queueOffset = res.queue_offset,
        .transactionId = uniq[0] ? uniq : NULL,
    };
    proto_send_message_response_header_encode(&rh, resp);
    set_common_ext(b, resp);
    rmq_buf_close(&ids);
    rc = reply(b, conn, req, resp, m.props, &res);
    pb_close(&pb);
    return rc;
}

int broker_send_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_send_message_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_send_message_request_header_decode_any(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    if (b->cfg.brokerFastFailureEnable &&
        atomic_load(&b->sync_waiters) >= b->cfg.sendThreadPoolQueueCapacity)
        return fail(resp, PROTO_SYSTEM_BUSY,
                    "[REJECTREQUEST]system busy, start flow control for a while");
    broker_topic_info_t ti;
    if (!check_topic(b, conn, &h, &ti, resp))
        return 0;
    bool batch = (h.has_batch && h.batch) || req->code == PROTO_SEND_BATCH_MESSAGE;
    return batch ? send_batch(b, conn, req, resp, &h, &ti) : send_one(b, conn, req, resp, &h, &ti);
}
