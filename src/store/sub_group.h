/*
 * subscriptionGroup.json (spec store.md 6.4): consumer group configurations.
 *
 *   {"dataVersion":{...},"forbiddenTable":{},"subscriptionGroupTable":{"<group>":{
 *    "attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,
 *    "consumeFromMinEnable":true,"consumeMessageOrderly":false,"consumeTimeoutMinute":15,
 *    "groupName":"<group>","groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,
 *    "notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,
 *    "whichBrokerWhenConsumeSlowly":1}}}
 *
 * groupRetryPolicy, subscriptionDataSet, attributes and forbiddenTable are kept as JSON
 * text and written back unchanged. Not thread-safe.
 */
#ifndef STORE_SUB_GROUP_H
#define STORE_SUB_GROUP_H

#include "common/map.h"
#include "store/config_file.h"

#include <stdbool.h>

typedef struct {
    char *group_name;
    bool consume_enable;
    bool consume_from_min_enable;
    bool consume_broadcast_enable;
    bool consume_message_orderly;
    int32_t retry_queue_nums;
    int32_t retry_max_times;
    int64_t broker_id;
    int64_t which_broker_when_consume_slowly;
    bool notify_consumer_ids_changed_enable;
    int32_t group_sys_flag;
    int32_t consume_timeout_minute;
    char *group_retry_policy_json;    /* NULL: {"type":"CUSTOMIZED"} */
    char *subscription_data_set_json; /* NULL: absent */
    char *attributes_json;            /* NULL: {} */
} store_sub_group_t;

typedef struct {
    store_data_version_t data_version;
    rmq_map_t table;      /* group -> store_sub_group_t* (owned) */
    char *forbidden_json; /* forbiddenTable as JSON text; NULL: {} */
} store_sub_groups_t;

store_sub_group_t *store_sub_group_new(const char *name);
void store_sub_group_destroy(store_sub_group_t *g);
void store_sub_groups_init(store_sub_groups_t *t);
void store_sub_groups_close(store_sub_groups_t *t);
void store_sub_groups_put(store_sub_groups_t *t, store_sub_group_t *g);
store_sub_group_t *store_sub_groups_get(const store_sub_groups_t *t, const char *name);
int store_sub_groups_decode(store_sub_groups_t *t, rmq_slice_t json);
/* One SubscriptionGroupConfig object (as in the file's table or an admin request body);
 * NULL when v is not an object with a groupName. */
store_sub_group_t *store_sub_group_read(const rmq_json_t *v);
void store_sub_groups_encode(const store_sub_groups_t *t, rmq_buf_t *out);
int store_sub_groups_load(store_sub_groups_t *t, const store_fileops_t *ops, const char *path);
int store_sub_groups_save(const store_sub_groups_t *t, const store_fileops_t *ops,
                          const char *path);

#endif
