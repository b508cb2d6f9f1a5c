/* IndexFile writer and lookups; the layout is drawn in index_file.h. */
#include "store/index_file.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/log.h"
#include "common/time.h"
#include "store/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

struct store_index_file {
    char *path;
    int fd;
    char *base;
    size_t size;
    /* header, mirrored in the mapping */
    int64_t begin_ts, end_ts, begin_phys, end_phys;
    int32_t slot_count, index_count;
};

typedef struct __attribute__((packed)) {
    uint64_t begin_ts, end_ts, begin_phys, end_phys;
    uint32_t slot_count, index_count;
} index_header_layout_t;
_Static_assert(sizeof(index_header_layout_t) == STORE_INDEX_HEADER, "index header is 40 bytes");

static size_t file_size_of(const store_index_t *ix) {
    return STORE_INDEX_HEADER + 4 * (size_t)ix->slots + STORE_INDEX_ENTRY * (size_t)ix->max_index;
}

static void header_store(store_index_file_t *f) {
    char *h = f->base;
    rmq_put_u64be(h, (uint64_t)f->begin_ts);
    rmq_put_u64be(h + 8, (uint64_t)f->end_ts);
    rmq_put_u64be(h + 16, (uint64_t)f->begin_phys);
    rmq_put_u64be(h + 24, (uint64_t)f->end_phys);
    rmq_put_u32be(h + 32, (uint32_t)f->slot_count);
    rmq_put_u32be(h + 36, (uint32_t)f->index_count);
}

static void header_load(store_index_file_t *f) {
    const char *h = f->base;
    f->begin_ts = (int64_t)rmq_get_u64be(h);
    f->end_ts = (int64_t)rmq_get_u64be(h + 8);
    f->begin_phys = (int64_t)rmq_get_u64be(h + 16);
    f->end_phys = (int64_t)rmq_get_u64be(h + 24);
    f->slot_count = (int32_t)rmq_get_u32be(h + 32);
    f->index_count = (int32_t)rmq_get_u32be(h + 36);
    if (f->index_count <= 0)
        f->index_count = 1;
}

static int file_open(store_index_t *ix, const char *path, bool create, store_index_file_t **out) {
    const store_fileops_t *ops = ix->ops;
    int fd = ops->open(ops, path, create ? O_RDWR | O_CREAT : O_RDWR, 0644);
    if (fd < 0)
        return fd;
    size_t want = file_size_of(ix);
    int64_t cur = 0;
    int rc = ops->file_size(ops, fd, &cur);
    if (rc == 0 && (size_t)cur != want)
        rc = create ? ops->truncate(ops, fd, (off_t)want) : -EINVAL;
    char *base = NULL;
    if (rc == 0)
        base = ops->mmap(ops, fd, want, &rc);
    if (!base) {
        ops->close(ops, fd);
        return rc;
    }
    /* Slots are hit at random and entries appended 20 bytes at a time: with the default
     * advice every fault on a hole reads around read_ahead_kb (8 MiB on virtio disks) and
     * zeroes it in one non-preemptible step on the dispatch thread. */
    madvise(base, want, MADV_RANDOM);
    store_index_file_t *f = RMQ_NEW(store_index_file_t);
    f->path = rmq_strdup(path);
    f->fd = fd;
    f->base = base;
    f->size = want;
    header_load(f);
    *out = f;
    return 0;
}

static void file_close(store_index_t *ix, store_index_file_t *f, bool remove) {
    if (remove)
        ix->ops->unlink(ix->ops, f->path);
    else
        ix->ops->msync(ix->ops, f->base, f->size);
    ix->ops->munmap(ix->ops, f->base, f->size);
    ix->ops->close(ix->ops, f->fd);
    rmq_free(f->path);
    rmq_free(f);
}

void store_index_init(store_index_t *ix, const store_fileops_t *ops, const char *dir, int32_t slots,
                      int32_t max_index, store_checkpoint_t *ck) {
    memset(ix, 0, sizeof *ix);
    ix->dir = rmq_strdup(dir);
    ix->ops = ops;
    ix->slots = slots;
    ix->max_index = max_index;
    ix->ck = ck;
    pthread_mutex_init(&ix->lock, NULL);
}

static void push(store_index_t *ix, store_index_file_t *f) {
    if (ix->count == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 8;
        ix->files = rmq_realloc(ix->files, ix->cap * sizeof *ix->files);
    }
    ix->files[ix->count++] = f;
}

int store_index_load(store_index_t *ix, bool last_exit_ok) {
    char **names;
    size_t n;
    int rc = store_fs_list(ix->dir, &names, &n);
    int64_t ck_ts = store_checkpoint_get(ix->ck, STORE_CKPT_INDEX_TS);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (strlen(names[i]) != 17 || strspn(names[i], "0123456789") != 17)
            continue;
        char *path = store_path_join(ix->dir, names[i]);
        store_index_file_t *f;
        int orc = file_open(ix, path, false, &f);
        if (orc < 0) {
            rmq_log_warn("store", "skipping index file %s: %s", path, strerror(-orc));
        } else if (!last_exit_ok && f->end_ts > ck_ts) {
            rmq_log_info("store", "dropping index file %s newer than checkpoint", path);
            file_close(ix, f, true);
        } else {
            push(ix, f);
        }
        rmq_free(path);
    }
    store_fs_names_free(names, n);
    return rc;
}

