/* Tests for store/mapped_file.c and store/mapped_file_queue.c: naming, creation with
 * injected ENOSPC, the load rules of spec store.md 1.2, lookup, flush and truncation. */
#include "store/mapped_file_queue.h"

#include "store_test_util.h"
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>

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
    CHECK_EQ(store_mfq_flush(&q, 0), 0);
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
    CHECK_EQ(store_mfq_flush(&q, 0), -EIO);
    CHECK_EQ(store_mfq_flushed(&q), 0);
    CHECK_EQ(store_mfq_flush(&q, 0), 0);
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

int main(void) {
    RUN(test_name);
    RUN(test_create_find_truncate);
    RUN(test_refcount_outlives_delete);
    RUN(test_enospc_on_create);
    RUN(test_load_rules);
    return 0;
}
