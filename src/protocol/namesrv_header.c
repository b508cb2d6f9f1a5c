/*
 * Field tables of the NameServer headers; see namesrv_header.h. "Required" mirrors
 * upstream's @CFNotNull annotations.
 */
#include "protocol/namesrv_header.h"

#define S   PROTO_FIELD_STR
#define I32 PROTO_FIELD_I32
#define I64 PROTO_FIELD_I64
#define B   PROTO_FIELD_BOOL

/* The processor checks namespace and key itself, to answer with Java's own remark. */
#define T proto_put_kv_config_request_header_t
static const proto_field_t put_kv_config_request_header_fields[] = {
    PROTO_FIELD(T, namespace, S, namespace_, false),
    PROTO_FIELD(T, key, S, key, false),
    PROTO_FIELD(T, value, S, value, false),
};
#undef T
PROTO_HEADER_DEFINE(put_kv_config_request_header)

#define T proto_kv_config_request_header_t
static const proto_field_t kv_config_request_header_fields[] = {
    PROTO_FIELD(T, namespace, S, namespace_, true),
    PROTO_FIELD(T, key, S, key, true),
};
#undef T
PROTO_HEADER_DEFINE(kv_config_request_header)

#define T proto_get_kv_config_response_header_t
static const proto_field_t get_kv_config_response_header_fields[] = {
    PROTO_FIELD(T, value, S, value, false),
};
#undef T
PROTO_HEADER_DEFINE(get_kv_config_response_header)

#define T proto_get_kvlist_by_namespace_request_header_t
static const proto_field_t get_kvlist_by_namespace_request_header_fields[] = {
    PROTO_FIELD(T, namespace, S, namespace_, true),
};
#undef T
PROTO_HEADER_DEFINE(get_kvlist_by_namespace_request_header)

#define T proto_register_broker_request_header_t
static const proto_field_t register_broker_request_header_fields[] = {
    PROTO_FIELD(T, brokerName, S, brokerName, true),
    PROTO_FIELD(T, brokerAddr, S, brokerAddr, true),
    PROTO_FIELD(T, clusterName, S, clusterName, true),
    PROTO_FIELD(T, haServerAddr, S, haServerAddr, true),
    PROTO_FIELD(T, brokerId, I64, brokerId, true),
    PROTO_FIELD_OPT(T, heartbeatTimeoutMillis, I64, heartbeatTimeoutMillis,
                    has_heartbeatTimeoutMillis),
    PROTO_FIELD_OPT(T, enableActingMaster, B, enableActingMaster, has_enableActingMaster),
    PROTO_FIELD(T, compressed, B, compressed, false),
    PROTO_FIELD(T, bodyCrc32, I32, bodyCrc32, false),
};
#undef T
PROTO_HEADER_DEFINE(register_broker_request_header)

#define T proto_register_broker_response_header_t
static const proto_field_t register_broker_response_header_fields[] = {
    PROTO_FIELD(T, haServerAddr, S, haServerAddr, false),
    PROTO_FIELD(T, masterAddr, S, masterAddr, false),
};
#undef T
PROTO_HEADER_DEFINE(register_broker_response_header)

#define T proto_broker_identity_header_t
static const proto_field_t broker_identity_header_fields[] = {
    PROTO_FIELD(T, brokerName, S, brokerName, true),
    PROTO_FIELD(T, brokerAddr, S, brokerAddr, true),
    PROTO_FIELD(T, clusterName, S, clusterName, true),
    PROTO_FIELD(T, brokerId, I64, brokerId, true),
};
#undef T
PROTO_HEADER_DEFINE(broker_identity_header)

#define T proto_query_data_version_response_header_t
static const proto_field_t query_data_version_response_header_fields[] = {
    PROTO_FIELD_OPT(T, changed, B, changed, has_changed),
};
#undef T
PROTO_HEADER_DEFINE(query_data_version_response_header)

