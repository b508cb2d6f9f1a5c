/*
 * The config JSON files under <root>/config (spec store.md 6): loading with the .bak
 * fallback, atomic saving, fastjson-style pretty printing (tab indented, as the Java
 * broker writes them) and the dataVersion object. The four files' models live in
 * topic_config.c, sub_group.c, consumer_offset.c and delay_offset.c.
 */
#ifndef STORE_CONFIG_FILE_H
#define STORE_CONFIG_FILE_H

#include "common/buf.h"
#include "common/json.h"
#include "store/fileops.h"

#include <stdint.h>

typedef struct {
    int64_t counter;
    int64_t state_version;
    int64_t timestamp;
} store_data_version_t;

/*
 * Reads path into *text; when it is missing, empty or not parsable JSON, reads path.bak
 * instead (RocketMQ's ConfigManager rule). Returns 0, or -ENOENT when neither file has
 * content (a fresh store), or another -errno.
 */
int store_config_file_read(const store_fileops_t *ops, const char *path, rmq_buf_t *text);
/* Pretty-prints compact JSON and replaces path atomically, keeping the old one as .bak. */
int store_config_file_write(const store_fileops_t *ops, const char *path, rmq_slice_t json);
/* Re-indents compact JSON the way fastjson's PrettyFormat does (tabs, no spaces). */
void store_json_pretty(rmq_slice_t json, rmq_buf_t *out);
/* Writes a parsed subtree back as JSON (to keep fields we do not model). */
void store_json_write_node(rmq_jw_t *w, const rmq_json_t *v);

void store_data_version_read(const rmq_json_t *obj, store_data_version_t *dv);
/* Writes "dataVersion":{...} as a member of the current object. */
void store_data_version_write(rmq_jw_t *w, const store_data_version_t *dv);
/* counter + 1, timestamp = now (DataVersion.nextVersion). */
void store_data_version_next(store_data_version_t *dv);

#endif
