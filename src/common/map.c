/* String-keyed open-addressing hash map; see map.h. */
#include "common/map.h"

#include "common/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char tombstone_key;
#define TOMBSTONE (&tombstone_key)

static uint64_t hash_key(const char *key, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void rmq_map_init(rmq_map_t *m) {
    memset(m, 0, sizeof *m);
}

void rmq_map_close(rmq_map_t *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            rmq_free(m->slots[i].key);
    rmq_free(m->slots);
    rmq_map_init(m);
}

/* Returns the slot holding key, or NULL. */
static rmq_map_entry_t *find_slot(const rmq_map_t *m, const char *key, size_t len) {
    if (m->cap == 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = hash_key(key, len) & mask;; i = (i + 1) & mask) {
        rmq_map_entry_t *e = &m->slots[i];
        if (e->key == NULL)
            return NULL;
        if (e->key != TOMBSTONE && e->key_len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
}

static void grow(rmq_map_t *m) {
    size_t old_cap = m->cap;
    rmq_map_entry_t *old = m->slots;
    size_t cap = old_cap ? old_cap : 8;
    while (m->count * 2 + 2 > cap)
        cap *= 2;
    if (cap == old_cap && m->used - m->count == 0)
        cap *= 2;
    m->slots = rmq_calloc(cap, sizeof *m->slots);
    m->cap = cap;
    m->used = m->count;
    size_t mask = cap - 1;
    for (size_t j = 0; j < old_cap; j++) {
        rmq_map_entry_t *e = &old[j];
        if (!e->key || e->key == TOMBSTONE)
            continue;
        size_t i = hash_key(e->key, e->key_len) & mask;
        while (m->slots[i].key)
            i = (i + 1) & mask;
        m->slots[i] = *e;
    }
    rmq_free(old);
}

void *rmq_map_getn(const rmq_map_t *m, const char *key, size_t len) {
    rmq_map_entry_t *e = find_slot(m, key, len);
    return e ? e->value : NULL;
}

void *rmq_map_get(const rmq_map_t *m, const char *key) {
    return rmq_map_getn(m, key, strlen(key));
}

bool rmq_map_has(const rmq_map_t *m, const char *key) {
    return find_slot(m, key, strlen(key)) != NULL;
}

void *rmq_map_putn(rmq_map_t *m, const char *key, size_t len, void *value) {
    rmq_map_entry_t *e = find_slot(m, key, len);
    if (e) {
        void *old = e->value;
        e->value = value;
        return old;
    }
    if ((m->used + 1) * 4 > m->cap * 3)
        grow(m);
    size_t mask = m->cap - 1;
    size_t i = hash_key(key, len) & mask;
    while (m->slots[i].key && m->slots[i].key != TOMBSTONE)
        i = (i + 1) & mask;
    if (m->slots[i].key == NULL)
        m->used++;
    m->slots[i].key = rmq_strndup(key, len);
    m->slots[i].key_len = len;
    m->slots[i].value = value;
    m->count++;
    return NULL;
}

void *rmq_map_put(rmq_map_t *m, const char *key, void *value) {
    return rmq_map_putn(m, key, strlen(key), value);
}

void *rmq_map_del(rmq_map_t *m, const char *key) {
    rmq_map_entry_t *e = find_slot(m, key, strlen(key));
    if (!e)
        return NULL;
    void *old = e->value;
    rmq_free(e->key);
    e->key = TOMBSTONE;
    e->value = NULL;
    m->count--;
    return old;
}

bool rmq_map_next(const rmq_map_t *m, size_t *iter, rmq_map_entry_t **entry) {
    for (size_t i = *iter; i < m->cap; i++) {
        rmq_map_entry_t *e = &m->slots[i];
        if (e->key && e->key != TOMBSTONE) {
            *entry = e;
            *iter = i + 1;
            return true;
        }
    }
    *iter = m->cap;
    return false;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **rmq_map_keys_sorted(const rmq_map_t *m) {
    const char **keys = rmq_malloc((m->count + 1) * sizeof *keys);
    size_t n = 0;
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(m, &it, &e);)
        keys[n++] = e->key;
    qsort(keys, n, sizeof *keys, cmp_str);
    keys[n] = NULL;
    return keys;
}
