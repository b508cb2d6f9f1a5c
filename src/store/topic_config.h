/*
 * topics.json (spec store.md 6.2): the broker's topic configurations.
 *
 *   {"dataVersion":{...},"topicConfigTable":{"<name>":{"attributes":{},"order":false,
 *    "perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"<name>",
 *    "topicSysFlag":0,"writeQueueNums":4}}}
 *
 * Fields are written in fastjson's alphabetical order; unknown fields are ignored on read.
 * Not thread-safe: the broker's topic manager serialises access.
 */
#ifndef STORE_TOPIC_CONFIG_H
#define STORE_TOPIC_CONFIG_H

#include "common/map.h"
#include "store/config_file.h"

#include <stdbool.h>

#define STORE_PERM_PRIORITY 8
#define STORE_PERM_READ     4
#define STORE_PERM_WRITE    2
#define STORE_PERM_INHERIT  1

typedef struct {
    char *key;
    char *value;
} store_attr_t;

typedef struct {
    char *topic_name;
    int32_t read_queue_nums;
    int32_t write_queue_nums;
    int32_t perm;
    bool multi_tag; /* topicFilterType MULTI_TAG (else SINGLE_TAG) */
    int32_t topic_sys_flag;
    bool order;
    store_attr_t *attrs;
    size_t nattrs;
} store_topic_config_t;

typedef struct {
    store_data_version_t data_version;
    rmq_map_t table; /* topic name -> store_topic_config_t* (owned) */
} store_topics_t;

/* A config with TopicConfig's defaults (16 queues, perm 6). Free with _destroy. */
store_topic_config_t *store_topic_config_new(const char *name);
void store_topic_config_destroy(store_topic_config_t *tc);
void store_topic_config_set_attr(store_topic_config_t *tc, const char *key, const char *value);

void store_topics_init(store_topics_t *t);
void store_topics_close(store_topics_t *t);
/* Inserts or replaces (takes ownership of tc). */
void store_topics_put(store_topics_t *t, store_topic_config_t *tc);
store_topic_config_t *store_topics_get(const store_topics_t *t, const char *name);
void store_topics_del(store_topics_t *t, const char *name);

/* Adds the entries of a topics.json text. Returns 0 or -EBADMSG. */
int store_topics_decode(store_topics_t *t, rmq_slice_t json);
/* Compact JSON (keys sorted, as fastjson with SortField). */
void store_topics_encode(const store_topics_t *t, rmq_buf_t *out);
/* Reads path (with .bak fallback); a missing file leaves t empty and returns 0. */
int store_topics_load(store_topics_t *t, const store_fileops_t *ops, const char *path);
int store_topics_save(const store_topics_t *t, const store_fileops_t *ops, const char *path);

#endif
