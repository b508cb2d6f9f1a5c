/* ClusterInfo and BrokerMemberGroup bodies; see cluster_info.h. */
#include "protocol/cluster_info.h"

#include "common/alloc.h"

#include <errno.h>
#include <string.h>

/* Upstream tables are ConcurrentHashMap(128) and ConcurrentHashMap(32): 256 and 64 slots. */
#define BROKER_TABLE_SLOTS  256
#define CLUSTER_TABLE_SLOTS 64

void proto_cluster_info_encode(const proto_cluster_info_t *ci, rmq_buf_t *out) {
    size_t n = ci->broker_count > ci->cluster_count ? ci->broker_count : ci->cluster_count;
    const char **keys = rmq_malloc((n + 1) * sizeof *keys);
    size_t *order = rmq_malloc((n + 1) * sizeof *order);
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);

    for (size_t i = 0; i < ci->broker_count; i++)
        keys[i] = ci->brokers[i].brokerName;
    proto_java_hash_order_cap(keys, ci->broker_count, BROKER_TABLE_SLOTS, order);
    rmq_jw_key(&w, "brokerAddrTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < ci->broker_count; i++) {
        rmq_jw_key(&w, keys[order[i]]);
        proto_broker_data_write(&ci->brokers[order[i]], &w, PROTO_JSON_LEGACY);
    }
    rmq_jw_obj_end(&w);

    for (size_t i = 0; i < ci->cluster_count; i++)
        keys[i] = ci->clusters[i].name;
    proto_java_hash_order_cap(keys, ci->cluster_count, CLUSTER_TABLE_SLOTS, order);
    rmq_jw_key(&w, "clusterAddrTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < ci->cluster_count; i++) {
        rmq_jw_key(&w, keys[order[i]]);
        proto_strs_write(&ci->clusters[order[i]].brokerNames, &w, true);
    }
    rmq_jw_obj_end(&w);

    rmq_jw_obj_end(&w);
    rmq_free(order);
    rmq_free(keys);
}

static int read_cluster_info(const rmq_json_t *root, proto_cluster_info_t *ci) {
    if (root->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    const rmq_json_t *bt = rmq_json_get(root, "brokerAddrTable");
    if (bt && bt->type == RMQ_JSON_OBJECT && bt->count) {
        ci->brokers = rmq_calloc(bt->count, sizeof *ci->brokers);
        for (const rmq_json_t *v = bt->child; v; v = v->next) {
            proto_broker_data_t *bd = &ci->brokers[ci->broker_count++];
            if (proto_broker_data_read(v, bd) != 0)
                return -EINVAL;
            /* The table is keyed by broker name; a value without one takes its key. */
            if (!bd->brokerName) {
                const char *key = rmq_json_scalar_text(v->key, NULL);
                bd->brokerName = rmq_strdup(key ? key : "");
            }
        }
    }
    const rmq_json_t *ct = rmq_json_get(root, "clusterAddrTable");
    if (ct && ct->type == RMQ_JSON_OBJECT && ct->count) {
        ci->clusters = rmq_calloc(ct->count, sizeof *ci->clusters);
        for (const rmq_json_t *v = ct->child; v; v = v->next) {
            const char *name = rmq_json_scalar_text(v->key, NULL);
            proto_cluster_t *c = &ci->clusters[ci->cluster_count++];
            c->name = rmq_strdup(name ? name : "");
            if (proto_strs_read(v, &c->brokerNames) != 0)
                return -EINVAL;
        }
    }
    return 0;
}

int proto_cluster_info_decode(const char *data, size_t len, proto_cluster_info_t *ci) {
    memset(ci, 0, sizeof *ci);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    int rc = read_cluster_info(rmq_json_root(doc), ci);
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_cluster_info_close(ci);
    return rc;
}

void proto_cluster_info_close(proto_cluster_info_t *ci) {
    for (size_t i = 0; i < ci->broker_count; i++)
        proto_broker_data_close(&ci->brokers[i]);
    rmq_free(ci->brokers);
    for (size_t i = 0; i < ci->cluster_count; i++) {
        rmq_free(ci->clusters[i].name);
        proto_strs_close(&ci->clusters[i].brokerNames);
    }
    rmq_free(ci->clusters);
    memset(ci, 0, sizeof *ci);
}

void proto_broker_member_group_encode(const proto_broker_member_group_t *g, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "brokerMemberGroup");
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "brokerAddrs");
    proto_broker_addrs_write(g->addrs, g->addr_count, &w);
    if (g->brokerName)
        rmq_jw_kv_str(&w, "brokerName", g->brokerName);
    if (g->cluster)
        rmq_jw_kv_str(&w, "cluster", g->cluster);
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

int proto_broker_member_group_decode(const char *data, size_t len, proto_broker_member_group_t *g) {
    memset(g, 0, sizeof *g);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    const rmq_json_t *m = rmq_json_get(root, "brokerMemberGroup");
    int rc = 0;
    if (m && m->type == RMQ_JSON_OBJECT) {
        /* Read through a BrokerData: same members, same key type. */
        proto_broker_data_t bd;
        rc = proto_broker_data_read(m, &bd);
        g->cluster = bd.cluster;
        g->brokerName = bd.brokerName;
        g->addrs = bd.addrs;
        g->addr_count = bd.addr_count;
        rmq_free(bd.zoneName);
    } else if (root->type != RMQ_JSON_OBJECT) {
        rc = -EINVAL;
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_broker_member_group_close(g);
    return rc;
}

void proto_broker_member_group_close(proto_broker_member_group_t *g) {
    rmq_free(g->cluster);
    rmq_free(g->brokerName);
    for (size_t i = 0; i < g->addr_count; i++)
        rmq_free(g->addrs[i].addr);
    rmq_free(g->addrs);
    memset(g, 0, sizeof *g);
}
