/*
 * Route data: what GET_ROUTEINFO_BY_TOPIC answers (spec remoting.md 5.1.5) and its parts,
 * which other bodies reuse (ClusterInfo, REGISTER_TOPIC_IN_NAMESRV, registrations).
 *
 *   TopicRouteData  {"brokerDatas":[BrokerData...],"filterServerTable":{},
 *                    "orderTopicConf":"a:4;b:4"?,"queueDatas":[QueueData...],
 *                    "topicQueueMappingByBroker":{bname: TopicQueueMappingInfo}?}
 *   BrokerData      {"brokerAddrs":{0:"ip:port",...},"brokerName":..,"cluster":..,
 *                    "enableActingMaster":false,"zoneName":..?}
 *   QueueData       {"brokerName":..,"perm":6,"readQueueNums":4,"topicSysFlag":0,
 *                    "writeQueueNums":4}
 *   TopicQueueMappingInfo {"bname":..,"currIdMap":{0:0},"dirty":false,"epoch":0,
 *                    "scope":..,"topic":..,"totalQueues":n}
 *
 * Integer-keyed maps are written with bare keys in the LEGACY rendering and quoted in the
 * STANDARD one (body.h); readers accept both. Arrays below are owned by the struct once
 * decoded; an encoder's caller may fill them with borrowed pointers and free only the
 * arrays (as the NameServer does to render its tables without copying strings).
 */
#ifndef RMQ_PROTOCOL_ROUTE_H
#define RMQ_PROTOCOL_ROUTE_H

#include "protocol/body.h"

typedef struct {
    char *brokerName;
    int32_t readQueueNums, writeQueueNums, perm, topicSysFlag;
} proto_queue_data_t;

typedef struct {
    int64_t id;
    char *addr;
} proto_broker_addr_t;

typedef struct {
    char *cluster, *brokerName, *zoneName; /* zoneName may be NULL */
    bool enableActingMaster;
    proto_broker_addr_t *addrs; /* sorted by id */
    size_t addr_count, addr_cap;
} proto_broker_data_t;

typedef struct {
    int32_t logicId, physicalId;
} proto_queue_id_pair_t;

typedef struct {
    char *topic, *scope, *bname;
    int32_t totalQueues;
    int64_t epoch;
    bool dirty;
    proto_queue_id_pair_t *currIdMap; /* sorted by logicId */
    size_t id_count;
} proto_topic_queue_mapping_info_t;

typedef struct {
    char *orderTopicConf; /* NULL = absent */
    proto_queue_data_t *queueDatas;
    size_t queue_count;
    proto_broker_data_t *brokerDatas;
    size_t broker_count;
    bool has_mapping; /* topicQueueMappingByBroker present (possibly empty) */
    proto_topic_queue_mapping_info_t *mappings; /* keyed by bname */
    size_t mapping_count;
} proto_topic_route_data_t;

/* QueueData */
void proto_queue_data_write(const proto_queue_data_t *qd, rmq_jw_t *w);
int proto_queue_data_read(const rmq_json_t *v, proto_queue_data_t *qd);
void proto_queue_data_close(proto_queue_data_t *qd);
static inline bool proto_queue_data_equal(const proto_queue_data_t *a,
                                          const proto_queue_data_t *b) {
    return a->readQueueNums == b->readQueueNums && a->writeQueueNums == b->writeQueueNums &&
           a->perm == b->perm && a->topicSysFlag == b->topicSysFlag;
}

/* BrokerData */
void proto_broker_data_init(proto_broker_data_t *bd, const char *cluster, const char *name);
void proto_broker_data_close(proto_broker_data_t *bd);
/* Address of `id`, or NULL. */
const char *proto_broker_data_addr(const proto_broker_data_t *bd, int64_t id);
/* Inserts or replaces; returns true when the id was new. */
bool proto_broker_data_put_addr(proto_broker_data_t *bd, int64_t id, const char *addr);
/* Removes `id`; returns true when it was there. */
bool proto_broker_data_del_addr(proto_broker_data_t *bd, int64_t id);
void proto_broker_data_write(const proto_broker_data_t *bd, rmq_jw_t *w, proto_json_mode_t mode);
/* Writes just the {id: addr} map. */
void proto_broker_addrs_write(const proto_broker_addr_t *addrs, size_t n, rmq_jw_t *w);
int proto_broker_addrs_read(const rmq_json_t *v, proto_broker_data_t *bd);
int proto_broker_data_read(const rmq_json_t *v, proto_broker_data_t *bd);

/* TopicQueueMappingInfo */
void proto_mapping_info_write(const proto_topic_queue_mapping_info_t *mi, rmq_jw_t *w,
                              proto_json_mode_t mode);
int proto_mapping_info_read(const rmq_json_t *v, proto_topic_queue_mapping_info_t *mi);
void proto_mapping_info_copy(proto_topic_queue_mapping_info_t *dst,
                             const proto_topic_queue_mapping_info_t *src);
void proto_mapping_info_close(proto_topic_queue_mapping_info_t *mi);

/* TopicRouteData */
void proto_topic_route_data_write(const proto_topic_route_data_t *rd, rmq_jw_t *w,
                                  proto_json_mode_t mode);
void proto_topic_route_data_encode(const proto_topic_route_data_t *rd, proto_json_mode_t mode,
                                   rmq_buf_t *out);
/* Decodes either rendering. Free with proto_topic_route_data_close. */
int proto_topic_route_data_decode(const char *data, size_t len, proto_topic_route_data_t *rd);
void proto_topic_route_data_close(proto_topic_route_data_t *rd);

#endif
