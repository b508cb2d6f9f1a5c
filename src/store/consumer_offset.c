/* consumerOffset.json model and codec; format in consumer_offset.h. */
#include "store/consumer_offset.h"

#include "common/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int64_t *by_qid; /* -1 = none */
    int32_t n;
} queue_offsets_t;

void store_consumer_offsets_init(store_consumer_offsets_t *t) {
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    rmq_map_init(&t->table);
}

static void free_qo(queue_offsets_t *q) {
    if (q) {
        rmq_free(q->by_qid);
        rmq_free(q);
    }
}

void store_consumer_offsets_close(store_consumer_offsets_t *t) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->table, &i, &e);)
        free_qo(e->value);
    rmq_map_close(&t->table);
    pthread_mutex_destroy(&t->lock);
}

static char *make_key(const char *topic, const char *group) {
    size_t tl = strlen(topic), gl = strlen(group);
    char *k = rmq_malloc(tl + gl + 2);
    memcpy(k, topic, tl);
    k[tl] = '@';
    memcpy(k + tl + 1, group, gl + 1);
    return k;
}

static void set_locked(store_consumer_offsets_t *t, const char *key, int32_t qid, int64_t off) {
    if (qid < 0 || qid > 65535)
        return;
    queue_offsets_t *q = rmq_map_get(&t->table, key);
    if (!q) {
        q = RMQ_NEW(queue_offsets_t);
        rmq_map_put(&t->table, key, q);
    }
    if (qid >= q->n) {
        q->by_qid = rmq_realloc(q->by_qid, (size_t)(qid + 1) * sizeof *q->by_qid);
        for (int32_t i = q->n; i <= qid; i++)
            q->by_qid[i] = -1;
        q->n = qid + 1;
    }
    q->by_qid[qid] = off;
}

void store_consumer_offsets_commit(store_consumer_offsets_t *t, const char *topic,
                                   const char *group, int32_t queue_id, int64_t offset) {
    char *key = make_key(topic, group);
    pthread_mutex_lock(&t->lock);
    set_locked(t, key, queue_id, offset);
    pthread_mutex_unlock(&t->lock);
    rmq_free(key);
}

int64_t store_consumer_offsets_query(store_consumer_offsets_t *t, const char *topic,
                                     const char *group, int32_t queue_id) {
    char *key = make_key(topic, group);
    pthread_mutex_lock(&t->lock);
    queue_offsets_t *q = rmq_map_get(&t->table, key);
    int64_t v = q && queue_id >= 0 && queue_id < q->n ? q->by_qid[queue_id] : -1;
    pthread_mutex_unlock(&t->lock);
    rmq_free(key);
    return v;
}

bool store_consumer_offsets_clone(store_consumer_offsets_t *t, const char *topic, const char *src,
                                  const char *dst) {
    char *skey = make_key(topic, src), *dkey = make_key(topic, dst);
    pthread_mutex_lock(&t->lock);
    queue_offsets_t *from = rmq_map_get(&t->table, skey);
    if (from) {
        queue_offsets_t *to = RMQ_NEW(queue_offsets_t);
        to->n = from->n;
        to->by_qid = rmq_malloc((size_t)(from->n ? from->n : 1) * sizeof *to->by_qid);
        memcpy(to->by_qid, from->by_qid, (size_t)from->n * sizeof *to->by_qid);
        free_qo(rmq_map_put(&t->table, dkey, to));
    }
    pthread_mutex_unlock(&t->lock);
    rmq_free(skey);
    rmq_free(dkey);
    return from != NULL;
}

void store_consumer_offsets_remove(store_consumer_offsets_t *t, const char *topic,
                                   const char *group) {
    char *key = make_key(topic, group);
    pthread_mutex_lock(&t->lock);
    free_qo(rmq_map_del(&t->table, key));
    pthread_mutex_unlock(&t->lock);
    rmq_free(key);
}

