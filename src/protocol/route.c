/* Route data bodies; see route.h. Runs on: any thread. */
#include "protocol/route.h"

#include "common/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- QueueData ---- */

void proto_queue_data_write(const proto_queue_data_t *qd, rmq_jw_t *w) {
    rmq_jw_obj_begin(w);
    rmq_jw_kv_str(w, "brokerName", qd->brokerName);
    rmq_jw_kv_i64(w, "perm", qd->perm);
    rmq_jw_kv_i64(w, "readQueueNums", qd->readQueueNums);
    rmq_jw_kv_i64(w, "topicSysFlag", qd->topicSysFlag);
    rmq_jw_kv_i64(w, "writeQueueNums", qd->writeQueueNums);
    rmq_jw_obj_end(w);
}

int proto_queue_data_read(const rmq_json_t *v, proto_queue_data_t *qd) {
    memset(qd, 0, sizeof *qd);
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    qd->brokerName = proto_json_dup_str(v, "brokerName");
    if (!qd->brokerName)
        return -EINVAL;
    qd->readQueueNums = (int32_t)rmq_json_get_i64(v, "readQueueNums", 0);
    qd->writeQueueNums = (int32_t)rmq_json_get_i64(v, "writeQueueNums", 0);
    qd->perm = (int32_t)rmq_json_get_i64(v, "perm", 0);
    qd->topicSysFlag = (int32_t)rmq_json_get_i64(v, "topicSysFlag", 0);
    return 0;
}

void proto_queue_data_close(proto_queue_data_t *qd) {
    rmq_free(qd->brokerName);
    qd->brokerName = NULL;
}

/* ---- BrokerData ---- */

void proto_broker_data_init(proto_broker_data_t *bd, const char *cluster, const char *name) {
    memset(bd, 0, sizeof *bd);
    bd->cluster = cluster ? rmq_strdup(cluster) : NULL;
    bd->brokerName = name ? rmq_strdup(name) : NULL;
}

void proto_broker_data_close(proto_broker_data_t *bd) {
    rmq_free(bd->cluster);
    rmq_free(bd->brokerName);
    rmq_free(bd->zoneName);
    for (size_t i = 0; i < bd->addr_count; i++)
        rmq_free(bd->addrs[i].addr);
    rmq_free(bd->addrs);
    memset(bd, 0, sizeof *bd);
}

const char *proto_broker_data_addr(const proto_broker_data_t *bd, int64_t id) {
    for (size_t i = 0; i < bd->addr_count; i++)
        if (bd->addrs[i].id == id)
            return bd->addrs[i].addr;
    return NULL;
}

bool proto_broker_data_put_addr(proto_broker_data_t *bd, int64_t id, const char *addr) {
    size_t i = 0;
    while (i < bd->addr_count && bd->addrs[i].id < id)
        i++;
    if (i < bd->addr_count && bd->addrs[i].id == id) {
        rmq_free(bd->addrs[i].addr);
        bd->addrs[i].addr = rmq_strdup(addr);
        return false;
    }
    if (bd->addr_count == bd->addr_cap) {
        bd->addr_cap = bd->addr_cap ? bd->addr_cap * 2 : 4;
        bd->addrs = rmq_realloc(bd->addrs, bd->addr_cap * sizeof *bd->addrs);
    }
    memmove(&bd->addrs[i + 1], &bd->addrs[i], (bd->addr_count - i) * sizeof *bd->addrs);
    bd->addrs[i].id = id;
    bd->addrs[i].addr = rmq_strdup(addr);
    bd->addr_count++;
    return true;
}

bool proto_broker_data_del_addr(proto_broker_data_t *bd, int64_t id) {
    for (size_t i = 0; i < bd->addr_count; i++) {
        if (bd->addrs[i].id == id) {
            rmq_free(bd->addrs[i].addr);
            memmove(&bd->addrs[i], &bd->addrs[i + 1], (bd->addr_count - i - 1) * sizeof *bd->addrs);
            bd->addr_count--;
            return true;
        }
    }
    return false;
}

void proto_broker_addrs_write(const proto_broker_addr_t *addrs, size_t n, rmq_jw_t *w) {
    /* Small Long keys iterate in ascending order in a Java HashMap, which is also the
     * sorted order the STANDARD rendering asks for. */
    rmq_jw_obj_begin(w);
    for (size_t i = 0; i < n; i++) {
        rmq_jw_key_i64(w, addrs[i].id);
        rmq_jw_str(w, addrs[i].addr);
    }
    rmq_jw_obj_end(w);
}

void proto_broker_data_write(const proto_broker_data_t *bd, rmq_jw_t *w, proto_json_mode_t mode) {
    (void)mode;
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "brokerAddrs");
    proto_broker_addrs_write(bd->addrs, bd->addr_count, w);
    if (bd->brokerName)
        rmq_jw_kv_str(w, "brokerName", bd->brokerName);
    if (bd->cluster)
        rmq_jw_kv_str(w, "cluster", bd->cluster);
    rmq_jw_kv_bool(w, "enableActingMaster", bd->enableActingMaster);
    if (bd->zoneName)
        rmq_jw_kv_str(w, "zoneName", bd->zoneName);
    rmq_jw_obj_end(w);
}

