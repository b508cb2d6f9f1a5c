/*
 * The admin API's requests a broker relays to one of its clients (rocketmq/admin.h):
 * GET_CONSUMER_RUNNING_INFO (the client's ConsumerRunningInfo, fastjson with
 * MessageQueue objects as the keys of mqTable; as DefaultMQAdminExtImpl, to the first
 * broker of the group's retry topic route that has an address) and
 * CONSUME_MESSAGE_DIRECTLY (to the broker that stored the message, which hands the
 * client the stored record; the answer is a ConsumeMessageDirectlyResult).
 */
#include "client/admin_int.h"

#include "common/alloc.h"
#include "common/json.h"
#include "protocol/admin_header.h"
#include "protocol/body.h"
#include "protocol/codes.h"
#include "protocol/message.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char *topic, *broker_name;
    int queue_id;
} running_mq_t;

struct rmq_running_info_s {
    char *json;
    rmq_kvlist_t *props;
    running_mq_t *mqs;
    size_t count;
};

size_t rmq_running_info_queue_count(const rmq_running_info_t *ri) {
    return ri ? ri->count : 0;
}
const char *rmq_running_info_queue_topic(const rmq_running_info_t *ri, size_t i) {
    return ri && i < ri->count ? ri->mqs[i].topic : NULL;
}
const char *rmq_running_info_queue_broker_name(const rmq_running_info_t *ri, size_t i) {
    return ri && i < ri->count ? ri->mqs[i].broker_name : NULL;
}
int rmq_running_info_queue_id(const rmq_running_info_t *ri, size_t i) {
    return ri && i < ri->count ? ri->mqs[i].queue_id : -1;
}
const char *rmq_running_info_json(const rmq_running_info_t *ri) {
    return ri ? ri->json : NULL;
}
const char *rmq_running_info_property(const rmq_running_info_t *ri, const char *key) {
    return ri && key ? rmq_kvlist_get(ri->props, key) : NULL;
}

void rmq_running_info_destroy(rmq_running_info_t *ri) {
    if (!ri)
        return;
    for (size_t i = 0; i < ri->count; i++) {
        rmq_free(ri->mqs[i].topic);
        rmq_free(ri->mqs[i].broker_name);
    }
    rmq_free(ri->mqs);
    rmq_free(ri->json);
    rmq_kvlist_destroy(ri->props);
    rmq_free(ri);
}

/* The first address (master, else a slave) of the route of %RETRY%group; *addr: rmq_free. */
static rmq_err_t group_broker_addr(rmq_admin_t *admin, const char *group, char **addr, char *errstr,
                                   size_t errlen) {
    *addr = NULL;
    char retry[512];
    snprintf(retry, sizeof retry, "%s%s", PROTO_RETRY_GROUP_TOPIC_PREFIX, group);
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, retry, &route, errstr, errlen);
    if (err)
        return err;
    for (size_t i = 0; i < rmq_topic_route_broker_count(route) && !*addr; i++) {
        const rmq_broker_data_t *bd = rmq_topic_route_broker(route, i);
        const char *a = rmq_broker_data_addr_by_id(bd, 0);
        if (!a && rmq_broker_data_addr_count(bd))
            a = rmq_broker_data_addr(bd, 0);
        *addr = a ? rmq_strdup(a) : NULL;
    }
    rmq_topic_route_destroy(route);
    if (!*addr) {
        client_errstr(errstr, errlen, "no broker of %s has an address", retry);
        return RMQ_ERR__INVALID_ARG;
    }
    return RMQ_ERR_NO_ERROR;
}

/* mqTable's keys: {"brokerName":..,"queueId":..,"topic":..} objects. */
static int read_mq_table(const rmq_json_t *table, rmq_running_info_t *ri) {
    ri->mqs = rmq_calloc(table->count ? table->count : 1, sizeof *ri->mqs);
    for (const rmq_json_t *v = table->child; v; v = v->next) {
        const rmq_json_t *k = v->key;
        if (!k || k->type != RMQ_JSON_OBJECT)
            return -1;
        const char *topic = rmq_json_get_str(k, "topic", NULL);
        const char *broker = rmq_json_get_str(k, "brokerName", NULL);
        if (!topic || !broker)
            return -1;
        running_mq_t *mq = &ri->mqs[ri->count++];
        mq->topic = rmq_strdup(topic);
        mq->broker_name = rmq_strdup(broker);
        mq->queue_id = (int)rmq_json_get_i64(k, "queueId", 0);
    }
    return 0;
}

