/* Tests for store/mapped_file.c and store/mapped_file_queue.c: naming, creation with
 * injected ENOSPC, the load rules of spec store.md 1.2, lookup, flush and truncation,
 * warming ahead of the writer. */
#include "store/mapped_file_queue.h"

#include "store_test_util.h"
#include "test.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

static void test_name(void) {
    char buf[21];
    store_mf_name(1073741824, buf);
    CHECK_STREQ(buf, "00000000001073741824");
    store_mf_name(0, buf);
    CHECK_STREQ(buf, "00000000000000000000");
}

static void test_create_find_truncate(void) {
    char *dir = test_tmpdir("mfq");
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 8192);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memset(mf->base, 'a', 8192);
    atomic_store(&mf->wrote, 8192);
    CHECK_EQ(store_mfq_create(&q, 8192, &mf), 0);
    memset(mf->base, 'b', 100);
    atomic_store(&mf->wrote, 100);
    CHECK_EQ(store_mfq_max_offset(&q), 8192 + 100);
    CHECK_EQ(store_mfq_min_offset(&q), 0);
    store_mf_t *f = store_mfq_find(&q, 8200);
    CHECK(f && f->from == 8192);
    store_mf_release(f);
    CHECK(store_mfq_find(&q, 20000) == NULL);
    CHECK_EQ(store_mfq_flush(&q, 0, 0), 0);
    CHECK_EQ(store_mfq_flushed(&q), 8192 + 100);

    /* prepare the next segment ahead of time, then take it */
    CHECK_EQ(store_mfq_prepare_next(&q), 0);
    CHECK(q.prepared && q.prepared->from == 16384);

    /* truncate into the first file: the second goes, the tail is zeroed */
    store_mfq_truncate(&q, 4000);
    CHECK_EQ(store_mfq_count(&q), 1);
    CHECK_EQ(store_mfq_max_offset(&q), 4000);
    f = store_mfq_find(&q, 0);
    CHECK_EQ(f->base[3999], 'a');
    CHECK_EQ(f->base[4000], 0);
    CHECK_EQ(f->base[8191], 0);
    store_mf_release(f);
    store_mfq_close(&q);
    test_rmdir(dir);
}

static void test_refcount_outlives_delete(void) {
    char *dir = test_tmpdir("mfref");
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 4096);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memcpy(mf->base, "hello", 5);
    atomic_store(&mf->wrote, 4096);
    CHECK_EQ(store_mfq_create(&q, 4096, &mf), 0);
    store_mf_t *held = store_mfq_find(&q, 0);
    CHECK_EQ(store_mfq_delete_first(&q), 1);
    CHECK(!store_fs_exists(held->path));
    /* the mapping is still readable by the holder */
    CHECK(memcmp(held->base, "hello", 5) == 0);
    store_mf_release(held);
    CHECK_EQ(store_mfq_delete_first(&q), 0); /* never the last one */
    store_mfq_close(&q);
    test_rmdir(dir);
}

static void test_enospc_on_create(void) {
    char *dir = test_tmpdir("mfnospc");
    test_faults_t f;
    test_faults_init(&f);
    f.fail_allocate = 1;
    store_mfq_t q;
    store_mfq_init(&q, &f.ops, dir, 4096);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), -ENOSPC);
    CHECK_EQ(store_mfq_count(&q), 0);
    /* the failed file is not left behind */
    char *p = store_path_join(dir, "00000000000000000000");
    CHECK(!store_fs_exists(p));
    rmq_free(p);
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    f.fail_msync = 1;
    atomic_store(&mf->wrote, 10);
    CHECK_EQ(store_mfq_flush(&q, 0, 0), -EIO);
    CHECK_EQ(store_mfq_flushed(&q), 0);
    CHECK_EQ(store_mfq_flush(&q, 0, 0), 0);
    CHECK_EQ(store_mfq_flushed(&q), 10);
    store_mfq_close(&q);
    test_rmdir(dir);
}

static void touch(const char *dir, const char *name, off_t size) {
    char *p = store_path_join(dir, name);
    int fd = open(p, O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, size) == 0);
    close(fd);
    rmq_free(p);
}