#define T proto_broker_heartbeat_request_header_t
static const proto_field_t broker_heartbeat_request_header_fields[] = {
    PROTO_FIELD(T, clusterName, S, clusterName, true),
    PROTO_FIELD(T, brokerAddr, S, brokerAddr, true),
    PROTO_FIELD(T, brokerName, S, brokerName, true),
    PROTO_FIELD_OPT(T, brokerId, I64, brokerId, has_brokerId),
    PROTO_FIELD_OPT(T, epoch, I32, epoch, has_epoch),
    PROTO_FIELD_OPT(T, maxOffset, I64, maxOffset, has_maxOffset),
    PROTO_FIELD_OPT(T, confirmOffset, I64, confirmOffset, has_confirmOffset),
    PROTO_FIELD_OPT(T, heartbeatTimeoutMills, I64, heartbeatTimeoutMills,
                    has_heartbeatTimeoutMills),
    PROTO_FIELD_OPT(T, electionPriority, I32, electionPriority, has_electionPriority),
};
#undef T
PROTO_HEADER_DEFINE(broker_heartbeat_request_header)

#define T proto_get_route_info_request_header_t
static const proto_field_t get_route_info_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD_OPT(T, acceptStandardJsonOnly, B, acceptStandardJsonOnly,
                    has_acceptStandardJsonOnly),
};
#undef T
PROTO_HEADER_DEFINE(get_route_info_request_header)

#define T proto_write_perm_of_broker_request_header_t
static const proto_field_t write_perm_of_broker_request_header_fields[] = {
    PROTO_FIELD(T, brokerName, S, brokerName, true),
};
#undef T
PROTO_HEADER_DEFINE(write_perm_of_broker_request_header)

#define T proto_wipe_write_perm_of_broker_response_header_t
static const proto_field_t wipe_write_perm_of_broker_response_header_fields[] = {
    PROTO_FIELD(T, wipeTopicCount, I32, wipeTopicCount, true),
};
#undef T
PROTO_HEADER_DEFINE(wipe_write_perm_of_broker_response_header)

#define T proto_add_write_perm_of_broker_response_header_t
static const proto_field_t add_write_perm_of_broker_response_header_fields[] = {
    PROTO_FIELD(T, addTopicCount, I32, addTopicCount, true),
};
#undef T
PROTO_HEADER_DEFINE(add_write_perm_of_broker_response_header)

#define T proto_delete_topic_from_namesrv_request_header_t
static const proto_field_t delete_topic_from_namesrv_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
    PROTO_FIELD(T, clusterName, S, clusterName, false),
};
#undef T
PROTO_HEADER_DEFINE(delete_topic_from_namesrv_request_header)

#define T proto_register_topic_request_header_t
static const proto_field_t register_topic_request_header_fields[] = {
    PROTO_FIELD(T, topic, S, topic, true),
};
#undef T
PROTO_HEADER_DEFINE(register_topic_request_header)

#define T proto_get_topics_by_cluster_request_header_t
static const proto_field_t get_topics_by_cluster_request_header_fields[] = {
    PROTO_FIELD(T, cluster, S, cluster, true),
};
#undef T
PROTO_HEADER_DEFINE(get_topics_by_cluster_request_header)

#define T proto_get_broker_member_group_request_header_t
static const proto_field_t get_broker_member_group_request_header_fields[] = {
    PROTO_FIELD(T, clusterName, S, clusterName, true),
    PROTO_FIELD(T, brokerName, S, brokerName, true),
};
#undef T
PROTO_HEADER_DEFINE(get_broker_member_group_request_header)

#define T proto_notify_min_broker_id_change_request_header_t
static const proto_field_t notify_min_broker_id_change_request_header_fields[] = {
    PROTO_FIELD_OPT(T, minBrokerId, I64, minBrokerId, has_minBrokerId),
    PROTO_FIELD(T, brokerName, S, brokerName, false),
    PROTO_FIELD(T, minBrokerAddr, S, minBrokerAddr, false),
    PROTO_FIELD(T, offlineBrokerAddr, S, offlineBrokerAddr, false),
    PROTO_FIELD(T, haBrokerAddr, S, haBrokerAddr, false),
};
#undef T
PROTO_HEADER_DEFINE(notify_min_broker_id_change_request_header)
