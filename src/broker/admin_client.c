/*
 * Client connections seen by the administration tools (spec remoting.md 5.5.9, 5.5.10;
 * upstream AdminBrokerProcessor.getConsumerConnectionList, getProducerConnectionList,
 * callConsumer, consumeMessageDirectly, Broker2Client.getConsumeStatus):
 * GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204), GET_ALL_PRODUCER_INFO
 * (328, mqadmin producer),
 * GET_CONSUMER_RUNNING_INFO (307), CONSUME_MESSAGE_DIRECTLY (309, mqadmin queryMsgById -g -d)
 * and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223, mqadmin getConsumerStatus).
 *
 * 307 is forwarded: a new request with the same code, ext fields and body goes to the
 * consumer over the connection its heartbeats came on, and the handler returns
 * REMOTING_PENDING with the admin's connection retained. The client's answer (a
 * ConsumerRunningInfo written by the client) is relayed unchanged under the admin's
 * opaque; a time-out becomes CONSUME_MSG_TIMEOUT and any other failure SYSTEM_ERROR, as
 * upstream answers. 309 goes the same way with brokerName, topicSysFlag and groupSysFlag
 * added and the stored record of the offset message id as the body.
 *
 * 223 asks every client of the group (or the one named by clientAddr) with
 * GET_CONSUMER_STATUS_FROM_CLIENT (221) at once, where upstream asks them one after the
 * other; the last answer (or time-out, 5 s) sends the merged GetConsumerStatusBody
 * {"consumerTable":{clientId:{MessageQueue:offset}},"messageQueueTable":{}}. Clients
 * that fail are left out, as upstream leaves them out.
 *
 * Runs on: I/O loops (the relay callback on the consumer connection's loop).
 * Locks: clients.lock inside the copy functions only; a 223 call's mutex while merging.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "protocol/offset_header.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CALL_CLIENT_TIMEOUT_MS 10000 /* Broker2Client.callClient */

static void encode_conns(const broker_client_group_t *g, proto_client_connection_t *cc) {
    for (size_t i = 0; i < g->nconn; i++) {
        const broker_client_conn_t *c = &g->conns[i];
        proto_client_connection_add(
            cc, c->client_id, c->addr,
            c->language == REMOTING_LANG_UNKNOWN ? NULL : remoting_lang_name(c->language),
            c->version);
    }
}

static void take(remoting_cmd_t *resp, const proto_client_connection_t *cc, bool consumer) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_client_connection_encode(cc, consumer, &out);
    broker_take_body(resp, &out);
}

int broker_admin_consumer_connections(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consumer_group_header_t h = {0};
    if (proto_consumer_group_header_decode(req, &h, NULL) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "the custom field <consumerGroup> is null");
        return 0;
    }
    broker_client_group_t g;
    if (broker_clients_consumer_copy(b, h.consumerGroup, &g) != 0) {
        resp->code = PROTO_CONSUMER_NOT_ONLINE;
        remoting_cmd_set_remarkf(resp, "the consumer group[%s] not online", h.consumerGroup);
        return 0;
    }
    proto_client_connection_t cc = {0};
    encode_conns(&g, &cc);
    /* Borrow the strings and subscriptions for the encoder. */
    cc.consumeType = g.consume_type;
    cc.messageModel = g.message_model;
    cc.consumeFromWhere = g.from_where;
    cc.subs = g.subs;
    cc.nsub = g.nsub;
    take(resp, &cc, true);
    cc.consumeType = cc.messageModel = cc.consumeFromWhere = NULL;
    cc.subs = NULL;
    cc.nsub = 0;
    proto_client_connection_close(&cc);
    broker_client_group_close(b, &g);
    return 0;
}

int broker_admin_producer_connections(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_producer_group_header_t h = {0};
    if (proto_producer_group_header_decode(req, &h, NULL) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "the custom field <producerGroup> is null");
        return 0;
    }
    broker_client_group_t g;
    if (broker_clients_producer_copy(b, h.producerGroup, &g) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "the producer group[%s] not exist", h.producerGroup);
        return 0;
    }
    proto_client_connection_t cc = {0};
    encode_conns(&g, &cc);
    take(resp, &cc, false);
    proto_client_connection_close(&cc);
    broker_client_group_close(b, &g);
    return 0;
}

