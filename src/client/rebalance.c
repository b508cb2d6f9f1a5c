/*
 * Rebalance building blocks shared by the push and lite pull consumers: message queue
 * lists in MessageQueue order, AllocateMessageQueueAveragely, the readable queues of a
 * topic's route (topicRouteData2TopicSubscribeInfo) and the group's consumer ids
 * (GET_CONSUMER_LIST_BY_GROUP), plus a consumer's heartbeat data and UNREGISTER_CLIENT.
 *
 * Threads: the callers' (a consumer's rebalance or poll thread); no state here.
 */
#include "client/consumer.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/offset_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ queue lists */

void client_cmqs_add(client_cmqs_t *l, const char *topic, const char *broker_name, int32_t qid) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = rmq_realloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = (client_cmq_t){rmq_strdup(topic), rmq_strdup(broker_name), qid};
}

void client_cmqs_close(client_cmqs_t *l) {
    for (size_t i = 0; i < l->count; i++) {
        rmq_free(l->items[i].topic);
        rmq_free(l->items[i].broker_name);
    }
    rmq_free(l->items);
    memset(l, 0, sizeof *l);
}

int client_cmq_cmp(const void *a, const void *b) {
    const client_cmq_t *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    if (c)
        return c;
    c = strcmp(x->broker_name, y->broker_name);
    if (c)
        return c;
    return x->queue_id < y->queue_id ? -1 : x->queue_id > y->queue_id;
}

char *client_cmq_key(const char *topic, const char *broker_name, int32_t qid) {
    size_t n = strlen(topic) + strlen(broker_name) + 16;
    char *k = rmq_malloc(n);
    snprintf(k, n, "%s@%s@%d", topic, broker_name, (int)qid);
    return k;
}

/* ------------------------------------------------------------------ allocation */

void client_allocate_averagely(const char *cid, const char *const *cids, size_t cid_count,
                               size_t mq_count, size_t *start, size_t *count) {
    *start = *count = 0;
    size_t index = cid_count;
    for (size_t i = 0; i < cid_count; i++)
        if (strcmp(cids[i], cid) == 0) {
            index = i;
            break;
        }
    if (index == cid_count || mq_count == 0)
        return;
    size_t mod = mq_count % cid_count;
    size_t avg = mq_count <= cid_count      ? 1
                 : (mod > 0 && index < mod) ? mq_count / cid_count + 1
                                            : mq_count / cid_count;
    size_t first = (mod > 0 && index < mod) ? index * avg : index * avg + mod;
    if (first >= mq_count)
        return;
    *start = first;
    *count = avg < mq_count - first ? avg : mq_count - first;
}

/* ------------------------------------------------------------------ routes and ids */

rmq_err_t client_topic_mqs(client_instance_t *ci, const char *topic, client_cmqs_t *out,
                           char *errstr, size_t errlen) {
    client_route_t *route = NULL;
    rmq_err_t err = client_instance_route(ci, topic, NULL, 0, &route, errstr, errlen);
    if (err)
        return err;
    for (size_t i = 0; i < route->rd.queue_count; i++) {
        const proto_queue_data_t *qd = &route->rd.queueDatas[i];
        if (!(qd->perm & PROTO_PERM_READ))
            continue;
        for (int32_t q = 0; q < qd->readQueueNums; q++)
            client_cmqs_add(out, topic, qd->brokerName, q);
    }
    client_route_release(route);
    qsort(out->items, out->count, sizeof *out->items, client_cmq_cmp);
    return RMQ_ERR_NO_ERROR;
}

