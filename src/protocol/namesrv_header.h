/*
 * Custom headers of every request the NameServer serves and of its responses (spec
 * remoting.md 5.1), upstream package remoting.protocol.header.namesrv. Struct members
 * keep the Java field names in snake case; the ext-field keys are the Java names.
 *
 * Decoded strings are borrowed from the command. Initialise a struct to {0} (plus any
 * Java field default noted below) before decoding or encoding.
 */
#ifndef RMQ_PROTOCOL_NAMESRV_HEADER_H
#define RMQ_PROTOCOL_NAMESRV_HEADER_H

#include "protocol/header.h"

/* PUT_KV_CONFIG (100): namespace, key, value. */
typedef struct {
    const char *namespace_, *key, *value;
} proto_put_kv_config_request_header_t;
PROTO_HEADER_DECLARE(put_kv_config_request_header);

/* GET_KV_CONFIG (101), DELETE_KV_CONFIG (102): namespace, key. */
typedef struct {
    const char *namespace_, *key;
} proto_kv_config_request_header_t;
PROTO_HEADER_DECLARE(kv_config_request_header);

/* GET_KV_CONFIG response: value. */
typedef struct {
    const char *value;
} proto_get_kv_config_response_header_t;
PROTO_HEADER_DECLARE(get_kv_config_response_header);

/* GET_KVLIST_BY_NAMESPACE (219): namespace. */
typedef struct {
    const char *namespace_;
} proto_get_kvlist_by_namespace_request_header_t;
PROTO_HEADER_DECLARE(get_kvlist_by_namespace_request_header);

/* REGISTER_BROKER (103). */
typedef struct {
    const char *brokerName, *brokerAddr, *clusterName, *haServerAddr;
    int64_t brokerId;
    int64_t heartbeatTimeoutMillis;
    bool has_heartbeatTimeoutMillis;
    bool enableActingMaster;
    bool has_enableActingMaster; /* absent = an old broker */
    bool compressed;
    int32_t bodyCrc32;
} proto_register_broker_request_header_t;
PROTO_HEADER_DECLARE(register_broker_request_header);

/* REGISTER_BROKER response: haServerAddr, masterAddr (both optional). */
typedef struct {
    const char *haServerAddr, *masterAddr;
} proto_register_broker_response_header_t;
PROTO_HEADER_DECLARE(register_broker_response_header);

/* UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322): the broker's identity. */
typedef struct {
    const char *brokerName, *brokerAddr, *clusterName;
    int64_t brokerId;
} proto_broker_identity_header_t;
PROTO_HEADER_DECLARE(broker_identity_header);

/* QUERY_DATA_VERSION response: changed. */
typedef struct {
    bool changed;
    bool has_changed;
} proto_query_data_version_response_header_t;
PROTO_HEADER_DECLARE(query_data_version_response_header);

/* BROKER_HEARTBEAT (904). Note the upstream spelling heartbeatTimeoutMills. */
typedef struct {
    const char *clusterName, *brokerAddr, *brokerName;
    int64_t brokerId, maxOffset, confirmOffset, heartbeatTimeoutMills;
    int32_t epoch, electionPriority;
    bool has_brokerId, has_maxOffset, has_confirmOffset, has_heartbeatTimeoutMills, has_epoch,
        has_electionPriority;
} proto_broker_heartbeat_request_header_t;
PROTO_HEADER_DECLARE(broker_heartbeat_request_header);

/* GET_ROUTEINFO_BY_TOPIC (105). */
typedef struct {
    const char *topic;
    bool acceptStandardJsonOnly;
    bool has_acceptStandardJsonOnly;
} proto_get_route_info_request_header_t;
PROTO_HEADER_DECLARE(get_route_info_request_header);

/* WIPE_WRITE_PERM_OF_BROKER (205), ADD_WRITE_PERM_OF_BROKER (327): brokerName. */
typedef struct {
    const char *brokerName;
} proto_write_perm_of_broker_request_header_t;
PROTO_HEADER_DECLARE(write_perm_of_broker_request_header);

/* WIPE_WRITE_PERM_OF_BROKER response: wipeTopicCount. */
typedef struct {
    int32_t wipeTopicCount;
} proto_wipe_write_perm_of_broker_response_header_t;
PROTO_HEADER_DECLARE(wipe_write_perm_of_broker_response_header);

/* ADD_WRITE_PERM_OF_BROKER response: addTopicCount. */
typedef struct {
    int32_t addTopicCount;
} proto_add_write_perm_of_broker_response_header_t;
PROTO_HEADER_DECLARE(add_write_perm_of_broker_response_header);

/* DELETE_TOPIC_IN_NAMESRV (216): topic, optional clusterName. */
typedef struct {
    const char *topic, *clusterName;
} proto_delete_topic_from_namesrv_request_header_t;
PROTO_HEADER_DECLARE(delete_topic_from_namesrv_request_header);

/* REGISTER_TOPIC_IN_NAMESRV (217): topic. */
typedef struct {
    const char *topic;
} proto_register_topic_request_header_t;
PROTO_HEADER_DECLARE(register_topic_request_header);

/* GET_TOPICS_BY_CLUSTER (224): cluster. */
typedef struct {
    const char *cluster;
} proto_get_topics_by_cluster_request_header_t;
PROTO_HEADER_DECLARE(get_topics_by_cluster_request_header);

/* GET_BROKER_MEMBER_GROUP (901): clusterName, brokerName. */
typedef struct {
    const char *clusterName, *brokerName;
} proto_get_broker_member_group_request_header_t;
PROTO_HEADER_DECLARE(get_broker_member_group_request_header);

/* NOTIFY_MIN_BROKER_ID_CHANGE (905, NameServer -> broker). */
typedef struct {
    int64_t minBrokerId;
    bool has_minBrokerId;
    const char *brokerName, *minBrokerAddr, *offlineBrokerAddr, *haBrokerAddr;
} proto_notify_min_broker_id_change_request_header_t;
PROTO_HEADER_DECLARE(notify_min_broker_id_change_request_header);

#endif