int proto_broker_addrs_read(const rmq_json_t *v, proto_broker_data_t *bd) {
    if (!v)
        return 0;
    if (v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    for (const rmq_json_t *m = v->child; m; m = m->next) {
        int64_t id;
        const char *addr = rmq_json_scalar_text(m, NULL);
        if (!rmq_json_as_i64(m->key, &id))
            return -EINVAL;
        if (addr)
            proto_broker_data_put_addr(bd, id, addr);
    }
    return 0;
}

int proto_broker_data_read(const rmq_json_t *v, proto_broker_data_t *bd) {
    memset(bd, 0, sizeof *bd);
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    bd->cluster = proto_json_dup_str(v, "cluster");
    bd->brokerName = proto_json_dup_str(v, "brokerName");
    bd->zoneName = proto_json_dup_str(v, "zoneName");
    bd->enableActingMaster = rmq_json_get_bool(v, "enableActingMaster", false);
    return proto_broker_addrs_read(rmq_json_get(v, "brokerAddrs"), bd);
}

/* ---- TopicQueueMappingInfo ---- */

void proto_mapping_info_write(const proto_topic_queue_mapping_info_t *mi, rmq_jw_t *w,
                              proto_json_mode_t mode) {
    (void)mode;
    rmq_jw_obj_begin(w);
    if (mi->bname)
        rmq_jw_kv_str(w, "bname", mi->bname);
    rmq_jw_key(w, "currIdMap");
    rmq_jw_obj_begin(w);
    for (size_t i = 0; i < mi->id_count; i++) {
        rmq_jw_key_i64(w, mi->currIdMap[i].logicId);
        rmq_jw_i64(w, mi->currIdMap[i].physicalId);
    }
    rmq_jw_obj_end(w);
    rmq_jw_kv_bool(w, "dirty", mi->dirty);
    rmq_jw_kv_i64(w, "epoch", mi->epoch);
    if (mi->scope)
        rmq_jw_kv_str(w, "scope", mi->scope);
    if (mi->topic)
        rmq_jw_kv_str(w, "topic", mi->topic);
    rmq_jw_kv_i64(w, "totalQueues", mi->totalQueues);
    rmq_jw_obj_end(w);
}

static int cmp_pair(const void *a, const void *b) {
    const proto_queue_id_pair_t *x = a, *y = b;
    return (x->logicId > y->logicId) - (x->logicId < y->logicId);
}

int proto_mapping_info_read(const rmq_json_t *v, proto_topic_queue_mapping_info_t *mi) {
    memset(mi, 0, sizeof *mi);
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    mi->topic = proto_json_dup_str(v, "topic");
    mi->scope = proto_json_dup_str(v, "scope");
    mi->bname = proto_json_dup_str(v, "bname");
    mi->totalQueues = (int32_t)rmq_json_get_i64(v, "totalQueues", 0);
    mi->epoch = rmq_json_get_i64(v, "epoch", 0);
    mi->dirty = rmq_json_get_bool(v, "dirty", false);
    const rmq_json_t *ids = rmq_json_get(v, "currIdMap");
    if (ids && ids->type == RMQ_JSON_OBJECT && ids->count > 0) {
        mi->currIdMap = rmq_calloc(ids->count, sizeof *mi->currIdMap);
        for (const rmq_json_t *m = ids->child; m; m = m->next) {
            int64_t k, val;
            if (!rmq_json_as_i64(m->key, &k) || !rmq_json_as_i64(m, &val))
                continue;
            mi->currIdMap[mi->id_count].logicId = (int32_t)k;
            mi->currIdMap[mi->id_count].physicalId = (int32_t)val;
            mi->id_count++;
        }
        qsort(mi->currIdMap, mi->id_count, sizeof *mi->currIdMap, cmp_pair);
    }
    return 0;
}

static char *dup_or_null(const char *s) {
    return s ? rmq_strdup(s) : NULL;
}

void proto_mapping_info_copy(proto_topic_queue_mapping_info_t *dst,
                             const proto_topic_queue_mapping_info_t *src) {
    *dst = *src;
    dst->topic = dup_or_null(src->topic);
    dst->scope = dup_or_null(src->scope);
    dst->bname = dup_or_null(src->bname);
    dst->currIdMap = NULL;
    if (src->id_count) {
        dst->currIdMap = rmq_malloc(src->id_count * sizeof *dst->currIdMap);
        memcpy(dst->currIdMap, src->currIdMap, src->id_count * sizeof *dst->currIdMap);
    }
}

void proto_mapping_info_close(proto_topic_queue_mapping_info_t *mi) {
    rmq_free(mi->topic);
    rmq_free(mi->scope);
    rmq_free(mi->bname);
    rmq_free(mi->currIdMap);
    memset(mi, 0, sizeof *mi);
}

/* ---- TopicRouteData ---- */

void proto_topic_route_data_write(const proto_topic_route_data_t *rd, rmq_jw_t *w,
                                  proto_json_mode_t mode) {
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "brokerDatas");
    rmq_jw_arr_begin(w);
    for (size_t i = 0; i < rd->broker_count; i++)
        proto_broker_data_write(&rd->brokerDatas[i], w, mode);
    rmq_jw_arr_end(w);
    rmq_jw_key(w, "filterServerTable");
    rmq_jw_obj_begin(w);
    rmq_jw_obj_end(w);
    if (rd->orderTopicConf)
        rmq_jw_kv_str(w, "orderTopicConf", rd->orderTopicConf);
    rmq_jw_key(w, "queueDatas");
    rmq_jw_arr_begin(w);
    for (size_t i = 0; i < rd->queue_count; i++)
        proto_queue_data_write(&rd->queueDatas[i], w);
    rmq_jw_arr_end(w);
    if (rd->has_mapping) {
        const char **keys = rmq_malloc((rd->mapping_count + 1) * sizeof *keys);
        size_t *order = rmq_malloc((rd->mapping_count + 1) * sizeof *order);
        for (size_t i = 0; i < rd->mapping_count; i++)
            keys[i] = rd->mappings[i].bname ? rd->mappings[i].bname : "";
        proto_map_order(keys, rd->mapping_count, mode, order);
        rmq_jw_key(w, "topicQueueMappingByBroker");
        rmq_jw_obj_begin(w);
        for (size_t i = 0; i < rd->mapping_count; i++) {
            rmq_jw_key(w, keys[order[i]]);
            proto_mapping_info_write(&rd->mappings[order[i]], w, mode);
        }
        rmq_jw_obj_end(w);
        rmq_free(order);
        rmq_free(keys);
    }
    rmq_jw_obj_end(w);
}