/* GET_ALL_PRODUCER_INFO (328, mqadmin producer): ProducerTableInfo
 * {"data":{"group":[{"clientId":..,"language":"JAVA","lastUpdateTimestamp":..,
 * "remoteIP":"ip:port","version":..}]}}. */
int broker_admin_all_producer_info(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_strs_t groups = {0};
    broker_clients_producer_groups(b, &groups);
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "data");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < groups.count; i++) {
        broker_client_group_t g;
        if (broker_clients_producer_copy(b, groups.items[i], &g) != 0)
            continue;
        rmq_jw_key(&w, groups.items[i]);
        rmq_jw_arr_begin(&w);
        for (size_t j = 0; j < g.nconn; j++) {
            const broker_client_conn_t *c = &g.conns[j];
            rmq_jw_obj_begin(&w);
            rmq_jw_kv_str(&w, "clientId", c->client_id);
            rmq_jw_kv_str(&w, "language",
                          c->language == REMOTING_LANG_UNKNOWN ? "OTHER"
                                                               : remoting_lang_name(c->language));
            rmq_jw_kv_i64(&w, "lastUpdateTimestamp", c->last_update);
            rmq_jw_kv_str(&w, "remoteIP", c->addr);
            rmq_jw_kv_i64(&w, "version", c->version);
            rmq_jw_obj_end(&w);
        }
        rmq_jw_arr_end(&w);
        broker_client_group_close(b, &g);
    }
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
    proto_strs_close(&groups);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- GET_CONSUMER_RUNNING_INFO: forwarded ---- */

typedef struct {
    broker_t *b;
    remoting_conn_t *admin; /* retained */
    int32_t opaque;
    char *group, *client;
} relay_t;

/* Runs on: the consumer connection's loop, exactly once. */
static void on_client_answer(void *arg, int status, remoting_cmd_t *cresp) {
    relay_t *r = arg;
    broker_t *b = r->b;
    remoting_cmd_t *out = cresp;
    remoting_cmd_t err;
    remoting_cmd_init(&err);
    if (status == 0) {
        out->opaque = r->opaque;
        out->flag |= REMOTING_FLAG_RESPONSE;
        out->flag &= ~REMOTING_FLAG_ONEWAY;
    } else {
        bool timeout = status == -ETIMEDOUT;
        remoting_cmd_set_response(&err, timeout ? PROTO_CONSUME_MSG_TIMEOUT : PROTO_SYSTEM_ERROR,
                                  r->opaque, NULL);
        remoting_cmd_set_remarkf(&err,
                                 timeout ? "consumer <%s> <%s> Timeout: %s"
                                         : "invoke consumer <%s> <%s> Exception: %s",
                                 r->group, r->client, strerror(-status));
        out = &err;
    }
    b->conn_ops->send(r->admin, out);
    remoting_cmd_close(&err);
    if (cresp)
        remoting_cmd_destroy(cresp);
    b->conn_ops->release(r->admin);
    rmq_free(r->group);
    rmq_free(r->client);
    rmq_free(r);
}

/* Finds the connection of group's client_id (retained), or NULL. */
static remoting_conn_t *find_client(broker_t *b, const char *group, const char *client_id) {
    broker_client_group_t g;
    remoting_conn_t *target = NULL;
    if (broker_clients_consumer_copy(b, group, &g) != 0)
        return NULL;
    for (size_t i = 0; i < g.nconn && !target; i++)
        if (strcmp(g.conns[i].client_id, client_id) == 0)
            target = g.conns[i].conn;
    if (target)
        b->conn_ops->retain(target);
    broker_client_group_close(b, &g);
    return target;
}

/* A copy of req (code, ext fields, body) to send on. */
static void copy_request(const remoting_cmd_t *req, remoting_cmd_t *fwd) {
    remoting_cmd_init(fwd);
    remoting_cmd_set_request(fwd, req->code);
    for (uint32_t i = 0; i < req->ext_count; i++)
        remoting_cmd_ext_set(fwd, remoting_cmd_ext_key(req, i), remoting_cmd_ext_value(req, i));
    if (req->body.len)
        remoting_cmd_copy_body(fwd, req->body.ptr, req->body.len);
}

/* Broker2Client.callClient: sends fwd (closed here) to group's client_id and relays the
 * answer to the admin later (REMOTING_PENDING), or fills resp with the error. */
