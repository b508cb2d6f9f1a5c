/*
 * Route table, readers: route data for GET_ROUTEINFO_BY_TOPIC (the hot path), cluster
 * info, topic lists and broker member groups, rendered straight from the tables into the
 * response body under the read lock, without copying the tables.
 *
 * Order of entries follows Java's hash iteration order where upstream iterates a
 * HashMap (body.h), so our bodies match the Java NameServer's byte for byte in the
 * usual cases.
 *
 * Runs on: I/O loops. Locks: route->lock (read).
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "protocol/codes.h"

#include <string.h>

/* Keys of a map in the order a Java HashMap would iterate them. */
static const char **ordered_keys(const rmq_map_t *m, size_t *n) {
    const char **sorted = rmq_map_keys_sorted(m);
    *n = rmq_map_count(m);
    size_t *order = rmq_malloc((*n + 1) * sizeof *order);
    proto_java_hash_order(sorted, *n, order);
    const char **keys = rmq_malloc((*n + 1) * sizeof *keys);
    for (size_t i = 0; i < *n; i++)
        keys[i] = sorted[order[i]];
    rmq_free(order);
    rmq_free(sorted);
    return keys;
}

/* Acting master (supportActingMaster): a group without id 0 whose queues lost write
 * permission shows its lowest-id slave as id 0. bd is a shallow copy; addrs is replaced
 * by a private array the caller frees. */
static void present_acting_master(proto_broker_data_t *bd, const proto_queue_data_t *qd) {
    proto_broker_addr_t *addrs = rmq_malloc((bd->addr_count + 1) * sizeof *addrs);
    memcpy(addrs, bd->addrs, bd->addr_count * sizeof *addrs);
    bd->addrs = addrs;
    if (bd->addr_count == 0 || addrs[0].id == PROTO_MASTER_ID || !bd->enableActingMaster || !qd ||
        (qd->perm & PROTO_PERM_WRITE))
        return;
    addrs[0].id = PROTO_MASTER_ID; /* still first: ids are sorted and 0 is the smallest */
}

static bool is_sync_member_group_topic(const char *topic) {
    return strncmp(topic, "rmq_sys_SYNC_BROKER_MEMBER_", 27) == 0;
}

bool namesrv_route_render_topic(namesrv_t *ns, const char *topic, const char *order_conf,
                                proto_json_mode_t mode, rmq_buf_t *out) {
    bool acting = namesrv_flags(ns).supportActingMaster && !is_sync_member_group_topic(topic);
    namesrv_route_t *rt = &ns->route;
    pthread_rwlock_rdlock(&rt->lock);
    rmq_map_t *qmap = rmq_map_get(&rt->topics, topic);
    bool found = false;
    if (qmap) {
        size_t n;
        const char **names = ordered_keys(qmap, &n);
        proto_topic_route_data_t rd = {.orderTopicConf = (char *)order_conf};
        rd.queueDatas = rmq_malloc((n + 1) * sizeof *rd.queueDatas);
        rd.brokerDatas = rmq_malloc((n + 1) * sizeof *rd.brokerDatas);
        for (size_t i = 0; i < n; i++) {
            const proto_queue_data_t *qd = rmq_map_get(qmap, names[i]);
            rd.queueDatas[rd.queue_count++] = *qd;
            const proto_broker_data_t *bd = rmq_map_get(&rt->brokers, names[i]);
            if (!bd)
                continue;
            rd.brokerDatas[rd.broker_count] = *bd;
            if (acting)
                present_acting_master(&rd.brokerDatas[rd.broker_count], qd);
            rd.broker_count++;
        }
        found = rd.broker_count > 0 && rd.queue_count > 0;
        rmq_map_t *mm = rmq_map_get(&rt->mappings, topic);
        if (mm) {
            rd.has_mapping = true;
            rd.mappings = rmq_malloc((rmq_map_count(mm) + 1) * sizeof *rd.mappings);
            rmq_map_entry_t *e;
            for (size_t it = 0; rmq_map_next(mm, &it, &e);)
                rd.mappings[rd.mapping_count++] = *(proto_topic_queue_mapping_info_t *)e->value;
        }
        if (found)
            proto_topic_route_data_encode(&rd, mode, out);
        if (acting)
            for (size_t i = 0; i < rd.broker_count; i++)
                rmq_free(rd.brokerDatas[i].addrs);
        rmq_free(rd.mappings);
        rmq_free(rd.queueDatas);
        rmq_free(rd.brokerDatas);
        rmq_free(names);
    }
    pthread_rwlock_unlock(&rt->lock);
    return found;
}

