/*
 * PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) headers (spec remoting.md 5.3.1) and the
 * PullSysFlag bits. Decoded strings are borrowed from the command.
 */
#ifndef RMQ_PROTOCOL_PULL_HEADER_H
#define RMQ_PROTOCOL_PULL_HEADER_H

#include "protocol/header.h"

#define PROTO_PULL_FLAG_COMMIT_OFFSET 0x1
#define PROTO_PULL_FLAG_SUSPEND       0x2
#define PROTO_PULL_FLAG_SUBSCRIPTION  0x4
#define PROTO_PULL_FLAG_CLASS_FILTER  0x8
#define PROTO_PULL_FLAG_LITE_PULL     0x10

typedef struct {
    const char *consumerGroup, *topic;
    int32_t queueId;
    int64_t queueOffset;
    int32_t maxMsgNums, sysFlag;
    int64_t commitOffset, suspendTimeoutMillis;
    const char *subscription;
    int64_t subVersion;
    const char *expressionType;
    int32_t maxMsgBytes, requestSource;
    bool has_maxMsgBytes, has_requestSource;
    const char *proxyFrowardClientId, *brokerName;
} proto_pull_message_request_header_t;
PROTO_HEADER_DECLARE(pull_message_request_header);

typedef struct {
    int64_t suggestWhichBrokerId, nextBeginOffset, minOffset, maxOffset;
    int64_t offsetDelta;
    int32_t topicSysFlag, groupSysFlag, forbiddenType;
    bool has_offsetDelta, has_topicSysFlag, has_groupSysFlag, has_forbiddenType;
} proto_pull_message_response_header_t;
PROTO_HEADER_DECLARE(pull_message_response_header);

#endif
