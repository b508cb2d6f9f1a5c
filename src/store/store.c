/*
 * Store life cycle and the append entry points: open (directories, process lock,
 * checkpoint, load, recovery, abort marker, services), close, put. See store.h for the
 * interface and store_internal.h for the state.
 */
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "store/fsutil.h"
#include "store/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void store_parse_delay_levels(store_t *s, const char *spec) {
    s->max_delay_level = 0;
    const char *p = spec ? spec : "";
    while (*p && s->max_delay_level < STORE_MAX_DELAY_LEVELS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        int64_t unit = 0;
        switch (*end) {
        case 's':
            unit = 1000;
            break;
        case 'm':
            unit = 60 * 1000;
            break;
        case 'h':
            unit = 3600 * 1000;
            break;
        case 'd':
            unit = 24 * 3600 * 1000;
            break;
        default:
            break;
        }
        if (end == p || unit == 0) {
            rmq_log_warn("store", "bad messageDelayLevel entry in \"%s\"", spec);
            break;
        }
        s->delay_ms[++s->max_delay_level] = v * unit;
        p = end + 1;
    }
}

/* fcntl byte-range lock on [0,1) of `lock`, the same lock Java's FileChannel.tryLock takes,
 * so a Java broker and ours exclude each other on one directory. */
static int take_lock(store_t *s) {
    char *path = store_path_join(s->root_dir, "lock");
    int fd = s->ops->open(s->ops, path, O_RDWR | O_CREAT, 0644);
    rmq_free(path);
    if (fd < 0)
        return fd;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    if (fcntl(fd, F_SETLK, &fl) < 0) {
        int err = errno;
        s->ops->close(s->ops, fd);
        if (err == EACCES || err == EAGAIN) {
            rmq_log_error("store", "lock failed, MQ already started in %s", s->root_dir);
            return -EBUSY;
        }
        return -err;
    }
    s->ops->pwrite(s->ops, fd, "lock", 4, 0);
    s->lock_fd = fd;
    return 0;
}

static int write_abort(store_t *s) {
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%d", (int)getpid());
    return store_fs_write(s->ops, s->abort_path, pid, (size_t)n);
}

static void copy_config(store_t *s, const store_config_t *cfg) {
    s->cfg = *cfg;
    s->ops = cfg->fops ? cfg->fops : store_fileops_default();
    s->root_dir = rmq_strdup(cfg->root_dir);
    if (cfg->commitlog_dir && *cfg->commitlog_dir) {
        const char *comma = strchr(cfg->commitlog_dir, ',');
        if (comma)
            rmq_log_warn("store", "multi-path storePathCommitLog not supported; using the first");
        s->commitlog_dir =
            comma ? rmq_strndup(cfg->commitlog_dir, (size_t)(comma - cfg->commitlog_dir))
                  : rmq_strdup(cfg->commitlog_dir);
    } else {
        s->commitlog_dir = store_path_join(s->root_dir, "commitlog");
    }
    s->delete_when = rmq_strdup(cfg->delete_when ? cfg->delete_when : "04");
    s->cfg.root_dir = s->root_dir;
    s->cfg.commitlog_dir = s->commitlog_dir;
    s->cfg.delete_when = s->delete_when;
    s->cfg.message_delay_level = NULL;
    s->cfg.fops = s->ops;
    int64_t cq = cfg->mapped_file_size_cq;
    s->cfg.mapped_file_size_cq = (cq + STORE_CQ_UNIT - 1) / STORE_CQ_UNIT * STORE_CQ_UNIT;
    store_parse_delay_levels(s, cfg->message_delay_level);
}

static void free_store(store_t *s) {
    rmq_free(s->flush_reqs.items);
    rmq_free(s->flush_swap.items);
    rmq_free(s->abort_path);
    rmq_free(s->root_dir);
    rmq_free(s->commitlog_dir);
    rmq_free(s->delete_when);
    pthread_mutex_destroy(&s->dispatch_lock);
    pthread_cond_destroy(&s->dispatch_cond);
    pthread_mutex_destroy(&s->flush_lock);
    pthread_cond_destroy(&s->flush_cond);
    pthread_mutex_destroy(&s->house_lock);
    pthread_cond_destroy(&s->house_cond);
    rmq_free(s);
}

static int start_services(store_t *s) {
    int rc = store_flush_start(s);
    if (rc < 0)
        return rc;
    rc = store_dispatch_start(s);
    if (rc < 0) {
        atomic_store(&s->running, false);
        store_flush_stop(s);
        return rc;
    }
    s->threads_started = true;
    return 0;
}

