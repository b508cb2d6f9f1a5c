/* Tests for store/index_file.c: header and entry layout, chains, time filtering, the
 * roll to a new file seeded with the previous end, and dropping files after a crash
 * (spec store.md 4). */
#include "store/index_file.h"

#include "common/checksum.h"
#include "store_test_util.h"
#include "test.h"

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
    char *dir = test_tmpdir("index_drop");
    char *ckp = store_path_join(dir, "checkpoint");
    store_checkpoint_t ck;
    CHECK_EQ(store_checkpoint_open(&ck, store_fileops_default(), ckp), 0);
    char *idir = store_path_join(dir, "index");
    store_index_t ix;
    store_index_init(&ix, store_fileops_default(), idir, 1024, 200000, &ck);
    CHECK_EQ(store_index_load(&ix, true), 0);
    for (int i = 0; i < 100000; i++) {
        char uk[16];
        snprintf(uk, sizeof uk, "U%d", i);
        CHECK_EQ(store_index_put(&ix, RMQ_SLICE_LIT("T"), rmq_slice_cstr(uk), RMQ_SLICE_LIT(""),
                                 100 * (int64_t)i, 1700000000000LL + i),
                 0);
    }
    long before = rss_file_kb();
    store_index_drop_resident(&ix, 0);
    long after = rss_file_kb();
    CHECK(before - after >= 1024); /* 100,000 entries of 20 bytes: ~1.9 MiB */
    int64_t offs[4];
    CHECK_EQ(store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U7"), 4, 0, INT64_MAX, offs),
             1);
    CHECK_EQ(offs[0], 700);
    CHECK_EQ(
        store_index_query(&ix, RMQ_SLICE_LIT("T"), RMQ_SLICE_LIT("U99999"), 4, 0, INT64_MAX, offs),
        1);
    CHECK_EQ(offs[0], 9999900);
    store_index_close(&ix);
    store_checkpoint_close(&ck);
    rmq_free(idir);
    rmq_free(ckp);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_put_query_roll);
    RUN(test_drop_resident);
    return 0;
}
