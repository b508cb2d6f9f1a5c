/* Shared helpers of the typed bodies; see body.h. Runs on: any thread. */
#include "protocol/body.h"

#include "common/alloc.h"
#include "common/checksum.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

unsigned proto_json_flags(proto_json_mode_t mode) {
    return mode == PROTO_JSON_STANDARD ? (RMQ_JSON_W_ASCII | RMQ_JSON_W_QUOTE_NUM_KEYS) : 0;
}

/* ---- string lists ---- */

void proto_strs_add(proto_strs_t *l, const char *s, size_t len) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = rmq_realloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = rmq_strndup(s, len);
}

bool proto_strs_has(const proto_strs_t *l, const char *s) {
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

void proto_strs_close(proto_strs_t *l) {
    for (size_t i = 0; i < l->count; i++)
        rmq_free(l->items[i]);
    rmq_free(l->items);
    memset(l, 0, sizeof *l);
}

int proto_strs_read(const rmq_json_t *arr, proto_strs_t *l) {
    if (!arr || arr->type != RMQ_JSON_ARRAY)
        return -EINVAL;
    for (const rmq_json_t *v = arr->child; v; v = v->next) {
        size_t len;
        const char *s = rmq_json_scalar_text(v, &len);
        if (s)
            proto_strs_add(l, s, len);
    }
    return 0;
}

void proto_strs_write(const proto_strs_t *l, rmq_jw_t *w, bool as_set) {
    size_t *order = rmq_malloc((l->count + 1) * sizeof *order);
    if (as_set) {
        proto_java_hash_order((const char *const *)l->items, l->count, order);
    } else {
        for (size_t i = 0; i < l->count; i++)
            order[i] = i;
    }
    rmq_jw_arr_begin(w);
    for (size_t i = 0; i < l->count; i++)
        rmq_jw_str(w, l->items[order[i]]);
    rmq_jw_arr_end(w);
    rmq_free(order);
}

/* ---- string maps ---- */

void proto_kvs_put(proto_kvs_t *m, const char *key, const char *value) {
    for (size_t i = 0; i < m->count; i++) {
        if (strcmp(m->items[i].key, key) == 0) {
            rmq_free(m->items[i].value);
            m->items[i].value = rmq_strdup(value);
            return;
        }
    }
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->items = rmq_realloc(m->items, m->cap * sizeof *m->items);
    }
    m->items[m->count].key = rmq_strdup(key);
    m->items[m->count].value = rmq_strdup(value);
    m->count++;
}

const char *proto_kvs_get(const proto_kvs_t *m, const char *key) {
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->items[i].key, key) == 0)
            return m->items[i].value;
    return NULL;
}

void proto_kvs_close(proto_kvs_t *m) {
    for (size_t i = 0; i < m->count; i++) {
        rmq_free(m->items[i].key);
        rmq_free(m->items[i].value);
    }
    rmq_free(m->items);
    memset(m, 0, sizeof *m);
}

int proto_kvs_read(const rmq_json_t *obj, proto_kvs_t *m) {
    if (!obj || obj->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    for (const rmq_json_t *v = obj->child; v; v = v->next) {
        const char *k = rmq_json_scalar_text(v->key, NULL);
        const char *s = rmq_json_scalar_text(v, NULL);
        if (k && s)
            proto_kvs_put(m, k, s);
    }
    return 0;
}

void proto_kvs_write(const proto_kvs_t *m, rmq_jw_t *w, proto_json_mode_t mode) {
    const char **keys = rmq_malloc((m->count + 1) * sizeof *keys);
    size_t *order = rmq_malloc((m->count + 1) * sizeof *order);
    for (size_t i = 0; i < m->count; i++)
        keys[i] = m->items[i].key;
    proto_map_order(keys, m->count, mode, order);
    rmq_jw_obj_begin(w);
    for (size_t i = 0; i < m->count; i++)
        rmq_jw_kv_str(w, m->items[order[i]].key, m->items[order[i]].value);
    rmq_jw_obj_end(w);
    rmq_free(order);
    rmq_free(keys);
}

/* ---- Java HashMap order ---- */

typedef struct {
    uint32_t bucket;
    size_t index;
} slot_t;

static int cmp_slot(const void *a, const void *b) {
    const slot_t *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

void proto_java_hash_order_cap(const char *const *keys, size_t n, size_t table_size,
                               size_t *order) {
    slot_t *slots = rmq_malloc((n + 1) * sizeof *slots);
    for (size_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)rmq_java_string_hash(keys[i], strlen(keys[i]));
        h ^= h >> 16; /* HashMap.hash() spreads the high bits */
        slots[i].bucket = h & (uint32_t)(table_size - 1);
        slots[i].index = i;
    }
    qsort(slots, n, sizeof *slots, cmp_slot);
    for (size_t i = 0; i < n; i++)
        order[i] = slots[i].index;
    rmq_free(slots);
}

void proto_java_hash_order(const char *const *keys, size_t n, size_t *order) {
    /* A HashMap doubles its table when the size exceeds 3/4 of it. */
    size_t table = 16;
    while (n > table * 3 / 4)
        table *= 2;
    proto_java_hash_order_cap(keys, n, table, order);
}

static int cmp_key(const void *a, const void *b, void *keys) {
    const char *const *k = keys;
    return strcmp(k[*(const size_t *)a], k[*(const size_t *)b]);
}

void proto_sorted_order(const char *const *keys, size_t n, size_t *order) {
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, cmp_key, (void *)keys);
}

void proto_map_order(const char *const *keys, size_t n, proto_json_mode_t mode, size_t *order) {
    if (mode == PROTO_JSON_STANDARD)
        proto_sorted_order(keys, n, order);
    else
        proto_java_hash_order(keys, n, order);
}

/* ---- parsing ---- */

rmq_json_doc_t *proto_json_parse(const char *data, size_t len) {
    char err[64];
    return rmq_json_parse(data ? data : "", data ? len : 0, err, sizeof err);
}

char *proto_json_dup_str(const rmq_json_t *obj, const char *key) {
    size_t len;
    const char *s = rmq_json_scalar_text(rmq_json_get(obj, key), &len);
    return s ? rmq_strndup(s, len) : NULL;
}
