/* Field tables of the administration headers; see admin_header.h. */
#include "protocol/admin_header.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64
#define B   PROTO_FIELD_BOOL

#define T proto_create_topic_request_header_t
static const proto_field_t create_topic_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, defaultTopic, S, defaultTopic, false),
    PROTO_FIELD(T, readQueueNums, I32, readQueueNums, true),
    PROTO_FIELD(T, writeQueueNums, I32, writeQueueNums, true),
    PROTO_FIELD(T, perm, I32, perm, true),
    PROTO_FIELD(T, topicFilterType, S, topicFilterType, false),
    PROTO_FIELD_OPT(T, topicSysFlag, I32, topicSysFlag, has_topicSysFlag),
    PROTO_FIELD_OPT(T, order, B, order, has_order),
    PROTO_FIELD(T, attributes, S, attributes, false),
    PROTO_FIELD_OPT(T, force, B, force, has_force),
};
#undef T
PROTO_HEADER_DEFINE(create_topic_request_header)

#define T proto_topic_request_header_t
static const proto_field_t topic_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
};
#undef T
PROTO_HEADER_DEFINE(topic_request_header)

#define T proto_delete_sub_group_request_header_t
static const proto_field_t delete_sub_group_request_header_fields[] = {
    PROTO_FIELD(T, groupName, S, groupName, true),
    PROTO_FIELD_OPT(T, cleanOffset, B, cleanOffset, has_cleanOffset),
};
#undef T
PROTO_HEADER_DEFINE(delete_sub_group_request_header)

#define T proto_get_consume_stats_request_header_t
static const proto_field_t get_consume_stats_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, topic, S, topic, false),
    PROTO_FIELD(T, topicList, S, topicList, false),
};
#undef T
PROTO_HEADER_DEFINE(get_consume_stats_request_header)

#define T proto_producer_group_header_t
static const proto_field_t producer_group_header_fields[] = {
    PROTO_FIELD(T, producerGroup, S, producerGroup, true),
};
#undef T
PROTO_HEADER_DEFINE(producer_group_header)

#define T proto_consumer_running_info_request_header_t
static const proto_field_t consumer_running_info_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, clientId, S, clientId, true),
    PROTO_FIELD_OPT(T, jstackEnable, B, jstackEnable, has_jstackEnable),
};
#undef T
PROTO_HEADER_DEFINE(consumer_running_info_request_header)

#define T proto_reset_offset_request_header_t
static const proto_field_t reset_offset_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, group, S, group, true),
    PROTO_FIELD_OPT(T, queueId, I32, queueId, has_queueId),
    PROTO_FIELD_OPT(T, offset, I64, offset, has_offset),
    PROTO_FIELD(T, timestamp, I64, timestamp, true),
    PROTO_FIELD_OPT(T, isForce, B, isForce, has_isForce),
};
#undef T
PROTO_HEADER_DEFINE(reset_offset_request_header)

#define T proto_clone_group_offset_request_header_t
static const proto_field_t clone_group_offset_request_header_fields[] = {
    PROTO_FIELD(T, srcGroup, S, srcGroup, true),
    PROTO_FIELD(T, destGroup, S, destGroup, true),
    PROTO_FIELD(T, topic, S, topic, false),
    PROTO_FIELD_OPT(T, offline, B, offline, has_offline),
};
#undef T
PROTO_HEADER_DEFINE(clone_group_offset_request_header)

#define T proto_view_broker_stats_request_header_t
static const proto_field_t view_broker_stats_request_header_fields[] = {
    PROTO_FIELD(T, statsName, S, statsName, true),
    PROTO_FIELD(T, statsKey, S, statsKey, true),
};
#undef T
PROTO_HEADER_DEFINE(view_broker_stats_request_header)

#define T proto_consume_stats_in_broker_header_t
static const proto_field_t consume_stats_in_broker_header_fields[] = {
    PROTO_FIELD_OPT(T, isOrder, B, isOrder, has_isOrder),
};
#undef T
PROTO_HEADER_DEFINE(consume_stats_in_broker_header)

#define T proto_query_consume_queue_request_header_t
static const proto_field_t query_consume_queue_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, false),
    PROTO_FIELD_OPT(T, queueId, I32, queueId, has_queueId),
    PROTO_FIELD_OPT(T, index, I64, index, has_index),
    PROTO_FIELD_OPT(T, count, I32, count, has_count),
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, false),
};
#undef T
PROTO_HEADER_DEFINE(query_consume_queue_request_header)

#define T proto_group_topic_request_header_t
static const proto_field_t group_topic_request_header_fields[] = {
    PROTO_FIELD(T, group, S, group, true),
    PROTO_FIELD(T, topic, S, topic, false),
};
#undef T
PROTO_HEADER_DEFINE(group_topic_request_header)

#define T proto_consumer_status_request_header_t
static const proto_field_t consumer_status_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, group, S, group, true),
    PROTO_FIELD(T, clientAddr, S, clientAddr, false),
};
#undef T
PROTO_HEADER_DEFINE(consumer_status_request_header)

#define T proto_consume_directly_request_header_t
static const proto_field_t consume_directly_request_header_fields[] = {
    PROTO_FIELD(T, consumerGroup, S, consumerGroup, true),
    PROTO_FIELD(T, clientId, S, clientId, false),
    PROTO_FIELD(T, msgId, S, msgId, false),
    PROTO_FIELD(T, brokerName, S, brokerName, false),
    PROTO_FIELD(T, topic, S, topic, false),
};
#undef T
PROTO_HEADER_DEFINE(consume_directly_request_header)