void proto_topic_route_data_encode(const proto_topic_route_data_t *rd, proto_json_mode_t mode,
                                   rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, proto_json_flags(mode));
    proto_topic_route_data_write(rd, &w, mode);
}

static int read_route(const rmq_json_t *root, proto_topic_route_data_t *rd) {
    if (!root || root->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    rd->orderTopicConf = proto_json_dup_str(root, "orderTopicConf");
    const rmq_json_t *qds = rmq_json_get(root, "queueDatas");
    if (qds && qds->type == RMQ_JSON_ARRAY && qds->count > 0) {
        rd->queueDatas = rmq_calloc(qds->count, sizeof *rd->queueDatas);
        for (const rmq_json_t *v = qds->child; v; v = v->next) {
            if (proto_queue_data_read(v, &rd->queueDatas[rd->queue_count]) != 0) {
                proto_queue_data_close(&rd->queueDatas[rd->queue_count]);
                return -EINVAL;
            }
            rd->queue_count++;
        }
    }
    const rmq_json_t *bds = rmq_json_get(root, "brokerDatas");
    if (bds && bds->type == RMQ_JSON_ARRAY && bds->count > 0) {
        rd->brokerDatas = rmq_calloc(bds->count, sizeof *rd->brokerDatas);
        for (const rmq_json_t *v = bds->child; v; v = v->next) {
            int rc = proto_broker_data_read(v, &rd->brokerDatas[rd->broker_count++]);
            if (rc != 0)
                return rc;
        }
    }
    const rmq_json_t *maps = rmq_json_get(root, "topicQueueMappingByBroker");
    if (maps && maps->type == RMQ_JSON_OBJECT) {
        rd->has_mapping = true;
        if (maps->count)
            rd->mappings = rmq_calloc(maps->count, sizeof *rd->mappings);
        for (const rmq_json_t *v = maps->child; v; v = v->next) {
            int rc = proto_mapping_info_read(v, &rd->mappings[rd->mapping_count++]);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int proto_topic_route_data_decode(const char *data, size_t len, proto_topic_route_data_t *rd) {
    memset(rd, 0, sizeof *rd);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    int rc = read_route(rmq_json_root(doc), rd);
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_topic_route_data_close(rd);
    return rc;
}

void proto_topic_route_data_close(proto_topic_route_data_t *rd) {
    rmq_free(rd->orderTopicConf);
    for (size_t i = 0; i < rd->queue_count; i++)
        proto_queue_data_close(&rd->queueDatas[i]);
    rmq_free(rd->queueDatas);
    for (size_t i = 0; i < rd->broker_count; i++)
        proto_broker_data_close(&rd->brokerDatas[i]);
    rmq_free(rd->brokerDatas);
    for (size_t i = 0; i < rd->mapping_count; i++)
        proto_mapping_info_close(&rd->mappings[i]);
    rmq_free(rd->mappings);
    memset(rd, 0, sizeof *rd);
}
