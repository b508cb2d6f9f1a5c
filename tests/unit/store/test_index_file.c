/* Tests for store/index_file.c: header and entry layout, chains, time filtering, the
 * roll to a new file seeded with the previous end, and dropping files after a crash
 * (spec store.md 4). */
#include "store/index_file.h"

#include "common/checksum.h"
#include "store_test_util.h"
#include "test.h"

/* A checkpoint and an index under a fresh directory. */
typedef struct {
    char *dir, *ckp, *idir;
    store_checkpoint_t ck;
    store_index_t ix;
} index_fixture_t;

static void fixture_open(index_fixture_t *f, const char *name, int32_t slots, int32_t max_index) {
    f->dir = test_tmpdir(name);
    f->ckp = store_path_join(f->dir, "checkpoint");
    CHECK_EQ(store_checkpoint_open(&f->ck, store_fileops_default(), f->ckp), 0);
    f->idir = store_path_join(f->dir, "index");
    store_index_init(&f->ix, store_fileops_default(), f->idir, slots, max_index, &f->ck);
    CHECK_EQ(store_index_load(&f->ix, true), 0);
}

static void fixture_close(index_fixture_t *f) {
    store_index_close(&f->ix);
    store_checkpoint_close(&f->ck);
    rmq_free(f->idir);
    rmq_free(f->ckp);
    test_rmdir(f->dir);
}

static void test_put_query_roll(void) {
    char *dir = test_tmpdir("index");
    char *ckp = store_path_join(dir, "checkpoint");
    store_checkpoint_t ck;
    CHECK_EQ(store_checkpoint_open(&ck, store_fileops_default(), ckp), 0);
    char *idir = store_path_join(dir, "index");
    store_index_t ix;
    store_index_init(&ix, store_fileops_default(), idir, 8, 10, &ck);
    CHECK_EQ(store_index_load(&ix, true), 0);
    /* 3 keys per record ("U", "a", "b"), 9 entries per file: the 4th record rolls */
    for (int i = 0; i < 5; i++) {
        char uk[8];
        snprintf(uk, sizeof uk, "U%d", i);
        CHECK_EQ(store_index_put(&ix, RMQ_SLICE_LIT("T"), rmq_slice_cstr(uk), RMQ_SLICE_LIT("a  b"),
                                 100 * i, 1700000000000LL + 1000 * i),
                 0);
    }
    CHECK_EQ(ix.count, 2);
    /* re-indexing an older record is skipped */
    CHECK_EQ(store_index_put(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("late"), RMQ_SLICE_LIT(""), 0,
                             1700000000000LL),
             0);
    int64_t offs[16];
    CHECK_EQ(
        store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("late"), 16, 0, INT64_MAX, offs),
        0);
    size_t n =
        store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("a"), 16, 0, INT64_MAX, offs);
    CHECK_EQ(n, 5);
    CHECK_EQ(offs[0], 400); /* newest first */
    CHECK_EQ(offs[4], 0);
    n = store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U2"), 16, 0, INT64_MAX, offs);
    CHECK_EQ(n, 1);
    CHECK_EQ(offs[0], 200);
    /* time window */
    n = store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("b"), 16, 1700000001000LL,
                          1700000002000LL, offs);
    CHECK_EQ(n, 2);
    /* the full first file was forced and recorded in the checkpoint */
    CHECK_EQ(store_checkpoint_get(&ck, STORE_CKPT_INDEX_TS), 1700000002000LL);

    /* header of the first file, and its first entry */
    char **names;
    size_t nn;
    CHECK_EQ(store_fs_list(idir, &names, &nn), 0);
    CHECK_EQ(nn, 2);
    CHECK_EQ(strlen(names[0]), 17);
    char *p0 = store_path_join(idir, names[0]);
    rmq_buf_t raw;
    rmq_buf_init(&raw);
    CHECK_EQ(store_fs_read(store_fileops_default(), p0, &raw), 0);
    CHECK_EQ(raw.len, 40 + 4 * 8 + 20 * 10);
    CHECK_EQ(rmq_get_u64be(raw.data), 1700000000000LL);     /* beginTimestamp */
    CHECK_EQ(rmq_get_u64be(raw.data + 8), 1700000002000LL); /* endTimestamp */
    CHECK_EQ(rmq_get_u64be(raw.data + 24), 200);            /* endPhyOffset */
    CHECK_EQ(rmq_get_u32be(raw.data + 36), 10);             /* indexCount (full) */
    int32_t h = rmq_java_string_hash("T#U0", 4);
    const char *e1 = raw.data + 40 + 32 + 20; /* entry 1 */
    CHECK_EQ((int32_t)rmq_get_u32be(e1), h < 0 ? -h : h);
    CHECK_EQ(rmq_get_u64be(e1 + 4), 0);
    CHECK_EQ(rmq_get_u32be(e1 + 16), 0);
    CHECK_EQ(rmq_get_u32be(raw.data + 40 + 4 * ((h < 0 ? -h : h) % 8)) >= 1, 1);
    rmq_buf_close(&raw);
    rmq_free(p0);
    store_fs_names_free(names, nn);
    store_index_close(&ix);

    /* after a crash the second file (newer than the checkpoint) is dropped */
    store_index_init(&ix, store_fileops_default(), idir, 8, 10, &ck);
    CHECK_EQ(store_index_load(&ix, false), 0);
    CHECK_EQ(ix.count, 1);
    CHECK_EQ(store_index_end_phys(&ix), 200);
    store_index_close(&ix);
    store_checkpoint_close(&ck);
    rmq_free(idir);
    rmq_free(ckp);
    test_rmdir(dir);
}

