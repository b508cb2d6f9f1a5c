/*
 * Memory-mapped segment files; see mapped_file.h. Creation happens on the writer's
 * thread or, for the next commit-log segment, ahead of time on the warm or housekeeping
 * thread (mapped_file_queue.c), which also pre-faults pages ahead of the writer.
 * Flushing happens on flush threads; release may happen anywhere.
 */
#include "store/mapped_file.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

void store_mf_name(int64_t offset, char buf[21]) {
    snprintf(buf, 21, "%020" PRId64, offset);
}

int store_mf_open(const store_fileops_t *ops, const char *dir, int64_t from, int64_t size,
                  bool create, store_mf_t **out) {
    char name[21];
    store_mf_name(from, name);
    char *path = store_path_join(dir, name);
    int fd = ops->open(ops, path, create ? O_RDWR | O_CREAT : O_RDWR, 0644);
    if (fd < 0) {
        rmq_free(path);
        return fd;
    }
    int64_t cur = 0;
    int rc = ops->file_size(ops, fd, &cur);
    if (rc == 0 && cur != size) {
        if (create)
            rc = ops->allocate(ops, fd, (off_t)size);
        else
            rc = -EINVAL;
    }
    char *base = NULL;
    if (rc == 0)
        base = ops->mmap(ops, fd, (size_t)size, &rc);
    if (!base) {
        rmq_log_error("store", "cannot open segment %s size=%" PRId64 ": %s", path, size,
                      strerror(-rc));
        ops->close(ops, fd);
        if (create && cur == 0)
            ops->unlink(ops, path);
        rmq_free(path);
        return rc;
    }
    store_mf_t *mf = RMQ_NEW(store_mf_t);
    mf->path = path;
    mf->from = from;
    mf->size = size;
    mf->fd = fd;
    mf->base = base;
    mf->ops = ops;
    atomic_init(&mf->refs, 1);
    *out = mf;
    return 0;
}

void store_mf_retain(store_mf_t *mf) {
    atomic_fetch_add_explicit(&mf->refs, 1, memory_order_relaxed);
}

void store_mf_release(store_mf_t *mf) {
    if (!mf || atomic_fetch_sub_explicit(&mf->refs, 1, memory_order_acq_rel) != 1)
        return;
    mf->ops->munmap(mf->ops, mf->base, (size_t)mf->size);
    mf->ops->close(mf->ops, mf->fd);
    rmq_free(mf->path);
    rmq_free(mf);
}

void store_mf_delete(store_mf_t *mf) {
    if (!atomic_exchange(&mf->deleted, true)) {
        int rc = mf->ops->unlink(mf->ops, mf->path);
        if (rc < 0 && rc != -ENOENT)
            rmq_log_warn("store", "cannot delete %s: %s", mf->path, strerror(-rc));
        else
            rmq_log_info("store", "deleted segment %s", mf->path);
    }
    store_mf_release(mf);
}

int store_mf_flush(store_mf_t *mf, int least_pages, int64_t align) {
    int64_t wrote = store_mf_wrote(mf);
    if (align > 0 && wrote < mf->size)
        wrote -= wrote % align;
    int64_t flushed = atomic_load(&mf->flushed);
    if (wrote <= flushed)
        return 0;
    if (least_pages > 0 && wrote < mf->size &&
        wrote / STORE_OS_PAGE - flushed / STORE_OS_PAGE < least_pages)
        return 0;
    int64_t start = flushed - flushed % STORE_OS_PAGE;
    /* A block forced behind the writer is unmapped from this process first: writeback
     * write-protects every page still mapped, one TLB shootdown per 4 KiB page (measured:
     * 70% of the flush thread's CPU, in non-preemptible stretches of 20-40 ms that stalled
     * the I/O loops); one MADV_DONTNEED of the block is a single shootdown, and the page
     * cache keeps the pages for readers, which map them again on their next access. */
    if (align > 0 && (wrote - start) >= STORE_OS_PAGE)
        madvise(mf->base + start, (size_t)((wrote - start) & ~(int64_t)(STORE_OS_PAGE - 1)),
                MADV_DONTNEED);
    int rc = mf->ops->msync(mf->ops, mf->base + start, (size_t)(wrote - start));
    if (rc < 0) {
        rmq_log_error("store", "flush of %s failed: %s", mf->path, strerror(-rc));
        return rc;
    }
    atomic_store(&mf->flushed, wrote);
    return 0;
}

void store_mf_advise(store_mf_t *mf, store_pages_t pages) {
    madvise(mf->base, (size_t)mf->size, pages == STORE_PAGES_NORMAL ? MADV_NORMAL : MADV_RANDOM);
    if (pages == STORE_PAGES_PMD)
        madvise(mf->base, (size_t)mf->size, MADV_HUGEPAGE);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int store_mf_warm(store_mf_t *mf, int64_t from, int64_t to) {
    from -= from % STORE_OS_PAGE;
    if (to > mf->size)
        to = mf->size;
    if (to <= from)
        return 0;
    /* Faulting a page in for writing runs the file system's page_mkwrite, which
     * reserves the blocks and marks the (zero) page dirty: later stores into it by
     * the writer cost nothing extra and the bytes on disk do not change. In steps of
     * STORE_WARM_STEP: each call holds the process's mmap lock for its whole range,
     * and a long hold stalls every thread that maps a file or faults meanwhile. */
    while (from < to) {
        int64_t end = from + STORE_WARM_STEP < to ? from + STORE_WARM_STEP : to;
        if (madvise(mf->base + from, (size_t)(end - from), MADV_POPULATE_WRITE) < 0)
            return -errno;
        int64_t cur = atomic_load(&mf->warm_to);
        while (cur < end && !atomic_compare_exchange_weak(&mf->warm_to, &cur, end))
            ;
        from = end;
    }
    return 0;
}

int64_t store_mf_mtime_ms(const store_mf_t *mf) {
    struct stat st;
    if (fstat(mf->fd, &st) < 0)
        return 0;
    return (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
}

static bool is_zero(const char *p, size_t n) {
    static const char zeros[4096];
    while (n > 0) {
        size_t k = n < sizeof zeros ? n : sizeof zeros;
        if (memcmp(p, zeros, k) != 0)
            return false;
        p += k;
        n -= k;
    }
    return true;
}

void store_mf_zero_tail(store_mf_t *mf, int64_t pos) {
    const int64_t chunk = 64 * 1024;
    int64_t clean_run = 0;
    while (pos < mf->size && clean_run < 1024 * 1024) {
        int64_t end = pos - pos % chunk + chunk;
        if (end > mf->size)
            end = mf->size;
        if (is_zero(mf->base + pos, (size_t)(end - pos))) {
            clean_run += end - pos;
        } else {
            memset(mf->base + pos, 0, (size_t)(end - pos));
            clean_run = 0;
        }
        pos = end;
    }
}
