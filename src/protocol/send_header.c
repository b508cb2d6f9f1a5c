/* Field tables of the send headers; see send_header.h. */
#include "protocol/send_header.h"

#include "protocol/codes.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64
#define B   PROTO_FIELD_BOOL

#define T proto_send_message_request_header_t
static const proto_field_t send_message_request_header_fields[] = {
    PROTO_FIELD(T, producerGroup, S, producerGroup, true),
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, defaultTopic, S, defaultTopic, true),
    PROTO_FIELD(T, defaultTopicQueueNums, I32, defaultTopicQueueNums, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD(T, sysFlag, I32, sysFlag, true),
    PROTO_FIELD(T, bornTimestamp, I64, bornTimestamp, true),
    PROTO_FIELD(T, flag, I32, flag, true),
    PROTO_FIELD(T, properties, S, properties, false),
    PROTO_FIELD_OPT(T, reconsumeTimes, I32, reconsumeTimes, has_reconsumeTimes),
    PROTO_FIELD_OPT(T, unitMode, B, unitMode, has_unitMode),
    PROTO_FIELD_OPT(T, maxReconsumeTimes, I32, maxReconsumeTimes, has_maxReconsumeTimes),
    PROTO_FIELD_OPT(T, batch, B, batch, has_batch),
    PROTO_FIELD(T, bname, S, brokerName, false),
};
PROTO_HEADER_DEFINE(send_message_request_header)

static const proto_field_t send_message_request_header_v2_fields[] = {
    PROTO_FIELD(T, a, S, producerGroup, false), /* see send_header.h */
    PROTO_FIELD(T, b, S, topic, true),
    PROTO_FIELD(T, c, S, defaultTopic, true),
    PROTO_FIELD(T, d, I32, defaultTopicQueueNums, true),
    PROTO_FIELD(T, e, I32, queueId, true),
    PROTO_FIELD(T, f, I32, sysFlag, true),
    PROTO_FIELD(T, g, I64, bornTimestamp, true),
    PROTO_FIELD(T, h, I32, flag, true),
    PROTO_FIELD(T, i, S, properties, false),
    PROTO_FIELD_OPT(T, j, I32, reconsumeTimes, has_reconsumeTimes),
    PROTO_FIELD_OPT(T, k, B, unitMode, has_unitMode),
    PROTO_FIELD_OPT(T, l, I32, maxReconsumeTimes, has_maxReconsumeTimes),
    PROTO_FIELD_OPT(T, m, B, batch, has_batch),
    PROTO_FIELD(T, n, S, brokerName, false),
};
PROTO_HEADER_DEFINE(send_message_request_header_v2)
#undef T

int proto_send_message_request_header_decode_any(const remoting_cmd_t *cmd,
                                                 proto_send_message_request_header_t *hdr,
                                                 const char **bad_field) {
    switch (cmd->code) {
    case PROTO_SEND_MESSAGE_V2:
    case PROTO_SEND_BATCH_MESSAGE:
    case PROTO_SEND_REPLY_MESSAGE_V2:
        return proto_send_message_request_header_v2_decode(cmd, hdr, bad_field);
    default:
        return proto_send_message_request_header_decode(cmd, hdr, bad_field);
    }
}

#define T proto_send_message_response_header_t
static const proto_field_t send_message_response_header_fields[] = {
    PROTO_FIELD(T, msgId, S, msgId, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD(T, queueOffset, I64, queueOffset, true),
    PROTO_FIELD(T, transactionId, S, transactionId, false),
    PROTO_FIELD(T, batchUniqId, S, batchUniqId, false),
    PROTO_FIELD(T, recallHandle, S, recallHandle, false),
};
#undef T
PROTO_HEADER_DEFINE(send_message_response_header)