int store_consumer_offsets_decode(store_consumer_offsets_t *t, rmq_slice_t json) {
    rmq_json_doc_t *doc = rmq_json_parse(json.ptr, json.len, NULL, 0);
    if (!doc)
        return -EBADMSG;
    const rmq_json_t *root = rmq_json_root(doc);
    pthread_mutex_lock(&t->lock);
    store_data_version_read(root, &t->data_version);
    const rmq_json_t *table = rmq_json_get(root, "offsetTable");
    for (const rmq_json_t *v = table && table->type == RMQ_JSON_OBJECT ? table->child : NULL; v;
         v = v->next) {
        if (v->key->type != RMQ_JSON_STRING || v->type != RMQ_JSON_OBJECT)
            continue;
        for (const rmq_json_t *q = v->child; q; q = q->next) {
            int64_t qid, off;
            if (rmq_json_as_i64(q->key, &qid) && rmq_json_as_i64(q, &off))
                set_locked(t, v->key->str, (int32_t)qid, off);
        }
    }
    pthread_mutex_unlock(&t->lock);
    rmq_json_doc_destroy(doc);
    return 0;
}

/* groupTopicMap: for each group, the topics it has offsets for (sorted keys give sorted
 * topics per group). */
static void encode_group_topic_map(rmq_jw_t *w, const char **keys, size_t n) {
    rmq_map_t groups;
    rmq_map_init(&groups);
    for (size_t i = 0; i < n; i++) {
        const char *at = strchr(keys[i], '@');
        if (at)
            rmq_map_put(&groups, at + 1, (void *)1);
    }
    rmq_jw_key(w, "groupTopicMap");
    rmq_jw_obj_begin(w);
    const char **gs = rmq_map_keys_sorted(&groups);
    for (size_t g = 0; g < rmq_map_count(&groups); g++) {
        rmq_jw_key(w, gs[g]);
        rmq_jw_arr_begin(w);
        for (size_t i = 0; i < n; i++) {
            const char *at = strchr(keys[i], '@');
            if (at && strcmp(at + 1, gs[g]) == 0)
                rmq_jw_strn(w, keys[i], (size_t)(at - keys[i]));
        }
        rmq_jw_arr_end(w);
    }
    rmq_free(gs);
    rmq_jw_obj_end(w);
    rmq_map_close(&groups);
}

void store_consumer_offsets_encode(store_consumer_offsets_t *t, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    pthread_mutex_lock(&t->lock);
    rmq_jw_obj_begin(&w);
    store_data_version_write(&w, &t->data_version);
    const char **keys = rmq_map_keys_sorted(&t->table);
    size_t n = rmq_map_count(&t->table);
    encode_group_topic_map(&w, keys, n);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < n; i++) {
        queue_offsets_t *q = rmq_map_get(&t->table, keys[i]);
        rmq_jw_key(&w, keys[i]);
        rmq_jw_obj_begin(&w);
        for (int32_t qid = 0; qid < q->n; qid++) {
            if (q->by_qid[qid] < 0)
                continue;
            rmq_jw_key_i64(&w, qid);
            rmq_jw_i64(&w, q->by_qid[qid]);
        }
        rmq_jw_obj_end(&w);
    }
    rmq_free(keys);
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
    pthread_mutex_unlock(&t->lock);
}

int store_consumer_offsets_load(store_consumer_offsets_t *t, const store_fileops_t *ops,
                                const char *path) {
    rmq_buf_t text;
    rmq_buf_init(&text);
    int rc = store_config_file_read(ops, path, &text);
    if (rc == 0)
        rc = store_consumer_offsets_decode(t, rmq_buf_slice(&text));
    else if (rc == -ENOENT)
        rc = 0;
    rmq_buf_close(&text);
    return rc;
}

int store_consumer_offsets_save(store_consumer_offsets_t *t, const store_fileops_t *ops,
                                const char *path) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_consumer_offsets_encode(t, &out);
    int rc = store_config_file_write(ops, path, rmq_buf_slice(&out));
    rmq_buf_close(&out);
    return rc;
}
