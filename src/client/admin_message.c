/*
 * The admin API's message lookups (rocketmq/admin.h): a message by offset id
 * (VIEW_MESSAGE_BY_ID to the store host the id names), messages by key or UNIQ_KEY
 * (QUERY_MESSAGE to one address of every broker name of the topic's route, as
 * MQAdminImpl.queryMessage), messages from a queue offset (PULL_MESSAGE as
 * DefaultMQPullConsumer.pull) and a queue's min, max and by-time offsets (GET_MIN_OFFSET,
 * GET_MAX_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP to its master, as MQAdminImpl). Records are decoded by
 * the consumer's decoder (client_msgs_decode), so the messages are the MessageExt a consumer gets.
 */
#include "client/admin_int.h"
#include "client/consumer.h"

#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/lookup_header.h"
#include "protocol/message.h"
#include "protocol/msg_record.h"
#include "protocol/offset_header.h"

#include <stdlib.h>
#include <string.h>

struct rmq_admin_msgs_s {
    client_msgs_t msgs;
};

size_t rmq_admin_msgs_count(const rmq_admin_msgs_t *l) {
    return l ? l->msgs.count : 0;
}

const rmq_message_ext_t *rmq_admin_msgs_get(const rmq_admin_msgs_t *l, size_t i) {
    return l && i < l->msgs.count ? l->msgs.items[i] : NULL;
}

void rmq_admin_msgs_destroy(rmq_admin_msgs_t *l) {
    if (!l)
        return;
    client_msgs_close(&l->msgs);
    rmq_free(l);
}

/* BrokerData.selectBrokerAddr: the master, else the first slave. */
static const char *select_addr(const rmq_broker_data_t *bd) {
    const char *a = rmq_broker_data_addr_by_id(bd, 0);
    return a || !rmq_broker_data_addr_count(bd) ? a : rmq_broker_data_addr(bd, 0);
}

/* The broker name whose addresses include addr, from the cluster info; "" if none. */
static char *broker_name_of(rmq_admin_t *admin, const char *addr) {
    rmq_cluster_info_t *ci = NULL;
    char e[256];
    char *name = NULL;
    if (rmq_admin_cluster_info(admin, &ci, e, sizeof e) == RMQ_ERR_NO_ERROR) {
        for (size_t i = 0; i < rmq_cluster_info_broker_count(ci) && !name; i++) {
            const rmq_broker_data_t *bd = rmq_cluster_info_broker(ci, i);
            for (size_t j = 0; j < rmq_broker_data_addr_count(bd); j++)
                if (strcmp(rmq_broker_data_addr(bd, j), addr) == 0)
                    name = rmq_strdup(rmq_broker_data_name(bd));
        }
    }
    rmq_cluster_info_destroy(ci);
    return name ? name : rmq_strdup("");
}

