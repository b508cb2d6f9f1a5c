/*
 * A string-keyed hash map (open addressing, linear probing, FNV-1a).
 *
 * The map copies keys; values are opaque pointers the caller owns (the map never frees
 * them). Iteration order is unspecified; rmq_map_keys_sorted gives a stable order for
 * output that must be deterministic. Not thread-safe: the owner serialises access.
 */
#ifndef RMQ_COMMON_MAP_H
#define RMQ_COMMON_MAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rmq_map_entry {
    char *key; /* NULL: empty slot; TOMBSTONE: deleted */
    size_t key_len;
    void *value;
} rmq_map_entry_t;

typedef struct {
    rmq_map_entry_t *slots;
    size_t cap;   /* power of two */
    size_t count; /* live entries */
    size_t used;  /* live + tombstones */
} rmq_map_t;

void rmq_map_init(rmq_map_t *m);
/* Frees keys and slots; values are the caller's. */
void rmq_map_close(rmq_map_t *m);
void *rmq_map_get(const rmq_map_t *m, const char *key);
void *rmq_map_getn(const rmq_map_t *m, const char *key, size_t len);
bool rmq_map_has(const rmq_map_t *m, const char *key);
/* Inserts or replaces; returns the previous value (or NULL). */
void *rmq_map_put(rmq_map_t *m, const char *key, void *value);
void *rmq_map_putn(rmq_map_t *m, const char *key, size_t len, void *value);
/* Removes; returns the removed value (or NULL). */
void *rmq_map_del(rmq_map_t *m, const char *key);
static inline size_t rmq_map_count(const rmq_map_t *m) {
    return m->count;
}

/* Iteration: `for (size_t i = 0; rmq_map_next(m, &i, &e);)` visits every live entry. */
bool rmq_map_next(const rmq_map_t *m, size_t *iter, rmq_map_entry_t **entry);
/* Borrowed key pointers in strcmp order; free the array with rmq_free. */
const char **rmq_map_keys_sorted(const rmq_map_t *m);

#endif