static void test_load_rules(void) {
    char *dir = test_tmpdir("mfload");
    touch(dir, "00000000000000000000", 4096);
    touch(dir, "00000000000000004096", 4096);
    touch(dir, "00000000000000008192", 0); /* empty last file: deleted */
    touch(dir, "notasegment", 7);          /* ignored */
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 4096);
    CHECK_EQ(store_mfq_load(&q), 0);
    CHECK_EQ(store_mfq_count(&q), 2);
    CHECK_EQ(store_mfq_max_offset(&q), 8192);
    char *p = store_path_join(dir, "00000000000000008192");
    CHECK(!store_fs_exists(p));
    rmq_free(p);
    store_mfq_close(&q);

    /* a size mismatch anywhere else fails the load */
    touch(dir, "00000000000000004096", 1000);
    store_mfq_init(&q, store_fileops_default(), dir, 4096);
    CHECK_EQ(store_mfq_load(&q), -EINVAL);
    store_mfq_close(&q);
    test_rmdir(dir);
}

/* Warming faults pages in without changing a byte, in memory or on disk. */
static void test_warm_keeps_bytes(void) {
    char *dir = test_tmpdir("mfwarm");
    store_mfq_t q;
    const int64_t size = 64 * 1024;
    store_mfq_init(&q, store_fileops_default(), dir, size);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memset(mf->base, 'a', 5000);
    atomic_store(&mf->wrote, 5000);
    int rc = store_mf_warm(mf, 4000, size + 4096); /* clamped to the file */
    CHECK(rc == 0 || rc == -EINVAL);
    if (rc == 0)
        CHECK_EQ(atomic_load(&mf->warm_to), size);
    for (int64_t i = 0; i < size; i++)
        if (mf->base[i] != (i < 5000 ? 'a' : 0)) {
            CHECK_EQ(i, -1);
            break;
        }
    CHECK_EQ(store_mfq_flush(&q, 0, 0), 0);
    char buf[4];
    CHECK_EQ(pread(mf->fd, buf, sizeof buf, 4998), 4);
    CHECK(memcmp(buf, "aa\0\0", 4) == 0);
    CHECK_EQ(pread(mf->fd, buf, sizeof buf, size - 4), 4);
    CHECK(memcmp(buf, "\0\0\0\0", 4) == 0);
    store_mf_advise(mf, STORE_PAGES_PMD);
    store_mf_advise(mf, STORE_PAGES_NORMAL);
    store_mfq_close(&q);
    test_rmdir(dir);
}

/* The warm thread prepares the next segment once the writer hints it is running out. */
static void test_warm_thread_prepares_next(void) {
    char *dir = test_tmpdir("mfwarmt");
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 64 * 1024);
    store_mfq_warm_stop(&q); /* never started: nothing to do */
    CHECK_EQ(store_mfq_warm_start(&q), 0);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memset(mf->base, 'w', 100);
    atomic_store(&mf->wrote, 100);
    store_mfq_hint(&q, mf, 100);
    bool prepared = false;
    for (int i = 0; i < 2000 && !prepared; i++) {
        pthread_mutex_lock(&q.lock);
        prepared = q.prepared && q.prepared->from == 64 * 1024;
        pthread_mutex_unlock(&q.lock);
        if (!prepared) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
    CHECK(prepared);
    store_mfq_warm_stop(&q);
    CHECK_EQ(mf->base[99], 'w');
    CHECK_EQ(mf->base[100], 0);
    /* the writer takes the prepared segment */
    store_mf_t *next;
    CHECK_EQ(store_mfq_create(&q, 64 * 1024, &next), 0);
    CHECK(q.prepared == NULL);
    CHECK_EQ(store_mfq_count(&q), 2);
    store_mfq_close(&q);
    test_rmdir(dir);
}

