/*
 * Subscription groups (SubscriptionGroupManager) on subscriptionGroup.json: found or
 * auto-created (autoCreateSubscriptionGroup) on heartbeats and pulls, persisted when a
 * group is created.
 *
 * Runs on: I/O loops. Locks: groups_lock.
 */
#include "broker/internal.h"

#include "common/log.h"
#include "store/fileops.h"

#include <stdio.h>
#include <string.h>

#define GROUP_MAX_LENGTH 120

/* TopicValidator.validateGroup: NULL when valid, else the remark in buf. */
const char *broker_group_validate(const char *group, char *buf, size_t cap) {
    const char *p = group;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return "The specified group is blank.";
    for (p = group; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '%' || c == '|' || c == '_' || c == '-')) {
            snprintf(buf, cap,
                     "The specified group: %s, contains illegal characters, allowing only "
                     "^[%%|a-zA-Z0-9_-]+$",
                     group);
            return buf;
        }
    }
    if (strlen(group) > GROUP_MAX_LENGTH) {
        snprintf(buf, cap, "The specified group: %s, is longer than group max length: %d", group,
                 GROUP_MAX_LENGTH);
        return buf;
    }
    return NULL;
}

bool broker_groups_get(broker_t *b, const char *group, bool create, broker_group_info_t *info) {
    bool created = false;
    pthread_mutex_lock(&b->groups_lock);
    store_sub_group_t *g = store_sub_groups_get(&b->groups, group);
    char why[384];
    if (!g && create && b->cfg.autoCreateSubscriptionGroup &&
        !broker_group_validate(group, why, sizeof why)) {
        g = store_sub_group_new(group);
        store_sub_groups_put(&b->groups, g);
        store_data_version_next(&b->groups.data_version);
        created = true;
    }
    if (g && info) {
        info->consume_enable = g->consume_enable;
        info->consume_broadcast_enable = g->consume_broadcast_enable;
        info->notify_consumer_ids_changed_enable = g->notify_consumer_ids_changed_enable;
        info->retry_queue_nums = g->retry_queue_nums;
        info->retry_max_times = g->retry_max_times;
        info->group_sys_flag = g->group_sys_flag;
    }
    pthread_mutex_unlock(&b->groups_lock);
    if (created) {
        rmq_log_info("broker", "auto create a subscription group, %s", group);
        broker_groups_persist(b);
    }
    return g != NULL;
}

int broker_groups_persist(broker_t *b) {
    pthread_mutex_lock(&b->groups_lock);
    int rc = store_sub_groups_save(&b->groups, store_fileops_default(), b->groups_path);
    pthread_mutex_unlock(&b->groups_lock);
    if (rc != 0)
        rmq_log_warn("broker", "persist %s failed: %d", b->groups_path, rc);
    return rc;
}