void store_index_close(store_index_t *ix) {
    for (size_t i = 0; i < ix->count; i++)
        file_close(ix, ix->files[i], false);
    rmq_free(ix->files);
    rmq_free(ix->dir);
    pthread_mutex_destroy(&ix->lock);
    memset(ix, 0, sizeof *ix);
}

static int create_file(store_index_t *ix, store_index_file_t **out) {
    int rc = store_fs_mkdirs(ix->ops, ix->dir);
    if (rc < 0)
        return rc;
    int64_t now = rmq_now_ms();
    for (int attempt = 0; attempt < 1000; attempt++, now++) {
        time_t sec = (time_t)(now / 1000);
        struct tm tm;
        localtime_r(&sec, &tm);
        char name[64];
        snprintf(name, sizeof name, "%04d%02d%02d%02d%02d%02d%03d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (int)(now % 1000) % 1000);
        char *path = store_path_join(ix->dir, name);
        bool exists = store_fs_exists(path);
        if (!exists)
            rc = file_open(ix, path, true, out);
        rmq_free(path);
        if (!exists)
            return rc;
    }
    return -EEXIST;
}

/* The newest file with room, creating one (seeded with the previous end) when needed. */
static int writable_file(store_index_t *ix, store_index_file_t **out) {
    store_index_file_t *last = ix->count ? ix->files[ix->count - 1] : NULL;
    if (last && last->index_count < ix->max_index) {
        *out = last;
        return 0;
    }
    store_index_file_t *f;
    int rc = create_file(ix, &f);
    if (rc < 0)
        return rc;
    if (last) {
        f->begin_ts = f->end_ts = last->end_ts;
        f->begin_phys = f->end_phys = last->end_phys;
        header_store(f);
        /* A full file is final: force it and record how far the index is durable. */
        ix->ops->msync(ix->ops, last->base, last->size);
        store_checkpoint_set(ix->ck, STORE_CKPT_INDEX_TS, last->end_ts);
    }
    push(ix, f);
    *out = f;
    return 0;
}

static int32_t key_hash(rmq_slice_t topic, rmq_slice_t key) {
    char stack[512];
    size_t n = topic.len + 1 + key.len;
    char *buf = n <= sizeof stack ? stack : rmq_malloc(n);
    memcpy(buf, topic.ptr, topic.len);
    buf[topic.len] = '#';
    memcpy(buf + topic.len + 1, key.ptr, key.len);
    int32_t h = rmq_java_string_hash(buf, n);
    if (buf != stack)
        rmq_free(buf);
    if (h == INT32_MIN)
        return 0;
    return h < 0 ? -h : h;
}

static bool file_put(store_index_t *ix, store_index_file_t *f, int32_t hash, int64_t phys,
                     int64_t store_ts) {
    if (f->index_count >= ix->max_index)
        return false;
    int32_t slot = hash % ix->slots;
    char *slot_p = f->base + STORE_INDEX_HEADER + 4 * (size_t)slot;
    int32_t prev = (int32_t)rmq_get_u32be(slot_p);
    if (prev <= 0 || prev > f->index_count)
        prev = 0;
    int64_t diff = 0;
    if (f->begin_ts > 0) {
        diff = (store_ts - f->begin_ts) / 1000;
        diff = diff < 0 ? 0 : diff > INT32_MAX ? INT32_MAX : diff;
    }
    char *e = f->base + STORE_INDEX_HEADER + 4 * (size_t)ix->slots +
              STORE_INDEX_ENTRY * (size_t)f->index_count;
    rmq_put_u32be(e, (uint32_t)hash);
    rmq_put_u64be(e + 4, (uint64_t)phys);
    rmq_put_u32be(e + 12, (uint32_t)diff);
    rmq_put_u32be(e + 16, (uint32_t)prev);
    rmq_put_u32be(slot_p, (uint32_t)f->index_count);
    if (f->index_count <= 1) {
        f->begin_phys = phys;
        f->begin_ts = store_ts;
    }
    if (prev == 0)
        f->slot_count++;
    f->index_count++;
    f->end_phys = phys;
    f->end_ts = store_ts;
    header_store(f);
    return true;
}

static int put_key(store_index_t *ix, rmq_slice_t topic, rmq_slice_t key, int64_t phys,
                   int64_t store_ts) {
    int32_t hash = key_hash(topic, key);
    for (int attempt = 0; attempt < 3; attempt++) {
        store_index_file_t *f;
        int rc = writable_file(ix, &f);
        if (rc < 0)
            return rc;
        if (file_put(ix, f, hash, phys, store_ts))
            return 0;
    }
    return -ENOSPC;
}

int store_index_put(store_index_t *ix, rmq_slice_t topic, rmq_slice_t uniq_key, rmq_slice_t keys,
                    int64_t phys_offset, int64_t store_ts) {
    if (uniq_key.len == 0 && keys.len == 0)
        return 0;
    pthread_mutex_lock(&ix->lock);
    int rc = 0;
    if (ix->count && phys_offset < ix->files[ix->count - 1]->end_phys)
        goto out;
    if (uniq_key.len)
        rc = put_key(ix, topic, uniq_key, phys_offset, store_ts);
    /* An empty slice may carry a NULL pointer: no arithmetic on it. */
    const char *p = keys.ptr, *end = keys.len ? keys.ptr + keys.len : keys.ptr;
    while (rc == 0 && p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        const char *stop = sp ? sp : end;
        if (stop > p)
            rc = put_key(ix, topic, rmq_slice(p, (size_t)(stop - p)), phys_offset, store_ts);
        p = stop + 1;
    }
out:
    pthread_mutex_unlock(&ix->lock);
    return rc;
}

static size_t file_query(store_index_t *ix, store_index_file_t *f, int32_t hash, size_t max_num,
                         int64_t begin, int64_t end, int64_t *offsets, size_t n) {
    int32_t slot = hash % ix->slots;
    int32_t cur = (int32_t)rmq_get_u32be(f->base + STORE_INDEX_HEADER + 4 * (size_t)slot);
    const char *entries = f->base + STORE_INDEX_HEADER + 4 * (size_t)ix->slots;
    for (int guard = 0; n < max_num && guard < ix->max_index; guard++) {
        if (cur <= 0 || cur > f->index_count || cur >= ix->max_index)
            break;
        const char *e = entries + STORE_INDEX_ENTRY * (size_t)cur;
        int32_t h = (int32_t)rmq_get_u32be(e);
        int64_t phys = (int64_t)rmq_get_u64be(e + 4);
        int64_t ts = f->begin_ts + (int64_t)(int32_t)rmq_get_u32be(e + 12) * 1000;
        int32_t prev = (int32_t)rmq_get_u32be(e + 16);
        if (h == hash && ts >= begin && ts <= end)
            offsets[n++] = phys;
        if (prev <= 0 || prev > f->index_count || prev == cur || ts < begin)
            break;
        cur = prev;
    }
    return n;
}

size_t store_index_query(store_index_t *ix, rmq_slice_t topic, rmq_slice_t key, size_t max_num,
                         int64_t begin, int64_t end, int64_t *offsets) {
    int32_t hash = key_hash(topic, key);
    size_t n = 0;
    pthread_mutex_lock(&ix->lock);
    for (size_t i = ix->count; i-- > 0 && n < max_num;) {
        store_index_file_t *f = ix->files[i];
        bool overlaps = f->begin_ts <= end && f->end_ts >= begin;
        if (overlaps)
            n = file_query(ix, f, hash, max_num, begin, end, offsets, n);
        if (f->begin_ts < begin)
            break;
    }
    pthread_mutex_unlock(&ix->lock);
    return n;
}

void store_index_drop_resident(store_index_t *ix, int64_t window) {
    const int64_t page = 4096;
    pthread_mutex_lock(&ix->lock);
    for (size_t i = 0; i < ix->count; i++) {
        store_index_file_t *f = ix->files[i];
        int64_t from = 0, to = (int64_t)f->size;
        if (i + 1 == ix->count) { /* the file being written: old entries only */
            int64_t entries = STORE_INDEX_HEADER + 4 * (int64_t)ix->slots;
            from = (entries + page - 1) / page * page;
            to = entries + STORE_INDEX_ENTRY * (int64_t)f->index_count - window;
        }
        to = to / page * page;
        if (to > from)
            madvise(f->base + from, (size_t)(to - from), MADV_DONTNEED);
    }
    pthread_mutex_unlock(&ix->lock);
}

int store_index_delete_expired(store_index_t *ix, int64_t min_phys) {
    pthread_mutex_lock(&ix->lock);
    size_t k = 0;
    while (k + 1 < ix->count && ix->files[k]->end_phys < min_phys)
        k++;
    for (size_t i = 0; i < k; i++)
        file_close(ix, ix->files[i], true);
    memmove(ix->files, ix->files + k, (ix->count - k) * sizeof *ix->files);
    ix->count -= k;
    pthread_mutex_unlock(&ix->lock);
    return (int)k;
}

void store_index_destroy_all(store_index_t *ix) {
    pthread_mutex_lock(&ix->lock);
    for (size_t i = 0; i < ix->count; i++)
        file_close(ix, ix->files[i], true);
    ix->count = 0;
    pthread_mutex_unlock(&ix->lock);
}

int64_t store_index_end_phys(store_index_t *ix) {
    pthread_mutex_lock(&ix->lock);
    int64_t v = ix->count ? ix->files[ix->count - 1]->end_phys : 0;
    pthread_mutex_unlock(&ix->lock);
    return v;
}
