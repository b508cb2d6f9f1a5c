/* subscriptionGroup.json model and codec; format in sub_group.h. */
#include "store/sub_group.h"

#include "common/alloc.h"

#include <errno.h>
#include <string.h>

store_sub_group_t *store_sub_group_new(const char *name) {
    store_sub_group_t *g = RMQ_NEW(store_sub_group_t);
    g->group_name = rmq_strdup(name);
    g->consume_enable = true;
    g->consume_from_min_enable = true;
    g->consume_broadcast_enable = true;
    g->retry_queue_nums = 1;
    g->retry_max_times = 16;
    g->which_broker_when_consume_slowly = 1;
    g->notify_consumer_ids_changed_enable = true;
    g->consume_timeout_minute = 15;
    return g;
}

void store_sub_group_destroy(store_sub_group_t *g) {
    if (!g)
        return;
    rmq_free(g->group_name);
    rmq_free(g->group_retry_policy_json);
    rmq_free(g->subscription_data_set_json);
    rmq_free(g->attributes_json);
    rmq_free(g);
}

void store_sub_groups_init(store_sub_groups_t *t) {
    memset(t, 0, sizeof *t);
    rmq_map_init(&t->table);
}

void store_sub_groups_close(store_sub_groups_t *t) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->table, &i, &e);)
        store_sub_group_destroy(e->value);
    rmq_map_close(&t->table);
    rmq_free(t->forbidden_json);
}

void store_sub_groups_put(store_sub_groups_t *t, store_sub_group_t *g) {
    store_sub_group_destroy(rmq_map_put(&t->table, g->group_name, g));
}

store_sub_group_t *store_sub_groups_get(const store_sub_groups_t *t, const char *name) {
    return rmq_map_get(&t->table, name);
}

/* The JSON text of member `key` of obj, or NULL when absent or null. */
static char *member_json(const rmq_json_t *obj, const char *key) {
    const rmq_json_t *v = rmq_json_get(obj, key);
    if (!v || v->type == RMQ_JSON_NULL)
        return NULL;
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_jw_t w;
    rmq_jw_init(&w, &b, 0);
    store_json_write_node(&w, v);
    return rmq_buf_steal(&b, NULL);
}

static store_sub_group_t *decode_one(const char *name, const rmq_json_t *v) {
    store_sub_group_t *g = store_sub_group_new(rmq_json_get_str(v, "groupName", name));
    g->consume_enable = rmq_json_get_bool(v, "consumeEnable", true);
    g->consume_from_min_enable = rmq_json_get_bool(v, "consumeFromMinEnable", true);
    g->consume_broadcast_enable = rmq_json_get_bool(v, "consumeBroadcastEnable", true);
    g->consume_message_orderly = rmq_json_get_bool(v, "consumeMessageOrderly", false);
    g->retry_queue_nums = (int32_t)rmq_json_get_i64(v, "retryQueueNums", 1);
    g->retry_max_times = (int32_t)rmq_json_get_i64(v, "retryMaxTimes", 16);
    g->broker_id = rmq_json_get_i64(v, "brokerId", 0);
    g->which_broker_when_consume_slowly = rmq_json_get_i64(v, "whichBrokerWhenConsumeSlowly", 1);
    g->notify_consumer_ids_changed_enable =
        rmq_json_get_bool(v, "notifyConsumerIdsChangedEnable", true);
    g->group_sys_flag = (int32_t)rmq_json_get_i64(v, "groupSysFlag", 0);
    g->consume_timeout_minute = (int32_t)rmq_json_get_i64(v, "consumeTimeoutMinute", 15);
    g->group_retry_policy_json = member_json(v, "groupRetryPolicy");
    g->subscription_data_set_json = member_json(v, "subscriptionDataSet");
    g->attributes_json = member_json(v, "attributes");
    return g;
}

