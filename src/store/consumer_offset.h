/*
 * consumerOffset.json (spec store.md 6.3): committed consumer offsets.
 *
 *   {"dataVersion":{...},"groupTopicMap":{"grpA":["TopicTest"]},
 *    "offsetTable":{"TopicTest@grpA":{0:250,1:251}}}
 *
 * Queue ids are written as bare integer keys (fastjson), both forms are read.
 * groupTopicMap is derived on write and ignored on read. Thread-safe (one mutex): pull
 * and commit handlers on many threads update it, a timer persists it.
 */
#ifndef STORE_CONSUMER_OFFSET_H
#define STORE_CONSUMER_OFFSET_H

#include "common/map.h"
#include "store/config_file.h"

#include <pthread.h>

typedef struct {
    pthread_mutex_t lock;
    store_data_version_t data_version;
    rmq_map_t table; /* "topic@group" -> queue offsets (owned) */
} store_consumer_offsets_t;

void store_consumer_offsets_init(store_consumer_offsets_t *t);
void store_consumer_offsets_close(store_consumer_offsets_t *t);
void store_consumer_offsets_commit(store_consumer_offsets_t *t, const char *topic,
                                   const char *group, int32_t queue_id, int64_t offset);
/* The committed offset, or -1 when none. */
int64_t store_consumer_offsets_query(store_consumer_offsets_t *t, const char *topic,
                                     const char *group, int32_t queue_id);
/* ConsumerOffsetManager.cloneOffset: topic@dst becomes a copy of every queue offset of
 * topic@src (replacing dst's). False (nothing changed) when src has none. */
bool store_consumer_offsets_clone(store_consumer_offsets_t *t, const char *topic, const char *src,
                                  const char *dst);
/* Forgets every queue of topic@group. */
void store_consumer_offsets_remove(store_consumer_offsets_t *t, const char *topic,
                                   const char *group);
int store_consumer_offsets_decode(store_consumer_offsets_t *t, rmq_slice_t json);
void store_consumer_offsets_encode(store_consumer_offsets_t *t, rmq_buf_t *out);
int store_consumer_offsets_load(store_consumer_offsets_t *t, const store_fileops_t *ops,
                                const char *path);
int store_consumer_offsets_save(store_consumer_offsets_t *t, const store_fileops_t *ops,
                                const char *path);

/*
 * delayOffset.json (spec store.md 6.5): {"dataVersion":{...},"offsetTable":{1:120,2:0}},
 * delay level (1-based) -> next SCHEDULE_TOPIC_XXXX queue offset. Not thread-safe.
 */
typedef struct {
    store_data_version_t data_version;
    int64_t *offsets; /* by level; -1 = absent */
    int32_t n;
} store_delay_offsets_t;

void store_delay_offsets_init(store_delay_offsets_t *t);
void store_delay_offsets_close(store_delay_offsets_t *t);
void store_delay_offsets_set(store_delay_offsets_t *t, int32_t level, int64_t offset);
/* -1 when absent. */
int64_t store_delay_offsets_get(const store_delay_offsets_t *t, int32_t level);
int store_delay_offsets_decode(store_delay_offsets_t *t, rmq_slice_t json);
void store_delay_offsets_encode(const store_delay_offsets_t *t, rmq_buf_t *out);
int store_delay_offsets_load(store_delay_offsets_t *t, const store_fileops_t *ops,
                             const char *path);
int store_delay_offsets_save(const store_delay_offsets_t *t, const store_fileops_t *ops,
                             const char *path);

#endif
