/*
 * Consumer-offset, queue-offset and client-management headers (spec remoting.md 5.3.2 to
 * 5.3.8): QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30),
 * GET_MIN_OFFSET (31), SEARCH_OFFSET_BY_TIMESTAMP (29), GET_EARLIEST_MSG_STORETIME (32),
 * UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38), NOTIFY_CONSUMER_IDS_CHANGED
 * (40). Decoded strings are borrowed from the command.
 */
#ifndef RMQ_PROTOCOL_OFFSET_HEADER_H
#define RMQ_PROTOCOL_OFFSET_HEADER_H

#include "protocol/header.h"

/* QUERY_CONSUMER_OFFSET: consumerGroup, topic, queueId, setZeroIfNotFound (optional). */
typedef struct {
    const char *consumerGroup, *topic;
    int32_t queueId;
    bool setZeroIfNotFound, has_setZeroIfNotFound;
} proto_query_consumer_offset_request_header_t;
PROTO_HEADER_DECLARE(query_consumer_offset_request_header);

/* UPDATE_CONSUMER_OFFSET: consumerGroup, topic, queueId, commitOffset. */
typedef struct {
    const char *consumerGroup, *topic;
    int32_t queueId;
    int64_t commitOffset;
} proto_update_consumer_offset_request_header_t;
PROTO_HEADER_DECLARE(update_consumer_offset_request_header);

/* The response of 14, 29, 30, 31: offset. */
typedef struct {
    int64_t offset;
} proto_offset_response_header_t;
PROTO_HEADER_DECLARE(offset_response_header);

/* GET_MAX_OFFSET, GET_MIN_OFFSET, GET_EARLIEST_MSG_STORETIME: topic, queueId
 * (committed: GET_MAX_OFFSET only, default true). */
typedef struct {
    const char *topic;
    int32_t queueId;
    bool committed, has_committed;
} proto_queue_offset_request_header_t;
PROTO_HEADER_DECLARE(queue_offset_request_header);

/* SEARCH_OFFSET_BY_TIMESTAMP: topic, queueId, timestamp, boundaryType (LOWER/UPPER). */
typedef struct {
    const char *topic;
    int32_t queueId;
    int64_t timestamp;
    const char *boundaryType;
} proto_search_offset_request_header_t;
PROTO_HEADER_DECLARE(search_offset_request_header);

/* GET_EARLIEST_MSG_STORETIME response: timestamp. */
typedef struct {
    int64_t timestamp;
} proto_earliest_msg_storetime_response_header_t;
PROTO_HEADER_DECLARE(earliest_msg_storetime_response_header);

/* UNREGISTER_CLIENT: clientID, producerGroup / consumerGroup (optional). */
typedef struct {
    const char *clientID, *producerGroup, *consumerGroup;
} proto_unregister_client_request_header_t;
PROTO_HEADER_DECLARE(unregister_client_request_header);

/* GET_CONSUMER_LIST_BY_GROUP and NOTIFY_CONSUMER_IDS_CHANGED: consumerGroup. */
typedef struct {
    const char *consumerGroup;
} proto_consumer_group_header_t;
PROTO_HEADER_DECLARE(consumer_group_header);

#endif
