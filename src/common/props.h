/*
 * Java properties text: the format of broker.conf and namesrv.conf, and of the bodies of
 * GET/UPDATE_NAMESRV_CONFIG and GET/UPDATE_BROKER_CONFIG.
 *
 * Reading follows java.util.Properties.load: `#` and `!` comment lines, `=`, `:` or white
 * space between key and value, backslash escapes (\t \n \r \f \uXXXX), a trailing
 * backslash continues the line. Entries keep file order; a repeated key keeps its last value.
 */
#ifndef RMQ_COMMON_PROPS_H
#define RMQ_COMMON_PROPS_H

#include "common/buf.h"

#include <stddef.h>

typedef struct {
    char *key;
    char *value;
} rmq_prop_t;

typedef struct {
    rmq_prop_t *items;
    size_t count, cap;
} rmq_props_t;

void rmq_props_init(rmq_props_t *p);
void rmq_props_close(rmq_props_t *p);
/* Parses text and adds its entries. Never fails: malformed escapes are kept literally. */
void rmq_props_parse(rmq_props_t *p, const char *text, size_t len);
/* Reads a file. Returns 0 or -errno. */
int rmq_props_load(rmq_props_t *p, const char *path);
const char *rmq_props_get(const rmq_props_t *p, const char *key);
void rmq_props_set(rmq_props_t *p, const char *key, const char *value);
/* Appends `key=value` lines with the escapes Properties.store would write. */
void rmq_props_write(const rmq_props_t *p, rmq_buf_t *out);
/* Escapes one key or value as Properties.store does. */
void rmq_props_escape(rmq_buf_t *out, const char *s, int is_key);

#endif
