/*
 * KV configuration table (upstream KVConfigManager): namespace -> key -> value, persisted
 * to kvConfigPath as {"configTable":{"ns":{"k":"v"}}} after every change, through a
 * temporary file and rename so a crash never leaves a torn file.
 *
 * Runs on: I/O loops. Locks: kv->lock (a writer also holds it while persisting, so file
 * contents follow the order of changes).
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void namesrv_kv_init(namesrv_kv_t *kv) {
    pthread_rwlock_init(&kv->lock, NULL);
    rmq_map_init(&kv->spaces);
}

static void free_space(rmq_map_t *space) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(space, &it, &e);)
        rmq_free(e->value);
    rmq_map_close(space);
    rmq_free(space);
}

void namesrv_kv_close(namesrv_kv_t *kv) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&kv->spaces, &it, &e);)
        free_space(e->value);
    rmq_map_close(&kv->spaces);
    pthread_rwlock_destroy(&kv->lock);
}

static rmq_map_t *space_get(namesrv_kv_t *kv, const char *ns, bool create) {
    rmq_map_t *space = rmq_map_get(&kv->spaces, ns);
    if (!space && create) {
        space = RMQ_NEW(rmq_map_t);
        rmq_map_init(space);
        rmq_map_put(&kv->spaces, ns, space);
    }
    return space;
}

static void space_put(rmq_map_t *space, const char *key, const char *value) {
    rmq_free(rmq_map_put(space, key, rmq_strdup(value)));
}

/* ---- persistence ---- */

static int mkdirs_for(const char *path) {
    char *dir = rmq_strdup(path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            int rc = -errno;
            rmq_free(dir);
            return rc;
        }
        *p = '/';
    }
    rmq_free(dir);
    return 0;
}

int namesrv_write_file_atomic(const char *path, const char *data, size_t len) {
    int rc = mkdirs_for(path);
    if (rc != 0)
        return rc;
    rmq_buf_t tmp;
    rmq_buf_init(&tmp);
    rmq_buf_appendf(&tmp, "%s.tmp", path);
    int fd = open(rmq_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = -errno;
        goto out;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            close(fd);
            goto out;
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp.data, path) != 0)
        rc = -errno;
out:
    if (rc != 0)
        unlink(rmq_buf_cstr(&tmp));
    rmq_buf_close(&tmp);
    return rc;
}

/* Borrowed view of the table as the protocol's KVConfigSerializeWrapper. */
static void render_all(namesrv_kv_t *kv, rmq_buf_t *out) {
    proto_kv_config_t cfg = {0};
    cfg.items = rmq_calloc(rmq_map_count(&kv->spaces) + 1, sizeof *cfg.items);
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&kv->spaces, &it, &e);) {
        proto_kv_namespace_t *item = &cfg.items[cfg.count++];
        rmq_map_t *space = e->value;
        item->name = e->key;
        item->table.items = rmq_calloc(rmq_map_count(space) + 1, sizeof *item->table.items);
        rmq_map_entry_t *kv_e;
        for (size_t j = 0; rmq_map_next(space, &j, &kv_e);) {
            item->table.items[item->table.count].key = kv_e->key;
            item->table.items[item->table.count].value = kv_e->value;
            item->table.count++;
        }
    }
    proto_kv_config_encode(&cfg, out);
    for (size_t i = 0; i < cfg.count; i++)
        rmq_free(cfg.items[i].table.items);
    rmq_free(cfg.items);
}

static int persist_locked(namesrv_kv_t *kv, const char *path) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    render_all(kv, &b);
    int rc = namesrv_write_file_atomic(path, b.data ? b.data : "", b.len);
    rmq_buf_close(&b);
    if (rc != 0)
        rmq_log_error("namesrv", "persist kv config to %s failed: %s", path, strerror(-rc));
    return rc;
}

int namesrv_kv_load(namesrv_kv_t *kv, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    rmq_buf_t b;
    rmq_buf_init(&b);
    int rc = 0;
    for (;;) {
        rmq_buf_reserve(&b, 65536);
        ssize_t n = read(fd, b.data + b.len, b.cap - b.len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    close(fd);
    proto_kv_config_t cfg;
    if (rc == 0 && proto_kv_config_decode(b.data ? b.data : "", b.len, &cfg) != 0)
        rc = -EINVAL;
    rmq_buf_close(&b);
    if (rc != 0)
        return rc;
    pthread_rwlock_wrlock(&kv->lock);
    size_t entries = 0;
    for (size_t i = 0; i < cfg.count; i++) {
        rmq_map_t *space = space_get(kv, cfg.items[i].name, true);
        for (size_t j = 0; j < cfg.items[i].table.count; j++, entries++)
            space_put(space, cfg.items[i].table.items[j].key, cfg.items[i].table.items[j].value);
    }
    pthread_rwlock_unlock(&kv->lock);
    proto_kv_config_close(&cfg);
    rmq_log_info("namesrv", "loaded kv config %s: %zu entries", path, entries);
    return 0;
}

/* ---- operations ---- */

int namesrv_kv_put(namesrv_kv_t *kv, const char *path, const char *ns, const char *key,
                   const char *value) {
    pthread_rwlock_wrlock(&kv->lock);
    space_put(space_get(kv, ns, true), key, value);
    int rc = persist_locked(kv, path);
    pthread_rwlock_unlock(&kv->lock);
    rmq_log_info("namesrv", "put kv config namespace=%s key=%s value=%s", ns, key, value);
    return rc;
}

int namesrv_kv_delete(namesrv_kv_t *kv, const char *path, const char *ns, const char *key) {
    pthread_rwlock_wrlock(&kv->lock);
    rmq_map_t *space = space_get(kv, ns, false);
    if (space)
        rmq_free(rmq_map_del(space, key));
    /* Upstream keeps an emptied namespace (and persists either way). */
    int rc = persist_locked(kv, path);
    pthread_rwlock_unlock(&kv->lock);
    rmq_log_info("namesrv", "delete kv config namespace=%s key=%s", ns, key);
    return rc;
}

char *namesrv_kv_get(namesrv_kv_t *kv, const char *ns, const char *key) {
    pthread_rwlock_rdlock(&kv->lock);
    rmq_map_t *space = space_get(kv, ns, false);
    const char *v = space ? rmq_map_get(space, key) : NULL;
    char *copy = v ? rmq_strdup(v) : NULL;
    pthread_rwlock_unlock(&kv->lock);
    return copy;
}

bool namesrv_kv_render_namespace(namesrv_kv_t *kv, const char *ns, rmq_buf_t *out) {
    pthread_rwlock_rdlock(&kv->lock);
    rmq_map_t *space = space_get(kv, ns, false);
    if (space) {
        proto_kvs_t view = {0};
        view.items = rmq_calloc(rmq_map_count(space) + 1, sizeof *view.items);
        rmq_map_entry_t *e;
        for (size_t it = 0; rmq_map_next(space, &it, &e);) {
            view.items[view.count].key = e->key;
            view.items[view.count].value = e->value;
            view.count++;
        }
        proto_kv_table_encode(&view, out);
        rmq_free(view.items);
    }
    pthread_rwlock_unlock(&kv->lock);
    return space != NULL;
}