void namesrv_route_render_cluster_info(namesrv_t *ns, rmq_buf_t *out) {
    namesrv_route_t *rt = &ns->route;
    pthread_rwlock_rdlock(&rt->lock);
    proto_cluster_info_t ci = {0};
    ci.brokers = rmq_malloc((rmq_map_count(&rt->brokers) + 1) * sizeof *ci.brokers);
    ci.clusters = rmq_malloc((rmq_map_count(&rt->clusters) + 1) * sizeof *ci.clusters);
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->brokers, &it, &e);)
        ci.brokers[ci.broker_count++] = *(proto_broker_data_t *)e->value;
    for (size_t it = 0; rmq_map_next(&rt->clusters, &it, &e);) {
        ci.clusters[ci.cluster_count].name = e->key;
        ci.clusters[ci.cluster_count].brokerNames = *(proto_strs_t *)e->value;
        ci.cluster_count++;
    }
    proto_cluster_info_encode(&ci, out);
    pthread_rwlock_unlock(&rt->lock);
    rmq_free(ci.brokers);
    rmq_free(ci.clusters);
}

/* Renders a TopicList of borrowed names (valid under the lock). */
static void render_topic_list(proto_strs_t *names, const char *broker_addr, rmq_buf_t *out) {
    proto_topic_list_t tl = {.topicList = *names, .brokerAddr = (char *)broker_addr};
    proto_topic_list_encode(&tl, out);
    rmq_free(names->items);
}

static void add_borrowed(proto_strs_t *l, const char *s) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = rmq_realloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = (char *)s;
}

static bool matches(namesrv_topic_filter_t filter, const rmq_map_t *qmap) {
    if (filter == NAMESRV_TOPICS_ALL)
        return true;
    /* Upstream looks at the flag of the first queue data it iterates. */
    size_t it = 0;
    rmq_map_entry_t *e;
    if (!rmq_map_next(qmap, &it, &e))
        return false;
    int32_t flag = ((const proto_queue_data_t *)e->value)->topicSysFlag;
    bool unit = flag & PROTO_TOPIC_FLAG_UNIT, sub = flag & PROTO_TOPIC_FLAG_UNIT_SUB;
    switch (filter) {
    case NAMESRV_TOPICS_UNIT:
        return unit;
    case NAMESRV_TOPICS_UNIT_SUB:
        return sub;
    case NAMESRV_TOPICS_UNIT_SUB_NOT_UNIT:
        return sub && !unit;
    default:
        return true;
    }
}

void namesrv_route_render_topics(namesrv_t *ns, namesrv_topic_filter_t filter, rmq_buf_t *out) {
    namesrv_route_t *rt = &ns->route;
    proto_strs_t names = {0};
    pthread_rwlock_rdlock(&rt->lock);
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->topics, &it, &e);)
        if (matches(filter, e->value))
            add_borrowed(&names, e->key);
    render_topic_list(&names, NULL, out);
    pthread_rwlock_unlock(&rt->lock);
}

void namesrv_route_render_cluster_topics(namesrv_t *ns, const char *cluster, rmq_buf_t *out) {
    namesrv_route_t *rt = &ns->route;
    proto_strs_t names = {0};
    pthread_rwlock_rdlock(&rt->lock);
    const proto_strs_t *brokers = rmq_map_get(&rt->clusters, cluster);
    rmq_map_entry_t *e;
    for (size_t it = 0; brokers && rmq_map_next(&rt->topics, &it, &e);) {
        for (size_t i = 0; i < brokers->count; i++) {
            if (rmq_map_has(e->value, brokers->items[i])) {
                add_borrowed(&names, e->key);
                break;
            }
        }
    }
    render_topic_list(&names, NULL, out);
    pthread_rwlock_unlock(&rt->lock);
}

void namesrv_route_render_system_topics(namesrv_t *ns, rmq_buf_t *out) {
    namesrv_route_t *rt = &ns->route;
    proto_strs_t names = {0};
    const char *addr = NULL;
    pthread_rwlock_rdlock(&rt->lock);
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->clusters, &it, &e);) {
        const proto_strs_t *brokers = e->value;
        if (!proto_strs_has(&names, e->key))
            add_borrowed(&names, e->key);
        for (size_t i = 0; i < brokers->count; i++)
            if (!proto_strs_has(&names, brokers->items[i]))
                add_borrowed(&names, brokers->items[i]);
    }
    for (size_t it = 0; !addr && rmq_map_next(&rt->brokers, &it, &e);) {
        const proto_broker_data_t *bd = e->value;
        if (bd->addr_count)
            addr = bd->addrs[0].addr;
    }
    render_topic_list(&names, addr, out);
    pthread_rwlock_unlock(&rt->lock);
}

void namesrv_route_render_member_group(namesrv_t *ns, const char *cluster, const char *name,
                                       rmq_buf_t *out) {
    namesrv_route_t *rt = &ns->route;
    pthread_rwlock_rdlock(&rt->lock);
    const proto_broker_data_t *bd = rmq_map_get(&rt->brokers, name);
    proto_broker_member_group_t g = {
        .cluster = (char *)cluster,
        .brokerName = (char *)name,
        .addrs = bd ? bd->addrs : NULL,
        .addr_count = bd ? bd->addr_count : 0,
    };
    proto_broker_member_group_encode(&g, out);
    pthread_rwlock_unlock(&rt->lock);
}
