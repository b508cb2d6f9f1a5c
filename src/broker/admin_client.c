/*
 * Client connections seen by the administration tools (spec remoting.md 5.5.9, 5.5.10;
 * upstream AdminBrokerProcessor.getConsumerConnectionList, getProducerConnectionList,
 * callConsumer): GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204)
 * and GET_CONSUMER_RUNNING_INFO (307).
 *
 * 307 is forwarded: a new request with the same code, ext fields and body goes to the
 * consumer over the connection its heartbeats came on, and the handler returns
 * REMOTING_PENDING with the admin's connection retained. The client's answer (a
 * ConsumerRunningInfo written by the client) is relayed unchanged under the admin's
 * opaque; a time-out becomes CONSUME_MSG_TIMEOUT and any other failure SYSTEM_ERROR, as
 * upstream answers.
 *
 * Runs on: I/O loops (the relay callback on the consumer connection's loop).
 * Locks: clients.lock inside the copy functions only.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"
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
    size_t len;
    char *data = rmq_buf_steal(&out, &len);
    remoting_cmd_take_body(resp, data, len);
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

int broker_admin_consumer_running_info(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consumer_running_info_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_consumer_running_info_request_header_decode(req, &h, &bad) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "the custom field <%s> is null", bad ? bad : "?");
        return 0;
    }
    broker_client_group_t g;
    remoting_conn_t *target = NULL;
    if (broker_clients_consumer_copy(b, h.consumerGroup, &g) == 0) {
        for (size_t i = 0; i < g.nconn && !target; i++)
            if (strcmp(g.conns[i].client_id, h.clientId) == 0)
                target = g.conns[i].conn;
        if (target)
            b->conn_ops->retain(target);
        broker_client_group_close(b, &g);
    }
    if (!target || !b->admin.request) {
        if (target)
            b->conn_ops->release(target);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "The Consumer <%s> <%s> not online", h.consumerGroup,
                                 h.clientId);
        return 0;
    }
    remoting_cmd_t fwd;
    remoting_cmd_init(&fwd);
    remoting_cmd_set_request(&fwd, req->code);
    for (uint32_t i = 0; i < req->ext_count; i++)
        remoting_cmd_ext_set(&fwd, remoting_cmd_ext_key(req, i), remoting_cmd_ext_value(req, i));
    if (req->body.len)
        remoting_cmd_copy_body(&fwd, req->body.ptr, req->body.len);
    relay_t *r = RMQ_NEW(relay_t);
    r->b = b;
    r->admin = conn;
    r->opaque = req->opaque;
    r->group = rmq_strdup(h.consumerGroup);
    r->client = rmq_strdup(h.clientId);
    b->conn_ops->retain(conn);
    int rc = b->admin.request(target, &fwd, CALL_CLIENT_TIMEOUT_MS, on_client_answer, r);
    remoting_cmd_close(&fwd);
    b->conn_ops->release(target);
    if (rc != 0) {
        b->conn_ops->release(conn);
        rmq_free(r->group);
        rmq_free(r->client);
        rmq_free(r);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "invoke consumer <%s> <%s> Exception: %s", h.consumerGroup,
                                 h.clientId, strerror(-rc));
        return 0;
    }
    return REMOTING_PENDING;
}
