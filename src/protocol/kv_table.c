/* KVTable, TopicList and the KV config file; see kv_table.h. */
#include "protocol/kv_table.h"

#include "common/alloc.h"

#include <errno.h>
#include <string.h>

void proto_kv_table_encode(const proto_kvs_t *table, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "table");
    proto_kvs_write(table, &w, PROTO_JSON_LEGACY);
    rmq_jw_obj_end(&w);
}

int proto_kv_table_decode(const char *data, size_t len, proto_kvs_t *table) {
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc = root->type == RMQ_JSON_OBJECT ? 0 : -EINVAL;
    const rmq_json_t *t = rmq_json_get(root, "table");
    if (rc == 0 && t)
        rc = proto_kvs_read(t, table);
    rmq_json_doc_destroy(doc);
    return rc;
}

void proto_topic_list_encode(const proto_topic_list_t *tl, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    if (tl->brokerAddr)
        rmq_jw_kv_str(&w, "brokerAddr", tl->brokerAddr);
    rmq_jw_key(&w, "topicList");
    proto_strs_write(&tl->topicList, &w, true);
    rmq_jw_obj_end(&w);
}

int proto_topic_list_decode(const char *data, size_t len, proto_topic_list_t *tl) {
    memset(tl, 0, sizeof *tl);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc = root->type == RMQ_JSON_OBJECT ? 0 : -EINVAL;
    if (rc == 0) {
        tl->brokerAddr = proto_json_dup_str(root, "brokerAddr");
        const rmq_json_t *arr = rmq_json_get(root, "topicList");
        if (arr)
            rc = proto_strs_read(arr, &tl->topicList);
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_topic_list_close(tl);
    return rc;
}

void proto_topic_list_close(proto_topic_list_t *tl) {
    proto_strs_close(&tl->topicList);
    rmq_free(tl->brokerAddr);
    tl->brokerAddr = NULL;
}

void proto_kv_config_encode(const proto_kv_config_t *cfg, rmq_buf_t *out) {
    const char **names = rmq_malloc((cfg->count + 1) * sizeof *names);
    size_t *order = rmq_malloc((cfg->count + 1) * sizeof *order);
    for (size_t i = 0; i < cfg->count; i++)
        names[i] = cfg->items[i].name;
    proto_java_hash_order(names, cfg->count, order);
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "configTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < cfg->count; i++) {
        rmq_jw_key(&w, cfg->items[order[i]].name);
        proto_kvs_write(&cfg->items[order[i]].table, &w, PROTO_JSON_LEGACY);
    }
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
    rmq_free(order);
    rmq_free(names);
}

int proto_kv_config_decode(const char *data, size_t len, proto_kv_config_t *cfg) {
    memset(cfg, 0, sizeof *cfg);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    const rmq_json_t *t = rmq_json_get(root, "configTable");
    int rc = root->type == RMQ_JSON_OBJECT ? 0 : -EINVAL;
    if (rc == 0 && t && t->type == RMQ_JSON_OBJECT && t->count > 0) {
        cfg->items = rmq_calloc(t->count, sizeof *cfg->items);
        for (const rmq_json_t *ns = t->child; ns; ns = ns->next) {
            const char *name = rmq_json_scalar_text(ns->key, NULL);
            if (!name || ns->type != RMQ_JSON_OBJECT)
                continue;
            proto_kv_namespace_t *item = &cfg->items[cfg->count++];
            item->name = rmq_strdup(name);
            proto_kvs_read(ns, &item->table);
        }
    }
    rmq_json_doc_destroy(doc);
    return rc;
}

void proto_kv_config_close(proto_kv_config_t *cfg) {
    for (size_t i = 0; i < cfg->count; i++) {
        rmq_free(cfg->items[i].name);
        proto_kvs_close(&cfg->items[i].table);
    }
    rmq_free(cfg->items);
    memset(cfg, 0, sizeof *cfg);
}
