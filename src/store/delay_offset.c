/* delayOffset.json model and codec; format in consumer_offset.h. */
#include "common/alloc.h"
#include "store/consumer_offset.h"

#include <errno.h>
#include <string.h>

void store_delay_offsets_init(store_delay_offsets_t *t) {
    memset(t, 0, sizeof *t);
}

void store_delay_offsets_close(store_delay_offsets_t *t) {
    rmq_free(t->offsets);
    memset(t, 0, sizeof *t);
}

void store_delay_offsets_set(store_delay_offsets_t *t, int32_t level, int64_t offset) {
    if (level < 0 || level > 1000)
        return;
    if (level >= t->n) {
        t->offsets = rmq_realloc(t->offsets, (size_t)(level + 1) * sizeof *t->offsets);
        for (int32_t i = t->n; i <= level; i++)
            t->offsets[i] = -1;
        t->n = level + 1;
    }
    t->offsets[level] = offset;
}

int64_t store_delay_offsets_get(const store_delay_offsets_t *t, int32_t level) {
    return level >= 0 && level < t->n ? t->offsets[level] : -1;
}

int store_delay_offsets_decode(store_delay_offsets_t *t, rmq_slice_t json) {
    rmq_json_doc_t *doc = rmq_json_parse(json.ptr, json.len, NULL, 0);
    if (!doc)
        return -EBADMSG;
    const rmq_json_t *root = rmq_json_root(doc);
    store_data_version_read(root, &t->data_version);
    const rmq_json_t *table = rmq_json_get(root, "offsetTable");
    for (const rmq_json_t *v = table && table->type == RMQ_JSON_OBJECT ? table->child : NULL; v;
         v = v->next) {
        int64_t level, off;
        if (rmq_json_as_i64(v->key, &level) && rmq_json_as_i64(v, &off))
            store_delay_offsets_set(t, (int32_t)level, off);
    }
    rmq_json_doc_destroy(doc);
    return 0;
}

void store_delay_offsets_encode(const store_delay_offsets_t *t, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    store_data_version_write(&w, &t->data_version);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    for (int32_t i = 0; i < t->n; i++) {
        if (t->offsets[i] < 0)
            continue;
        rmq_jw_key_i64(&w, i);
        rmq_jw_i64(&w, t->offsets[i]);
    }
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

int store_delay_offsets_load(store_delay_offsets_t *t, const store_fileops_t *ops,
                             const char *path) {
    rmq_buf_t text;
    rmq_buf_init(&text);
    int rc = store_config_file_read(ops, path, &text);
    if (rc == 0)
        rc = store_delay_offsets_decode(t, rmq_buf_slice(&text));
    else if (rc == -ENOENT)
        rc = 0;
    rmq_buf_close(&text);
    return rc;
}

int store_delay_offsets_save(const store_delay_offsets_t *t, const store_fileops_t *ops,
                             const char *path) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_delay_offsets_encode(t, &out);
    int rc = store_config_file_write(ops, path, rmq_buf_slice(&out));
    rmq_buf_close(&out);
    return rc;
}
