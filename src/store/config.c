/* Store configuration defaults (RocketMQ 5.3 MessageStoreConfig); see config.h. */
#include "store/config.h"

#include <string.h>

void store_config_init(store_config_t *cfg, const char *root_dir) {
    memset(cfg, 0, sizeof *cfg);
    cfg->root_dir = root_dir;
    cfg->mapped_file_size_commitlog = 1024LL * 1024 * 1024;
    cfg->mapped_file_size_cq = 300000LL * 20;
    cfg->flush_disk_type = STORE_FLUSH_ASYNC;
    cfg->flush_interval_commitlog_ms = 500;
    cfg->flush_commitlog_least_pages = 4;
    cfg->flush_commitlog_thorough_interval_ms = 10000;
    cfg->flush_interval_cq_ms = 1000;
    cfg->flush_cq_least_pages = 2;
    cfg->flush_cq_thorough_interval_ms = 60000;
    cfg->sync_flush_timeout_ms = 5000;
    cfg->check_crc_on_recover = true;
    cfg->message_index_enable = true;
    cfg->message_index_safe = false;
    cfg->max_hash_slot_num = 5000000;
    cfg->max_index_num = 5000000 * 4;
    cfg->max_msgs_num_batch = 64;
    cfg->max_message_size = 4 * 1024 * 1024;
    cfg->os_page_cache_busy_timeout_ms = 1000;
    cfg->file_reserved_time_hours = 72;
    cfg->delete_when = "04";
    cfg->disk_max_used_space_ratio = 75;
    cfg->disk_space_clean_forcibly_ratio = 85;
    cfg->disk_space_warning_level_ratio = 90;
    cfg->clean_file_forcibly_enable = true;
    cfg->delete_file_batch_max = 10;
    cfg->clean_resource_interval_ms = 10000;
    cfg->message_delay_level = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";
    cfg->start_services = true;
}
