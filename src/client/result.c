/*
 * Result objects of the admin API (rocketmq/admin.h): decoded protocol bodies behind
 * opaque handles with accessors. Each wraps the protocol layer's struct; borrowed
 * element handles (rmq_broker_data_t, rmq_queue_data_t) are pointers to the protocol
 * structs inside, which is why those wrapper structs hold nothing else.
 *
 * Accessors do not check their arguments beyond NULL handles (out-of-range indexes
 * return NULL or 0), so they never abort on caller mistakes.
 */
#include "client/client.h"
#include "client/result.h"

#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ broker data */

static const proto_broker_data_t *bd_of(const rmq_broker_data_t *bd) {
    return &bd->bd;
}

const char *rmq_broker_data_name(const rmq_broker_data_t *bd) {
    return bd ? bd_of(bd)->brokerName : NULL;
}

const char *rmq_broker_data_cluster(const rmq_broker_data_t *bd) {
    return bd ? bd_of(bd)->cluster : NULL;
}

const char *rmq_broker_data_zone(const rmq_broker_data_t *bd) {
    return bd ? bd_of(bd)->zoneName : NULL;
}

int rmq_broker_data_enable_acting_master(const rmq_broker_data_t *bd) {
    return bd ? bd_of(bd)->enableActingMaster : 0;
}

size_t rmq_broker_data_addr_count(const rmq_broker_data_t *bd) {
    return bd ? bd_of(bd)->addr_count : 0;
}

int64_t rmq_broker_data_addr_id(const rmq_broker_data_t *bd, size_t i) {
    return bd && i < bd_of(bd)->addr_count ? bd_of(bd)->addrs[i].id : -1;
}

const char *rmq_broker_data_addr(const rmq_broker_data_t *bd, size_t i) {
    return bd && i < bd_of(bd)->addr_count ? bd_of(bd)->addrs[i].addr : NULL;
}

const char *rmq_broker_data_addr_by_id(const rmq_broker_data_t *bd, int64_t id) {
    return bd ? proto_broker_data_addr(bd_of(bd), id) : NULL;
}

/* ------------------------------------------------------------------ cluster info */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

rmq_cluster_info_t *client_cluster_info_new(proto_cluster_info_t *ci) {
    rmq_cluster_info_t *out = RMQ_NEW(rmq_cluster_info_t);
    out->ci = *ci;
    memset(ci, 0, sizeof *ci);
    size_t n = out->ci.cluster_count;
    /* Java reads clusterAddrTable into a HashMap and mqadmin prints its key order; the
     * broker names go through a TreeSet. */
    const char **names = rmq_calloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        names[i] = out->ci.clusters[i].name;
        proto_strs_t *b = &out->ci.clusters[i].brokerNames;
        if (b->count > 1)
            qsort(b->items, b->count, sizeof(char *), cmp_str);
    }
    out->order = rmq_calloc(n ? n : 1, sizeof(size_t));
    proto_java_hash_order(names, n, out->order);
    rmq_free(names);
    return out;
}

size_t rmq_cluster_info_cluster_count(const rmq_cluster_info_t *ci) {
    return ci ? ci->ci.cluster_count : 0;
}

static const proto_cluster_t *cluster_at(const rmq_cluster_info_t *ci, size_t i) {
    return ci && i < ci->ci.cluster_count ? &ci->ci.clusters[ci->order[i]] : NULL;
}

const char *rmq_cluster_info_cluster_name(const rmq_cluster_info_t *ci, size_t i) {
    const proto_cluster_t *c = cluster_at(ci, i);
    return c ? c->name : NULL;
}

size_t rmq_cluster_info_cluster_broker_count(const rmq_cluster_info_t *ci, size_t i) {
    const proto_cluster_t *c = cluster_at(ci, i);
    return c ? c->brokerNames.count : 0;
}

const char *rmq_cluster_info_cluster_broker(const rmq_cluster_info_t *ci, size_t i, size_t j) {
    const proto_cluster_t *c = cluster_at(ci, i);
    return c && j < c->brokerNames.count ? c->brokerNames.items[j] : NULL;
}

size_t rmq_cluster_info_broker_count(const rmq_cluster_info_t *ci) {
    return ci ? ci->ci.broker_count : 0;
}

const rmq_broker_data_t *rmq_cluster_info_broker(const rmq_cluster_info_t *ci, size_t i) {
    if (!ci || i >= ci->ci.broker_count)
        return NULL;
    return (const rmq_broker_data_t *)&ci->ci.brokers[i];
}

const rmq_broker_data_t *rmq_cluster_info_find_broker(const rmq_cluster_info_t *ci,
                                                      const char *name) {
    if (!ci || !name)
        return NULL;
    for (size_t i = 0; i < ci->ci.broker_count; i++)
        if (ci->ci.brokers[i].brokerName && strcmp(ci->ci.brokers[i].brokerName, name) == 0)
            return (const rmq_broker_data_t *)&ci->ci.brokers[i];
    return NULL;
}