rmq_err_t rmq_admin_consumer_running_info(rmq_admin_t *admin, const char *group,
                                          const char *client_id, int jstack,
                                          rmq_running_info_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, group, client_id, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    char *addr;
    rmq_err_t err = group_broker_addr(admin, group, &addr, errstr, errlen);
    if (err)
        return err;
    remoting_cmd_t *req = admin_request(PROTO_GET_CONSUMER_RUNNING_INFO);
    proto_consumer_running_info_request_header_t h = {
        .consumerGroup = group,
        .clientId = client_id,
        .jstackEnable = jstack != 0,
        .has_jstackEnable = true,
    };
    proto_consumer_running_info_request_header_encode(&h, req);
    remoting_cmd_t *resp = NULL;
    err = admin_call(admin, addr, req, &resp, errstr, errlen);
    rmq_free(addr);
    if (err)
        return err;
    rmq_json_doc_t *doc = resp->body.ptr ? proto_json_parse(resp->body.ptr, resp->body.len) : NULL;
    rmq_running_info_t *ri = RMQ_NEW(rmq_running_info_t);
    const rmq_json_t *table = doc ? rmq_json_get(rmq_json_root(doc), "mqTable") : NULL;
    if (!doc || (table && (table->type != RMQ_JSON_OBJECT || read_mq_table(table, ri) != 0))) {
        rmq_json_doc_destroy(doc);
        rmq_running_info_destroy(ri);
        return admin_bad_body(resp, "ConsumerRunningInfo", errstr, errlen);
    }
    ri->props = rmq_kvlist_new();
    const rmq_json_t *props = rmq_json_get(rmq_json_root(doc), "properties");
    for (const rmq_json_t *v = props && props->type == RMQ_JSON_OBJECT ? props->child : NULL; v;
         v = v->next) {
        const char *val = v->type == RMQ_JSON_STRING || v->type == RMQ_JSON_NUMBER ? v->str
                          : v->type == RMQ_JSON_BOOL ? (v->boolean ? "true" : "false")
                                                     : NULL;
        if (v->key && v->key->type == RMQ_JSON_STRING && val)
            rmq_kvlist_set(ri->props, v->key->str, val);
    }
    rmq_json_doc_destroy(doc);
    ri->json = rmq_malloc(resp->body.len + 1);
    memcpy(ri->json, resp->body.ptr, resp->body.len);
    ri->json[resp->body.len] = '\0';
    remoting_cmd_destroy(resp);
    *out = ri;
    return RMQ_ERR_NO_ERROR;
}

/* ------------------------------------------------------------------ consume directly */

struct rmq_consume_directly_result_s {
    int order, auto_commit;
    char *consume_result, *remark;
    int64_t spent_time_mills;
};

int rmq_consume_directly_result_order(const rmq_consume_directly_result_t *r) {
    return r ? r->order : 0;
}
int rmq_consume_directly_result_auto_commit(const rmq_consume_directly_result_t *r) {
    return r ? r->auto_commit : 0;
}
const char *rmq_consume_directly_result_consume_result(const rmq_consume_directly_result_t *r) {
    return r ? r->consume_result : NULL;
}
const char *rmq_consume_directly_result_remark(const rmq_consume_directly_result_t *r) {
    return r ? r->remark : NULL;
}
int64_t rmq_consume_directly_result_spent_time_mills(const rmq_consume_directly_result_t *r) {
    return r ? r->spent_time_mills : 0;
}
void rmq_consume_directly_result_destroy(rmq_consume_directly_result_t *r) {
    if (!r)
        return;
    rmq_free(r->consume_result);
    rmq_free(r->remark);
    rmq_free(r);
}

rmq_err_t rmq_admin_consume_message_directly(rmq_admin_t *admin, const char *broker_addr,
                                             const char *group, const char *client_id,
                                             const char *topic, const char *offset_msg_id,
                                             rmq_consume_directly_result_t **out, char *errstr,
                                             size_t errlen) {
    if (admin_bad_args(admin, broker_addr, group, errstr, errlen) ||
        admin_bad_args(client_id, offset_msg_id, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_CONSUME_MESSAGE_DIRECTLY);
    proto_consume_directly_request_header_t h = {
        .consumerGroup = group, .clientId = client_id, .msgId = offset_msg_id, .topic = topic};
    proto_consume_directly_request_header_encode(&h, req);
    remoting_cmd_t *resp = NULL;
    rmq_err_t err = admin_call(admin, broker_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    rmq_json_doc_t *doc = resp->body.ptr ? proto_json_parse(resp->body.ptr, resp->body.len) : NULL;
    if (!doc || rmq_json_root(doc)->type != RMQ_JSON_OBJECT) {
        rmq_json_doc_destroy(doc);
        return admin_bad_body(resp, "ConsumeMessageDirectlyResult", errstr, errlen);
    }
    const rmq_json_t *root = rmq_json_root(doc);
    rmq_consume_directly_result_t *r = RMQ_NEW(rmq_consume_directly_result_t);
    r->order = rmq_json_get_bool(root, "order", false);
    r->auto_commit = rmq_json_get_bool(root, "autoCommit", true);
    const char *cr = rmq_json_get_str(root, "consumeResult", NULL);
    const char *remark = rmq_json_get_str(root, "remark", NULL);
    r->consume_result = cr ? rmq_strdup(cr) : NULL;
    r->remark = remark ? rmq_strdup(remark) : NULL;
    r->spent_time_mills = rmq_json_get_i64(root, "spentTimeMills", 0);
    rmq_json_doc_destroy(doc);
    remoting_cmd_destroy(resp);
    *out = r;
    return RMQ_ERR_NO_ERROR;
}
