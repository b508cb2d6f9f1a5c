/*
 * Segment lists; see mapped_file_queue.h. Segment creation (fallocate of up to 1 GiB)
 * never runs under the list mutex, so readers are not stalled by it. The warm thread
 * (commit log only) sleeps on warm_cond under the list mutex and does its work outside.
 */
#include "store/mapped_file_queue.h"

#include "common/alloc.h"
#include "common/log.h"
#include "store/fsutil.h"

#include <sys/resource.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static bool is_segment_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

void store_mfq_init(store_mfq_t *q, const store_fileops_t *ops, const char *dir,
                    int64_t file_size) {
    memset(q, 0, sizeof *q);
    q->dir = rmq_strdup(dir);
    q->file_size = file_size;
    q->ops = ops;
    q->preparing_from = -1;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->prepared_cond, NULL);
    pthread_cond_init(&q->warm_cond, NULL);
}

void store_mfq_close(store_mfq_t *q) {
    for (size_t i = 0; i < q->count; i++)
        store_mf_release(q->files[i]);
    store_mf_release(q->prepared);
    rmq_free(q->files);
    rmq_free(q->dir);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->prepared_cond);
    pthread_cond_destroy(&q->warm_cond);
    memset(q, 0, sizeof *q);
}

static void push_file(store_mfq_t *q, store_mf_t *mf) {
    if (q->count == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 8;
        q->files = rmq_realloc(q->files, q->cap * sizeof *q->files);
    }
    q->files[q->count++] = mf;
}

int store_mfq_load(store_mfq_t *q) {
    char **names;
    size_t n;
    int rc = store_fs_list(q->dir, &names, &n);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!is_segment_name(names[i]))
            continue;
        char *path = store_path_join(q->dir, names[i]);
        int fd = q->ops->open(q->ops, path, O_RDONLY, 0);
        int64_t len = -1;
        if (fd >= 0) {
            q->ops->file_size(q->ops, fd, &len);
            q->ops->close(q->ops, fd);
        }
        bool is_last = true;
        for (size_t j = i + 1; j < n; j++)
            is_last = is_last && !is_segment_name(names[j]);
        if (len == 0 && is_last) {
            rmq_log_warn("store", "deleting empty last segment %s", path);
            q->ops->unlink(q->ops, path);
        } else if (len != q->file_size) {
            rmq_log_error("store",
                          "segment %s length %" PRId64 " not matched (expected %" PRId64
                          "), check mappedFileSize settings",
                          path, len, q->file_size);
            rc = -EINVAL;
        } else {
            int64_t from = strtoll(names[i], NULL, 10);
            store_mf_t *mf;
            rc = store_mf_open(q->ops, q->dir, from, q->file_size, false, &mf);
            if (rc == 0) {
                if (q->count > 0 && q->files[q->count - 1]->from + q->file_size != from)
                    rmq_log_warn("store", "segment %s does not follow its predecessor", path);
                atomic_store(&mf->wrote, q->file_size);
                atomic_store(&mf->flushed, q->file_size);
                push_file(q, mf);
            }
        }
        rmq_free(path);
    }
    store_fs_names_free(names, n);
    if (q->count > 0)
        atomic_store(&q->flushed_where, q->files[q->count - 1]->from + q->file_size);
    return rc;
}

store_mf_t *store_mfq_last(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    store_mf_t *mf = q->count ? q->files[q->count - 1] : NULL;
    if (mf)
        store_mf_retain(mf);
    pthread_mutex_unlock(&q->lock);
    return mf;
}

store_mf_t *store_mfq_first(store_mfq_t *q) {
    return store_mfq_at(q, 0);
}

store_mf_t *store_mfq_at(store_mfq_t *q, size_t i) {
    pthread_mutex_lock(&q->lock);
    store_mf_t *mf = i < q->count ? q->files[i] : NULL;
    if (mf)
        store_mf_retain(mf);
    pthread_mutex_unlock(&q->lock);
    return mf;
}

void store_mfq_drop_resident(store_mfq_t *q, int64_t upto) {
    store_mf_t *mf;
    for (size_t i = 0; (mf = store_mfq_at(q, i)) != NULL; i++) {
        int64_t end = upto - mf->from;
        if (end > mf->size)
            end = mf->size;
        end &= ~(int64_t)(STORE_OS_PAGE - 1);
        if (end > 0)
            madvise(mf->base, (size_t)end, MADV_DONTNEED);
        bool last = mf->from + mf->size >= upto;
        store_mf_release(mf);
        if (last)
            break;
    }
}