static int call_consumer(broker_t *b, remoting_conn_t *conn, const remoting_cmd_t *req,
                         remoting_cmd_t *fwd, const char *group, const char *client_id,
                         remoting_cmd_t *resp) {
    remoting_conn_t *target = client_id ? find_client(b, group, client_id) : NULL;
    if (!target || !b->admin.request) {
        if (target)
            b->conn_ops->release(target);
        remoting_cmd_close(fwd);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "The Consumer <%s> <%s> not online", group,
                                 client_id ? client_id : "null");
        return 0;
    }
    relay_t *r = RMQ_NEW(relay_t);
    r->b = b;
    r->admin = conn;
    r->opaque = req->opaque;
    r->group = rmq_strdup(group);
    r->client = rmq_strdup(client_id);
    b->conn_ops->retain(conn);
    int rc = b->admin.request(target, fwd, CALL_CLIENT_TIMEOUT_MS, on_client_answer, r);
    remoting_cmd_close(fwd);
    b->conn_ops->release(target);
    if (rc != 0) {
        b->conn_ops->release(conn);
        rmq_free(r->group);
        rmq_free(r->client);
        rmq_free(r);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "invoke consumer <%s> <%s> Exception: %s", group, client_id,
                                 strerror(-rc));
        return 0;
    }
    return REMOTING_PENDING;
}

int broker_admin_consumer_running_info(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consumer_running_info_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_consumer_running_info_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    remoting_cmd_t fwd;
    copy_request(req, &fwd);
    return call_consumer(b, conn, req, &fwd, h.consumerGroup, h.clientId, resp);
}

/* ---- CONSUME_MESSAGE_DIRECTLY: forwarded with the stored message as the body ---- */

int broker_admin_consume_message_directly(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                          remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consume_directly_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_consume_directly_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    remoting_cmd_t fwd;
    copy_request(req, &fwd);
    remoting_cmd_ext_set(&fwd, "brokerName", b->cfg.brokerName);
    broker_topic_info_t ti;
    if (h.topic && *h.topic && broker_topics_get(b, h.topic, &ti))
        remoting_cmd_ext_set_i64(&fwd, "topicSysFlag", ti.topic_sys_flag);
    broker_group_info_t gi;
    if (*h.consumerGroup && broker_groups_get(b, h.consumerGroup, false, &gi))
        remoting_cmd_ext_set_i64(&fwd, "groupSysFlag", gi.group_sys_flag);
    /* The record at the id's commit-log offset becomes the body (as upstream, an id that
     * does not decode leaves the request's body). */
    uint8_t addr[16];
    size_t alen;
    int32_t port;
    int64_t off;
    store_ref_t ref;
    if (h.msgId && proto_msg_id_decode(h.msgId, strlen(h.msgId), addr, &alen, &port, &off) == 0 &&
        store_get_by_offset(b->store, off, &ref) == 0) {
        remoting_cmd_copy_body(&fwd, ref.ptr, (size_t)ref.len);
        store_mf_release(ref.mf);
    }
    return call_consumer(b, conn, req, &fwd, h.consumerGroup, h.clientId, resp);
}

/* ---- INVOKE_BROKER_TO_GET_CONSUMER_STATUS: 221 to each client, answers merged ---- */

#define CONSUMER_STATUS_TIMEOUT_MS 5000 /* Broker2Client.getConsumeStatus */

typedef struct {
    broker_t *b;
    remoting_conn_t *admin; /* retained */
    int32_t opaque;
    pthread_mutex_t mu;
    int pending;    /* answers still due, plus one while requests are being sent */
    rmq_buf_t body; /* GetConsumerStatusBody so far, consumerTable members appended */
    rmq_jw_t w;
} status_call_t;

typedef struct {
    status_call_t *call;
    char *client_id;
} status_leg_t;

/* Writes "clientId":{MessageQueue:offset,..} from a client's GetConsumerStatusBody. */
static void merge_answer(status_call_t *c, const char *client_id, const remoting_cmd_t *cresp) {
    rmq_json_doc_t *doc = proto_json_parse(cresp->body.ptr, cresp->body.len);
    const rmq_json_t *t = doc ? rmq_json_get(rmq_json_root(doc), "messageQueueTable") : NULL;
    if (t && t->type == RMQ_JSON_OBJECT) {
        rmq_jw_key(&c->w, client_id);
        rmq_jw_obj_begin(&c->w);
        for (const rmq_json_t *v = t->child; v; v = v->next) {
            proto_mq_t mq;
            int64_t off;
            if (proto_mq_read_key(v, &mq) != 0)
                continue;
            if (rmq_json_as_i64(v, &off)) {
                proto_mq_write_key(&c->w, mq.topic, mq.brokerName, mq.queueId);
                rmq_jw_i64(&c->w, off);
            }
            proto_mq_close(&mq);
        }
        rmq_jw_obj_end(&c->w);
    }
    if (doc)
        rmq_json_doc_destroy(doc);
}

