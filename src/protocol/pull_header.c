/* Field tables of the pull headers; see pull_header.h. */
#include "protocol/pull_header.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64

#define T proto_pull_message_request_header_t
static const proto_field_t pull_message_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, queueId, I32, queueId, true),
    PROTO_FIELD(T, queueOffset, I64, queueOffset, true),
    PROTO_FIELD(T, maxMsgNums, I32, maxMsgNums, true),
    PROTO_FIELD(T, sysFlag, I32, sysFlag, true),
    PROTO_FIELD(T, commitOffset, I64, commitOffset, true),
    PROTO_FIELD(T, suspendTimeoutMillis, I64, suspendTimeoutMillis, true),
    PROTO_FIELD(T, subscription, S, subscription, false),
    PROTO_FIELD(T, subVersion, I64, subVersion, true),
    PROTO_FIELD(T, expressionType, S, expressionType, false),
    PROTO_FIELD_OPT(T, maxMsgBytes, I32, maxMsgBytes, has_maxMsgBytes),
    PROTO_FIELD_OPT(T, requestSource, I32, requestSource, has_requestSource),
    PROTO_FIELD(T, proxyFrowardClientId, S, proxyFrowardClientId, false),
    PROTO_FIELD(T, bname, S, brokerName, false),
};
#undef T
PROTO_HEADER_DEFINE(pull_message_request_header)

#define T proto_pull_message_response_header_t
static const proto_field_t pull_message_response_header_fields[] = {
    PROTO_FIELD(T, suggestWhichBrokerId, I64, suggestWhichBrokerId, true),
    PROTO_FIELD(T, nextBeginOffset, I64, nextBeginOffset, true),
    PROTO_FIELD(T, minOffset, I64, minOffset, true),
    PROTO_FIELD(T, maxOffset, I64, maxOffset, true),
    PROTO_FIELD_OPT(T, offsetDelta, I64, offsetDelta, has_offsetDelta),
    PROTO_FIELD_OPT(T, topicSysFlag, I32, topicSysFlag, has_topicSysFlag),
    PROTO_FIELD_OPT(T, groupSysFlag, I32, groupSysFlag, has_groupSysFlag),
    PROTO_FIELD_OPT(T, forbiddenType, I32, forbiddenType, has_forbiddenType),
};
#undef T
PROTO_HEADER_DEFINE(pull_message_response_header)
