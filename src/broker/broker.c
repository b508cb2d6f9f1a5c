/*
 * The broker context: configuration, the store, the config files under
 * <storePathRootDir>/config (topics.json, subscriptionGroup.json, consumerOffset.json),
 * the clock and the connection operations. Starting the network side lives in
 * service.c, so the processors can be unit tested without a server.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "remoting/conn.h"
#include "store/fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int64_t wall_clock(void *arg) {
    (void)arg;
    return rmq_now_ms();
}

static const broker_conn_ops_t default_conn_ops = {
    .peer = remoting_conn_peer,
    .retain = remoting_conn_retain,
    .release = remoting_conn_release,
    .send = remoting_conn_send,
    .oneway = remoting_conn_oneway,
    .close = remoting_conn_close,
    .send_segments = remoting_conn_send_segments,
    .run = remoting_conn_run,
};

static char *config_path(const broker_config_t *cfg, const char *file) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_buf_appendf(&b, "%s/config/%s", cfg->storePathRootDir, file);
    return rmq_buf_steal(&b, NULL);
}

static void fill_store_config(const broker_config_t *c, bool services, store_config_t *sc) {
    store_config_init(sc, c->storePathRootDir);
    sc->commitlog_dir = c->storePathCommitLog;
    sc->mapped_file_size_commitlog = c->mappedFileSizeCommitLog;
    sc->mapped_file_size_cq = c->mappedFileSizeConsumeQueue;
    sc->flush_disk_type =
        strcmp(c->flushDiskType, "SYNC_FLUSH") == 0 ? STORE_FLUSH_SYNC : STORE_FLUSH_ASYNC;
    sc->flush_interval_commitlog_ms = c->flushIntervalCommitLog;
    sc->flush_commitlog_least_pages = c->flushCommitLogLeastPages;
    sc->flush_commitlog_thorough_interval_ms = c->flushCommitLogThoroughInterval;
    sc->flush_interval_cq_ms = c->flushIntervalConsumeQueue;
    sc->flush_cq_least_pages = c->flushConsumeQueueLeastPages;
    sc->flush_cq_thorough_interval_ms = c->flushConsumeQueueThoroughInterval;
    sc->sync_flush_timeout_ms = c->syncFlushTimeout;
    sc->check_crc_on_recover = c->checkCRCOnRecover;
    sc->message_index_enable = c->messageIndexEnable;
    sc->message_index_safe = c->messageIndexSafe;
    sc->max_hash_slot_num = c->maxHashSlotNum;
    sc->max_index_num = c->maxIndexNum;
    sc->max_msgs_num_batch = c->maxMsgsNumBatch;
    sc->max_message_size = c->maxMessageSize;
    sc->os_page_cache_busy_timeout_ms = (int)c->osPageCacheBusyTimeOutMills;
    sc->file_reserved_time_hours = c->fileReservedTime;
    sc->delete_when = c->deleteWhen;
    sc->disk_max_used_space_ratio = c->diskMaxUsedSpaceRatio;
    sc->clean_file_forcibly_enable = c->cleanFileForciblyEnable;
    sc->delete_file_batch_max = c->deleteFileBatchMax;
    sc->clean_resource_interval_ms = c->cleanResourceInterval;
    sc->message_delay_level = c->messageDelayLevel;
    sc->start_services = services;
}

static void load_file(const char *what, int rc) {
    if (rc != 0 && rc != -ENOENT)
        rmq_log_warn("broker", "load %s failed: %s; starting without it", what, strerror(-rc));
}

int broker_new(const broker_config_t *cfg, bool store_services, broker_t **out) {
    broker_t *b = RMQ_NEW(broker_t);
    broker_config_copy(&b->cfg, cfg);
    b->now_ms = wall_clock;
    b->conn_ops = &default_conn_ops;
    broker_admin_init(b);
    b->is_sync_flush = strcmp(b->cfg.flushDiskType, "SYNC_FLUSH") == 0;
    snprintf(b->addr, sizeof b->addr, "%s:%d", b->cfg.brokerIP1, b->cfg.listenPort);
    snprintf(b->ha_addr, sizeof b->ha_addr, "%s:%d", b->cfg.brokerIP2, b->cfg.haListenPort);
    if (store_host_parse(b->addr, &b->store_host) != 0) {
        rmq_log_error("broker", "brokerIP1 %s is not an IP address", b->cfg.brokerIP1);
        broker_admin_close(b);
        broker_config_close(&b->cfg);
        rmq_free(b);
        return -EINVAL;
    }
    uint8_t ip4[4] = {0};
    memcpy(ip4, b->store_host.addr, 4);
    proto_uniq_gen_init(&b->uniq, ip4, (int32_t)getpid(), (int32_t)(uintptr_t)b);
    pthread_mutex_init(&b->uniq_lock, NULL);
    pthread_mutex_init(&b->sync_pool_lock, NULL);
    pthread_mutex_init(&b->groups_lock, NULL);
    store_sub_groups_init(&b->groups);
    store_consumer_offsets_init(&b->offsets);
    b->clients = broker_clients_new();
    b->hold = broker_hold_new(b);

    store_config_t sc;
    fill_store_config(&b->cfg, store_services, &sc);
    sc.on_dispatch = broker_hold_on_dispatch;
    sc.on_dispatch_arg = b->hold;
    int rc = store_open(&sc, &b->store);
    if (rc != 0) {
        rmq_log_error("broker", "open store %s failed: %s", b->cfg.storePathRootDir, strerror(-rc));
        b->store = NULL;
        broker_destroy(b);
        return rc;
    }
    char *dir = config_path(&b->cfg, "");
    store_fs_mkdirs(store_fileops_default(), dir);
    rmq_free(dir);

    b->topics.path = config_path(&b->cfg, "topics.json");
    b->groups_path = config_path(&b->cfg, "subscriptionGroup.json");
    b->offsets_path = config_path(&b->cfg, "consumerOffset.json");
    broker_topics_init(b);
    load_file(b->groups_path,
              store_sub_groups_load(&b->groups, store_fileops_default(), b->groups_path));
    load_file(b->offsets_path,
              store_consumer_offsets_load(&b->offsets, store_fileops_default(), b->offsets_path));
    b->locks = broker_locks_new();
    b->schedule = broker_schedule_new(b);
    *out = b;
    return 0;
}

void broker_destroy(broker_t *b) {
    if (!b)
        return;
    broker_stop(b);
    if (b->store) {
        broker_topics_persist(b);
        broker_groups_persist(b);
        broker_offsets_persist(b);
        if (b->schedule)
            broker_schedule_persist(b->schedule, false);
        store_close(b->store);
    }
    /* After the store: its dispatch thread calls into the hold service until closed. */
    broker_hold_destroy(b->hold);
    broker_send_pool_close(b);
    broker_schedule_destroy(b->schedule);
    broker_locks_destroy(b->locks);
    if (b->clients)
        broker_clients_clear(b);
    broker_clients_destroy(b->clients);
    broker_topics_close(&b->topics);
    store_sub_groups_close(&b->groups);
    store_consumer_offsets_close(&b->offsets);
    rmq_free(b->groups_path);
    rmq_free(b->offsets_path);
    pthread_mutex_destroy(&b->groups_lock);
    pthread_mutex_destroy(&b->uniq_lock);
    pthread_mutex_destroy(&b->sync_pool_lock);
    broker_admin_close(b);
    broker_config_close(&b->cfg);
    rmq_free(b);
}

void broker_set_conn_ops(broker_t *b, const broker_conn_ops_t *ops) {
    b->conn_ops = ops;
}

void broker_set_clock(broker_t *b, int64_t (*now_ms)(void *arg), void *arg) {
    b->now_ms = now_ms;
    b->now_arg = arg;
}

int broker_offsets_persist(broker_t *b) {
    int rc = store_consumer_offsets_save(&b->offsets, store_fileops_default(), b->offsets_path);
    if (rc != 0)
        rmq_log_warn("broker", "persist %s failed: %s", b->offsets_path, strerror(-rc));
    return rc;
}

void broker_on_conn_close(void *ctx, remoting_conn_t *conn) {
    broker_clients_conn_closed(ctx, conn);
}
