/*
 * Store configuration: the MessageStoreConfig keys the store reads (spec store.md 5, 8.2),
 * with RocketMQ's defaults from store_config_init(). The broker fills it from broker.conf;
 * store_open() copies what it needs, so the caller may free its strings afterwards.
 */
#ifndef STORE_CONFIG_H
#define STORE_CONFIG_H

#include "store/fileops.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { STORE_FLUSH_ASYNC = 0, STORE_FLUSH_SYNC = 1 } store_flush_type_t;

typedef struct store_dispatch_req store_dispatch_req_t;

typedef struct {
    const char *root_dir;      /* storePathRootDir */
    const char *commitlog_dir; /* storePathCommitLog; NULL: <root>/commitlog */
    int64_t mapped_file_size_commitlog;
    int64_t mapped_file_size_cq; /* rounded up to a multiple of 20 */
    store_flush_type_t flush_disk_type;
    int flush_interval_commitlog_ms;
    int flush_commitlog_least_pages;
    int flush_commitlog_thorough_interval_ms;
    int flush_interval_cq_ms;
    int flush_cq_least_pages;
    int flush_cq_thorough_interval_ms;
    int sync_flush_timeout_ms;
    bool check_crc_on_recover;
    bool message_index_enable;
    bool message_index_safe;
    int32_t max_hash_slot_num;
    int32_t max_index_num;
    int32_t max_msgs_num_batch;        /* cap of one key lookup */
    int32_t max_message_size;          /* body bytes */
    int os_page_cache_busy_timeout_ms; /* append lock held longer: refuse with -EAGAIN */
    /* retention */
    int file_reserved_time_hours;
    const char *delete_when; /* "04" or "03;04" */
    int disk_max_used_space_ratio;
    int disk_space_clean_forcibly_ratio;
    int disk_space_warning_level_ratio;
    bool clean_file_forcibly_enable;
    int delete_file_batch_max;
    int clean_resource_interval_ms;
    const char *message_delay_level; /* for SCHEDULE_TOPIC_XXXX tag codes */
    /* Called on the dispatch thread after each record reaches its consume queue; the
     * broker wakes held pulls here. Must not block. */
    void (*on_dispatch)(void *arg, const store_dispatch_req_t *req);
    void *on_dispatch_arg;
    /* Background threads (flush, dispatch, housekeeping). Tests may turn them off and
     * drive the store with store_flush(), store_dispatch_catch_up(), store_clean(). */
    bool start_services;
    const store_fileops_t *fops; /* NULL: store_fileops_default() */
} store_config_t;

void store_config_init(store_config_t *cfg, const char *root_dir);

#endif