bool client_broker_master(client_instance_t *ci, const char *topic, const char *broker_name,
                          char *out, size_t outlen) {
    if (client_instance_broker_addr(ci, broker_name, 0, out, outlen))
        return true;
    client_route_t *route = NULL;
    char e[128];
    if (client_instance_route(ci, topic, NULL, 0, &route, e, sizeof e) == RMQ_ERR_NO_ERROR)
        client_route_release(route);
    return client_instance_broker_addr(ci, broker_name, 0, out, outlen);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

rmq_err_t client_consumer_ids(client_instance_t *ci, const char *group, const char *topic,
                              proto_strs_t *ids, char *errstr, size_t errlen) {
    client_route_t *route = NULL;
    rmq_err_t err = client_instance_route(ci, topic, NULL, 0, &route, errstr, errlen);
    if (err)
        return err;
    err = RMQ_ERR__TRANSPORT;
    client_errstr(errstr, errlen, "no broker for topic %s", topic);
    for (size_t i = 0; i < route->rd.broker_count && err; i++) {
        const char *addr = proto_broker_data_addr(&route->rd.brokerDatas[i], 0);
        if (!addr)
            continue;
        remoting_cmd_t *req = remoting_cmd_new();
        remoting_cmd_set_request(req, PROTO_GET_CONSUMER_LIST_BY_GROUP);
        proto_consumer_group_header_t h = {.consumerGroup = group};
        proto_consumer_group_header_encode(&h, req);
        remoting_cmd_t *resp = NULL;
        err = client_rpc_call(client_instance_rpc(ci), addr, req, &resp, errstr, errlen);
        remoting_cmd_destroy(req);
        if (err == RMQ_ERR_NO_ERROR) {
            if (!resp->body.ptr ||
                proto_consumer_list_decode(resp->body.ptr, resp->body.len, ids) != 0) {
                client_errstr(errstr, errlen, "malformed consumer id list from %s", addr);
                err = RMQ_ERR__BAD_MSG;
            }
            remoting_cmd_destroy(resp);
        }
    }
    client_route_release(route);
    if (err == RMQ_ERR_NO_ERROR)
        qsort(ids->items, ids->count, sizeof *ids->items, cmp_str);
    return err;
}

/* ------------------------------------------------------------------ heartbeat, unregister */

void client_consumer_data_fill(proto_consumer_data_t *cd, const char *group,
                               const char *consume_type, const char *model, const char *from_where,
                               const proto_subscription_t *subs, size_t sub_count) {
    memset(cd, 0, sizeof *cd);
    cd->groupName = rmq_strdup(group);
    cd->consumeType = rmq_strdup(consume_type);
    cd->messageModel = rmq_strdup(model);
    cd->consumeFromWhere = rmq_strdup(from_where);
    cd->subs = rmq_calloc(sub_count ? sub_count : 1, sizeof *cd->subs);
    cd->sub_count = sub_count;
    for (size_t i = 0; i < sub_count; i++)
        proto_subscription_copy(&cd->subs[i], &subs[i]);
}

void client_consumer_unregister(client_instance_t *ci, const char *group, const char *const *topics,
                                size_t topic_count) {
    proto_strs_t addrs = {0};
    for (size_t t = 0; t < topic_count; t++) {
        client_route_t *route = client_instance_route_cached(ci, topics[t]);
        if (!route)
            continue;
        for (size_t i = 0; i < route->rd.broker_count; i++) {
            const char *addr = proto_broker_data_addr(&route->rd.brokerDatas[i], 0);
            if (addr && !proto_strs_has(&addrs, addr))
                proto_strs_add(&addrs, addr, strlen(addr));
        }
        client_route_release(route);
    }
    for (size_t i = 0; i < addrs.count; i++) {
        remoting_cmd_t *req = remoting_cmd_new();
        remoting_cmd_set_request(req, PROTO_UNREGISTER_CLIENT);
        proto_unregister_client_request_header_t h = {.clientID = client_instance_id(ci),
                                                      .consumerGroup = group};
        proto_unregister_client_request_header_encode(&h, req);
        remoting_cmd_t *resp = NULL;
        char e[256];
        rmq_err_t err =
            client_rpc_call(client_instance_rpc(ci), addrs.items[i], req, &resp, e, sizeof e);
        if (err)
            rmq_log_warn("consumer", "unregister group=%s from %s failed: %s (%s)", group,
                         addrs.items[i], rmq_err_name(err), e);
        remoting_cmd_destroy(resp);
        remoting_cmd_destroy(req);
    }
    proto_strs_close(&addrs);
}

client_instance_t *client_consumer_instance(const rmq_conf_t *conf, const char **group,
                                            char *errstr, size_t errlen) {
    *group = conf ? rmq_conf_get(conf, "consumerGroup") : NULL;
    if (!*group || !**group) {
        client_errstr(errstr, errlen, "consumerGroup is not set");
        return NULL;
    }
    return client_instance_new(conf, errstr, errlen);
}