void rmq_cluster_info_destroy(rmq_cluster_info_t *ci) {
    if (!ci)
        return;
    proto_cluster_info_close(&ci->ci);
    rmq_free(ci->order);
    rmq_free(ci);
}

/* ------------------------------------------------------------------ route */

const char *rmq_queue_data_broker_name(const rmq_queue_data_t *qd) {
    return qd ? qd->qd.brokerName : NULL;
}

int rmq_queue_data_read_queue_nums(const rmq_queue_data_t *qd) {
    return qd ? qd->qd.readQueueNums : 0;
}

int rmq_queue_data_write_queue_nums(const rmq_queue_data_t *qd) {
    return qd ? qd->qd.writeQueueNums : 0;
}

int rmq_queue_data_perm(const rmq_queue_data_t *qd) {
    return qd ? qd->qd.perm : 0;
}

int rmq_queue_data_topic_sys_flag(const rmq_queue_data_t *qd) {
    return qd ? qd->qd.topicSysFlag : 0;
}

rmq_topic_route_t *client_topic_route_new(proto_topic_route_data_t *rd) {
    rmq_topic_route_t *out = RMQ_NEW(rmq_topic_route_t);
    out->rd = *rd;
    memset(rd, 0, sizeof *rd);
    return out;
}

size_t rmq_topic_route_queue_data_count(const rmq_topic_route_t *route) {
    return route ? route->rd.queue_count : 0;
}

const rmq_queue_data_t *rmq_topic_route_queue_data(const rmq_topic_route_t *route, size_t i) {
    if (!route || i >= route->rd.queue_count)
        return NULL;
    return (const rmq_queue_data_t *)&route->rd.queueDatas[i];
}

size_t rmq_topic_route_broker_count(const rmq_topic_route_t *route) {
    return route ? route->rd.broker_count : 0;
}

const rmq_broker_data_t *rmq_topic_route_broker(const rmq_topic_route_t *route, size_t i) {
    if (!route || i >= route->rd.broker_count)
        return NULL;
    return (const rmq_broker_data_t *)&route->rd.brokerDatas[i];
}

const char *rmq_topic_route_order_topic_conf(const rmq_topic_route_t *route) {
    return route ? route->rd.orderTopicConf : NULL;
}

char *rmq_topic_route_to_json(const rmq_topic_route_t *route, int flags) {
    if (!route)
        return NULL;
    rmq_buf_t compact;
    rmq_buf_init(&compact);
    proto_topic_route_data_encode(&route->rd, PROTO_JSON_LEGACY, &compact);
    if (!(flags & RMQ_JSON_PRETTY))
        return rmq_buf_steal(&compact, NULL);
    rmq_buf_t pretty;
    rmq_buf_init(&pretty);
    int rc = client_json_pretty(compact.data, compact.len, &pretty);
    rmq_buf_close(&compact);
    if (rc != 0) {
        rmq_buf_close(&pretty);
        return NULL;
    }
    return rmq_buf_steal(&pretty, NULL);
}

void rmq_topic_route_destroy(rmq_topic_route_t *route) {
    if (!route)
        return;
    proto_topic_route_data_close(&route->rd);
    rmq_free(route);
}

/* ------------------------------------------------------------------ lists */

size_t rmq_strlist_count(const rmq_strlist_t *l) {
    return l ? l->strs.count : 0;
}

const char *rmq_strlist_get(const rmq_strlist_t *l, size_t i) {
    return l && i < l->strs.count ? l->strs.items[i] : NULL;
}

void rmq_strlist_destroy(rmq_strlist_t *l) {
    if (!l)
        return;
    proto_strs_close(&l->strs);
    rmq_free(l);
}

rmq_kvlist_t *rmq_kvlist_new(void) {
    return RMQ_NEW(rmq_kvlist_t);
}

void rmq_kvlist_set(rmq_kvlist_t *l, const char *key, const char *value) {
    if (l && key && value)
        proto_kvs_put(&l->kvs, key, value);
}

size_t rmq_kvlist_count(const rmq_kvlist_t *l) {
    return l ? l->kvs.count : 0;
}

const char *rmq_kvlist_key(const rmq_kvlist_t *l, size_t i) {
    return l && i < l->kvs.count ? l->kvs.items[i].key : NULL;
}

const char *rmq_kvlist_value(const rmq_kvlist_t *l, size_t i) {
    return l && i < l->kvs.count ? l->kvs.items[i].value : NULL;
}

const char *rmq_kvlist_get(const rmq_kvlist_t *l, const char *key) {
    return l && key ? proto_kvs_get(&l->kvs, key) : NULL;
}

void rmq_kvlist_destroy(rmq_kvlist_t *l) {
    if (!l)
        return;
    proto_kvs_close(&l->kvs);
    rmq_free(l);
}