int store_open(const store_config_t *cfg, store_t **out) {
    store_t *s = RMQ_NEW(store_t);
    s->lock_fd = -1;
    pthread_mutex_init(&s->dispatch_lock, NULL);
    pthread_cond_init(&s->dispatch_cond, NULL);
    pthread_mutex_init(&s->flush_lock, NULL);
    pthread_cond_init(&s->flush_cond, NULL);
    pthread_mutex_init(&s->house_lock, NULL);
    pthread_cond_init(&s->house_cond, NULL);
    copy_config(s, cfg);
    s->abort_path = store_path_join(s->root_dir, "abort");

    char *cq_dir = store_path_join(s->root_dir, "consumequeue");
    char *index_dir = store_path_join(s->root_dir, "index");
    char *ck_path = store_path_join(s->root_dir, "checkpoint");
    int rc = store_fs_mkdirs(s->ops, s->root_dir);
    if (rc == 0)
        rc = store_fs_mkdirs(s->ops, s->commitlog_dir);
    if (rc == 0)
        rc = take_lock(s);
    bool ck_open = false, parts_init = false;
    if (rc == 0) {
        s->last_exit_ok = !store_fs_exists(s->abort_path);
        rc = store_checkpoint_open(&s->ck, s->ops, ck_path);
        ck_open = rc == 0;
    }
    if (rc == 0) {
        int32_t max_record = s->cfg.max_message_size + 65536;
        store_commitlog_init(&s->cl, s->ops, s->commitlog_dir, s->cfg.mapped_file_size_commitlog,
                             max_record);
        store_cq_table_init(&s->cqs, s->ops, cq_dir, s->cfg.mapped_file_size_cq);
        store_index_init(&s->index, s->ops, index_dir, s->cfg.max_hash_slot_num,
                         s->cfg.max_index_num, &s->ck);
        parts_init = true;
        rc = store_mfq_load(&s->cl.mfq);
    }
    if (rc == 0)
        rc = store_cq_table_load(&s->cqs);
    if (rc == 0)
        rc = store_index_load(&s->index, s->last_exit_ok);
    if (rc == 0)
        rc = store_recover(s);
    if (rc == 0)
        rc = write_abort(s);
    if (rc == 0) {
        atomic_store(&s->running, true);
        atomic_store(&s->writeable, true);
        if (s->cfg.start_services)
            rc = start_services(s);
    }
    rmq_free(cq_dir);
    rmq_free(index_dir);
    rmq_free(ck_path);
    if (rc < 0) {
        rmq_log_error("store", "cannot open store %s: %s", s->root_dir, strerror(-rc));
        if (parts_init) {
            store_index_close(&s->index);
            store_cq_table_close(&s->cqs);
            store_commitlog_close(&s->cl);
        }
        if (ck_open)
            store_checkpoint_close(&s->ck);
        if (s->lock_fd >= 0)
            s->ops->close(s->ops, s->lock_fd);
        free_store(s);
        return rc;
    }
    rmq_log_info("store", "opened %s: commit log [%" PRId64 ", %" PRId64 ")", s->root_dir,
                 store_commitlog_min_offset(&s->cl), store_commitlog_max_offset(&s->cl));
    *out = s;
    return 0;
}

void store_close(store_t *s) {
    if (!s)
        return;
    atomic_store(&s->running, false);
    if (s->threads_started) {
        store_dispatch_stop(s);
        store_flush_stop(s);
    }
    store_flush_commitlog(s, 0);
    store_dispatch_run(s, store_commitlog_max_offset(&s->cl));
    store_flush_cqs(s, 0);
    bool caught_up = store_dispatch_behind(s) == 0;
    store_index_close(&s->index);
    store_checkpoint_close(&s->ck);
    if (caught_up && atomic_load(&s->writeable))
        s->ops->unlink(s->ops, s->abort_path);
    store_cq_table_close(&s->cqs);
    store_commitlog_close(&s->cl);
    if (s->lock_fd >= 0)
        s->ops->close(s->ops, s->lock_fd);
    free_store(s);
}

static int check_put(store_t *s, const store_msg_t *m) {
    if (!atomic_load_explicit(&s->running, memory_order_relaxed) ||
        !atomic_load_explicit(&s->writeable, memory_order_relaxed))
        return -EROFS;
    if (atomic_load_explicit(&s->disk_full, memory_order_relaxed))
        return -ENOSPC;
    if (m->body.len > (size_t)s->cfg.max_message_size)
        return -EMSGSIZE;
    if (store_commitlog_lock_held_ms(&s->cl) > s->cfg.os_page_cache_busy_timeout_ms)
        return -EAGAIN;
    return 0;
}

static int after_put(store_t *s, int rc) {
    if (rc == -ENOSPC && !atomic_exchange(&s->disk_full, true))
        rmq_log_error("store", "cannot create a commit-log segment: disk full");
    if (rc == 0 && s->cfg.flush_disk_type == STORE_FLUSH_ASYNC)
        store_dispatch_wake(s);
    return rc;
}

int store_put(store_t *s, const store_msg_t *msg, store_append_result_t *res) {
    int rc = check_put(s, msg);
    if (rc == 0)
        rc = store_commitlog_append(&s->cl, msg, res);
    return after_put(s, rc);
}

int store_put_batch(store_t *s, const store_msg_t *hdr, rmq_slice_t batch,
                    store_append_result_t *res) {
    int rc = check_put(s, hdr);
    if (rc == 0 && batch.len > (size_t)s->cfg.max_message_size)
        rc = -EMSGSIZE;
    if (rc == 0)
        rc = store_commitlog_append_batch(&s->cl, hdr, batch, res);
    return after_put(s, rc);
}

int store_flush(store_t *s) {
    int rc = store_flush_commitlog(s, 0);
    int rc2 = store_flush_cqs(s, 0);
    int rc3 = store_checkpoint_flush(&s->ck);
    return rc < 0 ? rc : rc2 < 0 ? rc2 : rc3;
}

int store_clean(store_t *s, bool force) {
    return store_clean_run(s, force, rmq_now_ms());
}

bool store_is_disk_full(store_t *s) {
    return atomic_load(&s->disk_full);
}

void store_delete_topic(store_t *s, const char *topic) {
    store_cq_table_delete_topic(&s->cqs, topic);
}

int store_delete_topics_where(store_t *s, bool (*drop)(void *arg, const char *topic, bool expired),
                              void *arg) {
    return store_cq_table_delete_where(&s->cqs, store_commitlog_min_offset(&s->cl), drop, arg);
}

int64_t store_min_phys_offset(store_t *s) {
    return store_commitlog_min_offset(&s->cl);
}

int64_t store_max_phys_offset(store_t *s) {
    return store_commitlog_max_offset(&s->cl);
}
