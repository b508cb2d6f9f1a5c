/* topics.json model and codec; format in topic_config.h. */
#include "store/topic_config.h"

#include "common/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

store_topic_config_t *store_topic_config_new(const char *name) {
    store_topic_config_t *tc = RMQ_NEW(store_topic_config_t);
    tc->topic_name = rmq_strdup(name);
    tc->read_queue_nums = 16;
    tc->write_queue_nums = 16;
    tc->perm = STORE_PERM_READ | STORE_PERM_WRITE;
    return tc;
}

void store_topic_config_destroy(store_topic_config_t *tc) {
    if (!tc)
        return;
    for (size_t i = 0; i < tc->nattrs; i++) {
        rmq_free(tc->attrs[i].key);
        rmq_free(tc->attrs[i].value);
    }
    rmq_free(tc->attrs);
    rmq_free(tc->topic_name);
    rmq_free(tc);
}

void store_topic_config_set_attr(store_topic_config_t *tc, const char *key, const char *value) {
    for (size_t i = 0; i < tc->nattrs; i++) {
        if (strcmp(tc->attrs[i].key, key) == 0) {
            rmq_free(tc->attrs[i].value);
            tc->attrs[i].value = rmq_strdup(value);
            return;
        }
    }
    tc->attrs = rmq_realloc(tc->attrs, (tc->nattrs + 1) * sizeof *tc->attrs);
    tc->attrs[tc->nattrs].key = rmq_strdup(key);
    tc->attrs[tc->nattrs].value = rmq_strdup(value);
    tc->nattrs++;
}

void store_topics_init(store_topics_t *t) {
    memset(t, 0, sizeof *t);
    rmq_map_init(&t->table);
}

void store_topics_close(store_topics_t *t) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->table, &i, &e);)
        store_topic_config_destroy(e->value);
    rmq_map_close(&t->table);
}

void store_topics_put(store_topics_t *t, store_topic_config_t *tc) {
    store_topic_config_destroy(rmq_map_put(&t->table, tc->topic_name, tc));
}

store_topic_config_t *store_topics_get(const store_topics_t *t, const char *name) {
    return rmq_map_get(&t->table, name);
}

void store_topics_del(store_topics_t *t, const char *name) {
    store_topic_config_destroy(rmq_map_del(&t->table, name));
}

static store_topic_config_t *decode_one(const char *name, const rmq_json_t *v) {
    store_topic_config_t *tc = store_topic_config_new(rmq_json_get_str(v, "topicName", name));
    tc->read_queue_nums = (int32_t)rmq_json_get_i64(v, "readQueueNums", 16);
    tc->write_queue_nums = (int32_t)rmq_json_get_i64(v, "writeQueueNums", 16);
    tc->perm = (int32_t)rmq_json_get_i64(v, "perm", 6);
    tc->multi_tag = strcmp(rmq_json_get_str(v, "topicFilterType", "SINGLE_TAG"), "MULTI_TAG") == 0;
    tc->topic_sys_flag = (int32_t)rmq_json_get_i64(v, "topicSysFlag", 0);
    tc->order = rmq_json_get_bool(v, "order", false);
    const rmq_json_t *attrs = rmq_json_get(v, "attributes");
    if (attrs && attrs->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *a = attrs->child; a; a = a->next) {
            const char *val = rmq_json_scalar_text(a, NULL);
            if (a->key->type == RMQ_JSON_STRING && val)
                store_topic_config_set_attr(tc, a->key->str, val);
        }
    }
    return tc;
}

int store_topics_decode(store_topics_t *t, rmq_slice_t json) {
    rmq_json_doc_t *doc = rmq_json_parse(json.ptr, json.len, NULL, 0);
    if (!doc)
        return -EBADMSG;
    const rmq_json_t *root = rmq_json_root(doc);
    store_data_version_read(root, &t->data_version);
    const rmq_json_t *table = rmq_json_get(root, "topicConfigTable");
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *v = table->child; v; v = v->next) {
            if (v->type == RMQ_JSON_OBJECT && v->key->type == RMQ_JSON_STRING)
                store_topics_put(t, decode_one(v->key->str, v));
        }
    }
    rmq_json_doc_destroy(doc);
    return 0;
}

static int cmp_attr(const void *a, const void *b) {
    return strcmp(((const store_attr_t *)a)->key, ((const store_attr_t *)b)->key);
}

static void encode_one(rmq_jw_t *w, store_topic_config_t *tc) {
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "attributes");
    rmq_jw_obj_begin(w);
    if (tc->nattrs > 1)
        qsort(tc->attrs, tc->nattrs, sizeof *tc->attrs, cmp_attr);
    for (size_t i = 0; i < tc->nattrs; i++)
        rmq_jw_kv_str(w, tc->attrs[i].key, tc->attrs[i].value);
    rmq_jw_obj_end(w);
    rmq_jw_kv_bool(w, "order", tc->order);
    rmq_jw_kv_i64(w, "perm", tc->perm);
    rmq_jw_kv_i64(w, "readQueueNums", tc->read_queue_nums);
    rmq_jw_kv_str(w, "topicFilterType", tc->multi_tag ? "MULTI_TAG" : "SINGLE_TAG");
    rmq_jw_kv_str(w, "topicName", tc->topic_name);
    rmq_jw_kv_i64(w, "topicSysFlag", tc->topic_sys_flag);
    rmq_jw_kv_i64(w, "writeQueueNums", tc->write_queue_nums);
    rmq_jw_obj_end(w);
}

void store_topics_encode(const store_topics_t *t, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    store_data_version_write(&w, &t->data_version);
    rmq_jw_key(&w, "topicConfigTable");
    rmq_jw_obj_begin(&w);
    const char **keys = rmq_map_keys_sorted(&t->table);
    for (size_t i = 0; i < rmq_map_count(&t->table); i++) {
        rmq_jw_key(&w, keys[i]);
        encode_one(&w, rmq_map_get(&t->table, keys[i]));
    }
    rmq_free(keys);
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

int store_topics_load(store_topics_t *t, const store_fileops_t *ops, const char *path) {
    rmq_buf_t text;
    rmq_buf_init(&text);
    int rc = store_config_file_read(ops, path, &text);
    if (rc == 0)
        rc = store_topics_decode(t, rmq_buf_slice(&text));
    else if (rc == -ENOENT)
        rc = 0;
    rmq_buf_close(&text);
    return rc;
}

int store_topics_save(const store_topics_t *t, const store_fileops_t *ops, const char *path) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_topics_encode(t, &out);
    int rc = store_config_file_write(ops, path, rmq_buf_slice(&out));
    rmq_buf_close(&out);
    return rc;
}
