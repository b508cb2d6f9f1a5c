/*
 * Helpers for the store unit tests: a fresh temporary directory per test, a small-file
 * store configuration, a message builder, and a fault-injecting file-operations table.
 */
#ifndef STORE_TEST_UTIL_H
#define STORE_TEST_UTIL_H

#include "common/alloc.h"
#include "store/config.h"
#include "store/fileops.h"
#include "store/fsutil.h"
#include "store/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdtemp under $TMPDIR (or /tmp); the caller frees the string. */
static inline char *test_tmpdir(const char *name) {
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/rmq-%s-XXXXXX", base && *base ? base : "/tmp", name);
    char *d = mkdtemp(tmpl);
    if (!d) {
        perror("mkdtemp");
        abort();
    }
    return rmq_strdup(d);
}

static inline void test_rmdir(char *dir) {
    store_fs_remove_tree(store_fileops_default(), dir);
    rmq_free(dir);
}

/* Small files so rolls, fillers and deletion happen within a few messages. */
static inline void test_config(store_config_t *cfg, const char *root) {
    store_config_init(cfg, root);
    cfg->mapped_file_size_commitlog = 64 * 1024;
    cfg->mapped_file_size_cq = 20 * 100;
    cfg->max_hash_slot_num = 64;
    cfg->max_index_num = 256;
    cfg->max_message_size = 16 * 1024;
    cfg->start_services = false;
}

static inline store_msg_t test_msg(const char *topic, int qid, const char *body,
                                   const char *props) {
    store_msg_t m = {
        .topic = rmq_slice_cstr(topic),
        .queue_id = qid,
        .body = rmq_slice_cstr(body),
        .props = rmq_slice_cstr(props),
        .born_ts = 1700000000000LL,
        .born_host = store_host_v4(127, 0, 0, 1, 40000),
        .store_host = store_host_v4(127, 0, 0, 1, 10911),
    };
    return m;
}

/* Fault injection: wraps the default table; counters trigger one-shot failures. */
typedef struct {
    store_fileops_t ops;
    int fail_allocate; /* next N allocate calls fail with alloc_errno */
    int alloc_errno;
    int fail_msync;    /* next N msync calls fail with EIO */
    double disk_ratio; /* < 0: real usage */
    int allocs, msyncs;
} test_faults_t;

static inline test_faults_t *faults_of(const store_fileops_t *ops) {
    return (test_faults_t *)ops->ctx;
}

static inline int fault_allocate(const store_fileops_t *ops, int fd, off_t len) {
    test_faults_t *f = faults_of(ops);
    f->allocs++;
    if (f->fail_allocate > 0) {
        f->fail_allocate--;
        return -f->alloc_errno;
    }
    return store_fileops_default()->allocate(ops, fd, len);
}

static inline int fault_msync(const store_fileops_t *ops, void *addr, size_t len) {
    test_faults_t *f = faults_of(ops);
    f->msyncs++;
    if (f->fail_msync > 0) {
        f->fail_msync--;
        return -EIO;
    }
    return store_fileops_default()->msync(ops, addr, len);
}

static inline int fault_disk_usage(const store_fileops_t *ops, const char *path, double *ratio) {
    test_faults_t *f = faults_of(ops);
    if (f->disk_ratio >= 0) {
        *ratio = f->disk_ratio;
        return 0;
    }
    return store_fileops_default()->disk_usage(ops, path, ratio);
}

static inline void test_faults_init(test_faults_t *f) {
    memset(f, 0, sizeof *f);
    f->ops = *store_fileops_default();
    f->ops.allocate = fault_allocate;
    f->ops.msync = fault_msync;
    f->ops.disk_usage = fault_disk_usage;
    f->ops.ctx = f;
    f->alloc_errno = ENOSPC;
    f->disk_ratio = -1;
}

/* RssFile of this process in KiB (file pages mapped and resident). */
static inline long rss_file_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "RssFile: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* Pages of the file at path now in the page cache (mincore over a fresh mapping), or -1. */
static inline long page_cache_pages(const char *path) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    long page = sysconf(_SC_PAGESIZE), n = (long)((st.st_size + page - 1) / page), count = 0;
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    unsigned char *vec = malloc((size_t)n);
    if (p != MAP_FAILED && vec && mincore(p, (size_t)st.st_size, vec) == 0)
        for (long i = 0; i < n; i++)
            count += vec[i] & 1;
    else
        count = -1;
    free(vec);
    if (p != MAP_FAILED)
        munmap(p, (size_t)st.st_size);
    close(fd);
    return count;
}

#endif
