/* Field tables of the offset and client headers; see offset_header.h. */
#include "protocol/offset_header.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64
#define B   PROTO_FIELD_BOOL

#define T proto_query_consumer_offset_request_header_t
static const proto_field_t query_consumer_offset_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD_OPT(T, setZeroIfNotFound, B, setZeroIfNotFound, has_setZeroIfNotFound),
};
#undef T
PROTO_HEADER_DEFINE(query_consumer_offset_request_header)

#define T proto_update_consumer_offset_request_header_t
static const proto_field_t update_consumer_offset_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD(T, commitOffset, I64, commitOffset, true),
};
#undef T
PROTO_HEADER_DEFINE(update_consumer_offset_request_header)

#define T proto_offset_response_header_t
static const proto_field_t offset_response_header_fields[] = {
    PROTO_FIELD(T, offset, I64, offset, true),
};
#undef T
PROTO_HEADER_DEFINE(offset_response_header)

#define T proto_queue_offset_request_header_t
static const proto_field_t queue_offset_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD_OPT(T, committed, B, committed, has_committed),
};
#undef T
PROTO_HEADER_DEFINE(queue_offset_request_header)

#define T proto_search_offset_request_header_t
static const proto_field_t search_offset_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD(T, timestamp, I64, timestamp, true),
    PROTO_FIELD(T, boundaryType, S, boundaryType, false),
};
#undef T
PROTO_HEADER_DEFINE(search_offset_request_header)

#define T proto_earliest_msg_storetime_response_header_t
static const proto_field_t earliest_msg_storetime_response_header_fields[] = {
    PROTO_FIELD(T, timestamp, I64, timestamp, true),
};
#undef T
PROTO_HEADER_DEFINE(earliest_msg_storetime_response_header)

#define T proto_unregister_client_request_header_t
static const proto_field_t unregister_client_request_header_fields[] = {
    PROTO_FIELD(T, clientID, S, clientID, true),
    PROTO_FIELD(T, producerGroup, S, producerGroup, false),
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, false),
};
#undef T
PROTO_HEADER_DEFINE(unregister_client_request_header)

#define T proto_consumer_group_header_t
static const proto_field_t consumer_group_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
};
#undef T
PROTO_HEADER_DEFINE(consumer_group_header)