/* Dropping the index's pages from the process keeps every entry findable. */
static void test_drop_resident(void) {
    index_fixture_t f;
    fixture_open(&f, "index_drop", 1024, 200000);
    store_index_t *ix = &f.ix;
    for (int i = 0; i < 100000; i++) {
        char uk[16];
        snprintf(uk, sizeof uk, "U%d", i);
        CHECK_EQ(store_index_put(ix, RMQ_SLICE_LIT("T"), rmq_slice_cstr(uk), RMQ_SLICE_LIT(""),
                                 100 * (int64_t)i, 1700000000000LL + i),
                 0);
    }
    long before = rss_file_kb();
    store_index_drop_resident(ix, 0);
    long after = rss_file_kb();
    CHECK(before - after >= 1024); /* 100,000 entries of 20 bytes: ~1.9 MiB */
    int64_t offs[4];
    CHECK_EQ(store_index_query(ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U7"), 4, 0, INT64_MAX, offs),
             1);
    CHECK_EQ(offs[0], 700);
    CHECK_EQ(
        store_index_query(ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U99999"), 4, 0, INT64_MAX, offs),
        1);
    CHECK_EQ(offs[0], 9999900);
    fixture_close(&f);
}

/* Putting a key touches its slot and entry pages only: the default advice would read
 * around read_ahead_kb (8 MiB on virtio disks) of the sparse file and zero it in one
 * non-preemptible step on the dispatch thread. */
static void test_put_reads_no_ahead(void) {
    index_fixture_t f;
    fixture_open(&f, "indexra", 5000000, 20000000);
    CHECK_EQ(store_index_put(&f.ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U1"), RMQ_SLICE_LIT("k"), 0,
                             1700000000000LL),
             0);
    char **names;
    size_t nn;
    CHECK_EQ(store_fs_list(f.idir, &names, &nn), 0);
    CHECK_EQ(nn, 1);
    char *p0 = store_path_join(f.idir, names[0]);
    long pages = page_cache_pages(p0);
    CHECK(pages >= 1 && pages <= 16);
    rmq_free(p0);
    store_fs_names_free(names, nn);
    fixture_close(&f);
}

int main(void) {
    RUN(test_put_query_roll);
    RUN(test_drop_resident);
    RUN(test_put_reads_no_ahead);
    return 0;
}