size_t store_mfq_count(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    size_t n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

int store_mfq_create(store_mfq_t *q, int64_t from, store_mf_t **out) {
    pthread_mutex_lock(&q->lock);
    while (q->preparing_from >= 0) /* one segment opened at a time (see below) */
        pthread_cond_wait(&q->prepared_cond, &q->lock);
    store_mf_t *mf = NULL;
    bool opening = !(q->prepared && q->prepared->from == from);
    if (!opening) {
        mf = q->prepared;
        q->prepared = NULL;
    } else {
        /* Opened below, outside the lock: keeps store_mfq_prepare_next from opening the
         * same file as a second segment meanwhile (it read the list before this one was
         * pushed), which would then sit in `prepared` for an offset already in use and
         * block every later preparation. */
        q->preparing_from = from;
    }
    pthread_mutex_unlock(&q->lock);
    int rc = 0;
    if (opening) {
        rc = store_fs_mkdirs(q->ops, q->dir);
        if (rc == 0)
            rc = store_mf_open(q->ops, q->dir, from, q->file_size, true, &mf);
        if (rc == 0 && q->append_pages != STORE_PAGES_NORMAL)
            store_mf_advise(mf, q->append_pages);
    }
    pthread_mutex_lock(&q->lock);
    if (opening) {
        q->preparing_from = -1;
        pthread_cond_broadcast(&q->prepared_cond);
    }
    if (rc < 0) {
        pthread_mutex_unlock(&q->lock);
        return rc;
    }
    if (q->count == 0)
        atomic_store(&q->flushed_where, from);
    else if (q->append_pages != STORE_PAGES_NORMAL)
        store_mf_advise(q->files[q->count - 1], STORE_PAGES_NORMAL);
    push_file(q, mf);
    pthread_mutex_unlock(&q->lock);
    *out = mf;
    return 0;
}

int store_mfq_prepare_next(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    if (q->count == 0 || q->prepared || q->preparing_from >= 0) {
        pthread_mutex_unlock(&q->lock);
        return 0;
    }
    int64_t from = q->files[q->count - 1]->from + q->file_size;
    q->preparing_from = from;
    pthread_mutex_unlock(&q->lock);

    store_mf_t *mf = NULL;
    int rc = store_mf_open(q->ops, q->dir, from, q->file_size, true, &mf);
    if (rc == 0) {
        if (q->append_pages != STORE_PAGES_NORMAL)
            store_mf_advise(mf, q->append_pages);
        if (atomic_load(&q->warm_running))
            store_mf_warm(mf, 0, STORE_WARM_AHEAD);
    }

    pthread_mutex_lock(&q->lock);
    q->prepared = mf;
    q->preparing_from = -1;
    pthread_cond_broadcast(&q->prepared_cond);
    pthread_mutex_unlock(&q->lock);
    return rc;
}

void store_mfq_warm_ahead(store_mfq_t *q, int64_t ahead, int64_t max_step) {
    store_mf_t *mf = store_mfq_last(q);
    if (!mf)
        return;
    int64_t wrote = store_mf_wrote(mf);
    int64_t from = atomic_load(&mf->warm_to);
    if (from < wrote)
        from = wrote - wrote % STORE_OS_PAGE;
    if (from < wrote + ahead / 2) {
        int64_t to = wrote + ahead < from + max_step ? wrote + ahead : from + max_step;
        store_mf_warm(mf, from, to);
    }
    store_mf_release(mf);
}

void store_mfq_set_append_pages(store_mfq_t *q, store_pages_t pages) {
    q->append_pages = pages;
    store_mf_t *mf = store_mfq_last(q);
    if (mf && !store_mf_is_full(mf))
        store_mf_advise(mf, pages);
    store_mf_release(mf);
    pthread_mutex_lock(&q->lock);
    if (q->prepared)
        store_mf_advise(q->prepared, pages);
    pthread_mutex_unlock(&q->lock);
}

/* ------------------------------------------------------------------ warm thread */

/* One pass: warm the last segment ahead of its write position, then make sure the next
 * segment exists (warmed at its start). Runs on: the warm thread. */
static void warm_pass(store_mfq_t *q) {
    store_mf_t *mf = store_mfq_last(q);
    if (mf) {
        int64_t wrote = store_mf_wrote(mf);
        int64_t from = atomic_load(&mf->warm_to);
        if (from < wrote)
            from = wrote;
        int rc = store_mf_warm(mf, from, wrote + STORE_WARM_AHEAD);
        store_mf_release(mf);
        if (rc == -EINVAL) { /* before Linux 5.14 */
            rmq_log_info("store", "cannot pre-fault commit-log pages (%s): warming disabled",
                         strerror(-rc));
            atomic_store(&q->warm_running, false);
            return;
        }
    }
    store_mfq_prepare_next(q);
}

static void *warm_main(void *arg) {
    store_mfq_t *q = arg;
    pthread_setname_np(pthread_self(), "store-warm");
    /* Pre-faulting is worth doing only with a spare core: at nice 19 the I/O loops take
     * the CPU back at the next preemption point, and a starved warm thread only means the
     * writer faults its own pages. Nice rather than SCHED_IDLE: never starved for good
     * while it holds the queue's lock or prepares the next segment. */
    setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
    pthread_mutex_lock(&q->lock);
    while (!q->warm_stop) {
        if (!atomic_load(&q->warm_kicked)) {
            pthread_cond_wait(&q->warm_cond, &q->lock);
            continue;
        }
        atomic_store(&q->warm_kicked, false);
        pthread_mutex_unlock(&q->lock);
        if (atomic_load(&q->warm_running))
            warm_pass(q);
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

int store_mfq_warm_start(store_mfq_t *q) {
    q->warm_stop = false;
    atomic_store(&q->warm_running, true);
    atomic_store(&q->warm_kicked, true); /* warm what is there now */
    int rc = pthread_create(&q->warm_thread, NULL, warm_main, q);
    if (rc) {
        atomic_store(&q->warm_running, false);
        return -rc;
    }
    q->warm_started = true;
    return 0;
}

void store_mfq_warm_stop(store_mfq_t *q) {
    if (!q->warm_started)
        return;
    q->warm_started = false;
    pthread_mutex_lock(&q->lock);
    q->warm_stop = true;
    pthread_cond_signal(&q->warm_cond);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->warm_thread, NULL);
    atomic_store(&q->warm_running, false);
}

void store_mfq_warm_kick(store_mfq_t *q) {
    if (atomic_exchange(&q->warm_kicked, true))
        return;
    pthread_mutex_lock(&q->lock);
    pthread_cond_signal(&q->warm_cond);
    pthread_mutex_unlock(&q->lock);
}

static store_mf_t *find_locked(store_mfq_t *q, int64_t offset) {
    if (q->count == 0)
        return NULL;
    store_mf_t *first = q->files[0];
    if (offset < first->from)
        return NULL;
    size_t i = (size_t)((offset - first->from) / q->file_size);
    if (i < q->count && q->files[i]->from <= offset && offset < q->files[i]->from + q->file_size)
        return q->files[i];
    for (i = 0; i < q->count; i++)
        if (q->files[i]->from <= offset && offset < q->files[i]->from + q->file_size)
            return q->files[i];
    return NULL;
}

store_mf_t *store_mfq_find(store_mfq_t *q, int64_t offset) {
    pthread_mutex_lock(&q->lock);
    store_mf_t *mf = find_locked(q, offset);
    if (mf)
        store_mf_retain(mf);
    pthread_mutex_unlock(&q->lock);
    return mf;
}

int64_t store_mfq_min_offset(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    int64_t off = q->count ? q->files[0]->from : 0;
    pthread_mutex_unlock(&q->lock);
    return off;
}

int64_t store_mfq_max_offset(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    int64_t off = 0;
    if (q->count) {
        store_mf_t *mf = q->files[q->count - 1];
        off = mf->from + store_mf_wrote(mf);
    }
    pthread_mutex_unlock(&q->lock);
    return off;
}

/*
 * Flushes segment by segment from flushed_where: a segment that filled up since the last
 * flush is completed before the current one is started.
 */
int store_mfq_flush(store_mfq_t *q, int least_pages, int64_t align) {
    for (;;) {
        int64_t where = store_mfq_flushed(q);
        store_mf_t *mf = store_mfq_find(q, where);
        if (!mf)
            return 0;
        int rc = store_mf_flush(mf, least_pages, align);
        int64_t reached = mf->from + atomic_load(&mf->flushed);
        bool full = atomic_load(&mf->flushed) >= mf->size;
        store_mf_release(mf);
        if (rc < 0)
            return rc;
        if (reached > where)
            atomic_store(&q->flushed_where, reached);
        if (!full)
            return 0;
    }
}

void store_mfq_truncate(store_mfq_t *q, int64_t offset) {
    pthread_mutex_lock(&q->lock);
    size_t keep = 0;
    for (size_t i = 0; i < q->count; i++) {
        store_mf_t *mf = q->files[i];
        if (mf->from + mf->size <= offset) {
            q->files[keep++] = mf;
        } else if (offset >= mf->from) {
            int64_t pos = offset - mf->from;
            store_mf_zero_tail(mf, pos);
            atomic_store(&mf->wrote, pos);
            atomic_store(&mf->flushed, pos);
            q->files[keep++] = mf;
        } else {
            store_mf_delete(mf);
        }
    }
    q->count = keep;
    atomic_store(&q->flushed_where, offset);
    pthread_mutex_unlock(&q->lock);
}

int store_mfq_delete_first(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    if (q->count <= 1) {
        pthread_mutex_unlock(&q->lock);
        return 0;
    }
    store_mf_t *mf = q->files[0];
    memmove(q->files, q->files + 1, (q->count - 1) * sizeof *q->files);
    q->count--;
    pthread_mutex_unlock(&q->lock);
    store_mf_delete(mf);
    return 1;
}

void store_mfq_destroy(store_mfq_t *q) {
    pthread_mutex_lock(&q->lock);
    for (size_t i = 0; i < q->count; i++)
        store_mf_delete(q->files[i]);
    q->count = 0;
    if (q->prepared)
        store_mf_delete(q->prepared);
    q->prepared = NULL;
    atomic_store(&q->flushed_where, 0);
    pthread_mutex_unlock(&q->lock);
}