store_sub_group_t *store_sub_group_read(const rmq_json_t *v) {
    if (!v || v->type != RMQ_JSON_OBJECT || !rmq_json_get_str(v, "groupName", NULL))
        return NULL;
    return decode_one(NULL, v);
}

int store_sub_groups_decode(store_sub_groups_t *t, rmq_slice_t json) {
    rmq_json_doc_t *doc = rmq_json_parse(json.ptr, json.len, NULL, 0);
    if (!doc)
        return -EBADMSG;
    const rmq_json_t *root = rmq_json_root(doc);
    store_data_version_read(root, &t->data_version);
    const rmq_json_t *table = rmq_json_get(root, "subscriptionGroupTable");
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *v = table->child; v; v = v->next)
            if (v->type == RMQ_JSON_OBJECT && v->key->type == RMQ_JSON_STRING)
                store_sub_groups_put(t, decode_one(v->key->str, v));
    }
    rmq_free(t->forbidden_json);
    t->forbidden_json = member_json(root, "forbiddenTable");
    rmq_json_doc_destroy(doc);
    return 0;
}

static void raw_or(rmq_jw_t *w, const char *json, const char *fallback) {
    const char *s = json ? json : fallback;
    rmq_jw_raw(w, s, strlen(s));
}

static void encode_one(rmq_jw_t *w, const store_sub_group_t *g) {
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "attributes");
    raw_or(w, g->attributes_json, "{}");
    rmq_jw_kv_i64(w, "brokerId", g->broker_id);
    rmq_jw_kv_bool(w, "consumeBroadcastEnable", g->consume_broadcast_enable);
    rmq_jw_kv_bool(w, "consumeEnable", g->consume_enable);
    rmq_jw_kv_bool(w, "consumeFromMinEnable", g->consume_from_min_enable);
    rmq_jw_kv_bool(w, "consumeMessageOrderly", g->consume_message_orderly);
    rmq_jw_kv_i64(w, "consumeTimeoutMinute", g->consume_timeout_minute);
    rmq_jw_kv_str(w, "groupName", g->group_name);
    rmq_jw_key(w, "groupRetryPolicy");
    raw_or(w, g->group_retry_policy_json, "{\"type\":\"CUSTOMIZED\"}");
    rmq_jw_kv_i64(w, "groupSysFlag", g->group_sys_flag);
    rmq_jw_kv_bool(w, "notifyConsumerIdsChangedEnable", g->notify_consumer_ids_changed_enable);
    rmq_jw_kv_i64(w, "retryMaxTimes", g->retry_max_times);
    rmq_jw_kv_i64(w, "retryQueueNums", g->retry_queue_nums);
    if (g->subscription_data_set_json) {
        rmq_jw_key(w, "subscriptionDataSet");
        raw_or(w, g->subscription_data_set_json, "null");
    }
    rmq_jw_kv_i64(w, "whichBrokerWhenConsumeSlowly", g->which_broker_when_consume_slowly);
    rmq_jw_obj_end(w);
}

void store_sub_groups_encode(const store_sub_groups_t *t, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    store_data_version_write(&w, &t->data_version);
    rmq_jw_key(&w, "forbiddenTable");
    raw_or(&w, t->forbidden_json, "{}");
    rmq_jw_key(&w, "subscriptionGroupTable");
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

int store_sub_groups_load(store_sub_groups_t *t, const store_fileops_t *ops, const char *path) {
    rmq_buf_t text;
    rmq_buf_init(&text);
    int rc = store_config_file_read(ops, path, &text);
    if (rc == 0)
        rc = store_sub_groups_decode(t, rmq_buf_slice(&text));
    else if (rc == -ENOENT)
        rc = 0;
    rmq_buf_close(&text);
    return rc;
}

int store_sub_groups_save(const store_sub_groups_t *t, const store_fileops_t *ops,
                          const char *path) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_sub_groups_encode(t, &out);
    int rc = store_config_file_write(ops, path, rmq_buf_slice(&out));
    rmq_buf_close(&out);
    return rc;
}