/* Drops one pending count; the last one answers the admin and frees the call. */
static void status_done(status_call_t *c) {
    pthread_mutex_lock(&c->mu);
    bool last = --c->pending == 0;
    pthread_mutex_unlock(&c->mu);
    if (!last)
        return;
    rmq_jw_obj_end(&c->w); /* consumerTable */
    rmq_buf_append_cstr(&c->body, ",\"messageQueueTable\":{}}");
    remoting_cmd_t out;
    remoting_cmd_init(&out);
    remoting_cmd_set_response(&out, PROTO_SUCCESS, c->opaque, NULL);
    size_t len;
    char *data = rmq_buf_steal(&c->body, &len);
    remoting_cmd_take_body(&out, data, len);
    c->b->conn_ops->send(c->admin, &out);
    remoting_cmd_close(&out);
    c->b->conn_ops->release(c->admin);
    pthread_mutex_destroy(&c->mu);
    rmq_free(c);
}

/* Runs on: the client connection's loop, once per leg. */
static void on_status_answer(void *arg, int status, remoting_cmd_t *cresp) {
    status_leg_t *leg = arg;
    status_call_t *c = leg->call;
    if (status == 0 && cresp->code == PROTO_SUCCESS && cresp->body.len) {
        pthread_mutex_lock(&c->mu);
        merge_answer(c, leg->client_id, cresp);
        pthread_mutex_unlock(&c->mu);
    } else {
        rmq_log_warn("broker", "[get-consumer-status] client %s: status %d code %d", leg->client_id,
                     status, cresp ? cresp->code : -1);
    }
    if (cresp)
        remoting_cmd_destroy(cresp);
    rmq_free(leg->client_id);
    rmq_free(leg);
    status_done(c);
}

int broker_admin_get_consumer_status(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consumer_status_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_consumer_status_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    broker_client_group_t g;
    if (broker_clients_consumer_copy(b, h.group, &g) != 0 || g.nconn == 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "No Any Consumer online in the consumer group: [%s]",
                                 h.group);
        return 0;
    }
    status_call_t *c = RMQ_NEW(status_call_t);
    c->b = b;
    c->admin = conn;
    c->opaque = req->opaque;
    c->pending = 1;
    pthread_mutex_init(&c->mu, NULL);
    rmq_buf_init(&c->body);
    rmq_jw_init(&c->w, &c->body, 0);
    rmq_buf_append_cstr(&c->body, "{\"consumerTable\":");
    rmq_jw_obj_begin(&c->w);
    b->conn_ops->retain(conn);
    bool only = h.clientAddr && h.clientAddr[strspn(h.clientAddr, " \t")];
    for (size_t i = 0; i < g.nconn && b->admin.request; i++) {
        const broker_client_conn_t *cc = &g.conns[i];
        if (only && strcmp(cc->client_id, h.clientAddr) != 0)
            continue;
        remoting_cmd_t r;
        remoting_cmd_init(&r);
        remoting_cmd_set_request(&r, PROTO_GET_CONSUMER_STATUS_FROM_CLIENT);
        proto_consumer_status_request_header_t fh = {.topic = h.topic, .group = h.group};
        proto_consumer_status_request_header_encode(&fh, &r);
        status_leg_t *leg = RMQ_NEW(status_leg_t);
        leg->call = c;
        leg->client_id = rmq_strdup(cc->client_id);
        pthread_mutex_lock(&c->mu);
        c->pending++;
        pthread_mutex_unlock(&c->mu);
        int rc = b->admin.request(cc->conn, &r, CONSUMER_STATUS_TIMEOUT_MS, on_status_answer, leg);
        remoting_cmd_close(&r);
        if (rc != 0) {
            rmq_free(leg->client_id);
            rmq_free(leg);
            status_done(c); /* never the last: the sending count is still held */
        }
        if (only)
            break;
    }
    broker_client_group_close(b, &g);
    status_done(c); /* the sending count */
    return REMOTING_PENDING;
}