rmq_err_t rmq_admin_view_message(rmq_admin_t *admin, const char *topic, const char *offset_msg_id,
                                 rmq_message_ext_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, offset_msg_id, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    uint8_t ip[16];
    size_t ip_len;
    int32_t port;
    int64_t offset;
    if (proto_msg_id_decode(offset_msg_id, strlen(offset_msg_id), ip, &ip_len, &port, &offset)) {
        client_errstr(errstr, errlen, "not an offset message id: %s", offset_msg_id);
        return RMQ_ERR__INVALID_ARG;
    }
    proto_msg_host_t host = {.port = port, .is_v6 = ip_len == 16};
    memcpy(host.addr, ip, ip_len);
    char addr[64];
    proto_msg_host_format(&host, addr, sizeof addr);
    remoting_cmd_t *req = admin_request(PROTO_VIEW_MESSAGE_BY_ID);
    proto_view_message_request_header_t hdr = {.topic = topic, .offset = offset};
    proto_view_message_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    char *bname = broker_name_of(admin, addr);
    client_msgs_t msgs = {0};
    int rc = resp->body.ptr ? client_msgs_decode(resp->body, bname, &msgs) : -1;
    rmq_free(bname);
    if (rc != 0 || msgs.count == 0) {
        client_msgs_close(&msgs);
        return admin_bad_body(resp, "message record", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    *out = msgs.items[0];
    for (size_t i = 1; i < msgs.count; i++)
        rmq_message_ext_destroy(msgs.items[i]);
    rmq_free(msgs.items);
    return RMQ_ERR_NO_ERROR;
}

/* MQAdminImpl.queryMessage's filter: by UNIQ_KEY the message id equals the key; by key
 * one of the space-separated keys equals it and the topic matches. */
static bool key_matches(const rmq_message_ext_t *m, const char *topic, const char *key, bool uniq) {
    if (uniq)
        return strcmp(m->msg_id, key) == 0;
    const char *keys = client_msg_ext_prop(m, PROTO_PROP_KEYS);
    if (!keys || strcmp(m->msg.topic, topic) != 0)
        return false;
    size_t klen = strlen(key);
    for (const char *p = keys; *p;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (n == klen && memcmp(p, key, n) == 0)
            return true;
        if (!sp)
            break;
        p = sp + 1;
    }
    return false;
}

rmq_err_t rmq_admin_query_message(rmq_admin_t *admin, const char *cluster, const char *topic,
                                  const char *key, int max_num, int64_t begin, int64_t end,
                                  int uniq_key, rmq_admin_msgs_t **out, char *errstr,
                                  size_t errlen) {
    if (admin_bad_args(admin, topic, key, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, topic, &route, errstr, errlen);
    if (err)
        return err;
    rmq_admin_msgs_t *res = RMQ_NEW(rmq_admin_msgs_t);
    for (size_t i = 0; i < rmq_topic_route_broker_count(route); i++) {
        const rmq_broker_data_t *bd = rmq_topic_route_broker(route, i);
        if (cluster && *cluster && strcmp(cluster, rmq_broker_data_cluster(bd)) != 0)
            continue;
        const char *addr = select_addr(bd);
        if (!addr)
            continue;
        remoting_cmd_t *req = admin_request(PROTO_QUERY_MESSAGE);
        proto_query_message_request_header_t hdr = {.topic = topic,
                                                    .key = key,
                                                    .maxNum = max_num,
                                                    .beginTimestamp = begin,
                                                    .endTimestamp = end};
        proto_query_message_request_header_encode(&hdr, req);
        if (uniq_key)
            remoting_cmd_ext_set(req, PROTO_UNIQUE_MSG_QUERY_FLAG, "true");
        remoting_cmd_t *resp = NULL;
        char e[256];
        /* Java logs a failing broker and goes on with the others. */
        if (admin_call(admin, addr, req, &resp, e, sizeof e) != RMQ_ERR_NO_ERROR)
            continue;
        client_msgs_t msgs = {0};
        if (resp->body.ptr)
            client_msgs_decode(resp->body, rmq_broker_data_name(bd), &msgs);
        remoting_cmd_destroy(resp);
        for (size_t j = 0; j < msgs.count; j++) {
            if (key_matches(msgs.items[j], topic, key, uniq_key))
                client_msgs_add(&res->msgs, msgs.items[j]);
            else
                rmq_message_ext_destroy(msgs.items[j]);
        }
        rmq_free(msgs.items);
    }
    rmq_topic_route_destroy(route);
    *out = res;
    return RMQ_ERR_NO_ERROR;
}

/* The address of broker name `broker_name` in the route of `topic`: the master, else
 * (unless master_only) a slave: findBrokerAddressInSubscribe / findBrokerAddressInPublish.
 * *addr: rmq_free. */
static rmq_err_t route_broker_addr(rmq_admin_t *admin, const char *topic, const char *broker_name,
                                   bool master_only, char **addr, char *errstr, size_t errlen) {
    *addr = NULL;
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, topic, &route, errstr, errlen);
    if (err)
        return err;
    for (size_t i = 0; i < rmq_topic_route_broker_count(route) && !*addr; i++) {
        const rmq_broker_data_t *bd = rmq_topic_route_broker(route, i);
        if (strcmp(rmq_broker_data_name(bd), broker_name) != 0)
            continue;
        const char *a = master_only ? rmq_broker_data_addr_by_id(bd, 0) : select_addr(bd);
        *addr = a ? rmq_strdup(a) : NULL;
    }
    rmq_topic_route_destroy(route);
    if (!*addr) {
        client_errstr(errstr, errlen, "The broker[%s] not exist", broker_name);
        return RMQ_ERR__INVALID_ARG;
    }
    return RMQ_ERR_NO_ERROR;
}

const char *rmq_admin_pull_status_name(rmq_admin_pull_status_t status) {
    switch (status) {
    case RMQ_ADMIN_PULL_FOUND:
        return "FOUND";
    case RMQ_ADMIN_PULL_NO_NEW_MSG:
        return "NO_NEW_MSG";
    case RMQ_ADMIN_PULL_NO_MATCHED_MSG:
        return "NO_MATCHED_MSG";
    case RMQ_ADMIN_PULL_OFFSET_ILLEGAL:
        return "OFFSET_ILLEGAL";
    }
    return "UNKNOWN";
}

rmq_err_t rmq_admin_pull(rmq_admin_t *admin, const char *group, const char *broker_name,
                         const char *topic, int queue_id, int64_t offset, int max_nums,
                         rmq_admin_pull_status_t *status, int64_t *next_begin_offset,
                         rmq_admin_msgs_t **msgs, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_name, topic, errstr, errlen) ||
        admin_bad_args(status, next_begin_offset, msgs, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *msgs = NULL;
    char *addr;
    rmq_err_t err = route_broker_addr(admin, topic, broker_name, false, &addr, errstr, errlen);
    if (err)
        return err;
    client_cmq_t mq = {
        .topic = (char *)topic, .broker_name = (char *)broker_name, .queue_id = queue_id};
    proto_subscription_t sub = {0};
    proto_subscription_build(&sub, topic, "*", "TAG");
    remoting_cmd_t *req = client_pull_request(group ? group : "TOOLS_CONSUMER", &mq, offset,
                                              max_nums, 0, false, &sub, 0);
    remoting_cmd_t *resp = NULL;
    err = client_rpc_invoke(&admin->rpc, addr, req, &resp, errstr, errlen);
    remoting_cmd_destroy(req);
    rmq_free(addr);
    if (err) {
        proto_subscription_close(&sub);
        return err;
    }
    client_pull_result_t pr;
    client_pull_result_decode(resp, &mq, &sub, &pr);
    proto_subscription_close(&sub);
    if (pr.status == CLIENT_PULL_ERROR) {
        err = resp->code ? (rmq_err_t)resp->code : RMQ_ERR__BAD_MSG;
        const char *remark = remoting_cmd_remark(resp);
        client_errstr(errstr, errlen, "%s", remark ? remark : "malformed pull response");
        client_pull_result_close(&pr);
    } else {
        *status = (rmq_admin_pull_status_t)pr.status; /* same order */
        *next_begin_offset = pr.next_begin_offset;
        *msgs = RMQ_NEW(rmq_admin_msgs_t);
        (*msgs)->msgs = pr.msgs;
    }
    remoting_cmd_destroy(resp);
    return err;
}

rmq_err_t rmq_admin_pull_one(rmq_admin_t *admin, const char *broker_name, const char *topic,
                             int queue_id, int64_t offset, rmq_message_ext_t **out, char *errstr,
                             size_t errlen) {
    if (admin_bad_args(admin, broker_name, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    rmq_admin_pull_status_t status;
    int64_t next;
    rmq_admin_msgs_t *l = NULL;
    rmq_err_t err = rmq_admin_pull(admin, NULL, broker_name, topic, queue_id, offset, 1, &status,
                                   &next, &l, errstr, errlen);
    if (err)
        return err;
    if (status == RMQ_ADMIN_PULL_FOUND && l->msgs.count) {
        *out = l->msgs.items[0];
        for (size_t i = 1; i < l->msgs.count; i++)
            rmq_message_ext_destroy(l->msgs.items[i]);
        l->msgs.count = 0;
    }
    rmq_admin_msgs_destroy(l);
    return RMQ_ERR_NO_ERROR;
}

/* ------------------------------------------------------------------ queue offsets */

rmq_err_t admin_offset_call(rmq_admin_t *admin, const char *addr, remoting_cmd_t *req, int64_t *out,
                            char *errstr, size_t errlen) {
    remoting_cmd_t *resp = NULL;
    rmq_err_t err = admin_call(admin, addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    proto_offset_response_header_t rh = {0};
    const char *bad = NULL;
    if (proto_offset_response_header_decode(resp, &rh, &bad) != 0)
        return admin_bad_body(resp, "offset response header", errstr, errlen);
    remoting_cmd_destroy(resp);
    *out = rh.offset;
    return RMQ_ERR_NO_ERROR;
}

remoting_cmd_t *admin_search_offset_request(const char *topic, int queue_id, int64_t timestamp) {
    remoting_cmd_t *req = admin_request(PROTO_SEARCH_OFFSET_BY_TIMESTAMP);
    proto_search_offset_request_header_t h = {
        .topic = topic, .queueId = queue_id, .timestamp = timestamp, .boundaryType = "LOWER"};
    proto_search_offset_request_header_encode(&h, req);
    return req;
}

/* admin_offset_call to the master of broker_name (from topic's route). */
static rmq_err_t queue_offset_call(rmq_admin_t *admin, const char *broker_name, const char *topic,
                                   remoting_cmd_t *req, int64_t *out, char *errstr, size_t errlen) {
    char *addr;
    rmq_err_t err = route_broker_addr(admin, topic, broker_name, true, &addr, errstr, errlen);
    if (err) {
        remoting_cmd_destroy(req);
        return err;
    }
    err = admin_offset_call(admin, addr, req, out, errstr, errlen);
    rmq_free(addr);
    return err;
}

static rmq_err_t min_max_offset(rmq_admin_t *admin, int32_t code, const char *broker_name,
                                const char *topic, int queue_id, int64_t *out, char *errstr,
                                size_t errlen) {
    if (admin_bad_args(admin, broker_name, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(code);
    proto_queue_offset_request_header_t h = {.topic = topic, .queueId = queue_id};
    if (code == PROTO_GET_MAX_OFFSET)
        h.committed = h.has_committed = true;
    proto_queue_offset_request_header_encode(&h, req);
    return queue_offset_call(admin, broker_name, topic, req, out, errstr, errlen);
}

rmq_err_t rmq_admin_min_offset(rmq_admin_t *admin, const char *broker_name, const char *topic,
                               int queue_id, int64_t *out, char *errstr, size_t errlen) {
    return min_max_offset(admin, PROTO_GET_MIN_OFFSET, broker_name, topic, queue_id, out, errstr,
                          errlen);
}

rmq_err_t rmq_admin_max_offset(rmq_admin_t *admin, const char *broker_name, const char *topic,
                               int queue_id, int64_t *out, char *errstr, size_t errlen) {
    return min_max_offset(admin, PROTO_GET_MAX_OFFSET, broker_name, topic, queue_id, out, errstr,
                          errlen);
}

rmq_err_t rmq_admin_search_offset(rmq_admin_t *admin, const char *broker_name, const char *topic,
                                  int queue_id, int64_t timestamp, int64_t *out, char *errstr,
                                  size_t errlen) {
    if (admin_bad_args(admin, broker_name, topic, errstr, errlen) ||
        admin_bad_args(out, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    return queue_offset_call(admin, broker_name, topic,
                             admin_search_offset_request(topic, queue_id, timestamp), out, errstr,
                             errlen);
}
