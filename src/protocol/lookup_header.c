/* Field tables of the send-back and lookup headers; see lookup_header.h. */
#include "protocol/lookup_header.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64
#define B   PROTO_FIELD_BOOL

#define T proto_consumer_send_msg_back_request_header_t
static const proto_field_t consumer_send_msg_back_request_header_fields[] = {
    PROTO_FIELD(T, offset, I64, offset, true),
    PROTO_FIELD(T, group, S, group, true),
    PROTO_FIELD(T, delayLevel, I32, delayLevel, true),
    PROTO_FIELD(T, originMsgId, S, originMsgId, false),
    PROTO_FIELD(T, originTopic, S, originTopic, false),
    PROTO_FIELD_OPT(T, unitMode, B, unitMode, has_unitMode),
    PROTO_FIELD_OPT(T, maxReconsumeTimes, I32, maxReconsumeTimes, has_maxReconsumeTimes),
};
#undef T
PROTO_HEADER_DEFINE(consumer_send_msg_back_request_header)

#define T proto_query_message_request_header_t
static const proto_field_t query_message_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, key, S, key, true),
    PROTO_FIELD(T, maxNum, I32, maxNum, true),
    PROTO_FIELD(T, beginTimestamp, I64, beginTimestamp, true),
    PROTO_FIELD(T, endTimestamp, I64, endTimestamp, true),
};
#undef T
PROTO_HEADER_DEFINE(query_message_request_header)

#define T proto_query_message_response_header_t
static const proto_field_t query_message_response_header_fields[] = {
    PROTO_FIELD(T, indexLastUpdateTimestamp, I64, indexLastUpdateTimestamp, true),
    PROTO_FIELD(T, indexLastUpdatePhyoffset, I64, indexLastUpdatePhyoffset, true),
};
#undef T
PROTO_HEADER_DEFINE(query_message_response_header)

#define T proto_view_message_request_header_t
static const proto_field_t view_message_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, false),
    PROTO_FIELD(T, offset, I64, offset, true),
};
#undef T
PROTO_HEADER_DEFINE(view_message_request_header)
