/*
 * Consumer offsets and queue offsets (spec remoting.md 5.3.2 to 5.3.4, upstream
 * ConsumerManageProcessor and AdminBrokerProcessor): QUERY_CONSUMER_OFFSET (14),
 * UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
 * SEARCH_OFFSET_BY_TIMESTAMP (29), GET_EARLIEST_MSG_STORETIME (32). Committed offsets
 * live in store_consumer_offsets_t (thread-safe), persisted to consumerOffset.json every
 * flushConsumerOffsetInterval and at shutdown.
 *
 * Runs on: I/O loops. Locks: the offsets table's own mutex.
 */
#include "broker/internal.h"

#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/offset_header.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void set_offset(remoting_cmd_t *resp, int64_t offset) {
    proto_offset_response_header_t rh = {.offset = offset};
    proto_offset_response_header_encode(&rh, resp);
}

int broker_query_consumer_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                         remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_query_consumer_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_query_consumer_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    int64_t off = store_consumer_offsets_query(&b->offsets, h.topic, h.consumerGroup, h.queueId);
    if (off >= 0) {
        set_offset(resp, off);
        return 0;
    }
    /* A group that never committed: offset 0 when the queue still starts at 0 (its first
     * message has not been deleted), so CONSUME_FROM_LAST_OFFSET starts at the beginning
     * of a young topic, as the Java broker answers when the message is in memory. An
     * empty queue has no such message: QUERY_NOT_FOUND, as upstream. */
    rmq_slice_t topic = rmq_slice_cstr(h.topic);
    int64_t min = store_min_offset(b->store, topic, h.queueId);
    bool zero = !h.has_setZeroIfNotFound || h.setZeroIfNotFound;
    if (zero && min <= 0 && store_max_offset(b->store, topic, h.queueId) > 0) {
        set_offset(resp, 0);
        return 0;
    }
    resp->code = PROTO_QUERY_NOT_FOUND;
    remoting_cmd_set_remark(resp,
                            "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first");
    return 0;
}

int broker_update_consumer_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                          remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_update_consumer_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_update_consumer_offset_request_header_decode(req, &h, &bad) != 0) {
        if (bad && bad[0] == 'q') {
            resp->code = PROTO_INVALID_PARAMETER;
            remoting_cmd_set_remark(resp, "QueueId is null, topic is ");
            return 0;
        }
        return broker_bad_header(resp, bad);
    }
    if (!broker_groups_get(b, h.consumerGroup, false, NULL)) {
        resp->code = PROTO_SUBSCRIPTION_GROUP_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "Group %s not exist!", h.consumerGroup);
        return 0;
    }
    broker_topic_info_t ti;
    if (!broker_topics_get(b, h.topic, &ti)) {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "Topic %s not exist!", h.topic);
        return 0;
    }
    store_consumer_offsets_commit(&b->offsets, h.topic, h.consumerGroup, h.queueId, h.commitOffset);
    return 0;
}

int broker_get_max_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_queue_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_queue_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    set_offset(resp, store_max_offset(b->store, rmq_slice_cstr(h.topic), h.queueId));
    return 0;
}

int broker_get_min_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_queue_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_queue_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    set_offset(resp, store_min_offset(b->store, rmq_slice_cstr(h.topic), h.queueId));
    return 0;
}

int broker_search_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_search_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_search_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    store_boundary_t bt = h.boundaryType && strcasecmp(h.boundaryType, "UPPER") == 0
                              ? STORE_BOUNDARY_UPPER
                              : STORE_BOUNDARY_LOWER;
    set_offset(resp,
               store_offset_by_time(b->store, rmq_slice_cstr(h.topic), h.queueId, h.timestamp, bt));
    return 0;
}

int broker_earliest_time_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_queue_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_queue_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_earliest_msg_storetime_response_header_t rh = {
        .timestamp = store_earliest_time(b->store, rmq_slice_cstr(h.topic), h.queueId)};
    proto_earliest_msg_storetime_response_header_encode(&rh, resp);
    return 0;
}
