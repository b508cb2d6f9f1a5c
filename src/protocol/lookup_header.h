/*
 * Headers of the consumer send-back and the message lookups (spec remoting.md 5.2.4,
 * 5.4): CONSUMER_SEND_MSG_BACK (36), QUERY_MESSAGE (12) request and response,
 * VIEW_MESSAGE_BY_ID (33). Decoded strings are borrowed from the command.
 */
#ifndef RMQ_PROTOCOL_LOOKUP_HEADER_H
#define RMQ_PROTOCOL_LOOKUP_HEADER_H

#include "protocol/header.h"

/* Ext field that marks a QUERY_MESSAGE by UNIQ_KEY (MixAll.UNIQUE_MSG_QUERY_FLAG). */
#define PROTO_UNIQUE_MSG_QUERY_FLAG "_UNIQUE_KEY_QUERY"

/* ConsumerSendMsgBackRequestHeader: offset is the commit-log offset of the message. */
typedef struct {
    int64_t offset;
    const char *group;
    int32_t delayLevel;
    const char *originMsgId, *originTopic;
    bool unitMode, has_unitMode;
    int32_t maxReconsumeTimes;
    bool has_maxReconsumeTimes;
} proto_consumer_send_msg_back_request_header_t;
PROTO_HEADER_DECLARE(consumer_send_msg_back_request_header);

/* QueryMessageRequestHeader. */
typedef struct {
    const char *topic, *key;
    int32_t maxNum;
    int64_t beginTimestamp, endTimestamp;
} proto_query_message_request_header_t;
PROTO_HEADER_DECLARE(query_message_request_header);

/* QueryMessageResponseHeader. */
typedef struct {
    int64_t indexLastUpdateTimestamp, indexLastUpdatePhyoffset;
} proto_query_message_response_header_t;
PROTO_HEADER_DECLARE(query_message_response_header);

/* ViewMessageRequestHeader: offset is a commit-log offset; topic is optional. */
typedef struct {
    const char *topic;
    int64_t offset;
} proto_view_message_request_header_t;
PROTO_HEADER_DECLARE(view_message_request_header);

#endif
