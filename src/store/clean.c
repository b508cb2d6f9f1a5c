/*
 * Retention and disk space (spec store.md 5.11). Runs on: the housekeeping thread every
 * cleanResourceInterval, or the caller of store_clean().
 *
 * Disk usage of the commit-log partition decides the mode:
 *   > diskSpaceWarningLevelRatio     disk full: appends are refused (-ENOSPC) and
 *                                    segments are deleted even if not expired;
 *   > diskSpaceCleanForciblyRatio    segments are deleted even if not expired;
 *   > diskMaxUsedSpaceRatio          expired segments are deleted at any hour;
 *   otherwise                        the disk-full state clears by itself, and expired
 *                                    segments (older than fileReservedTime) are deleted
 *                                    only during the deleteWhen hours.
 * Deletion goes from the oldest segment, stops at the first one it may not delete, takes
 * at most deleteFileBatchMax per run and never the newest; then consume-queue and index
 * files that only reference deleted data go too and queue min offsets move up.
 */
#include "common/alloc.h"
#include "common/log.h"
#include "store/store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int clamp(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* Is the local hour of now_ms listed in deleteWhen ("04" or "03;04")? */
static bool is_delete_hour(const char *when, int64_t now_ms) {
    time_t sec = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&sec, &tm);
    const char *p = when;
    while (p && *p) {
        char *end;
        long h = strtol(p, &end, 10);
        if (end != p && h == tm.tm_hour)
            return true;
        p = strchr(end, ';');
        if (p)
            p++;
    }
    return false;
}

static void clean_queues_and_index(store_t *s) {
    int64_t min_phys = store_commitlog_min_offset(&s->cl);
    size_t n;
    store_cq_t **cqs = store_cq_table_snapshot(&s->cqs, &n);
    for (size_t i = 0; i < n; i++) {
        store_cq_delete_expired(cqs[i], min_phys);
        store_cq_correct_min(cqs[i], min_phys);
    }
    store_cq_table_snapshot_release(&s->cqs, cqs, n);
    store_index_delete_expired(&s->index, min_phys);
}

int store_clean_run(store_t *s, bool manual, int64_t now_ms) {
    double ratio = 0;
    int rc = s->ops->disk_usage(s->ops, s->commitlog_dir, &ratio);
    int pct = rc == 0 ? (int)(ratio * 100.0) : -1;
    int warn = clamp(s->cfg.disk_space_warning_level_ratio, 35, 90);
    int forcibly = clamp(s->cfg.disk_space_clean_forcibly_ratio, 30, 85);
    int max_used = clamp(s->cfg.disk_max_used_space_ratio, 10, 95);

    bool clean_now = false;
    if (pct > warn) {
        if (!atomic_exchange(&s->disk_full, true))
            rmq_log_error("store", "disk usage %d%% above %d%%: store is full, appends refused",
                          pct, warn);
        clean_now = true;
    } else {
        if (pct > forcibly)
            clean_now = true;
        if (atomic_exchange(&s->disk_full, false))
            rmq_log_info("store", "disk usage %d%%: store writeable again", pct);
    }
    bool space_full = pct < 0 || pct > max_used;
    bool time_up = is_delete_hour(s->delete_when, now_ms);
    if (!time_up && !space_full && !manual)
        return 0;

    bool force = clean_now && s->cfg.clean_file_forcibly_enable;
    int64_t reserved_ms = (int64_t)s->cfg.file_reserved_time_hours * 3600 * 1000;
    int deleted = 0;
    while (deleted < s->cfg.delete_file_batch_max && store_mfq_count(&s->cl.mfq) > 1) {
        store_mf_t *mf = store_mfq_first(&s->cl.mfq);
        bool expired = store_mf_mtime_ms(mf) + reserved_ms <= now_ms;
        /* Never the segment being written or the one dispatch has not finished. */
        bool in_use = mf->from + mf->size > atomic_load(&s->reput_offset) || !store_mf_is_full(mf);
        store_mf_release(mf);
        if (in_use || (!expired && !force))
            break;
        if (!store_mfq_delete_first(&s->cl.mfq))
            break;
        deleted++;
    }
    if (deleted > 0) {
        rmq_log_info("store", "retention: deleted %d commit-log segments (disk %d%%)", deleted,
                     pct);
        clean_queues_and_index(s);
    }
    return deleted;
}
