/*
 * ClusterInfo (GET_BROKER_CLUSTER_INFO, always the LEGACY rendering) and
 * BrokerMemberGroup (GET_BROKER_MEMBER_GROUP), spec remoting.md 5.1.6 and 5.1.9:
 *
 *   {"brokerAddrTable":{"broker-a":BrokerData},"clusterAddrTable":{"C":["broker-a"]}}
 *   {"brokerMemberGroup":{"brokerAddrs":{0:"ip:port"},"brokerName":"b","cluster":"C"}}
 *
 * As in route.h, an encoder's caller may fill the arrays with borrowed pointers.
 */
#ifndef RMQ_PROTOCOL_CLUSTER_INFO_H
#define RMQ_PROTOCOL_CLUSTER_INFO_H

#include "protocol/route.h"

typedef struct {
    char *name;
    proto_strs_t brokerNames;
} proto_cluster_t;

typedef struct {
    proto_broker_data_t *brokers; /* brokerAddrTable, keyed by brokerName */
    size_t broker_count;
    proto_cluster_t *clusters; /* clusterAddrTable */
    size_t cluster_count;
} proto_cluster_info_t;

void proto_cluster_info_encode(const proto_cluster_info_t *ci, rmq_buf_t *out);
int proto_cluster_info_decode(const char *data, size_t len, proto_cluster_info_t *ci);
void proto_cluster_info_close(proto_cluster_info_t *ci);

typedef struct {
    char *cluster, *brokerName;
    proto_broker_addr_t *addrs; /* sorted by id */
    size_t addr_count;
} proto_broker_member_group_t;

/* Encodes the GetBrokerMemberGroupResponseBody wrapper around the group. */
void proto_broker_member_group_encode(const proto_broker_member_group_t *g, rmq_buf_t *out);
int proto_broker_member_group_decode(const char *data, size_t len, proto_broker_member_group_t *g);
void proto_broker_member_group_close(proto_broker_member_group_t *g);

#endif
