/*
 * Custom headers of the broker's administration requests (spec remoting.md 5.5):
 * UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215), DELETE_SUBSCRIPTIONGROUP
 * (207), GET_TOPIC_STATS_INFO (202), GET_CONSUME_STATS (208), GET_PRODUCER_CONNECTION_LIST
 * (204), GET_CONSUMER_RUNNING_INFO (307), INVOKE_BROKER_TO_RESET_OFFSET (222) and
 * RESET_CONSUMER_CLIENT_OFFSET (220), QUERY_TOPIC_CONSUME_BY_WHO (300), CLONE_GROUP_OFFSET
 * (314), VIEW_BROKER_STATS_DATA (315), GET_BROKER_CONSUME_STATS (317), QUERY_CONSUME_QUEUE
 * (321), QUERY_TOPICS_BY_CONSUMER (343), QUERY_SUBSCRIPTION_BY_CONSUMER (345),
 * INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223), CONSUME_MESSAGE_DIRECTLY (309). Decoded
 * strings are borrowed from the command.
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

/* CloneGroupOffsetRequestHeader. */
typedef struct {
    const char *srcGroup, *destGroup, *topic;
    bool offline, has_offline;
} proto_clone_group_offset_request_header_t;
PROTO_HEADER_DECLARE(clone_group_offset_request_header);

/* ViewBrokerStatsDataRequestHeader. */
typedef struct {
    const char *statsName, *statsKey;
} proto_view_broker_stats_request_header_t;
PROTO_HEADER_DECLARE(view_broker_stats_request_header);

/* GetConsumeStatsInBrokerHeader; the boolean's key is literally `isOrder`. */
typedef struct {
    bool isOrder, has_isOrder;
} proto_consume_stats_in_broker_header_t;
PROTO_HEADER_DECLARE(consume_stats_in_broker_header);

/* QueryConsumeQueueRequestHeader (all optional upstream; a missing number reads 0). */
typedef struct {
    const char *topic, *consumerGroup;
    int32_t queueId, count;
    int64_t index;
    bool has_queueId, has_count, has_index;
} proto_query_consume_queue_request_header_t;
PROTO_HEADER_DECLARE(query_consume_queue_request_header);

/* QueryTopicsByConsumerRequestHeader, QuerySubscriptionByConsumerRequestHeader. */
typedef struct {
    const char *group, *topic;
} proto_group_topic_request_header_t;
PROTO_HEADER_DECLARE(group_topic_request_header);

/* GetConsumerStatusRequestHeader (223 and the 221 sent on to the clients). */
typedef struct {
    const char *topic, *group, *clientAddr;
} proto_consumer_status_request_header_t;
PROTO_HEADER_DECLARE(consumer_status_request_header);

/* ConsumeMessageDirectlyResultRequestHeader. */
typedef struct {
    const char *consumerGroup, *clientId, *msgId, *brokerName, *topic;
} proto_consume_directly_request_header_t;
PROTO_HEADER_DECLARE(consume_directly_request_header);

#endif
