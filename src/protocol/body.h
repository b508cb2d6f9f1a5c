/*
 * Building blocks shared by the typed JSON bodies: owned string lists and string maps,
 * the two renderings RocketMQ uses, and Java's HashMap iteration order.
 *
 * Renderings (spec remoting.md 3.1, 3.3): LEGACY is fastjson's default output: bare
 * numeric map keys, raw UTF-8, maps in Java hash order. STANDARD is what the NameServer
 * sends route data in for clients >= V4_9_4: numeric keys quoted, maps sorted by key,
 * non-ASCII as \uXXXX. Bean properties are sorted by name in both, as fastjson does.
 *
 * Java order: fastjson writes a HashMap/HashSet in bucket order. Emulating it (bucket of
 * Java's spread String.hashCode in the table size Java would have, then insertion order)
 * makes our output byte-identical to the Java servers' for the usual small maps; readers
 * never depend on it.
 */
#ifndef RMQ_PROTOCOL_BODY_H
#define RMQ_PROTOCOL_BODY_H

#include "common/json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    PROTO_JSON_LEGACY = 0,
    PROTO_JSON_STANDARD = 1,
} proto_json_mode_t;

/* Writer flags for a rendering. */
unsigned proto_json_flags(proto_json_mode_t mode);

/* An owned list of strings, in order. */
typedef struct {
    char **items;
    size_t count, cap;
} proto_strs_t;

void proto_strs_add(proto_strs_t *l, const char *s, size_t len);
bool proto_strs_has(const proto_strs_t *l, const char *s);
void proto_strs_close(proto_strs_t *l);
/* Reads a JSON array of scalars (null elements skipped). -EINVAL if not an array. */
int proto_strs_read(const rmq_json_t *arr, proto_strs_t *l);
/* Writes as a JSON array in Java HashSet order (as_set) or list order. */
void proto_strs_write(const proto_strs_t *l, rmq_jw_t *w, bool as_set);

/* An owned string -> string map that keeps insertion order; keys are unique. */
typedef struct {
    char *key, *value;
} proto_kv_t;

typedef struct {
    proto_kv_t *items;
    size_t count, cap;
} proto_kvs_t;

/* Inserts or replaces. */
void proto_kvs_put(proto_kvs_t *m, const char *key, const char *value);
const char *proto_kvs_get(const proto_kvs_t *m, const char *key);
void proto_kvs_close(proto_kvs_t *m);
/* Reads a JSON object of scalars (null values skipped). -EINVAL if not an object. */
int proto_kvs_read(const rmq_json_t *obj, proto_kvs_t *m);
/* Writes a JSON object: Java HashMap order (LEGACY) or sorted by key (STANDARD). */
void proto_kvs_write(const proto_kvs_t *m, rmq_jw_t *w, proto_json_mode_t mode);

/*
 * Order in which a java.util.HashMap holding `keys` (inserted in array order, starting
 * from the default capacity 16) iterates them: fills order[0..n) with key indexes.
 */
void proto_java_hash_order(const char *const *keys, size_t n, size_t *order);
/* Same for a map created with an explicit initial capacity (e.g. ConcurrentHashMap(128)
 * sizes its table to 256: pass 256). */
void proto_java_hash_order_cap(const char *const *keys, size_t n, size_t table_size, size_t *order);
/* Key indexes sorted by strcmp (STANDARD rendering's MapSortField). */
void proto_sorted_order(const char *const *keys, size_t n, size_t *order);
/* Either of the above, by mode. */
void proto_map_order(const char *const *keys, size_t n, proto_json_mode_t mode, size_t *order);

/* Parses `len` bytes of JSON; NULL (and logs nothing) on failure. */
rmq_json_doc_t *proto_json_parse(const char *data, size_t len);

/* strdup of a JSON string member, or NULL when absent or null. */
char *proto_json_dup_str(const rmq_json_t *obj, const char *key);

#endif
