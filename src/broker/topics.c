/*
 * The topic table (TopicConfigManager): topics.json loaded at start, the system topics
 * the Java broker creates, auto-creation from the default topic (TBW102) on send, and
 * the DataVersion bumped on every change. A change sets `changed`, which makes the
 * management thread register with the NameServers on its next tick; auto-creation also
 * wakes it (`on_change`), so a consumer started right after the first send finds the
 * route.
 *
 * Runs on: I/O loops (lookups, auto-creation), the management thread (registration).
 * Locks: topics.lock (a rwlock; lookups share it).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store/fileops.h"

#include <stdio.h>
#include <string.h>

#define SCHEDULE_TOPIC_QUEUE_NUM 18

static void info_of(const store_topic_config_t *tc, broker_topic_info_t *info) {
    info->read_queue_nums = tc->read_queue_nums;
    info->write_queue_nums = tc->write_queue_nums;
    info->perm = tc->perm;
    info->topic_sys_flag = tc->topic_sys_flag;
    info->multi_tag = tc->multi_tag;
    info->order = tc->order;
}

/* Puts a system topic (replacing a stored one, as upstream's constructor does). */
static void put_system(store_topics_t *t, const char *name, int32_t queues, int32_t perm) {
    store_topic_config_t *tc = store_topic_config_new(name);
    if (queues > 0)
        tc->read_queue_nums = tc->write_queue_nums = queues;
    if (perm >= 0)
        tc->perm = perm;
    store_topics_put(t, tc);
}

static void add_system_topics(broker_t *b, store_topics_t *t) {
    const broker_config_t *c = &b->cfg;
    char name[512];
    put_system(t, "SELF_TEST_TOPIC", 1, -1);
    if (c->autoCreateTopicEnable)
        put_system(t, "TBW102", c->defaultTopicQueueNums, STORE_PERM_INHERIT | 6);
    put_system(t, "BenchmarkTest", 1024, -1);
    put_system(t, c->brokerClusterName, 0, STORE_PERM_INHERIT | (c->clusterTopicEnable ? 6 : 0));
    put_system(t, c->brokerName, 1, STORE_PERM_INHERIT | (c->brokerTopicEnable ? 6 : 0));
    put_system(t, "OFFSET_MOVED_EVENT", 1, -1);
    put_system(t, PROTO_SCHEDULE_TOPIC, SCHEDULE_TOPIC_QUEUE_NUM, -1);
    if (c->traceTopicEnable)
        put_system(t, c->msgTraceTopicName, 1, -1);
    snprintf(name, sizeof name, "%s_REPLY_TOPIC", c->brokerClusterName);
    put_system(t, name, 1, -1);
    snprintf(name, sizeof name, "rmq_sys_REVIVE_LOG_%s", c->brokerClusterName);
    put_system(t, name, c->reviveQueueNum, -1);
    snprintf(name, sizeof name, "rmq_sys_SYNC_BROKER_MEMBER_%s", c->brokerName);
    put_system(t, name, 1, STORE_PERM_INHERIT);
    put_system(t, "RMQ_SYS_TRANS_HALF_TOPIC", 1, -1);
    put_system(t, "RMQ_SYS_TRANS_OP_HALF_TOPIC", 1, -1);
    if (c->timerWheelEnable)
        put_system(t, "rmq_sys_wheel_timer", 1, -1);
}

void broker_topics_init(broker_t *b) {
    broker_topics_t *t = &b->topics;
    pthread_rwlock_init(&t->lock, NULL);
    store_topics_init(&t->table);
    add_system_topics(b, &t->table);
    int rc = store_topics_load(&t->table, store_fileops_default(), t->path);
    if (rc != 0)
        rmq_log_warn("broker", "load %s failed (%d); keeping the system topics only", t->path, rc);
    /* Upstream bumps the version after loading, so NameServers see a new table. */
    store_data_version_next(&t->table.data_version);
    atomic_store(&t->changed, false);
}

void broker_topics_close(broker_topics_t *t) {
    store_topics_close(&t->table);
    pthread_rwlock_destroy(&t->lock);
    rmq_free(t->path);
}

bool broker_topics_get(broker_t *b, const char *topic, broker_topic_info_t *info) {
    pthread_rwlock_rdlock(&b->topics.lock);
    const store_topic_config_t *tc = store_topics_get(&b->topics.table, topic);
    if (tc)
        info_of(tc, info);
    pthread_rwlock_unlock(&b->topics.lock);
    return tc != NULL;
}

/* Runs with the write lock held. */
static void changed(broker_t *b, const char *topic) {
    store_data_version_next(&b->topics.table.data_version);
    atomic_store(&b->topics.changed, true);
    rmq_log_info("broker", "create new topic %s", topic);
    void (*wake)(broker_t *) = atomic_load(&b->topics.on_change);
    if (wake)
        wake(b);
}

bool broker_topics_create_in_send(broker_t *b, const char *topic, const char *default_topic,
                                  int32_t queue_nums, int32_t topic_sys_flag,
                                  broker_topic_info_t *info) {
    bool ok = false;
    pthread_rwlock_wrlock(&b->topics.lock);
    store_topic_config_t *tc = store_topics_get(&b->topics.table, topic);
    if (tc) {
        info_of(tc, info);
        ok = true;
        goto out;
    }
    const store_topic_config_t *def =
        default_topic ? store_topics_get(&b->topics.table, default_topic) : NULL;
    if (!def) {
        rmq_log_warn("broker", "create topic %s: default topic %s does not exist", topic,
                     default_topic ? default_topic : "(null)");
        goto out;
    }
    if (!(def->perm & STORE_PERM_INHERIT)) {
        rmq_log_warn("broker", "create topic %s: default topic %s has no inherit permission", topic,
                     default_topic);
        goto out;
    }
    int32_t queues = queue_nums < def->write_queue_nums ? queue_nums : def->write_queue_nums;
    if (queues < 0)
        queues = 0;
    tc = store_topic_config_new(topic);
    tc->read_queue_nums = tc->write_queue_nums = queues;
    tc->perm = def->perm & ~STORE_PERM_INHERIT;
    tc->topic_sys_flag = topic_sys_flag;
    tc->multi_tag = def->multi_tag;
    info_of(tc, info);
    store_topics_put(&b->topics.table, tc);
    changed(b, topic);
    ok = true;
out:
    pthread_rwlock_unlock(&b->topics.lock);
    if (ok)
        broker_topics_persist(b);
    return ok;
}

bool broker_topics_create_if_absent(broker_t *b, const char *topic, int32_t queue_nums,
                                    int32_t perm, broker_topic_info_t *info) {
    bool created = false;
    pthread_rwlock_wrlock(&b->topics.lock);
    store_topic_config_t *tc = store_topics_get(&b->topics.table, topic);
    if (!tc) {
        tc = store_topic_config_new(topic);
        tc->read_queue_nums = tc->write_queue_nums = queue_nums;
        tc->perm = perm;
        store_topics_put(&b->topics.table, tc);
        changed(b, topic);
        created = true;
    }
    info_of(tc, info);
    pthread_rwlock_unlock(&b->topics.lock);
    if (created)
        broker_topics_persist(b);
    return true;
}

int broker_topics_persist(broker_t *b) {
    pthread_rwlock_rdlock(&b->topics.lock);
    int rc = store_topics_save(&b->topics.table, store_fileops_default(), b->topics.path);
    pthread_rwlock_unlock(&b->topics.lock);
    if (rc != 0)
        rmq_log_warn("broker", "persist %s failed: %d", b->topics.path, rc);
    return rc;
}