/* The flush thread's way: bounded steps, only when less than half the window is left. */
static void test_warm_ahead_steps(void) {
    char *dir = test_tmpdir("mfwarma");
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 256 * 1024);
    store_mfq_warm_ahead(&q, 64 * 1024, 16 * 1024); /* no segment yet: nothing */
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    if (store_mf_warm(mf, 0, 0) == 0 && madvise(mf->base, 4096, 23) == 0) {
        atomic_store(&mf->warm_to, 0);
        atomic_store(&mf->wrote, 100);
        store_mfq_warm_ahead(&q, 64 * 1024, 16 * 1024);
        CHECK_EQ(atomic_load(&mf->warm_to), 16 * 1024);
        store_mfq_warm_ahead(&q, 64 * 1024, 16 * 1024);
        CHECK_EQ(atomic_load(&mf->warm_to), 32 * 1024);
        store_mfq_warm_ahead(&q, 64 * 1024, 16 * 1024); /* 32 KiB left: half the window */
        CHECK_EQ(atomic_load(&mf->warm_to), 48 * 1024);
        store_mfq_warm_ahead(&q, 64 * 1024, 16 * 1024); /* enough ahead: nothing */
        CHECK_EQ(atomic_load(&mf->warm_to), 48 * 1024);
        atomic_store(&mf->wrote, 250 * 1024); /* the window is clamped to the file */
        store_mfq_warm_ahead(&q, 64 * 1024, 64 * 1024);
        CHECK_EQ(atomic_load(&mf->warm_to), 256 * 1024);
    }
    store_mfq_close(&q);
    test_rmdir(dir);
}

/* ASYNC_FLUSH's forces stop at an aligned block below the writer (the folio being
 * written into is never forced); a full file is forced to its end. */
static void test_flush_aligned_behind_writer(void) {
    char *dir = test_tmpdir("mfalign");
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, 64 * 1024);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memset(mf->base, 'a', 40000);
    atomic_store(&mf->wrote, 40000);
    CHECK_EQ(store_mfq_flush(&q, 0, 16384), 0);
    CHECK_EQ(store_mfq_flushed(&q), 32768);
    /* Nothing new below the next boundary: no force, the position stays. */
    atomic_store(&mf->wrote, 49000);
    CHECK_EQ(store_mfq_flush(&q, 0, 16384), 0);
    CHECK_EQ(store_mfq_flushed(&q), 32768);
    /* Unaligned (close, thorough catch-up): everything. */
    CHECK_EQ(store_mfq_flush(&q, 0, 0), 0);
    CHECK_EQ(store_mfq_flushed(&q), 49000);
    /* A full file goes to its end even when aligned forces are asked for. */
    memset(mf->base + 49000, 'b', 64 * 1024 - 49000);
    atomic_store(&mf->wrote, 64 * 1024);
    CHECK_EQ(store_mfq_flush(&q, 0, 40000), 0);
    CHECK_EQ(store_mfq_flushed(&q), 64 * 1024);
    store_mfq_close(&q);
    test_rmdir(dir);
}

/* Dropped pages leave the resident set but not the file: readers still see the bytes. */
static void test_drop_resident(void) {
    char *dir = test_tmpdir("mfq_drop");
    const int64_t seg = 4 << 20;
    store_mfq_t q;
    store_mfq_init(&q, store_fileops_default(), dir, seg);
    store_mf_t *mf;
    CHECK_EQ(store_mfq_create(&q, 0, &mf), 0);
    memset(mf->base, 'a', (size_t)seg);
    atomic_store(&mf->wrote, seg);
    CHECK_EQ(store_mfq_create(&q, seg, &mf), 0);
    memset(mf->base, 'b', (size_t)seg);
    atomic_store(&mf->wrote, seg);
    CHECK_EQ(store_mfq_flush(&q, 0, 0), 0);
    long before = rss_file_kb();
    store_mfq_drop_resident(&q, seg + seg / 2); /* all of the first, half the second */
    long after = rss_file_kb();
    CHECK(before - after >= 5 * 1024);
    store_mf_t *f = store_mfq_find(&q, 0);
    CHECK_EQ(f->base[0], 'a');
    CHECK_EQ(f->base[seg - 1], 'a');
    store_mf_release(f);
    f = store_mfq_find(&q, seg);
    CHECK_EQ(f->base[seg / 2 - 1], 'b');
    CHECK_EQ(f->base[seg - 1], 'b');
    store_mf_release(f);
    store_mfq_close(&q);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_name);
    RUN(test_create_find_truncate);
    RUN(test_refcount_outlives_delete);
    RUN(test_enospc_on_create);
    RUN(test_load_rules);
    RUN(test_warm_keeps_bytes);
    RUN(test_warm_thread_prepares_next);
    RUN(test_warm_ahead_steps);
    RUN(test_flush_aligned_behind_writer);
    RUN(test_drop_resident);
    return 0;
}
