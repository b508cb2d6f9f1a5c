/*
 * Custom headers of the broker's administration requests (spec remoting.md 5.5):
 * UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215), DELETE_SUBSCRIPTIONGROUP
 * (207), GET_TOPIC_STATS_INFO (202), GET_CONSUME_STATS (208), GET_PRODUCER_CONNECTION_LIST
 * (204), GET_CONSUMER_RUNNING_INFO (307), INVOKE_BROKER_TO_RESET_OFFSET (222) and
 * RESET_CONSUMER_CLIENT_OFFSET (220), QUERY_TOPIC_CONSUME_BY_WHO (300). Decoded strings
 * are borrowed from the command.
 */
#ifndef RMQ_PROTOCOL_ADMIN_HEADER_H
#define RMQ_PROTOCOL_ADMIN_HEADER_H

#include "protocol/header.h"

/* CreateTopicRequestHeader. */
typedef struct {
    const char *topic, *defaultTopic, *topicFilterType, *attributes;
    int32_t readQueueNums, writeQueueNums, perm;
    int32_t topicSysFlag;
    bool has_topicSysFlag;
    bool order, has_order;
    bool force, has_force;
} proto_create_topic_request_header_t;
PROTO_HEADER_DECLARE(create_topic_request_header);

/* DeleteTopicRequestHeader, GetTopicStatsInfoRequestHeader,
 * QueryTopicConsumeByWhoRequestHeader: topic. */
typedef struct {
    const char *topic;
} proto_topic_request_header_t;
PROTO_HEADER_DECLARE(topic_request_header);

/* DeleteSubscriptionGroupRequestHeader. */
typedef struct {
    const char *groupName;
    bool cleanOffset, has_cleanOffset;
} proto_delete_sub_group_request_header_t;
PROTO_HEADER_DECLARE(delete_sub_group_request_header);

/* GetConsumeStatsRequestHeader: topicList is ';'-separated. */
typedef struct {
    const char *consumerGroup, *topic, *topicList;
} proto_get_consume_stats_request_header_t;
PROTO_HEADER_DECLARE(get_consume_stats_request_header);

/* GetProducerConnectionListRequestHeader. */
typedef struct {
    const char *producerGroup;
} proto_producer_group_header_t;
PROTO_HEADER_DECLARE(producer_group_header);

/* GetConsumerRunningInfoRequestHeader. */
typedef struct {
    const char *consumerGroup, *clientId;
    bool jstackEnable, has_jstackEnable;
} proto_consumer_running_info_request_header_t;
PROTO_HEADER_DECLARE(consumer_running_info_request_header);

/* ResetOffsetRequestHeader (222 and 220); the boolean's key is literally `isForce`. */
typedef struct {
    const char *topic, *group;
    int32_t queueId;
    bool has_queueId;
    int64_t offset;
    bool has_offset;
    int64_t timestamp;
    bool isForce, has_isForce;
} proto_reset_offset_request_header_t;
PROTO_HEADER_DECLARE(reset_offset_request_header);

#endif
